"""Performance deficits the record shows, each with its evidence: the count the CPT complexity
rule reads (interpretation.cpt), and the list the therapist sees beside the suggestion."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evaluations.choices import AssistLevel, CognitiveRating, FlexibilityFinding, MmtGrade, Side
from evaluations.instruments import Flag

if TYPE_CHECKING:
    from evaluations.interpretation.record import EvaluationRecord

FLAGGED = (Flag.BELOW_NORM, Flag.AT_RISK)


def _side(row: Any) -> str:
    """The side a sided measure was taken on, as evidence names it: " (left)"; "" if not sided."""
    side = row.side if hasattr(row, "side") else row.hand
    return "" if side == Side.NONE else f" ({Side(side).label.lower()})"


MODERATE_PAIN = 4  # NRS 4 or more: moderate or worse (instruments.md, pain bands)


def performance_deficits(record: EvaluationRecord) -> list[str]:
    """Activities done with a helper (below independent, see AssistLevel.is_independent), and
    impaired body functions, one per area: strength, motion, flexibility, grip, pain, fall risk,
    each cognitive area, a cognitive screen below its cut-off. Scored measures count by their
    structured flag (instruments.Flag), never by the wording of their interpretation. Evidence
    from a sided measure names the side."""
    deficits = []
    for row in record.activity_ratings:
        if not AssistLevel.is_independent(row.assist_level):
            deficits.append(f"{row.activity.label}: {row.get_assist_level_display().lower()}")
    scores = record.scores
    weak = sorted(
        {
            f"{r.muscle_group.label.lower()} {r.get_grade_display().split(' ')[0]}/5{_side(r)}"
            for r in record.strength
            if r.grade != MmtGrade.NORMAL
        }
    )
    if weak:
        deficits.append(f"Strength below normal: {', '.join(weak)}")
    limited = [
        f"{r.joint_motion.label.lower()} {s.percent_of_norm:g}%{_side(r)}"
        for r in record.range_of_motion
        if (s := scores.get(("range_of_motion", r.pk))) and s.flag == Flag.BELOW_NORM
    ]
    if limited:
        deficits.append(f"Range of motion below the reference value: {', '.join(limited)}")
    tight = [
        f"{r.test.label}{_side(r)}"
        for r in record.flexibility
        if r.finding != FlexibilityFinding.WITHIN_NORMAL_LIMITS
    ]
    if tight:
        deficits.append(f"Flexibility limited: {', '.join(tight)}")
    weak_grip = [
        f"z {s.z:+.2f}{_side(r)}"
        for r in record.grip
        if (s := scores.get(("grip", r.pk))) and s.flag == Flag.BELOW_NORM
    ]
    if weak_grip:
        deficits.append(f"Grip below the norm: {', '.join(weak_grip)}")
    painful = [
        f"{p.region.label.lower()} {p.intensity}/10{_side(p)}"
        for p in record.pain_points
        if p.intensity >= MODERATE_PAIN
    ]
    if painful:
        deficits.append(f"Pain, moderate or worse: {', '.join(painful)}")
    falls = [
        f"{s.interpretation}{_side(r)}"
        for r in record.neuromuscular_tests
        if (s := scores.get(("tests", r.pk))) and s.flag in FLAGGED and s.interpretation
    ]
    if falls:
        deficits.append(f"Balance and mobility: {falls[0]}")
    for finding in record.cognitive_findings:
        if finding.rating != CognitiveRating.INTACT:
            deficits.append(f"{finding.get_domain_display()}: {finding.get_rating_display().lower()}")
    for screen in record.cognitive_screens:
        s = scores.get(("screens", screen.pk))
        if s and s.flag in FLAGGED:
            deficits.append(f"{screen.get_instrument_display()}: {s.value:g}, {s.interpretation}")
    return deficits
