"""The sections of the comprehensive evaluation, described once.

Pages (one editor per section), the API (one nested object per section) and the
services (saving a section as a whole) all read this registry, so a field added
here appears everywhere.

A section has *fields* that live on one row (the evaluation itself or its
occupational profile) and *row lists* (measurements and findings, each a model
row). A row list may be *scoped* to part of a table: the ADL and IADL checklists
share the ActivityRating table, split by activity category.
"""

from dataclasses import dataclass, field

from django.db.models import Model

from common.models import concrete_field
from evaluations import models as m
from occupations.choices import ActivityCategory

IADL_CATEGORIES = (ActivityCategory.IADL, ActivityCategory.HEALTH_MANAGEMENT)


@dataclass(frozen=True, eq=False)  # identity: each section exists once
class RowList:
    key: str
    model: type[Model]
    fields: tuple[str, ...]
    title: str
    unique_by: tuple[str, ...] = ()
    max_rows: int | None = None  # None: the general cap (services.MAX_ROWS)
    # Which catalogue entries a foreign key may point at, and which stored rows belong here.
    catalogue_filter: dict[str, dict] = field(default_factory=dict)
    # What a re-evaluation or discharge starts from: these fields of each baseline row are
    # offered again (what was measured, and how), the rest is measured anew. Empty: not carried.
    carry: tuple[str, ...] = ()
    # Entered as one line per measure with a Left and a Right value (stored one row per side):
    # the field holding the side ("side" or "hand"). Empty: one row per line.
    paired_by: str = ""
    # Carried with every value as it was (facts that rarely change: roles, places, who does an
    # IADL), saved as shown unless changed; otherwise carried rows offer what to measure again.
    carry_values: bool = False
    # Fields only a re-evaluation or discharge shows (an initial evaluation leaves them blank).
    follow_up_only: tuple[str, ...] = ()
    # The field a carried row keeps the number of the baseline row it continues in (1 = first).
    links_baseline: str = ""

    @property
    def related_name(self) -> str:
        relation = concrete_field(self.model, "evaluation").remote_field
        assert relation is not None and relation.related_name  # every row model names its reverse relation
        return relation.related_name

    def belongs(self, row) -> bool:
        for name, conditions in self.catalogue_filter.items():
            target = getattr(row, name)
            for lookup, wanted in conditions.items():
                attribute = lookup.removesuffix("__in")
                value = getattr(target, attribute)
                if (value not in wanted) if lookup.endswith("__in") else (value != wanted):
                    return False
        return True

    def scope(self) -> dict:
        """Queryset filter selecting this list's stored rows."""
        return {
            f"{name}__{lookup}": wanted
            for name, conditions in self.catalogue_filter.items()
            for lookup, wanted in conditions.items()
        }


@dataclass(frozen=True, eq=False)  # identity: each section exists once
class Section:
    slug: str
    number: str
    title: str
    description: str
    short_title: str  # the section menu on narrower screens, where all ten sit on one line
    evaluation_fields: tuple[str, ...] = ()
    profile_fields: tuple[str, ...] = ()
    rows: tuple[RowList, ...] = ()

    @property
    def api_key(self) -> str:
        return self.slug.replace("-", "_")


PROFILE = Section(
    slug="profile",
    number="1",
    title="Personal history and occupational profile",
    short_title="Profile",
    description="Who the person is, what they do, what makes them tick, and why they are seeking outpatient therapy.",
    profile_fields=(
        "reason_for_therapy",
        "who_they_are",
        "what_they_do",
        "what_makes_them_tick",
        "successful_occupations",
        "barriers",
        "occupational_history",
        "interests_values",
        "supporting_contexts",
        "inhibiting_contexts",
        "performance_patterns",
        "priorities",
        "medical_history",
        "precautions",
        "living_situation",
        "prior_level_of_function",
        "hand_dominance",
    ),
    rows=(
        RowList(
            "copm",
            m.CopmProblem,
            ("area", "problem", "importance", "performance", "satisfaction", "notes"),
            "COPM: the client's occupational performance problems (up to five)",
            unique_by=("problem",),
            carry=("area", "problem"),
            max_rows=5,
        ),
    ),
)

PHYSICAL = Section(
    slug="physical-function",
    number="2",
    title="Physical function, upper and lower body",
    short_title="Physical",
    description="Strength, range of motion, flexibility and grip strength.",
    evaluation_fields=("mmt_scale",),
    rows=(
        RowList(
            "strength",
            m.StrengthMeasurement,
            ("muscle_group", "side", "grade", "notes"),
            "Strength (manual muscle test)",
            unique_by=("muscle_group", "side"),
            carry=("muscle_group", "side"),
            paired_by="side",
        ),
        RowList(
            "range_of_motion",
            m.RangeOfMotionMeasurement,
            ("joint_motion", "side", "mode", "degrees", "is_painful", "notes"),
            "Range of motion",
            unique_by=("joint_motion", "side", "mode"),
            carry=("joint_motion", "side", "mode"),
            paired_by="side",
        ),
        RowList(
            "flexibility",
            m.FlexibilityMeasurement,
            ("test", "side", "finding", "notes"),
            "Flexibility",
            unique_by=("test", "side"),
            carry=("test", "side"),
            paired_by="side",
        ),
        RowList(
            "pinch",
            m.PinchMeasurement,
            ("pinch", "hand", "trial_1_kg", "trial_2_kg", "trial_3_kg", "notes"),
            "Pinch strength (pinch gauge, kg)",
            unique_by=("pinch", "hand"),
            carry=("pinch", "hand"),
            paired_by="hand",
        ),
        RowList(
            "grip",
            m.GripMeasurement,
            ("hand", "trial_1_kg", "trial_2_kg", "trial_3_kg", "notes"),
            "Grip strength (dynamometer, kg)",
            unique_by=("hand",),
            carry=("hand",),
            paired_by="hand",
        ),
    ),
)

NEUROMUSCULAR = Section(
    slug="neuromuscular-function",
    number="3",
    title="Neuromuscular function",
    short_title="Neuromuscular",
    description="Coordination, speed, agility and reaction time: brain-to-muscle communication.",
    rows=(
        RowList(
            "tests",
            m.NeuromuscularMeasurement,
            ("test", "side", "value", "notes"),
            "Timed and counted tests",
            carry=("test", "side"),
            paired_by="side",
        ),
    ),
)

COGNITION = Section(
    slug="cognition",
    number="4",
    title="Cognitive and mind health",
    short_title="Cognition",
    description="Short-term memory, recall, information processing and perception of illness; optional screens.",
    rows=(
        RowList(
            "findings",
            m.CognitiveFinding,
            ("domain", "rating", "notes"),
            "Areas",
            unique_by=("domain",),
            carry=("domain",),
        ),
        RowList(
            "screens",
            m.CognitiveScreen,
            ("instrument", "items", "total_score", "education_years", "notes"),
            "Standardized screens",
            unique_by=("instrument",),
            carry=("instrument", "education_years"),
        ),
    ),
)

OCCUPATIONAL_INVENTORY = Section(
    slug="occupational-inventory",
    number="5",
    title="Occupational inventory",
    short_title="Occupations",
    description="Roles, the places the person needs to go, the IADLs independence requires, and other activities that matter.",
    rows=(
        RowList(
            "roles",
            m.RoleEntry,
            ("role", "status", "importance", "notes"),
            "Roles",
            unique_by=("role",),
            carry=("role",),
            carry_values=True,
        ),
        RowList(
            "mobility",
            m.MobilityEntry,
            ("destination", "frequency", "transport_mode", "ability", "barriers", "notes"),
            "Mobility inventory",
            unique_by=("destination",),
            carry=("destination",),
            carry_values=True,
        ),
        RowList(
            "iadl_inventory",
            m.IadlInventoryEntry,
            ("activity", "is_required", "done_by", "notes"),
            "IADL inventory",
            unique_by=("activity",),
            catalogue_filter={"activity": {"category__in": IADL_CATEGORIES}},
            carry=("activity",),
            carry_values=True,
        ),
        RowList(
            "other_activities",
            m.ImportantActivity,
            ("name", "notes"),
            "Other important activities",
            carry=("name",),
            carry_values=True,
        ),
        # Patient-reported: the person's own activities, rated again at each follow-up (the
        # activities carried, the ratings new), so it sits with the occupations they belong to.
        RowList(
            "psfs",
            m.PsfsActivity,
            ("activity", "rating", "notes"),
            "Patient-Specific Functional Scale (PSFS)",
            unique_by=("activity",),
            max_rows=5,
            carry=("activity",),
        ),
    ),
)

ADL_CHECKLIST = Section(
    slug="adl-checklist",
    number="6",
    title="ADL checklist",
    short_title="ADL",
    description="Independence in each activity of daily living.",
    rows=(
        RowList(
            "ratings",
            m.ActivityRating,
            (
                "activity",
                "assist_level",
                "helper_effort_pct",
                "setup_only",
                "limited_by_pain",
                "limited_by_imbalance",
                "priority",
                "notes",
            ),
            "Activities of daily living",
            unique_by=("activity",),
            catalogue_filter={"activity": {"category": ActivityCategory.ADL}},
        ),
    ),
)

IADL_CHECKLIST = Section(
    slug="iadl-checklist",
    number="7",
    title="IADL checklist",
    short_title="IADL",
    description="Independence in instrumental activities and health management.",
    rows=(
        RowList(
            "ratings",
            m.ActivityRating,
            (
                "activity",
                "assist_level",
                "helper_effort_pct",
                "setup_only",
                "limited_by_pain",
                "limited_by_imbalance",
                "priority",
                "notes",
            ),
            "Instrumental activities of daily living",
            unique_by=("activity",),
            catalogue_filter={"activity": {"category__in": IADL_CATEGORIES}},
        ),
        RowList(
            "scales",
            m.FunctionalScaleScore,
            ("instrument", "items", "total_score", "notes"),
            "Standardized scales (Lawton, Katz, Barthel, LEFS)",
            unique_by=("instrument",),
        ),
    ),
)

MUSCLE_IMBALANCE = Section(
    slug="muscle-imbalance",
    number="8",
    title="Muscle-imbalance screen",
    short_title="Imbalance",
    description="Causes, pain points, signs and symptoms, and the occupations they affect.",
    rows=(
        RowList("causes", m.ImbalanceCauseFinding, ("cause", "notes"), "Causes", unique_by=("cause",)),
        RowList(
            "pain_points",
            m.PainPoint,
            ("region", "side", "intensity", "aggravating_factors", "notes"),
            "Pain points",
            unique_by=("region", "side"),
            carry=("region", "side", "aggravating_factors"),
        ),
        RowList(
            "signs_symptoms",
            m.SignSymptomFinding,
            ("sign", "notes"),
            "Signs and symptoms",
            unique_by=("sign",),
        ),
        RowList(
            "affected_occupations",
            m.AffectedOccupationFinding,
            ("occupation", "notes"),
            "Affected occupations",
            unique_by=("occupation",),
        ),
    ),
)

ASSESSMENT_AND_PLAN = Section(
    slug="assessment-and-plan",
    number="9",
    title="Assessment, goals and plan of care",
    short_title="Plan",
    description="The clinical impression, measurable dated goals, and frequency, duration and interventions.",
    evaluation_fields=("assessment_summary", "sessions_per_week", "duration_weeks", "home_program"),
    rows=(
        RowList(
            "goals",
            m.Goal,
            (
                "term",
                "description",
                "target_on",
                "activity",
                "target_level",
                "status",
                "status_note",
                "baseline_goal",
                "notes",
            ),
            "Goals",
            carry=("term", "description", "target_on", "activity", "target_level", "baseline_goal"),
            follow_up_only=("status", "status_note"),
            links_baseline="baseline_goal",
        ),
        RowList(
            "interventions",
            m.PlannedIntervention,
            ("intervention", "notes"),
            "Interventions",
            unique_by=("intervention",),
        ),
    ),
)

BILLING = Section(
    slug="cpt-complexity",
    number="10",
    title="Evaluation complexity (CPT)",
    short_title="CPT",
    description=(
        "Rate the components; the suggested code is the lowest level all of them support, with its evidence. "
        "Confirm it, or choose another code and say why."
    ),
    evaluation_fields=(
        "cpt_history",
        "cpt_comorbidities",
        "cpt_assistance",
        "cpt_documented_change",
        "cpt_code",
        "cpt_override_reason",
    ),
)

SECTIONS: tuple[Section, ...] = (
    PROFILE,
    PHYSICAL,
    NEUROMUSCULAR,
    COGNITION,
    OCCUPATIONAL_INVENTORY,
    ADL_CHECKLIST,
    IADL_CHECKLIST,
    MUSCLE_IMBALANCE,
    ASSESSMENT_AND_PLAN,
    BILLING,
)
SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}
SECTIONS_BY_KEY = {section.api_key: section for section in SECTIONS}

# One prefetch per row table; checklists that share a table share the prefetch.
ROW_RELATED_NAMES = tuple(dict.fromkeys(rows.related_name for section in SECTIONS for rows in section.rows))
