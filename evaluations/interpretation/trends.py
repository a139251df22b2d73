"""Key measures across a patient's signed evaluations, oldest first: the highest pain, Timed Up
and Go, grip per hand (scored as settings.GRIP_SCORE says) and the number of ADLs done
independently. Only measures recorded at least twice make a series. Pure data: the charts are
drawn by evaluations.presentation.charts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evaluations.choices import AssistLevel, Hand
from evaluations.interpretation.scores import TIMED_UP_AND_GO, grip_value
from occupations.choices import MeasurementUnit

if TYPE_CHECKING:
    from evaluations.interpretation.record import EvaluationRecord

TREND_TABLES = frozenset(
    {"pain_points", "neuromuscular_measurements", "grip_measurements", "activity_ratings"}
)


@dataclass
class Series:
    label: str
    unit: str
    points: list[tuple[str, float]]  # (date label, value), oldest first
    lower_is_better: bool = False


def trend_series(records: Iterable[EvaluationRecord]) -> list[Series]:
    pain: list[tuple[str, float]] = []
    tug: list[tuple[str, float]] = []
    grip: dict[str, list[tuple[str, float]]] = {Hand.RIGHT: [], Hand.LEFT: []}
    adl: list[tuple[str, float]] = []
    for record in records:
        when = f"{record.evaluation.date_of_service:%m/%d/%y}"
        if record.pain_points:
            pain.append((when, max(point.intensity for point in record.pain_points)))
        for test in record.neuromuscular_tests:
            if test.test.code == TIMED_UP_AND_GO:
                tug.append((when, float(test.value)))
        for hand in record.grip:
            grip[hand.hand].append((when, grip_value(hand.trials)))
        if record.adl_ratings:
            adl.append((when, sum(AssistLevel.is_independent(r.assist_level) for r in record.adl_ratings)))
    series = [
        Series("Highest pain", "0-10", pain, lower_is_better=True),
        Series("Timed Up and Go", str(MeasurementUnit.SECONDS), tug, lower_is_better=True),
        Series("Grip, right", "kg", grip[Hand.RIGHT]),
        Series("Grip, left", "kg", grip[Hand.LEFT]),
        Series("ADLs done independently", str(MeasurementUnit.COUNT.label), adl),
    ]
    return [s for s in series if len(s.points) >= 2]
