"""The evaluation itself, its lifecycle (draft, signed) and its addenda."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import actor_field, version_field
from evaluations.choices import (
    Comorbidities,
    CptCode,
    EvaluationAssistance,
    EvaluationKind,
    EvaluationStatus,
    HistoryDepth,
    MmtScale,
)
from evaluations.models.base import (
    known_values,
)
from patients.models import Patient

# A re-evaluation and a progress report are compared with an earlier signed evaluation.
FOLLOW_UPS_NEEDING_BASELINE = (EvaluationKind.RE_EVALUATION, EvaluationKind.PROGRESS_REPORT)


class EvaluationQuerySet(models.QuerySet["Evaluation"]):
    """Evaluations by lifecycle state. The default manager leaves discarded drafts out of every
    read; `Evaluation.all_objects` (the admin, the history) still has them."""

    def drafts(self):
        return self.filter(status=EvaluationStatus.DRAFT)

    def signed(self):
        return self.filter(status=EvaluationStatus.SIGNED)


KEPT = ~Q(status=EvaluationStatus.DISCARDED)  # what the default manager reads (and indexes cover)


class KeptEvaluations(models.Manager["Evaluation"]):
    """Evaluations that count: a discarded draft is gone from lists, charts and reads."""

    def get_queryset(self):
        return super().get_queryset().filter(KEPT)


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
    version = version_field()
    signed_by = actor_field()
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True, editable=False)
    # A supervised clinician's draft goes to a supervising therapist, who co-signs it (signed_by)
    # or returns it with a note; while submitted it does not change.
    cosigner = actor_field()
    submitted_at = models.DateTimeField(
        _("submitted for co-signature"), null=True, blank=True, editable=False
    )
    cosign_note = models.CharField(_("returned with"), max_length=500, blank=True, editable=False)
    content_sha256 = models.CharField(
        _("seal (SHA-256 of the signed content)"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Set at signing; every read of the signed evaluation checks its content against it."),
    )

    discarded_at = models.DateTimeField(_("discarded at"), null=True, blank=True, editable=False)
    discarded_by = actor_field()
    discard_reason = models.CharField(_("why it was discarded"), max_length=500, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at", "version"])
    objects = KeptEvaluations.from_queryset(EvaluationQuerySet)()
    all_objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-date_of_service", "-created_at"]
        permissions = [
            ("sign_evaluation", "Can sign own evaluation"),
            ("cosign_evaluation", "Can co-sign a supervised clinician's evaluation"),
            ("start_any_evaluation", "Can start initial evaluations, re-evaluations and discharges"),
        ]
        indexes = [
            # The lists' order (selectors.EVALUATION_LIST_ORDER), alone and after each common filter,
            # over what lists show (never a discarded draft): a page is read in order from its cursor.
            models.Index(fields=["-date_of_service", "-id"], condition=KEPT, name="evaluation_list_idx"),
            models.Index(
                fields=["patient", "-date_of_service", "-id"],
                condition=KEPT,
                name="evaluation_patient_list_idx",
            ),
            models.Index(
                fields=["therapist", "-date_of_service", "-id"],
                condition=KEPT,
                name="evaluation_therapist_list_idx",
            ),
            models.Index(
                fields=["status", "-date_of_service", "-id"],
                condition=KEPT,
                name="evaluation_status_list_idx",
            ),
            models.Index(fields=["therapist", "status"], name="evaluation_therapist_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=known_values("kind", EvaluationKind), name="evaluation_kind_known"
            ),
            models.CheckConstraint(
                condition=known_values("status", EvaluationStatus), name="evaluation_status_known"
            ),
            models.CheckConstraint(
                condition=known_values("mmt_scale", MmtScale), name="evaluation_mmt_scale_known"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=EvaluationStatus.DRAFT, signed_at__isnull=True, signed_by__isnull=True)
                    | Q(status=EvaluationStatus.SIGNED, signed_at__isnull=False, signed_by__isnull=False)
                    | Q(status=EvaluationStatus.DISCARDED, signed_at__isnull=True, signed_by__isnull=True)
                ),
                name="evaluation_signature_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(
                    status=EvaluationStatus.DISCARDED, discarded_at__isnull=False, discarded_by__isnull=False
                )
                | Q(
                    ~Q(status=EvaluationStatus.DISCARDED),
                    discarded_at__isnull=True,
                    discarded_by__isnull=True,
                ),
                name="evaluation_discarded_is_attributed",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=FOLLOW_UPS_NEEDING_BASELINE) | Q(previous_evaluation__isnull=False),
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

    @property
    def is_discarded(self) -> bool:
        return self.status == EvaluationStatus.DISCARDED


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
