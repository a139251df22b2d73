"""Muscle-imbalance findings: left/right differences in strength, range of motion and grip beyond
the clinic's thresholds (settings.IMBALANCE_THRESHOLDS), linked to the pain points and affected
occupations recorded in the same evaluation."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings

from evaluations import instruments
from evaluations.choices import Side
from evaluations.interpretation.scores import grip_value

if TYPE_CHECKING:
    from evaluations.interpretation.record import EvaluationRecord


@dataclass
class Finding:
    """A left/right difference beyond the clinic's threshold, with what it may explain."""

    kind: str  # strength, range of motion, grip
    what: str
    weaker_side: str
    left: str
    right: str
    difference: str
    related_pain: list[str] = field(default_factory=list)
    related_occupations: list[str] = field(default_factory=list)


def _pair(rows: Iterable[Any], key: Callable[[Any], Hashable]) -> list[tuple[Any, Any, Any]]:
    """Rows measured on both sides, as (key, left row, right row)."""
    by: dict[Hashable, dict[str, Any]] = {}
    for row in rows:
        by.setdefault(key(row), {})[row.side if hasattr(row, "side") else row.hand] = row
    return [
        (what, sides[Side.LEFT], sides[Side.RIGHT])
        for what, sides in by.items()
        if Side.LEFT in sides and Side.RIGHT in sides
    ]


def _affected_occupations(record: EvaluationRecord) -> list[str]:
    """The occupations the imbalance limits: those the screen names, then the activities rated
    as limited by it. The two catalogues overlap (driving is both an affected occupation and an
    IADL), so an occupation named in both is listed once, where it first appears."""
    named = [row.occupation.label for row in record.affected_occupations]
    named += [row.activity.label for row in record.activity_ratings if row.limited_by_imbalance]
    once: dict[str, str] = {}
    for label in named:
        once.setdefault(label.casefold(), label)
    return list(once.values())


def imbalance_findings(record: EvaluationRecord) -> list[Finding]:
    limits = settings.IMBALANCE_THRESHOLDS
    findings = []
    for (muscle, _mode), left, right in _pair(record.strength, lambda r: (r.muscle_group, None)):
        steps = instruments.mmt_difference(left.grade, right.grade)
        if abs(steps) >= limits["mmt_steps"]:
            findings.append(
                Finding(
                    "strength",
                    muscle.label,
                    "right" if steps < 0 else "left",
                    left.get_grade_display(),
                    right.get_grade_display(),
                    f"{abs(steps)} grade steps",
                )
            )
    for (motion, mode), left, right in _pair(record.range_of_motion, lambda r: (r.joint_motion, r.mode)):
        gap = right.degrees - left.degrees
        if abs(gap) >= limits["rom_degrees"]:
            findings.append(
                Finding(
                    "range of motion",
                    f"{motion.label} ({mode})",
                    "right" if gap < 0 else "left",
                    f"{left.degrees}°",
                    f"{right.degrees}°",
                    f"{abs(gap)}°",
                )
            )
    for _grip, left, right in _pair(record.grip, lambda r: "grip"):
        left_kg, right_kg = grip_value(left.trials), grip_value(right.trials)
        stronger = max(left_kg, right_kg)
        if stronger and abs(right_kg - left_kg) / stronger * 100 >= limits["grip_percent"]:
            findings.append(
                Finding(
                    "grip",
                    "Grip strength",
                    "right" if right_kg < left_kg else "left",
                    f"{left_kg:g} kg",
                    f"{right_kg:g} kg",
                    f"{abs(right_kg - left_kg) / stronger * 100:.0f}%",
                )
            )
    occupations = _affected_occupations(record)
    for finding in findings:
        finding.related_pain = [
            f"{point.region.label} ({point.get_side_display().lower()}), {point.intensity}/10"
            for point in record.pain_points
            if point.side in (finding.weaker_side, Side.BILATERAL, Side.MIDLINE)
        ]
        finding.related_occupations = occupations
    return findings
