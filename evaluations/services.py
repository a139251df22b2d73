"""Writes for evaluations: start, save a section, sign, add an addendum.

Rules that concern one evaluation live here: only its therapist edits a draft,
nothing signed changes, signing needs the therapist's password and a complete
record. Each write is one transaction with its audit event.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.choices import Action
from audit.models import AuditEvent
from audit.services import record_event, record_list_read
from common.exceptions import Conflict, check_version
from common.models import attribute_history, concrete_field
from evaluations.choices import MRC_WHOLE_GRADES, EvaluationKind, EvaluationStatus, GoalStatus, MmtScale, Side
from evaluations.interpretation import EvaluationRecord
from evaluations.models import (
    FOLLOW_UPS_NEEDING_BASELINE,
    Addendum,
    Evaluation,
    FlexibilityMeasurement,
    Goal,
    OccupationalProfile,
    PainPoint,
    RangeOfMotionMeasurement,
    SectionDraft,
    StrengthMeasurement,
)
from evaluations.seal import Seal, check_seal, content_digest
from evaluations.sections import PROFILE, SECTIONS, SECTIONS_BY_SLUG, RowList, Section
from evaluations.selectors import fetch_record
from evaluations.signals import report_changed
from occupations.choices import BodyRegion
from patients.models import Patient


class EvaluationSigned(Conflict):
    """A signed evaluation never changes; corrections are addenda."""

    code = "signed"

    def __init__(self, message: str | None = None):
        super().__init__(
            message or _("This evaluation is signed and cannot change. Add an addendum instead.")
        )


class EvaluationDiscarded(Conflict):
    """A discarded draft never changes again; it stays in the history and the audit trail."""

    code = "discarded"

    def __init__(self, message: str | None = None):
        super().__init__(message or _("This draft was discarded and cannot change."))


class EvaluationNotSigned(Conflict):
    code = "not_signed"


class SubmittedForCosignature(Conflict):
    """A supervised clinician's draft waits for its co-signature: it changes only once returned."""

    code = "submitted_for_cosignature"

    def __init__(self, evaluation: Evaluation):
        name = evaluation.cosigner.display_name if evaluation.cosigner else _("the supervising therapist")
        super().__init__(
            _("This draft is with %(name)s for co-signature; it changes only if they return it.")
            % {"name": name}
        )


class PatientArchived(Conflict):
    code = "archived"


# What a re-evaluation or discharge starts from besides the profile (rows: RowList.carry): the
# scale strength was graded on (the same scale compares), the history and comorbidities the
# complexity rests on, and the plan of care as it stood. All stay editable.
CARRIED_EVALUATION_FIELDS = (
    "mmt_scale",
    "cpt_history",
    "cpt_comorbidities",
    "sessions_per_week",
    "duration_weeks",
    "home_program",
)


@transaction.atomic
def start_evaluation(
    *,
    by: User,
    patient: Patient,
    kind: str = EvaluationKind.INITIAL,
    date_of_service: date,
    previous_evaluation: Evaluation | None = None,
    date_confirmed: bool = True,
) -> Evaluation:
    """Open a draft evaluation for the patient, with the therapist as its author.

    `date_confirmed=False` (the pages) refuses a date of service more than
    DATE_CONFIRMATION_DAYS ago until the therapist confirms it (a mistyped year is the usual cause).

    A re-evaluation starts from the previous evaluation's occupational profile and the
    CARRIED_EVALUATION_FIELDS, which the therapist then updates."""
    if not by.has_perm("evaluations.add_evaluation"):
        raise PermissionDenied(_("Only therapists start evaluations."))
    if kind != EvaluationKind.PROGRESS_REPORT and not by.has_perm("evaluations.start_any_evaluation"):
        raise PermissionDenied(
            _("An occupational therapy assistant drafts progress reports; a therapist evaluates.")
        )
    if patient.is_archived:
        raise PatientArchived(_("This patient is archived; restore the record before evaluating."))
    if previous_evaluation is not None:  # judge the stored state, not the caller's copy
        previous_evaluation = Evaluation.objects.select_related("profile").get(pk=previous_evaluation.pk)
    errors = _date_of_service_errors(date_of_service, patient, confirmed=date_confirmed)
    if kind == EvaluationKind.INITIAL and previous_evaluation is not None:
        errors["previous_evaluation"] = _(
            "An initial evaluation has no previous evaluation; choose re-evaluation or discharge."
        )
    if kind in FOLLOW_UPS_NEEDING_BASELINE and previous_evaluation is None:
        errors["previous_evaluation"] = _(
            "A re-evaluation or progress report is compared with an earlier signed evaluation: choose it."
        )
    if previous_evaluation is not None:
        if previous_evaluation.patient_id != patient.pk:
            errors["previous_evaluation"] = _("The previous evaluation belongs to another patient.")
        elif not previous_evaluation.is_signed:
            errors["previous_evaluation"] = _("Only a signed evaluation can be the baseline.")
        elif previous_evaluation.date_of_service > date_of_service:
            errors["previous_evaluation"] = _("The previous evaluation is dated after this one.")
    if errors:
        raise ValidationError(errors)
    evaluation = Evaluation(
        patient=patient,
        therapist=by,
        kind=kind,
        date_of_service=date_of_service,
        previous_evaluation=previous_evaluation,
    )
    if previous_evaluation is not None:
        for name in CARRIED_EVALUATION_FIELDS:
            setattr(evaluation, name, getattr(previous_evaluation, name))
    evaluation.full_clean()
    attribute_history(evaluation, by)
    evaluation.save()
    profile = OccupationalProfile(evaluation=evaluation)
    if previous_evaluation is not None:
        for name in PROFILE.profile_fields:
            setattr(profile, name, getattr(previous_evaluation.profile, name))
    attribute_history(profile, by)
    profile.save()
    record_event(actor=by, action=Action.CREATE, record=evaluation, patient_public_id=patient.public_id)
    return evaluation


DATE_CONFIRMATION_DAYS = 30
CONFIRM_DATE = "confirm"  # the error code a form answers with a "this date is right" box


def _date_of_service_errors(date_of_service: date, patient: Patient, *, confirmed: bool) -> dict:
    today = timezone.localdate()
    if date_of_service > today:
        return {"date_of_service": _("The date of service cannot be in the future.")}
    if date_of_service < patient.date_of_birth:
        return {"date_of_service": _("The date of service is before the patient was born.")}
    if not confirmed and (today - date_of_service).days > DATE_CONFIRMATION_DAYS:
        return {
            "date_of_service": ValidationError(
                _("%(date)s is more than %(days)s days ago. Check the date, or confirm that it is right.")
                % {"date": f"{date_of_service:%m/%d/%Y}", "days": DATE_CONFIRMATION_DAYS},
                code=CONFIRM_DATE,
            )
        }
    return {}


def _locked_record(
    record: EvaluationRecord, by: User, expected_version: int | None, check: Callable[..., None] | None = None
) -> EvaluationRecord:
    """The record, current and under a row lock, so a save and a signature cannot interleave.

    The caller's version is compared under the same lock: of two writers who loaded the same
    version, the second to get the lock finds the version moved on and writes nothing. A record
    read without the lock is checked against the locked row (its status, patient and version);
    one that is no longer current is read again under the lock."""
    if not record.is_locked:
        locked = (
            Evaluation.all_objects.select_for_update(of=("self",))
            .select_related("patient")
            .only(
                "version",
                "status",
                "therapist",
                "patient__archived_at",
                "public_id",
                "submitted_at",
                "cosigner",
            )
            .get(pk=record.evaluation.pk)
        )
        (check or check_can_edit)(evaluation=locked, by=by)
        check_version(current=locked.version, expected=expected_version)
        if locked.version != record.evaluation.version:
            record = fetch_record(
                viewer=by, public_id=locked.public_id, tables=record.loaded, for_update=True
            )
        record.evaluation.patient.archived_at = locked.patient.archived_at
    (check or check_can_edit)(evaluation=record.evaluation, by=by)
    check_version(current=record.evaluation.version, expected=expected_version)
    return record


SIDED_BODY_MEASUREMENTS = (StrengthMeasurement, RangeOfMotionMeasurement, FlexibilityMeasurement, PainPoint)
GOAL_HORIZON_DAYS = 2 * 366


def _row_rules(row, evaluation: Evaluation) -> dict[str, str]:
    """Rules that need the evaluation, not only the row."""
    if isinstance(row, SIDED_BODY_MEASUREMENTS) and row.side == Side.NONE:
        return {"side": _("Say which side: left, right, bilateral or midline.")}
    region = getattr(getattr(row, "muscle_group", None) or getattr(row, "joint_motion", None), "region", None)
    if region in (BodyRegion.UPPER, BodyRegion.LOWER) and row.side == Side.MIDLINE:
        return {"side": _("Limb measurements are left, right or bilateral, not midline.")}
    if (
        isinstance(row, Goal)
        and row.target_on is not None
        and row.target_on > evaluation.date_of_service + timedelta(days=GOAL_HORIZON_DAYS)
    ):
        return {"target_on": _("Set a target within two years of the evaluation.")}
    if (
        isinstance(row, StrengthMeasurement)
        and evaluation.mmt_scale == MmtScale.MRC
        and row.grade not in MRC_WHOLE_GRADES
    ):
        return {
            "grade": _("The MRC scale has whole grades only (0–5); %(grade)s is not one.")
            % {"grade": row.grade}
        }
    if (
        isinstance(row, Goal)
        and (row.status or row.baseline_goal)
        and evaluation.previous_evaluation_id is None
    ):
        return {
            "status": _(
                "An initial evaluation sets goals; their status is judged at a re-evaluation or discharge."
            )
        }
    if (
        isinstance(row, Goal)
        and row.target_on is not None
        and row.target_on <= evaluation.date_of_service
        and not GoalStatus.closes(row.status)  # a goal judged met, not met or discontinued is closed
    ):
        return {
            "target_on": _("The target date must be after the date of service (%(date)s).")
            % {"date": evaluation.date_of_service}
        }
    return {}


MAX_ROWS = 100  # per list: far beyond any real evaluation, short of a runaway request


def _build_rows(
    evaluation: Evaluation, spec: RowList, items: list[dict], existing: list, errors: dict
) -> list:
    rows: list[Any] = []
    seen: dict[tuple[Any, ...], int] = {}
    limit = spec.max_rows or MAX_ROWS
    if len(items) > limit:
        errors[spec.key] = [_("At most %(max)s entries in this list.") % {"max": limit}]
        return []
    catalogue_fields = [name for name in spec.fields if spec.model._meta.get_field(name).is_relation]
    # A retired catalogue entry may stay on a draft that already had it, but not be newly chosen.
    already_chosen = {(name, getattr(row, f"{name}_id")) for row in existing for name in catalogue_fields}
    for index, item in enumerate(items):
        unknown = set(item) - set(spec.fields)
        if unknown:
            raise TypeError(f"{spec.key}: unexpected {sorted(unknown)}")
        row = spec.model(evaluation=evaluation, **item)
        row_errors: dict[str, list[str]] = {}
        try:
            row.full_clean(exclude=["evaluation"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            row_errors.update(error.message_dict)
        for name, message in _row_rules(row, evaluation).items():
            row_errors.setdefault(name, []).append(message)
        for name in catalogue_fields:
            target = getattr(row, name, None)
            if target is None:
                continue
            if not target.is_active and (name, target.pk) not in already_chosen:
                row_errors.setdefault(name, []).append(
                    _("%(label)s is retired and cannot be chosen.") % {"label": target}
                )
        if spec.catalogue_filter and not row_errors and not spec.belongs(row):
            name = next(iter(spec.catalogue_filter))
            row_errors.setdefault(name, []).append(
                _("%(label)s does not belong in this list.") % {"label": getattr(row, name)}
            )
        if spec.unique_by and not row_errors:
            identity = tuple(getattr(row, f"{f}_id", None) or getattr(row, f) for f in spec.unique_by)
            if identity in seen:
                row_errors.setdefault(spec.unique_by[0], []).append(
                    _("This is the same as entry %(number)s; record it once.")
                    % {"number": seen[identity] + 1}
                )
            seen.setdefault(identity, index)
        for name, messages in row_errors.items():
            errors[f"{spec.key}.{index}.{name}"] = messages
        rows.append(row)
    return rows


def _normalized(rows: list, spec: RowList) -> list[tuple]:
    normalized = []
    for row in rows:
        values = []
        for name in spec.fields:
            field = concrete_field(spec.model, name)
            values.append(field.to_python(getattr(row, field.attname)))
        normalized.append(tuple(values))
    return normalized


@dataclass
class _SectionChange:
    """A section's validated change, not yet written."""

    section: Section
    fields: dict[Model, list[str]] = field(default_factory=dict)  # target -> changed field names
    replacements: list[tuple[RowList, list[Any], list[Any]]] = field(default_factory=list)  # spec, old, new

    @property
    def names(self) -> list[str]:
        return [
            *(name for names in self.fields.values() for name in names),
            *(s.key for s, _o, _n in self.replacements),
        ]


def _change_one_section(
    record: EvaluationRecord, section: Section, content: dict[str, Any]
) -> _SectionChange:
    """Validate one section's content against the record; set its fields in memory, build its rows.
    Raises ValidationError (nothing written; the caller restores the fields)."""
    allowed = {*section.evaluation_fields, *section.profile_fields, *(rows.key for rows in section.rows)}
    unknown = set(content) - allowed
    if unknown:
        raise TypeError(f"{section.slug}: unexpected {sorted(unknown)}")
    evaluation = record.evaluation
    errors: dict[str, list[str]] = {}
    change = _SectionChange(section)

    for target, names in (
        (evaluation, section.evaluation_fields),
        (evaluation.profile, section.profile_fields),
    ):
        touched = [name for name in names if name in content and getattr(target, name) != content[name]]
        for name in touched:
            setattr(target, name, content[name])
        if touched:
            change.fields[target] = touched
            try:
                target.clean_fields(exclude=[f.name for f in target._meta.fields if f.name not in touched])
            except ValidationError as error:
                errors.update(error.message_dict)

    for spec in section.rows:
        if spec.key not in content:
            continue
        existing = record.rows(spec)
        rows = _build_rows(evaluation, spec, list(content[spec.key]), existing, errors)
        if _normalized(rows, spec) != _normalized(existing, spec):
            change.replacements.append((spec, existing, rows))
    if errors:
        raise ValidationError(errors)
    return change


def _write(change: _SectionChange, record: EvaluationRecord, by: User) -> None:
    evaluation = record.evaluation
    for target, names in change.fields.items():
        attribute_history(target, by)
        target.save(update_fields=[*names, "updated_at"] if target is evaluation else names)
    for spec, old_rows, new_rows in change.replacements:
        for row in old_rows:
            attribute_history(row, by)
            row.delete()
        for row in new_rows:
            attribute_history(row, by)
            row.save()
        record.replace_rows(spec, new_rows)


@transaction.atomic
def save_sections(
    *,
    record: EvaluationRecord,
    by: User,
    contents: dict[Section, dict[str, Any]],
    expected_version: int | None = None,
) -> EvaluationRecord:
    """Save one or more sections of a draft, all or nothing; returns the record as saved.

    `contents` maps a section to its fields and row lists; a row list given replaces
    the stored one (rows are dicts of the list's fields, catalogue entries as model
    instances). Lists and fields left out stay as they are. The record must hold the rows of
    the sections saved. Raises ValidationError with keys like "range_of_motion.2.degrees",
    EvaluationSigned, PermissionDenied, or StaleVersion when `expected_version` (the version
    the caller loaded) is no longer current. On success the record in memory is the saved one
    (fields, rows, version), read again only if it had changed since it was read.
    """
    record = _locked_record(record, by, expected_version)
    changes: list[_SectionChange] = []
    errors = {}
    before = {
        target: {name: getattr(target, name) for name in names}
        for target, names in (
            (record.evaluation, [n for s in contents for n in s.evaluation_fields]),
            (record.evaluation.profile, [n for s in contents for n in s.profile_fields]),
        )
    }
    for section in SECTIONS:
        if section not in contents:
            continue
        try:
            changes.append(_change_one_section(record, section, contents[section]))
        except ValidationError as error:
            errors.update(
                {f"{section.api_key}.{key}": messages for key, messages in error.message_dict.items()}
            )
    if errors:
        for target, values in before.items():  # the record in memory stays as stored
            for name, value in values.items():
                setattr(target, name, value)
        raise ValidationError(errors)
    changed = [f"{change.section.api_key}.{name}" for change in changes for name in change.names]
    if changed:
        evaluation = record.evaluation
        for change in changes:
            _write(change, record, by)
        evaluation.version += 1
        evaluation.updated_at = timezone.now()
        Evaluation.objects.filter(pk=evaluation.pk).update(
            updated_at=evaluation.updated_at, version=evaluation.version
        )
        record.forget_derived()
        record_event(actor=by, action=Action.UPDATE, record=evaluation, changed_fields=changed)
    return record


class Incomplete(ValidationError):
    """Signing refused: required content is missing."""


SIGNING_ATTEMPTS = 5
SIGNING_LOCKOUT = timedelta(minutes=15)


def check_patient_active(evaluation: Evaluation) -> None:
    """An archived patient's record is closed: their evaluations take no edits, signatures or addenda."""
    if evaluation.patient.is_archived:
        raise PatientArchived(
            _("This patient is archived; restore the record before changing their evaluations.")
        )


def check_can_edit(*, evaluation: Evaluation, by: User) -> None:
    """Raise EvaluationSigned, PatientArchived or PermissionDenied when `by` may not change
    this evaluation now."""
    if evaluation.is_signed:
        raise EvaluationSigned()
    if evaluation.is_discarded:
        raise EvaluationDiscarded()
    check_patient_active(evaluation)
    if evaluation.therapist_id != by.pk or not by.has_perm("evaluations.change_evaluation"):
        raise PermissionDenied(_("Only the evaluation's own therapist may edit this draft."))
    if evaluation.submitted_at is not None:
        raise SubmittedForCosignature(evaluation)


def _recent_signing_failures(by: User) -> int:
    since = timezone.now() - SIGNING_LOCKOUT
    return AuditEvent.objects.filter(actor=by, action=Action.SIGN_FAILED, occurred_at__gte=since).count()


def sign_evaluation(
    *, record: EvaluationRecord, by: User, password: str, expected_version: int | None = None
) -> EvaluationRecord:
    """The therapist confirms with their password; the record is checked and sealed.

    The record must hold every section. Wrong passwords are audited and, like log-in failures,
    five in 15 minutes stop signing for that therapist for a while, so the signature cannot be
    used to guess a password."""
    if record.evaluation.therapist_id != by.pk:
        return _cosign(record=record, by=by, password=password, expected_version=expected_version)
    if not by.has_perm("evaluations.sign_evaluation"):
        raise PermissionDenied(_("Your role cannot sign alone: submit the evaluation for co-signature."))
    check_can_edit(evaluation=record.evaluation, by=by)
    record = _with_baseline(record, by)  # a follow-up is judged with its baseline (each goal's status)
    _check_complete(record)
    _check_nothing_kept(record.evaluation, by)
    _check_password(record, by, password)
    return _seal(record, by, expected_version)


def _check_password(record: EvaluationRecord, by: User, password: str) -> None:
    """The signer's password; wrong ones are audited and, like log-in failures, five in 15
    minutes pause signing."""
    if _recent_signing_failures(by) >= SIGNING_ATTEMPTS:
        raise PermissionDenied(_("Too many wrong passwords. Signing is paused for 15 minutes."))
    if not by.check_password(password or ""):
        with transaction.atomic():
            record_event(actor=by, action=Action.SIGN_FAILED, record=record.evaluation)
        raise ValidationError({"password": _("That is not your password.")})


def _with_baseline(record: EvaluationRecord, by: User) -> EvaluationRecord:
    if record.baseline is None and record.evaluation.previous_evaluation_id is not None:
        return fetch_record(
            viewer=by, public_id=record.evaluation.public_id, tables=record.loaded, baseline=True
        )
    return record


def submit_for_cosignature(
    *, record: EvaluationRecord, by: User, cosigner: User, password: str, expected_version: int | None = None
) -> EvaluationRecord:
    """A supervised clinician (assistant, student) hands a complete draft to a supervising
    therapist, confirming with their own password; it is sealed when the therapist co-signs."""
    if by.has_perm("evaluations.sign_evaluation"):
        raise PermissionDenied(_("You sign your own evaluations."))
    check_can_edit(evaluation=record.evaluation, by=by)
    if (
        cosigner.pk == by.pk
        or not cosigner.is_active
        or not cosigner.has_perm("evaluations.cosign_evaluation")
    ):
        raise ValidationError({"cosigner": _("Choose an active supervising therapist.")})
    record = _with_baseline(record, by)
    _check_complete(record)
    _check_nothing_kept(record.evaluation, by)
    _check_password(record, by, password)
    with transaction.atomic():
        current = _locked_record(record, by, expected_version)
        evaluation = current.evaluation
        evaluation.cosigner, evaluation.submitted_at, evaluation.cosign_note = cosigner, timezone.now(), ""
        evaluation.version += 1
        attribute_history(evaluation, by)
        evaluation.save(update_fields=["cosigner", "submitted_at", "cosign_note", "updated_at", "version"])
        record_event(
            actor=by, action=Action.UPDATE, record=evaluation, changed_fields=["cosigner", "submitted_at"]
        )
    return current


@transaction.atomic
def return_for_changes(*, evaluation: Evaluation, by: User, note: str) -> Evaluation:
    """The supervising therapist sends a submitted draft back to its author with what to change."""
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",)).select_related("cosigner").get(pk=evaluation.pk)
    )
    if evaluation.is_signed:
        raise EvaluationSigned()
    if evaluation.submitted_at is None or evaluation.cosigner_id != by.pk:
        raise PermissionDenied(_("Only the therapist asked to co-sign returns this draft."))
    if not note.strip():
        raise ValidationError({"note": _("Say what to change.")})
    evaluation.submitted_at, evaluation.cosign_note = None, note.strip()[:500]
    evaluation.version += 1
    attribute_history(evaluation, by)
    evaluation.save(update_fields=["submitted_at", "cosign_note", "updated_at", "version"])
    record_event(
        actor=by, action=Action.UPDATE, record=evaluation, changed_fields=["submitted_at", "cosign_note"]
    )
    return evaluation


def _cosign(
    *, record: EvaluationRecord, by: User, password: str, expected_version: int | None
) -> EvaluationRecord:
    """The supervising therapist's signature on a submitted draft: checked and sealed as any."""
    check_can_cosign(evaluation=record.evaluation, by=by)
    record = _with_baseline(record, by)
    _check_complete(record)
    _check_password(record, by, password)
    return _seal(record, by, expected_version, check_can_cosign)


def check_can_cosign(*, evaluation: Evaluation, by: User) -> None:
    """Raise unless `by` is the therapist this submitted draft waits for."""
    if evaluation.is_signed:
        raise EvaluationSigned()
    if evaluation.is_discarded:
        raise EvaluationDiscarded()
    check_patient_active(evaluation)
    if (
        not by.has_perm("evaluations.cosign_evaluation")
        or evaluation.submitted_at is None
        or evaluation.cosigner_id != by.pk
    ):
        raise PermissionDenied(
            _("Only the evaluation's own therapist signs it, or the therapist asked to co-sign it.")
        )


def _check_complete(record: EvaluationRecord) -> None:
    missing = record.missing_for_signature
    if missing:
        raise Incomplete(
            {"non_field_errors": [_("Complete before signing: %(items)s.") % {"items": "; ".join(missing)}]}
        )


def _check_nothing_kept(evaluation: Evaluation, by: User) -> None:
    """Entries typed but not saved (errors, a conflict) must be saved or discarded first: the
    signature covers what the therapist last typed, not an older saved version."""
    kept = SectionDraft.objects.filter(evaluation=evaluation, author=by).values_list("section", flat=True)
    titles = [SECTIONS_BY_SLUG[slug].title for slug in sorted(kept) if slug in SECTIONS_BY_SLUG]
    if titles:
        raise Incomplete(
            {
                "non_field_errors": [
                    _("Entries typed but not saved are kept for %(sections)s: save or discard them first.")
                    % {"sections": ", ".join(titles)}
                ]
            }
        )


@transaction.atomic
def _seal(
    record: EvaluationRecord, by: User, expected_version: int | None, check: Callable[..., None] | None = None
) -> EvaluationRecord:
    # Re-checked under the lock: signed or changed meanwhile?
    current = _locked_record(record, by, expected_version, check)
    if current is not record:  # saved meanwhile without a version to compare: judge it again
        _check_complete(current)
    evaluation = current.evaluation
    evaluation.status = EvaluationStatus.SIGNED
    evaluation.signed_by = by
    evaluation.signed_at = timezone.now()
    evaluation.version += 1
    evaluation.content_sha256 = content_digest(current)
    attribute_history(evaluation, by)
    evaluation.save(
        update_fields=["status", "signed_by", "signed_at", "updated_at", "version", "content_sha256"]
    )
    current.forget_derived()
    record_event(
        actor=by, action=Action.SIGN, record=evaluation, changed_fields=["status", "signed_by", "signed_at"]
    )
    report_changed.send(sender=Evaluation, evaluation=evaluation)  # its PDF is rendered once, now
    return current


@transaction.atomic
def add_addendum(
    *, evaluation: Evaluation, by: User, text: str, expected_version: int | None = None
) -> Addendum:
    """Append a correction or late entry to a signed evaluation. The signed content stays as it was;
    the evaluation's version goes up, since what it shows (its addenda) changed."""
    if not by.has_perm("evaluations.add_addendum"):
        raise PermissionDenied(_("Your role cannot add addenda."))
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",)).select_related("patient").get(pk=evaluation.pk)
    )
    if not evaluation.is_signed:
        raise EvaluationNotSigned(_("Addenda are for signed evaluations; edit the draft instead."))
    check_patient_active(evaluation)
    check_version(current=evaluation.version, expected=expected_version)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the addendum.")})
    addendum = Addendum(evaluation=evaluation, author=by, text=text)
    addendum.full_clean()
    addendum.save()
    Evaluation.objects.filter(pk=evaluation.pk).update(version=evaluation.version + 1)
    record_event(actor=by, action=Action.ADDENDUM, record=evaluation, changed_fields=["addenda"])
    report_changed.send(sender=Evaluation, evaluation=evaluation)  # the PDF with the addendum
    return addendum


def record_evaluation_viewed(*, evaluation: Evaluation, by: User) -> None:
    record_event(actor=by, action=Action.VIEW, record=evaluation)


def verify_seal(*, record: EvaluationRecord, by: User) -> Seal:
    """Check a record (every section loaded) against its seal; a signed one that fails is audited at
    once (in its own transaction, so the alert stays even if the read that found it fails later)."""
    evaluation = record.evaluation
    seal = check_seal(record)
    if seal.is_broken:
        with transaction.atomic():
            record_event(
                actor=by,
                action=Action.INTEGRITY_FAILED,
                record=evaluation,
                changed_fields=[
                    f"seal:{seal.state}",
                    f"stored:{seal.stored[:16]}",
                    f"now:{seal.computed[:16]}",
                ],
            )
    return seal


def record_evaluations_listed(*, by: User, evaluations, patient_public_id=None, label: str) -> None:
    """A read of a list of evaluations (date, kind, status, therapist, patient): one event
    naming the patients on it, and for a list of one patient's evaluations, that patient."""
    record_list_read(
        actor=by,
        record_type=Evaluation._meta.label_lower,
        label=label,
        patient_public_ids=[evaluation.patient.public_id for evaluation in evaluations],
        patient_public_id=patient_public_id,
    )


def record_evaluation_access_denied(*, public_id, by: User) -> None:
    """A refused attempt to read an evaluation's content (e.g. the front desk opening a report)."""
    evaluation = Evaluation.objects.select_related("patient").filter(public_id=public_id).first()
    record_event(
        actor=by,
        action=Action.DENIED,
        record=evaluation,
        record_type=Evaluation._meta.label_lower,
        record_label="" if evaluation is not None else f"evaluation {public_id}",
    )


def record_evaluation_exported(*, evaluation: Evaluation, by: User) -> None:
    """A PDF of the evaluation left the system: an export of health information."""
    record_event(actor=by, action=Action.EXPORT, record=evaluation)


# -- Typed entries not yet in the record -------------------------------------------------------


def keep_section_draft(
    *,
    evaluation: Evaluation,
    by: User,
    section: Section,
    data: dict[str, list[str]],
    loaded_version: int,
    reason: str,
    page: str = "",
) -> SectionDraft:
    """Keep what `by` typed on a section page of their draft when it cannot be saved yet (entries
    with errors, a newer save elsewhere, a session that ended): one per therapist and section,
    replaced by the next. Audited like a write, without the typed values."""
    check_can_edit(evaluation=evaluation, by=by)
    with transaction.atomic():
        # The evaluation's row lock first, as a save takes it: a save and a keep running at once
        # queue on it instead of each holding what the other waits for (the draft's reference to
        # the evaluation, the audit trail's append lock).
        list(
            Evaluation.all_objects.select_for_update(of=("self",)).filter(pk=evaluation.pk).values_list("pk")
        )
        draft, _created = SectionDraft.objects.update_or_create(
            evaluation=evaluation,
            author=by,
            section=section.slug,
            defaults={"data": data, "loaded_version": loaded_version, "reason": reason, "page": page},
        )
        record_event(
            actor=by,
            action=Action.UPDATE,
            record=evaluation,
            changed_fields=[f"unsaved_entries.{section.api_key}"],
        )
    return draft


def discard_section_draft(*, evaluation: Evaluation, by: User, section: Section) -> bool:
    """The therapist drops the entries kept for a section; the saved section stays as it is."""
    with transaction.atomic():
        deleted, _rows = SectionDraft.objects.filter(
            evaluation=evaluation, author=by, section=section.slug
        ).delete()
        if deleted:
            record_event(
                actor=by,
                action=Action.UPDATE,
                record=evaluation,
                changed_fields=[f"unsaved_entries.{section.api_key}.discarded"],
            )
    return bool(deleted)


def forget_section_draft(*, evaluation: Evaluation, by: User, section: Section, page: str) -> None:
    """After a page saved its section: what that page had kept is in the record now. Entries kept
    by another tab or window stay (that page saves or shows them itself)."""
    SectionDraft.objects.filter(evaluation=evaluation, author=by, section=section.slug, page=page).delete()


# -- Correcting and discarding a draft ---------------------------------------------------------


def correct_date_of_service(
    *,
    record: EvaluationRecord,
    by: User,
    date_of_service: date,
    confirmed: bool = False,
    expected_version: int | None = None,
) -> EvaluationRecord:
    """A draft's date of service, corrected by its therapist (signed evaluations keep theirs):
    not in the future, not before the baseline or after a follow-up, confirmed when far back."""
    with transaction.atomic():
        record = _locked_record(record, by, expected_version)
        evaluation = record.evaluation
        errors = _date_of_service_errors(date_of_service, evaluation.patient, confirmed=confirmed)
        baseline = evaluation.previous_evaluation
        if not errors and baseline is not None and baseline.date_of_service > date_of_service:
            errors["date_of_service"] = _(
                "The date is before the evaluation this one is compared with (%(date)s)."
            ) % {"date": f"{baseline.date_of_service:%m/%d/%Y}"}
        if errors:
            raise ValidationError(errors)
        if date_of_service != evaluation.date_of_service:
            evaluation.date_of_service = date_of_service
            evaluation.version += 1
            attribute_history(evaluation, by)
            evaluation.save(update_fields=["date_of_service", "version", "updated_at"])
            record_event(
                actor=by, action=Action.UPDATE, record=evaluation, changed_fields=["date_of_service"]
            )
    return record


def discard_evaluation(
    *, record: EvaluationRecord, by: User, reason: str = "", expected_version: int | None = None
) -> Evaluation:
    """The therapist's mistaken draft leaves every list, chart and read; it is never deleted: the
    evaluation, its rows and its history stay, marked discarded, with who, when and why."""
    if len(reason) > 500:
        raise ValidationError({"reason": _("Keep the reason under 500 characters.")})
    with transaction.atomic():
        record = _locked_record(record, by, expected_version)
        evaluation = record.evaluation
        evaluation.status = EvaluationStatus.DISCARDED
        evaluation.discarded_at = timezone.now()
        evaluation.discarded_by = by
        evaluation.discard_reason = reason.strip()
        evaluation.version += 1
        attribute_history(evaluation, by)
        evaluation.save(
            update_fields=[
                "status",
                "discarded_at",
                "discarded_by",
                "discard_reason",
                "version",
                "updated_at",
            ]
        )
        SectionDraft.objects.filter(evaluation=evaluation).delete()  # typed entries go with it
        record_event(
            actor=by,
            action=Action.DISCARD,
            record=evaluation,
            changed_fields=["status", "discarded_at", "discarded_by", "discard_reason"],
        )
    return evaluation
