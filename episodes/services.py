"""Writes of the episode of care: open it from a signed initial evaluation, record visits, send
the plan of care for certification, take the physician's answer, discharge. Each write is one
transaction with its audit event."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, timedelta
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.choices import Action
from audit.services import record_event
from common.exceptions import Conflict
from episodes.choices import (
    Attendance,
    CertificationKind,
    CertificationState,
    CertifiedBy,
    EpisodeStatus,
    PayerType,
    SendingMethod,
)
from episodes.clock import Rules, certified_end
from episodes.models import Certification, Episode, Sending, Visit
from evaluations.choices import EvaluationKind
from evaluations.models import Evaluation
from occupations.models import Intervention
from patients.validators import validate_npi

ATTESTATION = _(
    "I certify the need for these services furnished under this plan of treatment while under my care."
)


class EpisodeClosed(Conflict):
    """The episode is discharged: its visits and certifications stay as they are."""


class DuplicateVisit(Conflict):
    """The clinician already has a visit that day in this episode (a scheduler sending it again)."""

    code = "duplicate_visit"
    field = "visit_on"

    def __init__(self, message: str, visit: Visit):
        super().__init__(message)
        self.visit = visit

    def extra(self) -> dict:
        return {"visit": str(self.visit.public_id)}


class LinkRefused(Exception):
    """A signing link that is wrong, used, revoked or expired. The page says only that."""


def rules_for(payer_type: str) -> Rules:
    return Rules.from_setting(settings.EPISODE_RULES[payer_type])


def _require(by: User, permission: str, message: str) -> None:
    if not by.has_perm(permission):
        raise PermissionDenied(message)


def _bump(instance, *fields: str) -> None:
    instance.version += 1
    instance.save(update_fields=[*fields, "version"])


@transaction.atomic
def open_episode(
    *,
    by: User,
    evaluation: Evaluation,
    payer_type: str = PayerType.MEDICARE,
    referring_physician_name: str = "",
    referring_physician_npi: str = "",
    referring_physician_email: str = "",
    referring_physician_fax: str = "",
    referral_ordered_on: date | None = None,
) -> Episode:
    """The episode of care a signed initial evaluation starts: its plan of care (frequency and
    duration), the referral (the patient's referring physician unless named here) and the initial
    certification, not yet sent, over the plan's duration capped at the recertification interval."""
    _require(by, "episodes.add_episode", _("Only therapists open episodes of care."))
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",)).select_related("patient").get(pk=evaluation.pk)
    )
    patient = evaluation.patient
    errors: dict[str, str] = {}
    if evaluation.kind != EvaluationKind.INITIAL or not evaluation.is_signed:
        errors["evaluation"] = _("An episode starts with a signed initial evaluation.")
    elif Episode.objects.filter(initial_evaluation=evaluation).exists():
        raise Conflict(_("This evaluation already has its episode of care."))
    if not (evaluation.sessions_per_week and evaluation.duration_weeks):
        errors.setdefault("evaluation", _("The evaluation's plan of care has no frequency and duration."))
    if Episode.objects.filter(patient=patient, status=EpisodeStatus.OPEN).exists():
        errors.setdefault("evaluation", _("This patient has an open episode: discharge it first."))
    name = (referring_physician_name or patient.referring_physician_name).strip()
    npi = (referring_physician_npi or patient.referring_physician_npi).strip()
    if not name:
        errors["referring_physician_name"] = _("Name the referring physician who certifies the plan.")
    if errors or evaluation.sessions_per_week is None or evaluation.duration_weeks is None:
        raise ValidationError(errors)
    episode = Episode(
        patient=patient,
        therapist=evaluation.therapist,
        initial_evaluation=evaluation,
        payer_type=payer_type,
        referring_physician_name=name,
        referring_physician_npi=npi,
        referring_physician_email=referring_physician_email.strip(),
        referring_physician_fax=referring_physician_fax.strip(),
        referral_ordered_on=referral_ordered_on,
        diagnosis_codes=list(patient.diagnosis_codes),
        started_on=evaluation.date_of_service,
        plan_start_on=evaluation.date_of_service,
        sessions_per_week=evaluation.sessions_per_week,
        duration_weeks=evaluation.duration_weeks,
        opened_by=by,
    )
    episode.full_clean()
    episode.save()
    start = episode.plan_start_on
    certification = Certification(
        episode=episode,
        kind=CertificationKind.INITIAL,
        evaluation=evaluation,
        period_start=start,
        period_end=certified_end(start, episode.plan_end_on, rules_for(payer_type)),
    )
    certification.full_clean()
    certification.save()
    record_event(actor=by, action=Action.CREATE, record=episode)
    return episode


def _open(episode: Episode) -> Episode:
    locked = Episode.objects.select_for_update(of=("self",)).select_related("patient").get(pk=episode.pk)
    if not locked.is_open:
        raise EpisodeClosed(_("This episode is discharged; it no longer changes."))
    return locked


@transaction.atomic
def record_visit(
    *,
    by: User,
    episode: Episode,
    visit_on: date,
    clinician: User,
    attendance: str = Attendance.ATTENDED,
    timed_minutes: int | None = None,
    interventions: list[Intervention] | tuple[Intervention, ...] = (),
) -> Visit:
    """A treatment day as the schedule saw it. One per day and clinician; not in the future,
    not before the episode's evaluation."""
    _require(by, "episodes.add_visit", _("Your role does not record visits."))
    episode = _open(episode)
    errors: dict[str, str] = {}
    if visit_on > timezone.localdate():
        errors["visit_on"] = _("A visit cannot be recorded ahead of its day.")
    elif visit_on < episode.started_on:
        errors["visit_on"] = _("The episode starts %(date)s, with the evaluation.") % {
            "date": f"{episode.started_on:%m/%d/%Y}"
        }
    if attendance != Attendance.ATTENDED and timed_minutes:
        errors["timed_minutes"] = _("Only an attended visit has treatment minutes.")
    if not clinician.has_perm("evaluations.add_evaluation") or not clinician.is_active:
        errors["clinician"] = _("The treating clinician must be an active therapist, assistant or student.")
    if errors:
        raise ValidationError(errors)
    same = Visit.objects.filter(
        episode=episode, visit_on=visit_on, clinician=clinician, voided_at__isnull=True
    ).first()
    if same is not None:
        raise DuplicateVisit(
            _("%(clinician)s already has a visit on %(date)s in this episode.")
            % {"clinician": clinician.display_name, "date": f"{visit_on:%m/%d/%Y}"},
            same,
        )
    visit = Visit(
        episode=episode,
        visit_on=visit_on,
        clinician=clinician,
        attendance=attendance,
        timed_minutes=timed_minutes if attendance == Attendance.ATTENDED else None,
        recorded_by=by,
    )
    visit.full_clean()
    visit.save()
    visit.interventions.set(interventions)
    record_event(actor=by, action=Action.CREATE, record=visit, patient_public_id=episode.patient.public_id)
    return visit


@transaction.atomic
def void_visit(*, by: User, visit: Visit, reason: str) -> Visit:
    """A visit entered in error leaves the count, kept with who voided it and why."""
    _require(by, "episodes.change_visit", _("Your role does not change visits."))
    _open(visit.episode)
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.voided_at is not None:
        raise Conflict(_("This visit is already voided."))
    if not reason.strip():
        raise ValidationError({"void_reason": _("Say why the visit is voided.")})
    visit.voided_at, visit.voided_by, visit.void_reason = timezone.now(), by, reason.strip()
    visit.save(update_fields=["voided_at", "voided_by", "void_reason"])
    record_event(
        actor=by,
        action=Action.UPDATE,
        record=visit,
        patient_public_id=visit.episode.patient.public_id,
        changed_fields=["voided_at", "void_reason"],
    )
    return visit


@transaction.atomic
def record_verbal_order(*, by: User, episode: Episode, ordered_on: date, note: str = "") -> Episode:
    """A physician's verbal order: the plan may start, and a signature is due within the rules' days."""
    _require(by, "episodes.send_certification", _("Only therapists record physicians' orders."))
    episode = _open(episode)
    if ordered_on > timezone.localdate():
        raise ValidationError({"verbal_order_on": _("The order date cannot be in the future.")})
    episode.verbal_order_on, episode.verbal_order_note = ordered_on, note.strip()[:300]
    _bump(episode, "verbal_order_on", "verbal_order_note")
    record_event(actor=by, action=Action.UPDATE, record=episode, changed_fields=["verbal_order_on"])
    return episode


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def send_for_certification(*, by: User, certification: Certification, method: str, recipient: str) -> Sending:
    """Send the plan of care to the physician: a single-use, expiring signing link by email (the
    job queued when this commits makes the token and sends it: the token is never stored, not
    even in the job's arguments), or printed with a fax cover sheet. A new sending replaces any
    earlier unused link."""
    _require(by, "episodes.send_certification", _("Only therapists send plans of care for certification."))
    _open(certification.episode)
    certification = (
        Certification.objects.select_for_update().select_related("episode").get(pk=certification.pk)
    )
    if certification.state == CertificationState.CERTIFIED:
        raise Conflict(_("This plan of care is already certified."))
    recipient = recipient.strip()
    if method == SendingMethod.EMAIL_LINK:
        try:
            from django.core.validators import validate_email

            validate_email(recipient)
        except ValidationError:
            raise ValidationError({"recipient": _("Enter the physician's email address.")}) from None
    elif method == SendingMethod.FAX:
        if sum(ch.isdigit() for ch in recipient) < 10:
            raise ValidationError({"recipient": _("Enter the physician's fax number (10 digits).")})
    else:
        raise ValidationError({"method": _("Choose how to send the plan.")})
    now = timezone.now()
    sending = Sending(certification=certification, method=method, recipient=recipient, sent_by=by)
    if method == SendingMethod.EMAIL_LINK:
        Sending.objects.filter(
            certification=certification, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        sending.expires_at = now + timedelta(days=settings.SIGNING_LINK_DAYS)
    sending.save()
    certification.state = CertificationState.SENT
    _bump(certification, "state")
    record_event(
        actor=by,
        action=Action.SEND,
        record=certification,
        changed_fields=[method],
        record_label=f"{certification} to {recipient}",
    )
    if method == SendingMethod.EMAIL_LINK:
        from episodes.tasks import email_signing_link

        transaction.on_commit(lambda: email_signing_link.enqueue(sending.pk))
    return sending


def find_link(token: str) -> Sending:
    """The sending a physician's link names, if it is still good. Looked up by the token's digest
    and compared in constant time; a wrong, used, revoked or expired link raises LinkRefused."""
    digest = _digest(token)
    sending = (
        Sending.objects.select_related("certification__episode__patient", "certification__evaluation")
        .filter(token_sha256=digest)
        .first()
    )
    if sending is None or not hmac.compare_digest(sending.token_sha256 or "", digest):
        raise LinkRefused("unknown")
    if sending.used_at is not None or sending.revoked_at is not None:
        raise LinkRefused("used")
    if sending.expires_at is None or sending.expires_at <= timezone.now():
        raise LinkRefused("expired")
    return sending


@transaction.atomic
def answer_by_link(
    *,
    token: str,
    physician_name: str,
    physician_npi: str,
    certifies: bool,
    attested: bool = False,
    changes: str = "",
) -> Certification:
    """The physician's answer through the link: a signature (name, NPI, the attestation) or a
    request for changes with a comment. The link is spent either way."""
    sending = find_link(token)
    sending = Sending.objects.select_for_update().get(pk=sending.pk)
    if sending.used_at is not None:  # a second submit of the same link raced this one
        raise LinkRefused("used")
    certification = (
        Certification.objects.select_for_update()
        .select_related("episode__patient")
        .get(pk=sending.certification_id)
    )
    errors: dict[str, str] = {}
    name, npi = physician_name.strip(), physician_npi.strip()
    if not name:
        errors["physician_name"] = _("Enter your name as you sign.")
    try:
        validate_npi(npi)
    except ValidationError as error:
        errors["physician_npi"] = error.messages[0]
    if not npi:
        errors["physician_npi"] = _("Enter your NPI.")
    if certifies and not attested:
        errors["attested"] = _("Tick the certification statement to sign.")
    if not certifies and not changes.strip():
        errors["changes"] = _("Say which changes the plan needs.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    sending.used_at = now
    sending.save(update_fields=["used_at"])
    certification.physician_name, certification.physician_npi = name, npi
    certification.answered_at = now
    if certifies:
        certification.state = CertificationState.CERTIFIED
        certification.certified_by = CertifiedBy.LINK
        certification.signed_on = timezone.localdate()
        fields = ["state", "certified_by", "signed_on"]
    else:
        certification.state = CertificationState.CHANGES_REQUESTED
        certification.changes_requested = changes.strip()
        fields = ["state", "changes_requested"]
    _bump(certification, *fields, "physician_name", "physician_npi", "answered_at")
    record_event(
        actor=None,
        actor_username=f"physician: {name} (NPI {npi}), signing link",
        action=Action.CERTIFY,
        record=certification,
        changed_fields=fields,
    )
    return certification


PAPER_TYPES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def _document_type(head: bytes) -> str | None:
    return next((kind for magic, kind in PAPER_TYPES.items() if head.startswith(magic)), None)


@transaction.atomic
def record_paper_certification(
    *,
    by: User,
    certification: Certification,
    document: IO[bytes],
    signed_on: date,
    physician_name: str,
    physician_npi: str = "",
) -> Certification:
    """A certification signed on paper and returned (fax, mail): the scan is kept with its SHA-256,
    only PDF, PNG or JPEG (by content, not by name), at most settings.UPLOAD_MAX_BYTES."""
    _require(by, "episodes.send_certification", _("Only therapists record certifications."))
    _open(certification.episode)
    certification = Certification.objects.select_for_update().get(pk=certification.pk)
    if certification.state == CertificationState.CERTIFIED:
        raise Conflict(_("This plan of care is already certified."))
    content = document.read(settings.UPLOAD_MAX_BYTES + 1)
    errors: dict[str, str] = {}
    kind = _document_type(content[:8])
    if len(content) > settings.UPLOAD_MAX_BYTES:
        errors["document"] = _("The file is larger than %(mb)s MB.") % {
            "mb": settings.UPLOAD_MAX_BYTES // 2**20
        }
    elif kind is None:
        errors["document"] = _("Upload the signed plan as a PDF, PNG or JPEG file.")
    if signed_on > timezone.localdate():
        errors["signed_on"] = _("The signature date cannot be in the future.")
    elif signed_on < certification.evaluation.date_of_service:
        errors["signed_on"] = _("The signature cannot be older than the plan of care.")
    if not physician_name.strip():
        errors["physician_name"] = _("Name the physician who signed.")
    if physician_npi.strip():
        try:
            validate_npi(physician_npi.strip())
        except ValidationError as error:
            errors["physician_npi"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    digest = hashlib.sha256(content).hexdigest()
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}[kind or ""]
    certification.document.save(f"{certification.public_id}.{extension}", ContentFile(content), save=False)
    certification.document_sha256, certification.document_type = digest, kind or ""
    certification.state = CertificationState.CERTIFIED
    certification.certified_by = CertifiedBy.PAPER
    certification.signed_on = signed_on
    certification.physician_name, certification.physician_npi = physician_name.strip(), physician_npi.strip()
    certification.answered_at = timezone.now()
    certification.recorded_by = by
    Sending.objects.filter(certification=certification, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    _bump(
        certification,
        "document",
        "document_sha256",
        "document_type",
        "state",
        "certified_by",
        "signed_on",
        "physician_name",
        "physician_npi",
        "answered_at",
        "recorded_by",
    )
    record_event(
        actor=by, action=Action.CERTIFY, record=certification, changed_fields=["document", "signed_on"]
    )
    return certification


@transaction.atomic
def start_recertification(*, by: User, episode: Episode, evaluation: Evaluation) -> Certification:
    """A later signed progress report or re-evaluation puts its plan of care to the physician:
    a recertification over its frequency and duration from its date of service (capped at the
    recertification interval). The episode's plan becomes that evaluation's."""
    _require(by, "episodes.send_certification", _("Only therapists send plans of care for certification."))
    episode = _open(episode)
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    errors: dict[str, str] = {}
    if (
        evaluation.kind not in (EvaluationKind.PROGRESS_REPORT, EvaluationKind.RE_EVALUATION)
        or not evaluation.is_signed
        or evaluation.patient_id != episode.patient_id
        or evaluation.date_of_service < episode.started_on
    ):
        errors["evaluation"] = _("Choose a signed progress report or re-evaluation of this episode.")
    elif not (evaluation.sessions_per_week and evaluation.duration_weeks):
        errors["evaluation"] = _("The evaluation's plan of care has no frequency and duration.")
    elif Certification.objects.filter(episode=episode, evaluation=evaluation).exists():
        raise Conflict(_("This evaluation's plan is already put for certification."))
    if errors or evaluation.sessions_per_week is None or evaluation.duration_weeks is None:
        raise ValidationError(errors)
    start = evaluation.date_of_service
    plan_end = start + timedelta(weeks=evaluation.duration_weeks, days=-1)
    certification = Certification(
        episode=episode,
        kind=CertificationKind.RECERTIFICATION,
        evaluation=evaluation,
        period_start=start,
        period_end=certified_end(start, plan_end, rules_for(episode.payer_type)),
    )
    certification.full_clean()
    certification.save()
    # The plan of care is now the later evaluation's: from its date, at its frequency, for its duration.
    episode.plan_start_on = start
    episode.sessions_per_week, episode.duration_weeks = (
        evaluation.sessions_per_week,
        evaluation.duration_weeks,
    )
    _bump(episode, "plan_start_on", "sessions_per_week", "duration_weeks")
    record_event(actor=by, action=Action.CREATE, record=certification)
    return certification


@transaction.atomic
def discharge_episode(*, by: User, episode: Episode, evaluation: Evaluation) -> Episode:
    """A signed discharge evaluation of the patient closes the episode and its clock."""
    _require(by, "episodes.change_episode", _("Only therapists discharge."))
    episode = _open(episode)
    if (
        evaluation.kind != EvaluationKind.DISCHARGE
        or not evaluation.is_signed
        or evaluation.patient_id != episode.patient_id
        or evaluation.date_of_service < episode.started_on
    ):
        raise ValidationError(
            {"evaluation": _("Choose this patient's signed discharge evaluation of this episode.")}
        )
    episode.status, episode.discharged_on, episode.discharge_evaluation = (
        EpisodeStatus.DISCHARGED,
        evaluation.date_of_service,
        evaluation,
    )
    episode.full_clean()
    _bump(episode, "status", "discharged_on", "discharge_evaluation")
    Sending.objects.filter(
        certification__episode=episode, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    record_event(actor=by, action=Action.UPDATE, record=episode, changed_fields=["status", "discharged_on"])
    return episode


def new_link_token(sending: Sending) -> str:
    """The token of a link sending, made when its email goes out; only its digest is kept."""
    token = secrets.token_urlsafe(32)
    sending.token_sha256 = _digest(token)
    return token
