"""Section 8: the muscle-imbalance screen."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluations.choices import (
    Side,
)
from evaluations.models.base import EvaluationRow, known_values
from evaluations.models.evaluation import Evaluation
from occupations.models import (
    AffectedOccupation,
    ImbalanceCause,
    PainRegion,
    SignSymptom,
)


class ImbalanceCauseFinding(EvaluationRow):
    """A likely cause of the muscle imbalance the therapist identified (catalogue: imbalance causes)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="imbalance_causes")
    cause = models.ForeignKey(ImbalanceCause, on_delete=models.PROTECT, related_name="+")


class PainPoint(EvaluationRow):
    """Muscle-imbalance screen: where it hurts, how much (0–10 NRS), and what makes it worse."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="pain_points")
    region = models.ForeignKey(PainRegion, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("side"), max_length=10, choices=Side)
    intensity = models.PositiveSmallIntegerField(
        _("intensity (0–10)"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    aggravating_factors = models.CharField(_("what makes it worse"), max_length=500, blank=True)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=known_values("side", Side), name="pain_side_known"),
            models.CheckConstraint(
                condition=Q(intensity__gte=0, intensity__lte=10), name="pain_intensity_0_to_10"
            ),
        ]


class SignSymptomFinding(EvaluationRow):
    """A sign or symptom of muscle imbalance observed or reported (catalogue: signs and symptoms)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="signs_symptoms")
    sign = models.ForeignKey(SignSymptom, on_delete=models.PROTECT, related_name="+")


class AffectedOccupationFinding(EvaluationRow):
    """An occupation the imbalance or pain limits (catalogue: affected occupations)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="affected_occupations")
    occupation = models.ForeignKey(AffectedOccupation, on_delete=models.PROTECT, related_name="+")
