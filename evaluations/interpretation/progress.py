"""A re-evaluation against its baseline: per measure, the value then and now and what the change
means, and each goal's status. A change is called improved or declined only when it reaches the
measure's measurement error (instruments.measurement_error, with its source); a smaller change is
"no meaningful change", and a measure with no usable published value is shown, not interpreted."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from evaluations.choices import AssistLevel, CognitiveInstrument
from evaluations.choices import GoalStatus as GoalStatusChoice
from evaluations.instruments import measurement_error, mmt_rank, moca
from evaluations.instruments.measurement_error import Kind, Lookup, Threshold
from evaluations.interpretation.scores import copm_scores, grip_value, psfs_score
from occupations.choices import MeasurementUnit

if TYPE_CHECKING:
    from datetime import date

    from evaluations.interpretation.record import EvaluationRecord
    from evaluations.models import Evaluation

ASSIST_ORDER = list(AssistLevel.values)  # most independent first
NOT_INTERPRETED = "not interpreted: no published measurement error"


@dataclass
class MeasureChange:
    measure: str
    before: str
    now: str
    change: str
    meaning: str
    threshold: str = ""  # the measurement error the change was judged against, with its source


@dataclass
class GoalProgress:
    description: str
    target_on: date
    status: str


@dataclass(frozen=True)
class GoalSuggestion:
    status: str  # a GoalStatus value
    label: str
    reason: str


def suggest_goal_status(goal: Any, now: Any, then: Any) -> GoalSuggestion | None:
    """What the linked activity's ratings suggest about a baseline goal; the therapist decides.
    Met: the activity is rated at or above the goal's target level (or, without one, done without
    a helper). Partially met: better than at baseline, not yet there. Not met: no better. No
    suggestion without a linked activity rated today."""
    if goal.activity_id is None or now is None:
        return None
    level = now.get_assist_level_display().lower()
    target = goal.target_level
    reached = (
        ASSIST_ORDER.index(now.assist_level) <= ASSIST_ORDER.index(target)
        if target
        else AssistLevel.is_independent(now.assist_level)
    )
    aim = f"target {goal.get_target_level_display().lower()}" if target else "target: without a helper"
    if reached:
        return GoalSuggestion(
            GoalStatusChoice.MET, str(GoalStatusChoice.MET.label), f"activity now {level} ({aim})"
        )
    if then is not None and ASSIST_ORDER.index(now.assist_level) < ASSIST_ORDER.index(then.assist_level):
        return GoalSuggestion(
            GoalStatusChoice.PARTIALLY_MET,
            str(GoalStatusChoice.PARTIALLY_MET.label),
            f"activity now {level}, better than {then.get_assist_level_display().lower()} ({aim})",
        )
    return GoalSuggestion(
        GoalStatusChoice.NOT_MET, str(GoalStatusChoice.NOT_MET.label), f"activity {level} ({aim})"
    )


@dataclass
class Progress:
    baseline: Evaluation
    measures: list[MeasureChange] = field(default_factory=list)
    goals: list[GoalProgress] = field(default_factory=list)


def meaning(delta: float, threshold: Lookup, *, before: float = 0, higher_is_better: bool = True) -> str:
    """What a change means against the measure's threshold (outcome-measures.md §0)."""
    if delta == 0:
        return "unchanged"
    if not isinstance(threshold, Threshold):
        return NOT_INTERPRETED
    if threshold.reached_by(delta, before):
        return "improved" if (delta > 0) == higher_is_better else "declined"
    if threshold.kind == Kind.IMPORTANT:
        return f"no meaningful change: under the {threshold.short}"
    return f"no meaningful change: within measurement error ({threshold.short})"


def _pairs(then_rows: list[Any], now_rows: list[Any], key: Any) -> list[tuple[Any, Any, Any]]:
    before = {key(row): row for row in then_rows}
    return [(k, before[k], row) for row in now_rows if (k := key(row)) in before]


def _moca(row: Any) -> int:
    return int(moca(row.total_score, education_years=row.education_years).value)


def _percent(delta: float, before: float) -> str:
    return f" ({delta / before * 100:+.0f}%)" if before else ""


def progress(record: EvaluationRecord, baseline: EvaluationRecord) -> Progress:
    """Both records must hold the rows compared (selectors.fetch_record with a baseline)."""
    result = Progress(baseline.evaluation)
    evaluation = record.evaluation
    # Same-rater error applies only when the same therapist measured both times (§0).
    same = evaluation.therapist_id == baseline.evaluation.therapist_id

    def add(
        measure: str,
        before: str,
        now: str,
        change: str,
        delta: float,
        threshold: Lookup,
        *,
        start: float = 0,
        higher_is_better: bool = True,
    ) -> None:
        result.measures.append(
            MeasureChange(
                measure,
                before,
                now,
                change,
                meaning(delta, threshold, before=start, higher_is_better=higher_is_better),
                threshold.description,
            )
        )

    for (muscle, side), a, b in _pairs(
        baseline.strength, record.strength, lambda r: (r.muscle_group.label, r.side)
    ):
        steps = mmt_rank(b.grade) - mmt_rank(a.grade)
        add(
            f"Strength, {muscle.lower()} ({side})",
            a.grade,
            b.grade,
            f"{steps:+d} grade steps",
            steps,
            measurement_error.manual_muscle_test(),
        )
    for (motion, side, mode), a, b in _pairs(
        baseline.range_of_motion, record.range_of_motion, lambda r: (r.joint_motion, r.side, r.mode)
    ):
        delta = b.degrees - a.degrees
        add(
            f"{motion.label} ({side}, {mode})",
            f"{a.degrees}°",
            f"{b.degrees}°",
            f"{delta:+d}°",
            delta,
            measurement_error.range_of_motion(motion.code, same_therapist=same),
        )
    for hand, a, b in _pairs(baseline.grip, record.grip, lambda r: r.hand):
        before_kg, now_kg = grip_value(a.trials), grip_value(b.trials)
        delta = round(now_kg - before_kg, 1)
        add(
            f"Grip ({hand})",
            f"{before_kg:g} kg",
            f"{now_kg:g} kg",
            f"{delta:+g} kg",
            delta,
            measurement_error.grip(),
        )
    for (pinch, hand), a, b in _pairs(baseline.pinch, record.pinch, lambda r: (r.pinch, r.hand)):
        before_kg, now_kg = grip_value(a.trials), grip_value(b.trials)
        delta = round(now_kg - before_kg, 1)
        add(
            f"Pinch, {pinch} ({hand})",
            f"{before_kg:g} kg",
            f"{now_kg:g} kg",
            f"{delta:+g} kg",
            delta,
            measurement_error.pinch(),
        )
    for (test, side), a, b in _pairs(
        baseline.neuromuscular_tests, record.neuromuscular_tests, lambda r: (r.test, r.side)
    ):
        then, now = float(a.value), float(b.value)
        delta = round(now - then, 2)
        unit = "" if test.unit == MeasurementUnit.COUNT else f" {test.unit}"
        where = "" if side == "none" else f" ({side})"
        threshold = measurement_error.timed_or_counted_test(test.code, same_therapist=same)
        relative = isinstance(threshold, Threshold) and threshold.relative
        add(
            f"{test.label}{where}",
            f"{a.value.normalize():f}{unit}",
            f"{b.value.normalize():f}{unit}",
            f"{delta:+g}{unit}" + (_percent(delta, then) if relative and delta else ""),
            delta,
            threshold,
            start=then,
            higher_is_better=not test.lower_is_better,
        )
    for (region, side), a, b in _pairs(
        baseline.pain_points, record.pain_points, lambda r: (r.region.label, r.side)
    ):
        delta = b.intensity - a.intensity
        add(
            f"Pain, {region.lower()} ({side})",
            f"{a.intensity}/10",
            f"{b.intensity}/10",
            # The percent change is shown too: it is more stable across baselines (Farrar 2001).
            f"{delta:+d}" + (_percent(delta, a.intensity) if delta else ""),
            delta,
            measurement_error.PAIN_NRS,
            higher_is_better=False,
        )
    ratings_then = {r.activity_id: r for r in baseline.activity_ratings}
    ratings_now = {r.activity_id: r for r in record.activity_ratings}
    for activity_id, b in ratings_now.items():
        a = ratings_then.get(activity_id)
        if a is None:
            continue
        steps = ASSIST_ORDER.index(a.assist_level) - ASSIST_ORDER.index(b.assist_level)
        add(
            b.activity.label,
            a.get_assist_level_display(),
            b.get_assist_level_display(),
            f"{steps:+d} levels",
            steps,
            measurement_error.ASSIST_LEVEL,
        )
    for instrument, a, b in _pairs(
        baseline.cognitive_screens, record.cognitive_screens, lambda r: r.instrument
    ):
        # MoCA is compared on the education-adjusted score, the one its cut-off applies to.
        before, after = (
            (_moca(a), _moca(b)) if instrument == CognitiveInstrument.MOCA else (a.total_score, b.total_score)
        )
        delta = after - before
        add(
            a.get_instrument_display(),
            str(before),
            str(after),
            f"{delta:+d}",
            delta,
            measurement_error.scale(instrument),
        )

    for instrument, a, b in _pairs(
        baseline.functional_scales, record.functional_scales, lambda r: r.instrument
    ):
        delta = b.total_score - a.total_score
        add(
            a.get_instrument_display(),
            str(a.total_score),
            str(b.total_score),
            f"{delta:+d}",
            delta,
            measurement_error.scale(instrument),
        )

    copm = copm_scores(record, baseline)
    for key in ("performance", "satisfaction"):
        change = copm.get(f"{key}_change")
        if change is not None:
            before = round(copm[key].value - change.value, 2)
            result.measures.append(
                MeasureChange(
                    f"COPM {key}",
                    f"{before:g}/10",
                    f"{copm[key].value:g}/10",
                    f"{change.value:+g}",
                    change.interpretation or "",
                    measurement_error.COPM.description,
                )
            )

    psfs_now = psfs_score(record, baseline)
    if psfs_now is not None and psfs_now.change is not None:
        shared = list(psfs_now.activity_changes or {})
        now_shared = round(sum(psfs_now.activities[name] for name in shared) / len(shared), 2)
        result.measures.append(
            MeasureChange(
                f"PSFS mean of the {len(shared)} activit{'y' if len(shared) == 1 else 'ies'} rated both times",
                f"{round(now_shared - psfs_now.change.value, 2):g}/10",
                f"{now_shared:g}/10",
                f"{psfs_now.change.value:+g}",
                psfs_now.change.meaning,
                psfs_now.change.threshold,
            )
        )

    continued = {goal.baseline_goal: goal for goal in record.goals if goal.baseline_goal}
    for number, goal in enumerate(baseline.goals, start=1):
        activity = goal.activity_id
        suggestion = suggest_goal_status(
            goal,
            ratings_now.get(activity) if activity is not None else None,
            ratings_then.get(activity) if activity is not None else None,
        )
        judged = continued.get(number)
        if judged is not None and judged.status:
            status = str(judged.get_status_display())
            if judged.status_note:
                status += f": {judged.status_note}"
            if suggestion is not None and suggestion.status != judged.status:
                status += f" (suggested {suggestion.label.lower()}: {suggestion.reason})"
        elif suggestion is not None:
            status = f"not yet judged; suggested {suggestion.label.lower()}: {suggestion.reason}"
        else:
            status = "not yet judged" + ("" if goal.activity_id else " (not tied to an activity)")
        result.goals.append(GoalProgress(goal.description, goal.target_on, status))
    return result
