"""What signing needs: the record's required content (the Medicare plan-of-care minimum) and a
CPT code that fits the kind of evaluation; and, from the same rules, each section's state for the
section menu.

The content rules ask only whether rows exist (`Facts.any_rows`), so they are judged the same on a
fully loaded record and on one query of row presence (selectors.row_presence), which the section
pages read instead of every row table."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from common.models import concrete_field
from evaluations.choices import CptCode, EvaluationKind, GoalTerm
from evaluations.sections import (
    ADL_CHECKLIST,
    ASSESSMENT_AND_PLAN,
    BILLING,
    PHYSICAL,
    PROFILE,
    SECTIONS,
    RowList,
    Section,
)

if TYPE_CHECKING:
    from evaluations.interpretation.record import EvaluationRecord
    from evaluations.models import Evaluation

INITIAL_CODES = (CptCode.LOW, CptCode.MODERATE, CptCode.HIGH)


class Facts(Protocol):
    """What the content rules read: the evaluation (with its profile) and whether rows exist."""

    @property
    def evaluation(self) -> Evaluation: ...

    def any_rows(self, spec: RowList, **equal: Any) -> bool:
        """Whether the list has a row (whose fields equal `equal`, when given)."""
        ...


def _spec(section: Section, key: str) -> RowList:
    return next(spec for spec in section.rows if spec.key == key)


GOALS = _spec(ASSESSMENT_AND_PLAN, "goals")
INTERVENTIONS = _spec(ASSESSMENT_AND_PLAN, "interventions")
ADL_RATINGS = ADL_CHECKLIST.rows[0]
LONG_TERM: dict[str, Any] = {"term": GoalTerm.LONG}
# The questions beyond "does the list have any row" that the content rules ask.
ROW_QUESTIONS: tuple[tuple[RowList, dict[str, Any]], ...] = ((GOALS, LONG_TERM),)


@dataclass(frozen=True)
class Requirement:
    """Something a signed evaluation must contain."""

    label: str
    section: Section
    is_met: bool


def signing_requirements(record: Facts) -> list[Requirement]:
    """What must be recorded before signing: the occupational profile's reason for therapy,
    at least one physical-function measurement, ADL ratings, an assessment, a long-term
    goal, and a plan of care with frequency, duration and interventions (the Medicare plan
    of care minimum, Benefit Policy Manual ch. 15 §220)."""
    evaluation = record.evaluation
    return [
        Requirement(
            "Why the person is seeking therapy", PROFILE, bool(evaluation.profile.reason_for_therapy.strip())
        ),
        Requirement(
            "At least one strength, range-of-motion, flexibility or grip measurement",
            PHYSICAL,
            any(record.any_rows(rows) for rows in PHYSICAL.rows),
        ),
        Requirement("At least one ADL rated", ADL_CHECKLIST, record.any_rows(ADL_RATINGS)),
        Requirement("Assessment summary", ASSESSMENT_AND_PLAN, bool(evaluation.assessment_summary.strip())),
        Requirement(
            "At least one long-term goal",
            ASSESSMENT_AND_PLAN,
            record.any_rows(GOALS, **LONG_TERM),
        ),
        Requirement(
            "Frequency (sessions per week) and duration (weeks)",
            ASSESSMENT_AND_PLAN,
            bool(evaluation.sessions_per_week and evaluation.duration_weeks),
        ),
        Requirement("At least one intervention", ASSESSMENT_AND_PLAN, record.any_rows(INTERVENTIONS)),
    ]


def code_requirement(evaluation: Evaluation) -> Requirement:
    """A CPT code that fits the kind of evaluation (not yet compared with the suggestion)."""
    chosen = evaluation.cpt_code
    has_change = bool(evaluation.cpt_documented_change.strip())
    if evaluation.kind == EvaluationKind.INITIAL:
        fits = chosen in INITIAL_CODES
        label = "CPT code 97165, 97166 or 97167 confirmed"
    elif evaluation.kind == EvaluationKind.RE_EVALUATION:
        fits = chosen == CptCode.RE_EVALUATION and has_change
        label = "CPT 97168 confirmed, with the documented change that makes it billable"
    elif evaluation.kind == EvaluationKind.PROGRESS_REPORT:
        fits = chosen == ""
        label = "No CPT code (a progress report is part of treatment, not billed as an evaluation)"
    else:  # discharge: billed only as a re-evaluation with a documented change, or not at all
        fits = chosen == "" or (chosen == CptCode.RE_EVALUATION and has_change)
        label = "No CPT code, or 97168 with a documented change"
    return Requirement(label, BILLING, fits)


def billing_requirement(record: EvaluationRecord) -> Requirement:
    """A CPT code that fits the kind of evaluation; a code other than the suggestion needs a reason."""
    evaluation = record.evaluation
    suggestion = record.cpt
    chosen = evaluation.cpt_code
    fits = code_requirement(evaluation).is_met
    label = code_requirement(evaluation).label
    agrees = not chosen or chosen == suggestion.code or bool(evaluation.cpt_override_reason.strip())
    if suggestion.code:
        different = chosen and chosen != suggestion.code
        label += f" (suggested {suggestion.code}" + (
            "; a different code needs a reason)" if different else ")"
        )
    return Requirement(label, BILLING, fits and agrees)


def goals_judged_requirement(record: EvaluationRecord) -> Requirement | None:
    """A re-evaluation or discharge judges every goal of its baseline: each has a status (met,
    partially met, not met, continued, modified, discontinued). Needs the baseline loaded."""
    baseline = record.baseline
    if baseline is None or not baseline.goals:
        return None
    judged = {goal.baseline_goal for goal in record.goals if goal.baseline_goal and goal.status}
    count = len(baseline.goals)
    return baseline_goals_judged(baseline.evaluation, count, len(judged & set(range(1, count + 1))))


def baseline_goals_judged(baseline: Evaluation, goals: int, judged: int) -> Requirement:
    """The requirement when `judged` of the baseline's `goals` goals have a status (counted by the
    caller: from the loaded goals when signing, from one query in the section menu)."""
    missing = goals - judged
    label = f"A status for each goal of the {baseline.date_of_service:%m/%d/%Y} evaluation"
    if missing:
        label += f" ({missing} not judged yet)"
    return Requirement(label, ASSESSMENT_AND_PLAN, missing == 0)


def signing_checklist(record: EvaluationRecord) -> list[Requirement]:
    """Everything signing needs: the record's content, the baseline's goals judged, and the CPT code."""
    goals = goals_judged_requirement(record)
    return [*signing_requirements(record), *([goals] if goals else []), billing_requirement(record)]


class SectionState(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    COMPLETE = "complete"


def _has_fields(evaluation: Evaluation, section: Section) -> bool:
    """Any of the section's own fields set to something other than its default."""
    targets: list[tuple[Any, str]] = [(evaluation, name) for name in section.evaluation_fields]
    targets += [(evaluation.profile, name) for name in section.profile_fields]
    for target, name in targets:
        value = getattr(target, name)
        if value not in (None, "", concrete_field(type(target), name).get_default()):
            return True
    return False


def section_states(record: Facts, checklist: list[Requirement]) -> dict[Section, SectionState]:
    """Each section: not started (nothing recorded), in progress (something recorded, but what
    signing needs from it is missing) or complete."""
    states = {}
    for section in SECTIONS:
        started = _has_fields(record.evaluation, section) or any(record.any_rows(s) for s in section.rows)
        missing = any(not r.is_met for r in checklist if r.section is section)
        states[section] = (
            SectionState.NOT_STARTED
            if not started
            else SectionState.IN_PROGRESS
            if missing
            else SectionState.COMPLETE
        )
    return states
