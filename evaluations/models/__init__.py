"""The comprehensive evaluation: a draft a therapist fills section by section, then signs.

Measurements are rows with units and side, so they can be scored and trended. A
signed evaluation never changes; corrections are addenda. Every version of every
row is kept by django-simple-history.

Split by section; everything is re-exported here, so `from evaluations.models import X`
works as before (and the app label stays `evaluations`).
"""

from evaluations.models.base import GRIP_MAX_KG, PINCH_MAX_KG, EvaluationRow, TrialsMixin
from evaluations.models.checklists import ActivityRating, FunctionalScaleScore
from evaluations.models.cognition import CognitiveFinding, CognitiveScreen
from evaluations.models.drafts import SectionDraft
from evaluations.models.evaluation import (
    FOLLOW_UPS_NEEDING_BASELINE,
    Addendum,
    Evaluation,
    EvaluationQuerySet,
)
from evaluations.models.imbalance import (
    AffectedOccupationFinding,
    ImbalanceCauseFinding,
    PainPoint,
    SignSymptomFinding,
)
from evaluations.models.inventory import (
    IadlInventoryEntry,
    ImportantActivity,
    MobilityEntry,
    PsfsActivity,
    RoleEntry,
)
from evaluations.models.neuromuscular import NeuromuscularMeasurement
from evaluations.models.physical import (
    FlexibilityMeasurement,
    GripMeasurement,
    PinchMeasurement,
    RangeOfMotionMeasurement,
    StrengthMeasurement,
)
from evaluations.models.plan import Goal, PlannedIntervention
from evaluations.models.profile import CopmProblem, OccupationalProfile
from evaluations.models.reports import SignedReport

__all__ = [
    "FOLLOW_UPS_NEEDING_BASELINE",
    "GRIP_MAX_KG",
    "PINCH_MAX_KG",
    "ActivityRating",
    "Addendum",
    "AffectedOccupationFinding",
    "CognitiveFinding",
    "CognitiveScreen",
    "CopmProblem",
    "Evaluation",
    "EvaluationQuerySet",
    "EvaluationRow",
    "FlexibilityMeasurement",
    "FunctionalScaleScore",
    "Goal",
    "GripMeasurement",
    "IadlInventoryEntry",
    "ImbalanceCauseFinding",
    "ImportantActivity",
    "MobilityEntry",
    "NeuromuscularMeasurement",
    "OccupationalProfile",
    "PainPoint",
    "PinchMeasurement",
    "PlannedIntervention",
    "PsfsActivity",
    "RangeOfMotionMeasurement",
    "RoleEntry",
    "SectionDraft",
    "SignSymptomFinding",
    "SignedReport",
    "StrengthMeasurement",
    "TrialsMixin",
]
