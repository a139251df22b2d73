"""Reads for evaluations: who may see what, and records loaded with exactly the rows a page needs.

`fetch_record` is the one way to read an evaluation's content. It loads the evaluation with its
people and profile in one query, then one query per row table asked for (its catalogue entries
joined in), for the evaluation and its baseline together, so the count is fixed whatever the
number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    Exists,
    ForeignKey,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)

from accounts.models import User
from common.models import related_model
from evaluations.choices import EvaluationStatus
from evaluations.interpretation.checklist import ROW_QUESTIONS
from evaluations.interpretation.record import ALL_ROW_TABLES, EvaluationRecord, related_names
from evaluations.interpretation.trends import TREND_TABLES
from evaluations.models import Addendum, Evaluation, EvaluationQuerySet, Goal, SectionDraft
from evaluations.sections import SECTIONS, RowList, Section
from patients.models import Patient

CONTENT_PERMISSION = "patients.view_clinical"
RECORD_RELATIONS = ("patient", "therapist", "signed_by", "cosigner", "previous_evaluation", "profile")


def _row_prefetch(related_name: str) -> Prefetch:
    model = related_model(Evaluation, related_name)
    foreign_keys = [
        f.name for f in model._meta.fields if isinstance(f, ForeignKey) and f.name != "evaluation"
    ]
    rows = model._default_manager.all()
    # Only the catalogue entries each row names. (select_related() with no names would follow every
    # non-null key: the evaluation, its patient and its users, on every row.)
    return Prefetch(related_name, queryset=rows.select_related(*foreign_keys) if foreign_keys else rows)


def _row_prefetches(tables: Iterable[str]) -> list[Prefetch]:
    return [_row_prefetch(name) for name in sorted(tables)]


# The lists' order: newest date of service first, the newest row first within a day; the id is
# unique, so a cursor names one place in it (common.keyset), and indexes follow it.
EVALUATION_LIST_ORDER = ("-date_of_service", "-id")


# The columns a list row shows (the API's EvaluationSummarySerializer): the joined patient and
# users bring their names only, not every column of theirs.
LIST_COLUMNS = (
    "public_id",
    "kind",
    "date_of_service",
    "status",
    "signed_at",
    "created_at",
    "updated_at",
    "patient__public_id",
    "patient__mrn",
    "patient__given_name",
    "patient__family_name",
    "patient__preferred_name",
    "therapist__username",
    "therapist__first_name",
    "therapist__last_name",
    "therapist__credentials",
    "signed_by__username",
    "previous_evaluation__public_id",
)


def list_evaluations(*, viewer: User) -> EvaluationQuerySet:
    """Evaluations whose existence the viewer may see: date, kind, status, therapist.

    Every role with `evaluations.view_evaluation` sees the list; the content is a
    separate permission (see fetch_record)."""
    if not viewer.has_perm("evaluations.view_evaluation"):
        return Evaluation.objects.none()
    evaluations = Evaluation.objects.select_related(
        "patient", "therapist", "signed_by", "previous_evaluation"
    ).defer("assessment_summary", "home_program")
    return evaluations.signed() if viewer.is_integration else evaluations  # a key never sees a draft


def can_read_content(viewer: User) -> bool:
    return viewer.has_perm("evaluations.view_evaluation") and viewer.has_perm(CONTENT_PERMISSION)


def check_content_access(*, viewer: User, public_id: UUID | str) -> None:
    """Raise Evaluation.DoesNotExist when the viewer may not know of the evaluation (or it does not
    exist), PermissionDenied when they may know it exists but not read its content (front desk).
    No query for a viewer who may read content."""
    if not viewer.has_perm("evaluations.view_evaluation"):
        raise Evaluation.DoesNotExist
    if not can_read_content(viewer):
        if not list_evaluations(viewer=viewer).filter(public_id=public_id).exists():
            raise Evaluation.DoesNotExist
        raise PermissionDenied("Your role may see that this evaluation exists, not its content.")


def fetch_record(
    *,
    viewer: User,
    public_id: UUID | str,
    sections: Iterable[Section] = SECTIONS,
    tables: frozenset[str] | None = None,
    baseline: bool = False,
    history: bool = False,
    addenda: bool = True,
    for_update: bool = False,
) -> EvaluationRecord:
    """The evaluation with the rows of `sections` (or the row `tables` named) loaded.

    `baseline`: also the signed evaluation a re-evaluation compares with, with the same rows,
    read in the same queries. `history`: also the patient's signed evaluations up to this one's
    date of service, with the rows trends read. `for_update`: the evaluation row is locked until
    the current transaction ends (writes call it inside `transaction.atomic`).

    Raises Evaluation.DoesNotExist or PermissionDenied as check_content_access."""
    check_content_access(viewer=viewer, public_id=public_id)
    query = Evaluation.objects.select_related(*RECORD_RELATIONS)
    if viewer.is_integration:
        query = query.signed()  # a key never reads a draft
    if for_update:
        query = query.select_for_update(of=("self",))
    evaluation = query.get(public_id=public_id)
    if tables is None:
        tables = related_names(tuple(sections))
    previous = evaluation.previous_evaluation if baseline else None
    loading = [evaluation] if previous is None else [evaluation, previous]
    prefetches: list[str | Prefetch] = list(_row_prefetches(tables))
    if addenda:
        prefetches.append(Prefetch("addenda", queryset=Addendum.objects.select_related("author")))
    prefetch_related_objects(loading, *prefetches)
    baseline_record = None
    if previous is not None:
        previous.patient = evaluation.patient  # the same patient, already loaded
        baseline_record = EvaluationRecord(previous, loaded=tables)
    return EvaluationRecord(
        evaluation,
        loaded=tables,
        baseline=baseline_record,
        history=tuple(
            patient_history(viewer=viewer, patient=evaluation.patient, up_to=evaluation.date_of_service)
        )
        if history
        else None,
        locked=for_update,
    )


def patient_history(*, viewer: User, patient: Patient, up_to: date | None = None) -> list[EvaluationRecord]:
    """The patient's signed evaluations, oldest first, with the rows trends read (a fixed number of
    queries: the evaluations, then one per trend table)."""
    if not can_read_content(viewer):
        return []
    evaluations = list_evaluations(viewer=viewer).filter(patient=patient).signed()
    if up_to is not None:
        evaluations = evaluations.filter(date_of_service__lte=up_to)
    loaded = list(
        evaluations.order_by("date_of_service", "signed_at").prefetch_related(*_row_prefetches(TREND_TABLES))
    )
    return [EvaluationRecord(evaluation, loaded=TREND_TABLES) for evaluation in loaded]


def signed_records() -> Iterable[EvaluationRecord]:
    """Every signed evaluation with all its content, a fixed number of queries per chunk of 100
    (for system jobs such as sealing; not filtered by a viewer)."""
    evaluations = (
        Evaluation.objects.filter(status=EvaluationStatus.SIGNED)
        .select_related(*RECORD_RELATIONS)
        .prefetch_related(*_row_prefetches(ALL_ROW_TABLES))
        .order_by("id")
    )
    for evaluation in evaluations.iterator(chunk_size=100):
        yield EvaluationRecord(evaluation)


def signed_records_of(
    *, viewer: User, patient: Patient, on_or_after: date | None = None, on_or_before: date | None = None
) -> list[EvaluationRecord]:
    """The patient's signed evaluations, newest first, with all their content, addenda and kept
    reports (a fixed number of queries whatever their number): what the FHIR API serves. Empty
    for a viewer who may not read content."""
    if not can_read_content(viewer):
        return []
    evaluations = Evaluation.objects.filter(patient=patient).signed()
    if on_or_after is not None:
        evaluations = evaluations.filter(date_of_service__gte=on_or_after)
    if on_or_before is not None:
        evaluations = evaluations.filter(date_of_service__lte=on_or_before)
    loaded = list(
        evaluations.select_related(*(name for name in RECORD_RELATIONS if name != "patient"))
        .prefetch_related(
            *_row_prefetches(ALL_ROW_TABLES),
            Prefetch("addenda", queryset=Addendum.objects.select_related("author")),
            "signed_reports",
        )
        .order_by(*EVALUATION_LIST_ORDER)
    )
    for evaluation in loaded:
        evaluation.patient = patient  # already loaded
    return [EvaluationRecord(evaluation) for evaluation in loaded]


def signed_records_for_export(patients: list[Patient], changed_since=None) -> list[EvaluationRecord]:
    """The signed evaluations of these patients (a bulk export's chunk), newest first per patient,
    with all their content, addenda and kept reports: a fixed number of queries per chunk. With
    `changed_since`, only patients with an evaluation signed or given an addendum since then, but
    all of their signed evaluations: a new signing changes the earlier plan's and goals' status
    too. For system jobs whose requester's access was checked when the job was asked for."""
    by_pk = {patient.pk: patient for patient in patients}
    evaluations = Evaluation.objects.filter(patient__in=list(by_pk)).signed()
    if changed_since is not None:
        signed = Evaluation.objects.signed().filter(patient=OuterRef("patient"), signed_at__gte=changed_since)
        amended = Addendum.objects.filter(
            evaluation__patient=OuterRef("patient"), created_at__gte=changed_since
        )
        evaluations = evaluations.filter(Exists(signed) | Exists(amended))
    loaded = list(
        evaluations.select_related(*(name for name in RECORD_RELATIONS if name != "patient"))
        .prefetch_related(
            *_row_prefetches(ALL_ROW_TABLES),
            Prefetch("addenda", queryset=Addendum.objects.select_related("author")),
            "signed_reports",
        )
        .order_by("patient_id", *EVALUATION_LIST_ORDER)
    )
    for evaluation in loaded:
        evaluation.patient = by_pk[evaluation.patient_id]
    return [EvaluationRecord(evaluation) for evaluation in loaded]


def list_signable_baselines(*, viewer: User, patient: Patient) -> EvaluationQuerySet:
    """Signed evaluations of the patient a re-evaluation or discharge can compare with."""
    return list_evaluations(viewer=viewer).filter(patient=patient).signed()


class RowPresence:
    """Whether an evaluation's lists have rows, read in one query (checklist.Facts): what the
    section menu needs, without loading every row table on every section page."""

    def __init__(
        self, evaluation: Evaluation, flags: dict[tuple, bool], baseline_goals: int, judged_goals: int
    ):
        self.evaluation = evaluation
        self._flags = flags
        self.baseline_goals = baseline_goals  # how many goals the baseline evaluation set
        self.judged_goals = judged_goals  # how many of them have a status here

    @staticmethod
    def key(spec: RowList, equal: dict[str, Any]) -> tuple:
        return (spec, tuple(sorted(equal.items())))

    def any_rows(self, spec: RowList, **equal: Any) -> bool:
        return self._flags[self.key(spec, equal)]  # KeyError: a question not in ROW_QUESTIONS


def row_presence(evaluation: Evaluation) -> RowPresence:
    """Every list of every section (and checklist.ROW_QUESTIONS): has it a row? And how many of
    the baseline's goals have a status here? One query."""
    questions: list[tuple[RowList, dict[str, Any]]] = [
        (spec, {}) for section in SECTIONS for spec in section.rows
    ] + list(ROW_QUESTIONS)
    annotations = {
        f"q{index}": Exists(
            spec.model._default_manager.filter(evaluation=OuterRef("pk"), **spec.scope(), **equal)
        )
        for index, (spec, equal) in enumerate(questions)
    }

    def goals_of(evaluation: Any) -> QuerySet[Goal, Any]:
        return Goal.objects.filter(evaluation=evaluation).order_by().values("evaluation")

    baseline_goals = goals_of(OuterRef("previous_evaluation")).annotate(count=Count("pk")).values("count")
    judged = (
        Goal.objects.filter(evaluation=OuterRef("pk"), baseline_goal__gte=1)
        .filter(
            baseline_goal__lte=Subquery(
                goals_of(OuterRef(OuterRef("previous_evaluation")))
                .annotate(count=Count("pk"))
                .values("count")
            )
        )
        .exclude(status="")
        .order_by()
        .values("evaluation")
        .annotate(count=Count("baseline_goal", distinct=True))
        .values("count")
    )
    found = (
        Evaluation.objects.filter(pk=evaluation.pk)
        .annotate(**annotations, baseline_goals=Subquery(baseline_goals), judged_goals=Subquery(judged))
        .values(*annotations, "baseline_goals", "judged_goals")
        .get()
    )
    return RowPresence(
        evaluation,
        {RowPresence.key(spec, equal): found[f"q{index}"] for index, (spec, equal) in enumerate(questions)},
        baseline_goals=found["baseline_goals"] or 0,
        judged_goals=found["judged_goals"] or 0,
    )


def kept_section_drafts(*, viewer: User, evaluation: Evaluation) -> dict[str, SectionDraft]:
    """The viewer's typed-but-unsaved entries on this evaluation, by section slug."""
    return {
        draft.section: draft for draft in SectionDraft.objects.filter(evaluation=evaluation, author=viewer)
    }
