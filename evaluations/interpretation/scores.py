"""The instrument score of each recorded row, and the COPM scores. Computed on read, never
stored, from the record's loaded rows (no queries)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings

from evaluations import instruments
from evaluations.choices import CognitiveInstrument, FunctionalScale, HandDominance
from evaluations.instruments import InvalidInput, Score

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


def _safe(compute: Callable[[], Score]) -> Score | None:
    try:
        return compute()
    except InvalidInput:
        return None


TIMED_UP_AND_GO = "timed_up_and_go"  # catalogue code of the Timed Up and Go test

NEUROMUSCULAR_SCORES: dict[str, Callable[[float, int, str], Score]] = {
    TIMED_UP_AND_GO: lambda value, age, sex: instruments.timed_up_and_go(value),
    "nine_hole_peg": lambda value, age, sex: instruments.nine_hole_peg(value),
    "ruler_drop": lambda value, age, sex: instruments.ruler_drop(value),
    "chair_stand_30s": lambda value, age, sex: instruments.chair_stand_30s(int(value), age=age, sex=sex),
}

SCREEN_SCORES: dict[str, Callable[[int, int | None], Score]] = {
    CognitiveInstrument.MOCA: lambda total, years: instruments.moca(total, education_years=years),
    CognitiveInstrument.SLUMS: lambda total, years: instruments.slums(total, education_years=years),
    CognitiveInstrument.MINI_COG: lambda total, years: instruments.mini_cog(total),
}

SCALE_SCORES: dict[str, Callable[[int], Score]] = {
    FunctionalScale.LAWTON: lambda total: instruments.lawton_total(total),
    FunctionalScale.LAWTON_FIVE: lambda total: instruments.lawton_total(total, domains=5),
    FunctionalScale.KATZ: lambda total: instruments.katz_total(total),
    FunctionalScale.BARTHEL: lambda total: instruments.barthel_total(total),
}


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
                lambda rom=rom: instruments.range_of_motion(rom.joint_motion.code, rom.degrees)
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
                lambda pinch=pinch, role=role: instruments.pinch_strength(
                    grip_value(pinch.trials), pinch=pinch.pinch, age=age, sex=sex, hand_role=role
                )
            )
    if record.has_rows("grip_measurements"):
        for grip in record.grip:
            scores[("grip", grip.pk)] = _safe(
                lambda grip=grip: instruments.grip_strength(
                    grip_value(grip.trials), age=age, sex=sex, hand=grip.hand
                )
            )
    if record.has_rows("neuromuscular_measurements"):
        for test in record.neuromuscular_tests:
            compute = NEUROMUSCULAR_SCORES.get(test.test.code)
            if compute is not None:
                scores[("tests", test.pk)] = _safe(
                    lambda test=test, compute=compute: compute(float(test.value), age, sex)
                )
    if record.has_rows("cognitive_screens"):
        for screen in record.cognitive_screens:
            scores[("screens", screen.pk)] = _safe(
                lambda screen=screen: SCREEN_SCORES[screen.instrument](
                    screen.total_score, screen.education_years
                )
            )
    if record.has_rows("functional_scale_scores"):
        for scale in record.functional_scales:
            scores[("scales", scale.pk)] = _safe(
                lambda scale=scale: SCALE_SCORES[scale.instrument](scale.total_score)
            )
    if record.has_rows("pain_points"):
        for point in record.pain_points:
            scores[("pain_points", point.pk)] = _safe(
                lambda point=point: instruments.pain_nrs(point.intensity)
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
