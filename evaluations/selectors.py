"""Reads for evaluations: who may see what, and a section's current content."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import ForeignKey, Prefetch, QuerySet

from accounts.models import User
from evaluations.choices import EvaluationStatus, GoalTerm
from evaluations.models import Addendum, Evaluation
from evaluations.sections import PHYSICAL, ROW_RELATED_NAMES, SECTIONS, Section

CONTENT_PERMISSION = "patients.view_clinical"


def _row_prefetches() -> list[Prefetch]:
    prefetches = []
    for related_name in ROW_RELATED_NAMES:
        model = Evaluation._meta.get_field(related_name).related_model
        foreign_keys = [
            f.name for f in model._meta.fields if isinstance(f, ForeignKey) and f.name != "evaluation"
        ]
        prefetches.append(Prefetch(related_name, queryset=model.objects.select_related(*foreign_keys)))
    return prefetches


def list_evaluations(*, viewer: User) -> QuerySet[Evaluation]:
    """Evaluations whose existence the viewer may see: date, kind, status, therapist.

    Every role with `evaluations.view_evaluation` sees the list; the content is a
    separate permission (see get_evaluation)."""
    if not viewer.has_perm("evaluations.view_evaluation"):
        return Evaluation.objects.none()
    return Evaluation.objects.select_related(
        "patient", "therapist", "signed_by", "previous_evaluation"
    ).defer("assessment_summary", "home_program")


def can_read_content(viewer: User) -> bool:
    return viewer.has_perm("evaluations.view_evaluation") and viewer.has_perm(CONTENT_PERMISSION)


def get_evaluation(*, viewer: User, public_id) -> Evaluation:
    """The whole evaluation with every section loaded in a fixed number of queries.

    Raises Evaluation.DoesNotExist for an unknown id and PermissionDenied when the
    viewer may know the evaluation exists but not read its content (front desk)."""
    if not viewer.has_perm("evaluations.view_evaluation"):
        raise Evaluation.DoesNotExist
    if not can_read_content(viewer):
        if not Evaluation.objects.filter(public_id=public_id).exists():
            raise Evaluation.DoesNotExist
        raise PermissionDenied("Your role may see that this evaluation exists, not its content.")
    return (
        Evaluation.objects.select_related(
            "patient", "therapist", "signed_by", "previous_evaluation", "profile"
        )
        .prefetch_related(
            *_row_prefetches(), Prefetch("addenda", queryset=Addendum.objects.select_related("author"))
        )
        .get(public_id=public_id)
    )


def signed_evaluations_with_content() -> QuerySet[Evaluation]:
    """Every signed evaluation with its content loaded in a fixed number of queries per chunk
    (for system jobs such as sealing; not filtered by a viewer)."""
    return (
        Evaluation.objects.filter(status=EvaluationStatus.SIGNED)
        .select_related("patient", "therapist", "signed_by", "previous_evaluation", "profile")
        .prefetch_related(*_row_prefetches())
        .order_by("id")
    )


def section_content(evaluation: Evaluation, section: Section) -> dict:
    """A section's fields and rows, from the prefetched evaluation (no queries)."""
    content = {name: getattr(evaluation, name) for name in section.evaluation_fields}
    content.update({name: getattr(evaluation.profile, name) for name in section.profile_fields})
    for rows in section.rows:
        content[rows.key] = [row for row in getattr(evaluation, rows.related_name).all() if rows.belongs(row)]
    return content


def evaluation_content(evaluation: Evaluation) -> dict[str, dict]:
    return {section.api_key: section_content(evaluation, section) for section in SECTIONS}


@dataclass(frozen=True)
class Requirement:
    """Something a signed evaluation must contain."""

    label: str
    section: Section
    is_met: bool


def signing_requirements(evaluation: Evaluation) -> list[Requirement]:
    """What must be recorded before signing: the occupational profile's reason for therapy,
    at least one physical-function measurement, ADL ratings, an assessment, a long-term
    goal, and a plan of care with frequency, duration and interventions (the Medicare plan
    of care minimum, Benefit Policy Manual ch. 15 §220)."""
    from evaluations.sections import ADL_CHECKLIST, ASSESSMENT_AND_PLAN, PROFILE

    physical = section_content(evaluation, PHYSICAL)
    plan = section_content(evaluation, ASSESSMENT_AND_PLAN)
    return [
        Requirement(
            "Why the person is seeking therapy", PROFILE, bool(evaluation.profile.reason_for_therapy.strip())
        ),
        Requirement(
            "At least one strength, range-of-motion, flexibility or grip measurement",
            PHYSICAL,
            any(physical[rows.key] for rows in PHYSICAL.rows),
        ),
        Requirement(
            "At least one ADL rated",
            ADL_CHECKLIST,
            bool(section_content(evaluation, ADL_CHECKLIST)["ratings"]),
        ),
        Requirement("Assessment summary", ASSESSMENT_AND_PLAN, bool(evaluation.assessment_summary.strip())),
        Requirement(
            "At least one long-term goal",
            ASSESSMENT_AND_PLAN,
            any(goal.term == GoalTerm.LONG for goal in plan["goals"]),
        ),
        Requirement(
            "Frequency (sessions per week) and duration (weeks)",
            ASSESSMENT_AND_PLAN,
            bool(evaluation.sessions_per_week and evaluation.duration_weeks),
        ),
        Requirement("At least one intervention", ASSESSMENT_AND_PLAN, bool(plan["interventions"])),
    ]


def list_signable_baselines(*, viewer: User, patient) -> QuerySet[Evaluation]:
    """Signed evaluations of the patient a re-evaluation or discharge can compare with."""
    return list_evaluations(viewer=viewer).filter(patient=patient).signed()


def patient_trends(*, viewer: User, patient, up_to=None) -> list:
    """Key measures across the patient's signed evaluations, oldest first: the highest pain,
    Timed Up and Go, grip per hand (mean of trials) and the number of ADLs done independently.
    Only measures recorded at least twice are drawn. A fixed number of queries."""
    from django.db.models import Prefetch

    from evaluations.charts import Series
    from evaluations.models import ActivityRating, GripMeasurement, NeuromuscularMeasurement, PainPoint

    if not can_read_content(viewer):
        return []
    evaluations = list_evaluations(viewer=viewer).filter(patient=patient).signed()
    if up_to is not None:
        evaluations = evaluations.filter(date_of_service__lte=up_to)
    evaluations = evaluations.order_by("date_of_service", "signed_at").prefetch_related(
        Prefetch("pain_points", queryset=PainPoint.objects.all()),
        Prefetch(
            "neuromuscular_measurements", queryset=NeuromuscularMeasurement.objects.select_related("test")
        ),
        Prefetch("grip_measurements", queryset=GripMeasurement.objects.all()),
        Prefetch("activity_ratings", queryset=ActivityRating.objects.select_related("activity")),
    )
    pain, tug, grip_right, grip_left, adl = [], [], [], [], []
    for evaluation in evaluations:
        when = f"{evaluation.date_of_service:%m/%d/%y}"
        points = list(evaluation.pain_points.all())
        if points:
            pain.append((when, max(point.intensity for point in points)))
        for row in evaluation.neuromuscular_measurements.all():
            if row.test.code == "timed_up_and_go":
                tug.append((when, float(row.value)))
        for row in evaluation.grip_measurements.all():
            trials = row.trials
            (grip_right if row.hand == "right" else grip_left).append(
                (when, round(sum(float(t) for t in trials) / len(trials), 1))
            )
        ratings = [r for r in evaluation.activity_ratings.all() if r.activity.category == "adl"]
        if ratings:
            adl.append(
                (when, sum(r.assist_level in ("independent", "modified_independent") for r in ratings))
            )
    series = [
        Series("Highest pain", "0-10", pain, lower_is_better=True),
        Series("Timed Up and Go", "s", tug, lower_is_better=True),
        Series("Grip, right", "kg", grip_right),
        Series("Grip, left", "kg", grip_left),
        Series("ADLs done independently", "count", adl),
    ]
    return [s for s in series if len(s.points) >= 2]
