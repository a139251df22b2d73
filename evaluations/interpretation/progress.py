"""A re-evaluation against its baseline: per measure, the value then and now and what the change
means (with the instrument's meaningful-change rule where one exists), and each goal's status."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from evaluations.choices import AssistLevel, CognitiveInstrument, FunctionalScale
from evaluations.instruments import mmt_rank, moca
from evaluations.interpretation.scores import copm_scores, grip_value
from occupations.choices import MeasurementUnit

if TYPE_CHECKING:
    from datetime import date

    from evaluations.interpretation.record import EvaluationRecord
    from evaluations.models import Evaluation

ASSIST_ORDER = list(AssistLevel.values)  # most independent first
PAIN_MEANINGFUL = 2  # NRS: a change of 2 points or more is clinically meaningful (instruments.md §9)


@dataclass
class MeasureChange:
    measure: str
    before: str
    now: str
    change: str
    meaning: str


@dataclass
class GoalStatus:
    description: str
    target_on: date
    status: str


@dataclass
class Progress:
    baseline: Evaluation
    measures: list[MeasureChange] = field(default_factory=list)
    goals: list[GoalStatus] = field(default_factory=list)


def _direction(delta: float, *, higher_is_better: bool = True) -> str:
    if delta == 0:
        return "unchanged"
    return "improved" if (delta > 0) == higher_is_better else "declined"


def _pairs(then_rows: list[Any], now_rows: list[Any], key: Any) -> list[tuple[Any, Any, Any]]:
    before = {key(row): row for row in then_rows}
    return [(k, before[k], row) for row in now_rows if (k := key(row)) in before]


def _moca(row: Any) -> int:
    return int(moca(row.total_score, education_years=row.education_years).value)


def progress(record: EvaluationRecord, baseline: EvaluationRecord) -> Progress:
    """Both records must hold the rows compared (selectors.fetch_record with a baseline)."""
    result = Progress(baseline.evaluation)
    evaluation = record.evaluation
    add = result.measures.append
    for (muscle, side), a, b in _pairs(
        baseline.strength, record.strength, lambda r: (r.muscle_group.label, r.side)
    ):
        steps = mmt_rank(b.grade) - mmt_rank(a.grade)
        add(
            MeasureChange(
                f"Strength, {muscle.lower()} ({side})",
                a.grade,
                b.grade,
                f"{steps:+d} grade steps",
                _direction(steps),
            )
        )
    for (motion, side, mode), a, b in _pairs(
        baseline.range_of_motion, record.range_of_motion, lambda r: (r.joint_motion.label, r.side, r.mode)
    ):
        delta = b.degrees - a.degrees
        add(
            MeasureChange(
                f"{motion} ({side}, {mode})",
                f"{a.degrees}°",
                f"{b.degrees}°",
                f"{delta:+d}°",
                _direction(delta),
            )
        )
    for hand, a, b in _pairs(baseline.grip, record.grip, lambda r: r.hand):
        before_kg, now_kg = grip_value(a.trials), grip_value(b.trials)
        delta = round(now_kg - before_kg, 1)
        add(
            MeasureChange(
                f"Grip ({hand})", f"{before_kg:g} kg", f"{now_kg:g} kg", f"{delta:+g} kg", _direction(delta)
            )
        )
    for (test, side), a, b in _pairs(
        baseline.neuromuscular_tests, record.neuromuscular_tests, lambda r: (r.test.label, r.side)
    ):
        delta = round(float(b.value - a.value), 2)
        unit = "" if a.test.unit == MeasurementUnit.COUNT else f" {a.test.unit}"
        where = "" if side == "none" else f" ({side})"
        add(
            MeasureChange(
                f"{test}{where}",
                f"{a.value.normalize():f}{unit}",
                f"{b.value.normalize():f}{unit}",
                f"{delta:+g}{unit}",
                _direction(delta, higher_is_better=not a.test.lower_is_better),
            )
        )
    for (region, side), a, b in _pairs(
        baseline.pain_points, record.pain_points, lambda r: (r.region.label, r.side)
    ):
        delta = b.intensity - a.intensity
        meaning = _direction(delta, higher_is_better=False)
        if delta:
            meaning += (
                " (clinically meaningful, ≥ 2 points)"
                if abs(delta) >= PAIN_MEANINGFUL
                else " (under the 2-point meaningful change)"
            )
        add(
            MeasureChange(
                f"Pain, {region.lower()} ({side})",
                f"{a.intensity}/10",
                f"{b.intensity}/10",
                f"{delta:+d}",
                meaning,
            )
        )
    ratings_then = {r.activity_id: r for r in baseline.activity_ratings}
    ratings_now = {r.activity_id: r for r in record.activity_ratings}
    for activity_id, b in ratings_now.items():
        a = ratings_then.get(activity_id)
        if a is None:
            continue
        steps = ASSIST_ORDER.index(a.assist_level) - ASSIST_ORDER.index(b.assist_level)
        add(
            MeasureChange(
                b.activity.label,
                a.get_assist_level_display(),
                b.get_assist_level_display(),
                f"{steps:+d} levels",
                _direction(steps),
            )
        )
    for _instrument, a, b in _pairs(
        baseline.cognitive_screens, record.cognitive_screens, lambda r: r.instrument
    ):
        # MoCA is compared on the education-adjusted score, the one its cut-off applies to.
        before, after = (
            (_moca(a), _moca(b))
            if a.instrument == CognitiveInstrument.MOCA
            else (a.total_score, b.total_score)
        )
        delta = after - before
        add(
            MeasureChange(
                a.get_instrument_display(), str(before), str(after), f"{delta:+d}", _direction(delta)
            )
        )

    for _scale, a, b in _pairs(baseline.functional_scales, record.functional_scales, lambda r: r.instrument):
        delta = b.total_score - a.total_score
        meaning = _direction(delta)
        if a.instrument == FunctionalScale.BARTHEL and delta:
            # Collin & Wade 1988: more than 2 points on the 20-point form (10 on 0-100) is probably genuine.
            meaning += (
                " (probably genuine, > 10 points)"
                if abs(delta) > 10
                else " (within 10 points: may be measurement noise)"
            )
        add(
            MeasureChange(
                a.get_instrument_display(), str(a.total_score), str(b.total_score), f"{delta:+d}", meaning
            )
        )

    copm = copm_scores(record, baseline)
    for key in ("performance", "satisfaction"):
        change = copm.get(f"{key}_change")
        if change is not None:
            before = round(copm[key].value - change.value, 1)
            add(
                MeasureChange(
                    f"COPM {key}",
                    f"{before:g}/10",
                    f"{copm[key].value:g}/10",
                    f"{change.value:+g}",
                    change.interpretation or "",
                )
            )

    for goal in baseline.goals:
        if goal.activity_id is None:
            status = "not tied to an activity: the therapist judges it"
        elif goal.activity_id in ratings_now:
            rating = ratings_now[goal.activity_id]
            earlier = ratings_then.get(goal.activity_id)
            level = rating.get_assist_level_display().lower()
            if AssistLevel.is_independent(rating.assist_level):
                status = f"activity now {level}"
            elif earlier is not None and ASSIST_ORDER.index(rating.assist_level) < ASSIST_ORDER.index(
                earlier.assist_level
            ):
                status = f"progressing: activity now {level}"
            else:
                status = f"not yet: activity {level}"
        else:
            status = "activity not rated in this evaluation"
        if goal.target_on < evaluation.date_of_service and not status.startswith("activity now"):
            status += f"; target date {goal.target_on:%m/%d/%Y} passed"
        result.goals.append(GoalStatus(goal.description, goal.target_on, status))
    return result
