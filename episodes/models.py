"""An episode of care: from a signed initial evaluation to discharge, with the referral, the plan
of care's certifications and the treatment days the clock counts."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import actor_field, version_field
from episodes.choices import (
    Attendance,
    CertificationKind,
    CertificationState,
    CertifiedBy,
    EpisodeStatus,
    PayerType,
    SendingMethod,
)
from evaluations.models import Evaluation
from occupations.models import Intervention
from patients.models import Patient
from patients.validators import validate_npi


class Episode(models.Model):
    """One course of therapy for one patient: it starts with a signed initial evaluation (its plan
    of care) and ends with a discharge."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="episodes")
    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="episodes")
    initial_evaluation = models.OneToOneField(Evaluation, on_delete=models.PROTECT, related_name="episode")
    payer_type = models.CharField(
        _("payer type"), max_length=20, choices=PayerType, default=PayerType.MEDICARE
    )
    referring_physician_name = models.CharField(_("referring physician"), max_length=200)
    referring_physician_npi = models.CharField(
        _("referring physician NPI"), max_length=10, blank=True, validators=[validate_npi]
    )
    referring_physician_email = models.EmailField(_("referring physician's email"), blank=True)
    referring_physician_fax = models.CharField(_("referring physician's fax"), max_length=30, blank=True)
    referral_ordered_on = models.DateField(_("referral order date"), null=True, blank=True)
    diagnosis_codes = models.JSONField(_("diagnoses (ICD-10-CM)"), default=list, blank=True)
    started_on = models.DateField(
        _("episode start"), help_text=_("The initial evaluation's date of service: treatment day 1.")
    )
    plan_start_on = models.DateField(
        _("plan of care start"), help_text=_("The current plan's first day (a recertified plan's own).")
    )
    sessions_per_week = models.PositiveSmallIntegerField(
        _("sessions per week"), validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    duration_weeks = models.PositiveSmallIntegerField(
        _("duration in weeks"), validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    status = models.CharField(_("status"), max_length=20, choices=EpisodeStatus, default=EpisodeStatus.OPEN)
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    discharge_evaluation = models.OneToOneField(
        Evaluation, on_delete=models.PROTECT, null=True, blank=True, related_name="discharged_episode"
    )
    verbal_order_on = models.DateField(_("verbal order date"), null=True, blank=True)
    verbal_order_note = models.CharField(_("verbal order"), max_length=300, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    version = version_field()

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(payer_type__in=PayerType.values), name="episode_payer_type_known"
            ),
            models.CheckConstraint(condition=Q(status__in=EpisodeStatus.values), name="episode_status_known"),
            models.CheckConstraint(
                condition=Q(status=EpisodeStatus.OPEN, discharged_on__isnull=True)
                | Q(status=EpisodeStatus.DISCHARGED, discharged_on__isnull=False),
                name="episode_discharge_date_with_status",
            ),
        ]
        indexes = [models.Index(fields=["therapist", "status"], name="episode_therapist_status")]
        permissions = [
            ("send_certification", "Can send a plan of care for certification and record the answer"),
            ("view_all_episodes", "Can see every therapist's caseload"),
        ]

    def __str__(self) -> str:
        return f"Episode of {self.patient} from {self.started_on:%m/%d/%Y}"

    @property
    def audit_patient_public_id(self) -> uuid.UUID:
        return self.patient.public_id

    @property
    def plan_end_on(self) -> date:
        return self.plan_start_on + timedelta(weeks=self.duration_weeks, days=-1)

    @property
    def is_open(self) -> bool:
        return self.status == EpisodeStatus.OPEN


class Visit(models.Model):
    """A scheduled treatment day and whether it happened: what the clock counts. Not a daily note.
    A visit entered in error is voided with a reason, never deleted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="visits")
    visit_on = models.DateField(_("date"))
    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance, default=Attendance.ATTENDED
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("treating clinician"),
    )
    timed_minutes = models.PositiveSmallIntegerField(
        _("timed minutes"), null=True, blank=True, validators=[MaxValueValidator(480)]
    )
    interventions = models.ManyToManyField(Intervention, blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True, blank=True, editable=False)
    voided_by = actor_field()
    void_reason = models.CharField(_("why it was voided"), max_length=300, blank=True)

    class Meta:
        ordering = ["-visit_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance__in=Attendance.values), name="visit_attendance_known"
            ),
            models.UniqueConstraint(
                fields=["episode", "visit_on", "clinician"],
                condition=Q(voided_at__isnull=True),
                name="visit_one_per_day_and_clinician",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_attendance_display()} {self.visit_on:%m/%d/%Y}"

    @property
    def audit_patient_public_id(self) -> uuid.UUID:
        return self.episode.patient.public_id


class Certification(models.Model):
    """A plan of care put to the physician for certification, and the answer: the initial one
    from the initial evaluation, a recertification from a later signed evaluation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="certifications")
    kind = models.CharField(
        _("kind"), max_length=20, choices=CertificationKind, default=CertificationKind.INITIAL
    )
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="certifications")
    period_start = models.DateField(_("certified from"))
    period_end = models.DateField(_("certified through"))
    state = models.CharField(
        _("state"), max_length=20, choices=CertificationState, default=CertificationState.NOT_SENT
    )
    certified_by = models.CharField(_("signed"), max_length=20, choices=CertifiedBy, blank=True)
    physician_name = models.CharField(_("physician"), max_length=200, blank=True)
    physician_npi = models.CharField(_("physician NPI"), max_length=10, blank=True, validators=[validate_npi])
    signed_on = models.DateField(_("physician's signature date"), null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    changes_requested = models.TextField(_("changes the physician asked for"), blank=True)
    document = models.FileField(upload_to="certifications/%Y/%m/", blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    document_type = models.CharField(max_length=50, blank=True, editable=False)
    recorded_by = actor_field()
    created_at = models.DateTimeField(auto_now_add=True)
    version = version_field()

    class Meta:
        ordering = ["period_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CertificationKind.values), name="certification_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(state__in=CertificationState.values), name="certification_state_known"
            ),
            models.CheckConstraint(
                condition=~Q(state=CertificationState.CERTIFIED) | Q(signed_on__isnull=False),
                name="certification_signed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="certification_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start:%m/%d/%Y}–{self.period_end:%m/%d/%Y}"

    @property
    def audit_patient_public_id(self) -> uuid.UUID:
        return self.episode.patient.public_id

    @property
    def is_certified(self) -> bool:
        return self.state == CertificationState.CERTIFIED

    @property
    def shown_state(self) -> str:
        """The state as people need it: a plan sent only by links that all expired unanswered is
        "expired" (send it again). Reads the sendings already loaded."""
        if self.state != CertificationState.SENT:
            return self.state
        sendings = list(self.sendings.all())
        now = timezone.now()
        if (
            sendings
            and all(
                s.method == SendingMethod.EMAIL_LINK
                and s.used_at is None
                and s.expires_at is not None
                and s.expires_at <= now
                for s in sendings
                if s.revoked_at is None
            )
            and any(s.revoked_at is None for s in sendings)
        ):
            return CertificationState.EXPIRED
        return self.state

    def get_shown_state_display(self) -> str:
        return str(CertificationState(self.shown_state).label)


class Sending(models.Model):
    """One sending of a plan of care to the physician: when, how, to whom. A link sending holds
    the SHA-256 of its token, made by the job that emails it (the token itself is only ever in the
    message), single use, expiring."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT, related_name="sendings")
    method = models.CharField(_("how"), max_length=20, choices=SendingMethod)
    recipient = models.CharField(_("to"), max_length=254)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    token_sha256 = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)  # the email left (the job ran)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    last_error = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(method__in=SendingMethod.values), name="sending_method_known"),
            models.CheckConstraint(
                condition=~Q(method=SendingMethod.EMAIL_LINK) | Q(expires_at__isnull=False),
                name="sending_link_has_token",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} to {self.recipient} on {self.sent_at:%m/%d/%Y}"
