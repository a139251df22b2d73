"""The comprehensive evaluation: a draft a therapist fills section by section, then signs.

Measurements are rows with units and side, so they can be scored and trended. A
signed evaluation never changes; corrections are addenda. Every version of every
row is kept by django-simple-history.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.choices import (
    COGNITIVE_SCREEN_MAXIMUM,
    FUNCTIONAL_SCALE_MAXIMUM,
    AssistLevel,
    CognitiveDomain,
    CognitiveInstrument,
    CognitiveRating,
    Comorbidities,
    CopmArea,
    CptCode,
    DoneBy,
    EvaluationAssistance,
    EvaluationKind,
    EvaluationStatus,
    FlexibilityFinding,
    Frequency,
    GoalTerm,
    Hand,
    HandDominance,
    HistoryDepth,
    Importance,
    MmtGrade,
    MmtScale,
    MobilityAbility,
    Priority,
    RoleStatus,
    RomMode,
    Side,
)
from evaluations.choices import (
    FunctionalScale as FunctionalScaleChoices,
)
from evaluations.choices import (
    PinchType as PinchTypeChoices,
)
from occupations.models import (
    Activity,
    AffectedOccupation,
    Destination,
    FlexibilityTest,
    ImbalanceCause,
    Intervention,
    JointMotion,
    LifeRole,
    MuscleGroup,
    NeuromuscularTest,
    PainRegion,
    SignSymptom,
    TransportMode,
)
from patients.models import Patient

PINCH_MAX_KG = 40  # well above the published tip-pinch means (about 8 kg for men 20-24)
GRIP_MAX_KG = 120  # above any published adult grip (Mathiowetz 1985 men's mean + 5 SD is ~ 110 kg)


def _known(field: str, choices, blank: bool = False) -> Q:
    """Choices alone do not constrain the database; this does (optionally allowing blank)."""
    return Q(**{f"{field}__in": [*choices.values, *([""] if blank else [])]})


class EvaluationQuerySet(models.QuerySet["Evaluation"]):
    def drafts(self):
        return self.filter(status=EvaluationStatus.DRAFT)

    def signed(self):
        return self.filter(status=EvaluationStatus.SIGNED)


class Evaluation(models.Model):
    """One occupational therapy evaluation of a patient on a date of service."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="evaluations")
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EvaluationKind, default=EvaluationKind.INITIAL)
    date_of_service = models.DateField(_("date of service"))
    previous_evaluation = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("previous evaluation"),
        help_text=_("The evaluation a re-evaluation or discharge is compared with."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EvaluationStatus, default=EvaluationStatus.DRAFT, editable=False
    )
    mmt_scale = models.CharField(
        _("manual muscle test scale"), max_length=20, choices=MmtScale, default=MmtScale.KENDALL
    )
    assessment_summary = models.TextField(
        _("assessment summary"),
        blank=True,
        max_length=10000,
        help_text=_("Clinical impression: what limits the person's occupations and why."),
    )
    sessions_per_week = models.PositiveSmallIntegerField(
        _("sessions per week"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    duration_weeks = models.PositiveSmallIntegerField(
        _("duration (weeks)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    home_program = models.TextField(_("home program"), blank=True, max_length=5000)
    cpt_history = models.CharField(_("profile and history"), max_length=12, choices=HistoryDepth, blank=True)
    cpt_comorbidities = models.CharField(_("comorbidities"), max_length=16, choices=Comorbidities, blank=True)
    cpt_assistance = models.CharField(
        _("assistance needed to complete the evaluation"),
        max_length=20,
        choices=EvaluationAssistance,
        blank=True,
    )
    cpt_documented_change = models.TextField(
        _("documented change since the previous evaluation"),
        blank=True,
        max_length=2000,
        help_text=_(
            "For a re-evaluation: the change in functional status or plan of care that makes it billable."
        ),
    )
    cpt_code = models.CharField(_("CPT code"), max_length=5, choices=CptCode, blank=True)
    cpt_override_reason = models.CharField(
        _("reason for a code other than the suggestion"), max_length=500, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Goes up by one with every write; the API's ETag and the pages' stale-copy check."),
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True, editable=False)
    content_sha256 = models.CharField(
        _("seal (SHA-256 of the signed content)"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Set at signing; every read of the signed evaluation checks its content against it."),
    )

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])
    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-date_of_service", "-created_at"]
        permissions = [("sign_evaluation", "Can sign own evaluation")]
        indexes = [
            models.Index(fields=["patient", "-date_of_service"], name="evaluation_patient_date_idx"),
            models.Index(fields=["therapist", "status"], name="evaluation_therapist_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=_known("kind", EvaluationKind), name="evaluation_kind_known"),
            models.CheckConstraint(
                condition=_known("status", EvaluationStatus), name="evaluation_status_known"
            ),
            models.CheckConstraint(
                condition=_known("mmt_scale", MmtScale), name="evaluation_mmt_scale_known"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=EvaluationStatus.DRAFT, signed_at__isnull=True, signed_by__isnull=True)
                    | Q(status=EvaluationStatus.SIGNED, signed_at__isnull=False, signed_by__isnull=False)
                ),
                name="evaluation_signature_matches_status",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EvaluationKind.RE_EVALUATION) | Q(previous_evaluation__isnull=False),
                name="evaluation_re_evaluation_has_baseline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.patient.display_name}, {self.date_of_service:%m/%d/%Y}"

    @property
    def audit_patient_public_id(self):
        return self.patient.public_id

    @property
    def is_signed(self) -> bool:
        return self.status == EvaluationStatus.SIGNED


class OccupationalProfile(models.Model):
    """Section 1: personal history and the AOTA occupational profile."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE, related_name="profile")
    reason_for_therapy = models.TextField(
        _("why the person is seeking therapy"),
        blank=True,
        max_length=5000,
        help_text=_("Reason for referral and current concerns about engaging in occupations."),
    )
    who_they_are = models.TextField(_("who the person is"), blank=True, max_length=5000)
    what_they_do = models.TextField(_("what the person does"), blank=True, max_length=5000)
    what_makes_them_tick = models.TextField(_("what makes them tick"), blank=True, max_length=5000)
    successful_occupations = models.TextField(
        _("occupations where they feel successful"), blank=True, max_length=5000
    )
    barriers = models.TextField(_("barriers to success"), blank=True, max_length=5000)
    occupational_history = models.TextField(_("occupational history"), blank=True, max_length=5000)
    interests_values = models.TextField(_("interests and values"), blank=True, max_length=5000)
    supporting_contexts = models.TextField(
        _("contexts that support engagement"),
        blank=True,
        max_length=5000,
        help_text=_("Environment (home, technology, people, services) and personal factors."),
    )
    inhibiting_contexts = models.TextField(_("contexts that inhibit engagement"), blank=True, max_length=5000)
    performance_patterns = models.TextField(
        _("performance patterns"),
        blank=True,
        max_length=5000,
        help_text=_("Habits, routines, roles and rituals."),
    )
    priorities = models.TextField(
        _("priorities and desired outcomes"),
        blank=True,
        max_length=5000,
        help_text=_("The client's own goals."),
    )
    medical_history = models.TextField(_("relevant medical history"), blank=True, max_length=5000)
    precautions = models.TextField(_("precautions"), blank=True, max_length=2000)
    living_situation = models.TextField(_("living situation"), blank=True, max_length=2000)
    prior_level_of_function = models.TextField(_("prior level of function"), blank=True, max_length=5000)
    hand_dominance = models.CharField(_("hand dominance"), max_length=15, choices=HandDominance, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=_known("hand_dominance", HandDominance, blank=True),
                name="profile_hand_dominance_known",
            )
        ]

    def __str__(self) -> str:
        return f"Occupational profile ({self.evaluation_id})"


def _trial_field(number: int, maximum: int) -> models.DecimalField:
    """One dynamometer or pinch-gauge trial in kg; the first is required, the others optional."""
    optional = {} if number == 1 else {"null": True, "blank": True}
    return models.DecimalField(
        _("trial %(number)s (kg)") % {"number": number},
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(maximum)],
        **optional,
    )


class TrialsMixin:
    @property
    def trials(self) -> list:
        return [t for t in (self.trial_1_kg, self.trial_2_kg, self.trial_3_kg) if t is not None]


class EvaluationRow(models.Model):
    """One recorded item of a section. Rows of a draft are replaced when the section is saved."""

    notes = models.CharField(_("notes"), max_length=500, blank=True)

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk} of evaluation {self.evaluation_id}"


class StrengthMeasurement(EvaluationRow):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="strength_measurements")
    muscle_group = models.ForeignKey(MuscleGroup, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("side"), max_length=10, choices=Side)
    grade = models.CharField(_("MMT grade"), max_length=2, choices=MmtGrade)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=_known("grade", MmtGrade), name="strength_grade_known"),
            models.CheckConstraint(condition=_known("side", Side), name="strength_side_known"),
        ]


class RangeOfMotionMeasurement(EvaluationRow):
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="range_of_motion_measurements"
    )
    joint_motion = models.ForeignKey(JointMotion, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("side"), max_length=10, choices=Side)
    mode = models.CharField(_("active or passive"), max_length=10, choices=RomMode, default=RomMode.ACTIVE)
    degrees = models.SmallIntegerField(_("degrees"))
    is_painful = models.BooleanField(_("painful"), default=False)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=_known("mode", RomMode), name="rom_mode_known"),
            models.CheckConstraint(condition=_known("side", Side), name="rom_side_known"),
            models.CheckConstraint(
                condition=Q(degrees__gte=-180, degrees__lte=360), name="rom_degrees_in_circle"
            ),
        ]

    def clean(self):
        motion = self.joint_motion if self.joint_motion_id else None
        if (
            motion is not None
            and self.degrees is not None
            and not motion.min_degrees <= self.degrees <= motion.max_degrees
        ):
            raise ValidationError(
                {
                    "degrees": _(
                        "%(degrees)s° is outside what %(motion)s can measure (%(low)s° to %(high)s°)."
                    )
                    % {
                        "degrees": self.degrees,
                        "motion": motion.label.lower(),
                        "low": motion.min_degrees,
                        "high": motion.max_degrees,
                    }
                }
            )


class FlexibilityMeasurement(EvaluationRow):
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="flexibility_measurements"
    )
    test = models.ForeignKey(FlexibilityTest, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("side"), max_length=10, choices=Side)
    finding = models.CharField(_("finding"), max_length=25, choices=FlexibilityFinding)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=_known("side", Side), name="flexibility_side_known"),
            models.CheckConstraint(
                condition=_known("finding", FlexibilityFinding), name="flexibility_finding_known"
            ),
        ]


class GripMeasurement(TrialsMixin, EvaluationRow):
    """Grip strength of one hand: up to three dynamometer trials in kilograms."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="grip_measurements")
    hand = models.CharField(_("hand"), max_length=5, choices=Hand)
    trial_1_kg = _trial_field(1, GRIP_MAX_KG)
    trial_2_kg = _trial_field(2, GRIP_MAX_KG)
    trial_3_kg = _trial_field(3, GRIP_MAX_KG)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=_known("hand", Hand), name="grip_hand_known"),
            models.CheckConstraint(
                condition=Q(trial_1_kg__gte=0)
                & (Q(trial_2_kg__isnull=True) | Q(trial_2_kg__gte=0))
                & (Q(trial_3_kg__isnull=True) | Q(trial_3_kg__gte=0)),
                name="grip_trials_not_negative",
            ),
        ]


class PinchMeasurement(TrialsMixin, EvaluationRow):
    """Pinch strength of one hand and grip type: up to three pinch-gauge trials in kilograms."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="pinch_measurements")
    pinch = models.CharField(_("pinch"), max_length=10, choices=PinchTypeChoices)
    hand = models.CharField(_("hand"), max_length=5, choices=Hand)
    trial_1_kg = _trial_field(1, PINCH_MAX_KG)
    trial_2_kg = _trial_field(2, PINCH_MAX_KG)
    trial_3_kg = _trial_field(3, PINCH_MAX_KG)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=_known("pinch", PinchTypeChoices), name="pinch_type_known"),
            models.CheckConstraint(condition=_known("hand", Hand), name="pinch_hand_known"),
            models.CheckConstraint(condition=Q(trial_1_kg__gte=0), name="pinch_trial_not_negative"),
        ]


class CopmProblem(EvaluationRow):
    """An occupational performance problem the client names and rates (COPM, Law et al. 1990)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="copm_problems")
    area = models.CharField(_("area"), max_length=15, choices=CopmArea)
    problem = models.CharField(_("problem"), max_length=300)
    importance = models.PositiveSmallIntegerField(
        _("importance (1–10)"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    performance = models.PositiveSmallIntegerField(
        _("performance (1–10)"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1–10)"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=_known("area", CopmArea), name="copm_area_known"),
            models.CheckConstraint(
                condition=Q(
                    importance__gte=1,
                    importance__lte=10,
                    performance__gte=1,
                    performance__lte=10,
                    satisfaction__gte=1,
                    satisfaction__lte=10,
                ),
                name="copm_ratings_1_to_10",
            ),
        ]


class NeuromuscularMeasurement(EvaluationRow):
    """Section 3: one timed or counted test result, in the test's unit."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="neuromuscular_measurements"
    )
    test = models.ForeignKey(NeuromuscularTest, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("side"), max_length=10, choices=Side, default=Side.NONE)
    value = models.DecimalField(
        _("result"), max_digits=7, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=_known("side", Side), name="neuromuscular_side_known"),
            models.CheckConstraint(condition=Q(value__gte=0), name="neuromuscular_value_not_negative"),
        ]

    def clean(self):
        test = self.test if self.test_id else None
        if test is None:
            return
        errors = {}
        if self.value is not None and self.value > test.max_value:
            errors["value"] = _("%(value)s %(unit)s is more than %(test)s can measure (at most %(max)s).") % {
                "value": self.value,
                "unit": test.unit,
                "test": test.label,
                "max": test.max_value,
            }
        if self.value is not None and test.unit == "{count}" and self.value % 1:
            errors["value"] = _("%(test)s is a count: enter a whole number.") % {"test": test.label}
        if self.value is not None and test.unit != "{count}" and self.value <= 0:
            errors["value"] = _("%(test)s must be more than 0 %(unit)s.") % {
                "test": test.label,
                "unit": test.unit,
            }
        if test.is_sided and self.side not in (Side.LEFT, Side.RIGHT):
            errors["side"] = _("%(test)s is recorded per side: choose left or right.") % {"test": test.label}
        if not test.is_sided and self.side not in (Side.NONE, Side.BILATERAL):
            errors["side"] = _("%(test)s is not recorded per side.") % {"test": test.label}
        if errors:
            raise ValidationError(errors)

    @property
    def unit(self) -> str:
        return self.test.unit


class CognitiveFinding(EvaluationRow):
    """Section 4: the therapist's rating of one cognitive or mind-health area."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="cognitive_findings")
    domain = models.CharField(_("area"), max_length=30, choices=CognitiveDomain)
    rating = models.CharField(_("rating"), max_length=25, choices=CognitiveRating)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "domain"], name="cognitive_finding_once_per_domain"
            ),
            models.CheckConstraint(
                condition=_known("domain", CognitiveDomain), name="cognitive_domain_known"
            ),
            models.CheckConstraint(
                condition=_known("rating", CognitiveRating), name="cognitive_rating_known"
            ),
        ]


class CognitiveScreen(EvaluationRow):
    """Section 4: the total of a standardized cognitive screen."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="cognitive_screens")
    instrument = models.CharField(_("screen"), max_length=10, choices=CognitiveInstrument)
    total_score = models.PositiveSmallIntegerField(_("total score"))
    education_years = models.PositiveSmallIntegerField(
        _("years of education"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(30)],
        help_text=_("MoCA and SLUMS adjust for education."),
    )

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "instrument"], name="cognitive_screen_once_per_instrument"
            ),
            models.CheckConstraint(
                condition=_known("instrument", CognitiveInstrument), name="cognitive_screen_known"
            ),
            models.CheckConstraint(condition=Q(total_score__lte=30), name="cognitive_screen_score_in_range"),
        ]

    def clean(self):
        maximum = COGNITIVE_SCREEN_MAXIMUM.get(self.instrument)
        if maximum is not None and self.total_score is not None and self.total_score > maximum:
            raise ValidationError(
                {
                    "total_score": _("%(screen)s scores run from 0 to %(max)s.")
                    % {"screen": self.get_instrument_display(), "max": maximum}
                }
            )


class FunctionalScaleScore(EvaluationRow):
    """ADL/IADL checklists: the total of a standardized scale (Lawton, Katz, Barthel)."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="functional_scale_scores"
    )
    instrument = models.CharField(_("scale"), max_length=15, choices=FunctionalScaleChoices)
    total_score = models.PositiveSmallIntegerField(_("total score"))

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "instrument"], name="functional_scale_once"),
            models.CheckConstraint(
                condition=_known("instrument", FunctionalScaleChoices), name="functional_scale_known"
            ),
            models.CheckConstraint(condition=Q(total_score__lte=100), name="functional_scale_total_in_range"),
        ]

    def clean(self):
        maximum = FUNCTIONAL_SCALE_MAXIMUM.get(self.instrument)
        if maximum is None or self.total_score is None:
            return
        if self.total_score > maximum:
            raise ValidationError(
                {
                    "total_score": _("%(scale)s totals run from 0 to %(max)s.")
                    % {"scale": self.get_instrument_display(), "max": maximum}
                }
            )
        if self.instrument == "barthel_index" and self.total_score % 5:
            raise ValidationError({"total_score": _("Barthel totals go in steps of 5.")})


class RoleEntry(EvaluationRow):
    """Section 5: a life role, when the person holds it, and how much it matters."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="role_entries")
    role = models.ForeignKey(LifeRole, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("when"), max_length=10, choices=RoleStatus)
    importance = models.CharField(_("importance"), max_length=10, choices=Importance)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=_known("status", RoleStatus), name="role_status_known"),
            models.CheckConstraint(condition=_known("importance", Importance), name="role_importance_known"),
        ]


class MobilityEntry(EvaluationRow):
    """Section 5: a place the person needs to go, how, how often, and what stands in the way."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="mobility_entries")
    destination = models.ForeignKey(Destination, on_delete=models.PROTECT, related_name="+")
    frequency = models.CharField(_("how often"), max_length=20, choices=Frequency)
    transport_mode = models.ForeignKey(
        TransportMode,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("how they get there"),
    )
    ability = models.CharField(_("current ability"), max_length=20, choices=MobilityAbility)
    barriers = models.CharField(_("barriers"), max_length=500, blank=True)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=_known("frequency", Frequency), name="mobility_frequency_known"),
            models.CheckConstraint(
                condition=_known("ability", MobilityAbility), name="mobility_ability_known"
            ),
        ]


class IadlInventoryEntry(EvaluationRow):
    """Section 5: an IADL the person's independence requires, and who does it now."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="iadl_inventory_entries"
    )
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="+")
    is_required = models.BooleanField(_("required for independence"), default=True)
    done_by = models.CharField(_("who does it now"), max_length=20, choices=DoneBy)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=_known("done_by", DoneBy), name="iadl_inventory_done_by_known"),
        ]


class ImportantActivity(EvaluationRow):
    """Section 5: another activity that matters to the person."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="important_activities")
    name = models.CharField(_("activity"), max_length=200)


class ActivityRating(EvaluationRow):
    """ADL/IADL checklist: the person's independence in one activity."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="activity_ratings")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="+")
    assist_level = models.CharField(_("assist level"), max_length=25, choices=AssistLevel)
    limited_by_pain = models.BooleanField(_("limited by pain"), default=False)
    limited_by_imbalance = models.BooleanField(_("limited by muscle imbalance"), default=False)
    priority = models.CharField(_("priority for the client"), max_length=10, choices=Priority, blank=True)

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(
                condition=_known("priority", Priority, blank=True), name="activity_priority_known"
            ),
            models.UniqueConstraint(fields=["evaluation", "activity"], name="activity_rated_once"),
            models.CheckConstraint(
                condition=_known("assist_level", AssistLevel), name="activity_assist_level_known"
            ),
        ]


class ImbalanceCauseFinding(EvaluationRow):
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
            models.CheckConstraint(condition=_known("side", Side), name="pain_side_known"),
            models.CheckConstraint(
                condition=Q(intensity__gte=0, intensity__lte=10), name="pain_intensity_0_to_10"
            ),
        ]


class SignSymptomFinding(EvaluationRow):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="signs_symptoms")
    sign = models.ForeignKey(SignSymptom, on_delete=models.PROTECT, related_name="+")


class AffectedOccupationFinding(EvaluationRow):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="affected_occupations")
    occupation = models.ForeignKey(AffectedOccupation, on_delete=models.PROTECT, related_name="+")


class Goal(EvaluationRow):
    """A measurable, dated goal, tied where possible to the activity it is about."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="goals")
    term = models.CharField(_("term"), max_length=12, choices=GoalTerm)
    description = models.CharField(
        _("goal"),
        max_length=1000,
        help_text=_("Measurable: who will do what, how well, under which conditions."),
    )
    target_on = models.DateField(_("target date"))
    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("activity"),
    )

    class Meta(EvaluationRow.Meta):
        constraints = [
            models.CheckConstraint(condition=_known("term", GoalTerm), name="goal_term_known"),
        ]


class PlannedIntervention(EvaluationRow):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="planned_interventions")
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="+")


class Addendum(models.Model):
    """A dated, attributed note appended to a signed evaluation. The original stays as signed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    text = models.TextField(_("addendum"), max_length=5000)

    class Meta:
        verbose_name_plural = _("addenda")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Addendum by {self.author} at {self.created_at:%Y-%m-%d %H:%M}"
