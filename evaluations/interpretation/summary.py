"""What the referring physician's one-page summary selects from a record: the impaired body
functions with their scores (the performance deficits), the activities that need the most help,
and the changes since the baseline that reach measurement error."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from evaluations.choices import AssistLevel

if TYPE_CHECKING:
    from evaluations.interpretation.progress import MeasureChange
    from evaluations.interpretation.record import EvaluationRecord

ASSIST_ORDER = list(AssistLevel.values)  # most independent first
ACTIVITIES_SHOWN = 6
CHANGES_SHOWN = 6


@dataclass
class KeyFindings:
    body_functions: list[str] = field(default_factory=list)
    activities: list[str] = field(default_factory=list)  # most help first
    more_activities: int = 0
    changes: list[MeasureChange] = field(default_factory=list)  # improved or declined only
    more_changes: int = 0


def key_findings(record: EvaluationRecord) -> KeyFindings:
    """Every impaired body function (one line per area, scores included: deficits.py), the
    activities done with a helper, most help first, and the meaningful changes since the baseline."""
    helped = sorted(
        (row for row in record.activity_ratings if not AssistLevel.is_independent(row.assist_level)),
        key=lambda row: (-ASSIST_ORDER.index(row.assist_level), row.activity.label),
    )
    activities = [f"{row.activity.label}: {row.get_assist_level_display().lower()}" for row in helped]
    prefixes = tuple(activities)
    body = (
        [line for line in record.deficits if not line.startswith(prefixes)] if prefixes else record.deficits
    )
    progress = record.progress
    meaningful = [
        change
        for change in (progress.measures if progress is not None else [])
        if change.meaning.startswith(("improved", "declined"))
    ]
    return KeyFindings(
        body_functions=list(body),
        activities=activities[:ACTIVITIES_SHOWN],
        more_activities=max(0, len(activities) - ACTIVITIES_SHOWN),
        changes=meaningful[:CHANGES_SHOWN],
        more_changes=max(0, len(meaningful) - CHANGES_SHOWN),
    )
