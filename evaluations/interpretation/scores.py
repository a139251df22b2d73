"""The instrument score of each recorded row, and the COPM scores. Computed on read, never
stored, from the record's loaded rows (no queries)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings

from evaluations import instruments
from evaluations.choices import HandDominance
from evaluations.instruments import InvalidInput, Score, registry
from evaluations.instruments.proms import PsfsResult, psfs

if TYPE_CHECKING:
    from evaluations.interpretation.record import EvaluationRecord

ScoreKey = tuple[str, int]  # (row list key, row id)


def grip_value(trials: list[Decimal]) -> float:
    """The clinic's grip (or pinch) score from its trials: the mean (Mathiowetz 1985 protocol) or
    the best, as settings.GRIP_SCORE says. Every use (scores, findings, progress, trends) reads it."""
    values = [float(t) for t in trials]
    if settings.GRIP_SCORE == "best":
        return max(values)
    return round(sum(values) / len(values), 1)


def grip_method() -> str:
    return "best trial" if settings.GRIP_SCORE == "best" else "mean of trials"


def _safe(compute: Callable[..., Score], *args: Any, **kwargs: Any) -> Score | None:
    """The score, or None where the recorded value cannot be scored (out of the instrument's range)."""
    try:
        return compute(*args, **kwargs)
    except InvalidInput:
        return None


TIMED_UP_AND_GO = "timed_up_and_go"  # catalogue code of the Timed Up and Go test


def _chair_stand(value: float, *, age: int, sex: str) -> Score:
    return instruments.chair_stand_30s(int(value), age=age, sex=sex, table=settings.CHAIR_STAND_TABLE)


# Neuromuscular tests scored against a reference, by catalogue code; the others are reported as recorded.
NEUROMUSCULAR_SCORES: dict[str, Callable[..., Score]] = {
    TIMED_UP_AND_GO: instruments.timed_up_and_go,
    "nine_hole_peg": instruments.nine_hole_peg,
    "ruler_drop": instruments.ruler_drop,
    "chair_stand_30s": _chair_stand,
}
NEEDS_AGE_AND_SEX = frozenset({"chair_stand_30s"})


def instrument_score(row: Any) -> Score:
    """A screen's or scale's score from the registry: from its items when they were entered (the
    notes say so), else from its total."""
    instrument = registry.get(row.instrument)
    return instrument.score(
        total=row.total_score,
        items=row.items or None,
        education_years=getattr(row, "education_years", None),
    )


def row_scores(record: EvaluationRecord) -> dict[ScoreKey, Score]:
    """Score per row of the loaded sections that have instruments, keyed by (list key, row id)."""
    evaluation = record.evaluation
    patient = evaluation.patient
    age = patient.age_on(evaluation.date_of_service)
    sex = patient.sex
    scores: dict[ScoreKey, Score | None] = {}
    if record.has_rows("range_of_motion_measurements"):
        for rom in record.range_of_motion:
            scores[("range_of_motion", rom.pk)] = _safe(
                instruments.range_of_motion, rom.joint_motion.code, rom.degrees
            )
    if record.has_rows("pinch_measurements"):
        dominance = evaluation.profile.hand_dominance
        for pinch in record.pinch:
            role = (
                None
                if dominance not in (HandDominance.LEFT, HandDominance.RIGHT)
                else ("dominant" if pinch.hand == dominance else "non_dominant")
            )
            scores[("pinch", pinch.pk)] = _safe(
                instruments.pinch_strength,
                grip_value(pinch.trials),
                pinch=pinch.pinch,
                age=age,
                sex=sex,
                hand_role=role,
            )
    if record.has_rows("grip_measurements"):
        for grip in record.grip:
            scores[("grip", grip.pk)] = _safe(
                instruments.grip_strength, grip_value(grip.trials), age=age, sex=sex, hand=grip.hand
            )
    if record.has_rows("neuromuscular_measurements"):
        for test in record.neuromuscular_tests:
            code = test.test.code
            compute = NEUROMUSCULAR_SCORES.get(code)
            if compute is not None:
                extra = {"age": age, "sex": sex} if code in NEEDS_AGE_AND_SEX else {}
                scores[("tests", test.pk)] = _safe(compute, float(test.value), **extra)
    if record.has_rows("cognitive_screens"):
        for screen in record.cognitive_screens:
            scores[("screens", screen.pk)] = _safe(instrument_score, screen)
    if record.has_rows("functional_scale_scores"):
        for scale in record.functional_scales:
            scores[("scales", scale.pk)] = _safe(instrument_score, scale)
    if record.has_rows("pain_points"):
        for point in record.pain_points:
            scores[("pain_points", point.pk)] = _safe(
                instruments.pain_nrs, point.intensity, scheme=settings.PAIN_BANDS
            )
    return {key: score for key, score in scores.items() if score is not None}


def copm_scores(record: EvaluationRecord, baseline: EvaluationRecord | None = None) -> dict[str, Score]:
    """COPM performance and satisfaction scores (and their change against a baseline's), or {}."""
    problems = record.copm_problems
    if not problems:
        return {}
    before = baseline.copm_problems if baseline is not None else []
    try:
        return instruments.copm(
            [(p.performance, p.satisfaction) for p in problems],
            baseline=[(p.performance, p.satisfaction) for p in before] or None,
        )
    except InvalidInput:
        return {}


def psfs_score(record: EvaluationRecord, baseline: EvaluationRecord | None = None) -> PsfsResult | None:
    """The Patient-Specific Functional Scale mean (and its change over the activities rated at the
    baseline too), or None when no activity is rated."""
    activities = record.psfs_activities
    if not activities:
        return None
    before = {a.activity: a.rating for a in baseline.psfs_activities} if baseline is not None else None
    try:
        return psfs({a.activity: a.rating for a in activities}, baseline=before or None)
    except InvalidInput:
        return None
