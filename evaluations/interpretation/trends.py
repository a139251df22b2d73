"""Key measures across a patient's signed evaluations, oldest first: the highest pain, Timed Up
and Go, grip per hand (scored as settings.GRIP_SCORE says), the number of ADLs done independently,
and each standardized screen and scale. Only measures recorded at least twice make a series. Each
series says what its change from first to last means, judged as the progress table judges a
change (improved or declined only beyond the measure's threshold, which it names). Pure data: the
charts are drawn by evaluations.presentation.charts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evaluations.choices import AssistLevel, Hand
from evaluations.instruments import InvalidInput, measurement_error, registry
from evaluations.instruments.measurement_error import Lookup
from evaluations.interpretation.progress import meaning
from evaluations.interpretation.scores import TIMED_UP_AND_GO, grip_value, instrument_score
from occupations.choices import MeasurementUnit

if TYPE_CHECKING:
    from evaluations.interpretation.record import EvaluationRecord

TREND_TABLES = frozenset(
    {
        "pain_points",
        "neuromuscular_measurements",
        "grip_measurements",
        "activity_ratings",
        "cognitive_screens",
        "functional_scale_scores",
    }
)


@dataclass
class Series:
    label: str
    unit: str
    points: list[tuple[str, float]]  # (date label, value), oldest first
    lower_is_better: bool = False
    threshold: Lookup = measurement_error.NO_SCALE_VALUE

    @property
    def verdict(self) -> str:
        """First to last: the change and what it means against the threshold."""
        (first_date, first), (last_date, last) = self.points[0], self.points[-1]
        delta = round(last - first, 2)
        said = meaning(delta, self.threshold, before=first, higher_is_better=not self.lower_is_better)
        return f"{first_date} to {last_date}: {delta:+g} — {said}"

    @property
    def basis(self) -> str:
        """The threshold that judged it, with its source (or why there is none)."""
        return self.threshold.description


def trend_series(records: Iterable[EvaluationRecord]) -> list[Series]:
    pain: list[tuple[str, float]] = []
    tug: list[tuple[str, float]] = []
    grip: dict[str, list[tuple[str, float]]] = {Hand.RIGHT: [], Hand.LEFT: []}
    adl: list[tuple[str, float]] = []
    scales: dict[str, list[tuple[str, float]]] = {}
    tug_therapists: list[int] = []
    for record in records:
        when = f"{record.evaluation.date_of_service:%m/%d/%y}"
        if record.pain_points:
            pain.append((when, max(point.intensity for point in record.pain_points)))
        for test in record.neuromuscular_tests:
            if test.test.code == TIMED_UP_AND_GO:
                tug.append((when, float(test.value)))
                tug_therapists.append(record.evaluation.therapist_id)
        for hand in record.grip:
            grip[hand.hand].append((when, grip_value(hand.trials)))
        if record.adl_ratings:
            adl.append((when, sum(AssistLevel.is_independent(r.assist_level) for r in record.adl_ratings)))
        for row in (*record.cognitive_screens, *record.functional_scales):
            try:  # the score its cut-off reads (the MoCA with its education point)
                scales.setdefault(row.instrument, []).append((when, float(instrument_score(row).value)))
            except InvalidInput:
                continue
    same_tug_therapist = len(set(tug_therapists[:1] + tug_therapists[-1:])) == 1
    series = [
        Series("Highest pain", "0-10", pain, lower_is_better=True, threshold=measurement_error.PAIN_NRS),
        Series(
            "Timed Up and Go",
            str(MeasurementUnit.SECONDS),
            tug,
            lower_is_better=True,
            threshold=measurement_error.timed_or_counted_test(
                TIMED_UP_AND_GO, same_therapist=same_tug_therapist
            ),
        ),
        Series("Grip, right", "kg", grip[Hand.RIGHT], threshold=measurement_error.grip()),
        Series("Grip, left", "kg", grip[Hand.LEFT], threshold=measurement_error.grip()),
        Series(
            "ADLs done independently",
            str(MeasurementUnit.COUNT.label),
            adl,
            threshold=measurement_error.ASSIST_LEVEL,
        ),
        *(
            Series(
                registry.get(key).name,
                f"0-{registry.get(key).high}",
                points,
                threshold=measurement_error.scale(key),
            )
            for key, points in scales.items()
        ),
    ]
    return [s for s in series if len(s.points) >= 2]
