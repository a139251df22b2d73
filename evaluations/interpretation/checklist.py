"""What signing needs: the record's required content (the Medicare plan-of-care minimum) and a
CPT code that fits the kind of evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from evaluations.choices import CptCode, EvaluationKind, GoalTerm
from evaluations.sections import ADL_CHECKLIST, ASSESSMENT_AND_PLAN, BILLING, PHYSICAL, PROFILE, Section

if TYPE_CHECKING:
    from evaluations.interpretation.record import EvaluationRecord

INITIAL_CODES = (CptCode.LOW, CptCode.MODERATE, CptCode.HIGH)


@dataclass(frozen=True)
class Requirement:
    """Something a signed evaluation must contain."""

    label: str
    section: Section
    is_met: bool


def signing_requirements(record: EvaluationRecord) -> list[Requirement]:
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
            any(record.rows(rows) for rows in PHYSICAL.rows),
        ),
        Requirement("At least one ADL rated", ADL_CHECKLIST, bool(record.adl_ratings)),
        Requirement("Assessment summary", ASSESSMENT_AND_PLAN, bool(evaluation.assessment_summary.strip())),
        Requirement(
            "At least one long-term goal",
            ASSESSMENT_AND_PLAN,
            any(goal.term == GoalTerm.LONG for goal in record.goals),
        ),
        Requirement(
            "Frequency (sessions per week) and duration (weeks)",
            ASSESSMENT_AND_PLAN,
            bool(evaluation.sessions_per_week and evaluation.duration_weeks),
        ),
        Requirement("At least one intervention", ASSESSMENT_AND_PLAN, bool(record.interventions)),
    ]


def billing_requirement(record: EvaluationRecord) -> Requirement:
    """A CPT code that fits the kind of evaluation; a code other than the suggestion needs a reason."""
    evaluation = record.evaluation
    suggestion = record.cpt
    chosen = evaluation.cpt_code
    has_change = bool(evaluation.cpt_documented_change.strip())
    if evaluation.kind == EvaluationKind.INITIAL:
        fits = chosen in INITIAL_CODES
        label = "CPT code 97165, 97166 or 97167 confirmed"
    elif evaluation.kind == EvaluationKind.RE_EVALUATION:
        fits = chosen == CptCode.RE_EVALUATION and has_change
        label = "CPT 97168 confirmed, with the documented change that makes it billable"
    else:  # discharge: billed only as a re-evaluation with a documented change, or not at all
        fits = chosen == "" or (chosen == CptCode.RE_EVALUATION and has_change)
        label = "No CPT code, or 97168 with a documented change"
    agrees = not chosen or chosen == suggestion.code or bool(evaluation.cpt_override_reason.strip())
    if suggestion.code:
        different = chosen and chosen != suggestion.code
        label += f" (suggested {suggestion.code}" + (
            "; a different code needs a reason)" if different else ")"
        )
    return Requirement(label, BILLING, fits and agrees)


def signing_checklist(record: EvaluationRecord) -> list[Requirement]:
    """Everything signing needs: the record's content, and the CPT code."""
    return [*signing_requirements(record), billing_requirement(record)]
