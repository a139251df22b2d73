"""What the evaluation's recorded values mean: the instrument scores for its rows, and the
muscle-imbalance findings from left/right differences. Computed on read, never stored, from
the prefetched evaluation (no queries)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from evaluations import cpt, instruments
from evaluations.instruments import InvalidInput, Score
from evaluations.models import Evaluation
from evaluations.sections import (
    ADL_CHECKLIST,
    BILLING,
    COGNITION,
    IADL_CHECKLIST,
    MUSCLE_IMBALANCE,
    NEUROMUSCULAR,
    PHYSICAL,
)
from evaluations.selectors import Requirement, section_content, signing_requirements


def grip_value(trials: list[Decimal]) -> float:
    """The clinic's grip score from its trials: the mean (Mathiowetz 1985 protocol) or the best."""
    values = [float(t) for t in trials]
    if settings.GRIP_SCORE == "best":
        return max(values)
    return round(sum(values) / len(values), 1)


def _safe(compute) -> Score | None:
    try:
        return compute()
    except InvalidInput:
        return None


def row_scores(evaluation: Evaluation) -> dict[tuple[str, int], Score]:
    """Score per row, keyed by (row list key, row id)."""
    patient = evaluation.patient
    age = patient.age_on(evaluation.date_of_service)
    sex = patient.sex
    scores: dict[tuple[str, int], Score] = {}
    physical = section_content(evaluation, PHYSICAL)
    for row in physical["range_of_motion"]:
        scores[("range_of_motion", row.pk)] = _safe(
            lambda row=row: instruments.range_of_motion(row.joint_motion.code, row.degrees)
        )
    dominance = evaluation.profile.hand_dominance
    for row in physical["pinch"]:
        role = (
            None
            if dominance not in ("left", "right")
            else ("dominant" if row.hand == dominance else "non_dominant")
        )
        scores[("pinch", row.pk)] = _safe(
            lambda row=row, role=role: instruments.pinch_strength(
                grip_value(row.trials), pinch=row.pinch, age=age, sex=sex, hand_role=role
            )
        )
    for row in physical["grip"]:
        scores[("grip", row.pk)] = _safe(
            lambda row=row: instruments.grip_strength(grip_value(row.trials), age=age, sex=sex, hand=row.hand)
        )
    for row in section_content(evaluation, NEUROMUSCULAR)["tests"]:
        code, value = row.test.code, float(row.value)
        compute = {
            "timed_up_and_go": lambda value=value: instruments.timed_up_and_go(value),
            "nine_hole_peg": lambda value=value: instruments.nine_hole_peg(value),
            "ruler_drop": lambda value=value: instruments.ruler_drop(value),
            "chair_stand_30s": lambda value=value: instruments.chair_stand_30s(int(value), age=age, sex=sex),
        }.get(code)
        if compute is not None:
            scores[("tests", row.pk)] = _safe(compute)
    for row in section_content(evaluation, COGNITION)["screens"]:
        compute = {
            "moca": lambda row=row: instruments.moca(row.total_score, education_years=row.education_years),
            "slums": lambda row=row: instruments.slums(row.total_score, education_years=row.education_years),
            "mini_cog": lambda row=row: instruments.mini_cog(row.total_score),
        }[row.instrument]
        scores[("screens", row.pk)] = _safe(compute)
    for row in section_content(evaluation, IADL_CHECKLIST)["scales"]:
        compute = {
            "lawton_iadl": lambda row=row: instruments.lawton_total(row.total_score),
            "lawton_iadl_5": lambda row=row: instruments.lawton_total(row.total_score, domains=5),
            "katz_adl": lambda row=row: instruments.katz_total(row.total_score),
            "barthel_index": lambda row=row: instruments.barthel_total(row.total_score),
        }[row.instrument]
        scores[("scales", row.pk)] = _safe(compute)
    for row in section_content(evaluation, MUSCLE_IMBALANCE)["pain_points"]:
        scores[("pain_points", row.pk)] = _safe(lambda row=row: instruments.pain_nrs(row.intensity))
    return {key: score for key, score in scores.items() if score is not None}


def describe(score: Score) -> str:
    """One line for a table cell: value, interpretation, and the norm it was compared with."""
    parts = []
    if score.instrument in ("grip_strength", "pinch_strength"):
        parts.append(f"{score.value:g} kg")
    elif score.instrument in ("moca", "slums", "mini_cog", "lawton_iadl", "katz_adl", "barthel_index"):
        parts.append(f"{score.value:g}{score.unit}")
    elif score.instrument == "ruler_drop":
        parts.append(f"reaction time {score.value:.3f} s")
    if score.percent_of_norm is not None:
        parts.append(f"{score.percent_of_norm:g}% of the reference")
    if score.z is not None:
        parts.append(f"z = {score.z:+.2f}")
    if score.interpretation:
        parts.append(score.interpretation)
    if score.norm is None:
        parts.extend(note for note in score.notes if note.startswith("no published norm"))
    else:
        reference = f"vs {score.norm.description}"
        if score.norm.mean is not None:
            spread = f" ({score.norm.sd:g})" if score.norm.sd is not None else ""
            reference += f": {score.norm.mean:g}{spread} {score.norm.unit}".rstrip()
        parts.append(reference)
        parts.extend(note for note in score.notes if not note.startswith("no published norm"))
    if score.instrument in ("grip_strength", "pinch_strength"):
        parts.append("mean of trials" if settings.GRIP_SCORE != "best" else "best trial")
    if score.instrument == "moca":
        parts.extend(note for note in score.notes if note.startswith("raw"))
    return "; ".join(dict.fromkeys(parts))


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


def _pair(rows, key):
    by = {}
    for row in rows:
        by.setdefault(key(row), {})[row.side if hasattr(row, "side") else row.hand] = row
    return [
        (what, sides["left"], sides["right"])
        for what, sides in by.items()
        if "left" in sides and "right" in sides
    ]


def imbalance_findings(evaluation: Evaluation) -> list[Finding]:
    """Asymmetries in strength, range of motion and grip beyond the thresholds in settings
    (IMBALANCE_THRESHOLDS), linked to the pain points and affected occupations recorded in
    the same evaluation."""
    limits = settings.IMBALANCE_THRESHOLDS
    physical = section_content(evaluation, PHYSICAL)
    findings = []
    for (muscle, _mode), left, right in _pair(physical["strength"], lambda r: (r.muscle_group, None)):
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
    for (motion, mode), left, right in _pair(physical["range_of_motion"], lambda r: (r.joint_motion, r.mode)):
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
    for (_hand, _none), left, right in _pair(physical["grip"], lambda r: ("grip", None)):
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
    screen = section_content(evaluation, MUSCLE_IMBALANCE)
    occupations = [row.occupation.label for row in screen["affected_occupations"]]
    occupations += [
        row.activity.label
        for checklist in (ADL_CHECKLIST, IADL_CHECKLIST)
        for row in section_content(evaluation, checklist)["ratings"]
        if row.limited_by_imbalance
    ]
    for finding in findings:
        finding.related_pain = [
            f"{point.region.label} ({point.get_side_display().lower()}), {point.intensity}/10"
            for point in screen["pain_points"]
            if point.side in (finding.weaker_side, "bilateral", "midline")
        ]
        finding.related_occupations = occupations
    return findings


def performance_deficits(evaluation: Evaluation) -> list[str]:
    """Deficits the record shows, each with its evidence: activities below independent, and
    impaired body functions (one per area: strength, motion, flexibility, grip, pain, fall
    risk, each cognitive area, a cognitive screen below its cut-off)."""
    deficits = []
    for checklist in (ADL_CHECKLIST, IADL_CHECKLIST):
        for row in section_content(evaluation, checklist)["ratings"]:
            if row.assist_level != "independent":
                deficits.append(f"{row.activity.label}: {row.get_assist_level_display().lower()}")
    physical = section_content(evaluation, PHYSICAL)
    scores = row_scores(evaluation)
    weak = sorted(
        {
            f"{r.muscle_group.label.lower()} {r.get_grade_display().split(' ')[0]}"
            for r in physical["strength"]
            if r.grade != "5"
        }
    )
    if weak:
        deficits.append(f"Strength below normal: {', '.join(weak)}")
    limited = [
        f"{r.joint_motion.label.lower()} {scores[('range_of_motion', r.pk)].percent_of_norm:g}%"
        for r in physical["range_of_motion"]
        if (s := scores.get(("range_of_motion", r.pk)))
        and s.percent_of_norm is not None
        and s.percent_of_norm < 100
    ]
    if limited:
        deficits.append(f"Range of motion below the reference value: {', '.join(limited)}")
    tight = [r.test.label for r in physical["flexibility"] if r.finding != "within_normal_limits"]
    if tight:
        deficits.append(f"Flexibility limited: {', '.join(tight)}")
    weak_grip = [
        f"{r.hand} z {scores[('grip', r.pk)].z:+.2f}"
        for r in physical["grip"]
        if (s := scores.get(("grip", r.pk))) and s.z is not None and s.z <= -1
    ]
    if weak_grip:
        deficits.append(f"Grip below the norm: {', '.join(weak_grip)}")
    painful = [
        f"{p.region.label.lower()} {p.intensity}/10"
        for p in section_content(evaluation, MUSCLE_IMBALANCE)["pain_points"]
        if p.intensity >= 4
    ]
    if painful:
        deficits.append(f"Pain, moderate or worse: {', '.join(painful)}")
    falls = [
        s.interpretation
        for (key, _pk), s in scores.items()
        if key == "tests"
        and s.interpretation
        and ("risk of falling" in s.interpretation or "below average" in s.interpretation)
    ]
    if falls:
        deficits.append(f"Balance and mobility: {falls[0]}")
    cognition = section_content(evaluation, COGNITION)
    for row in cognition["findings"]:
        if row.rating != "intact":
            deficits.append(f"{row.get_domain_display()}: {row.get_rating_display().lower()}")
    for row in cognition["screens"]:
        s = scores.get(("screens", row.pk))
        if (
            s
            and s.interpretation
            and not (s.interpretation.startswith("normal") or s.interpretation.startswith("lower likelihood"))
        ):
            deficits.append(f"{row.get_instrument_display()}: {s.value:g}, {s.interpretation}")
    return deficits


def cpt_suggestion(evaluation: Evaluation) -> cpt.Suggestion:
    return cpt.suggest(
        kind=evaluation.kind,
        deficits=performance_deficits(evaluation),
        history=evaluation.cpt_history,
        comorbidities=evaluation.cpt_comorbidities,
        assistance=evaluation.cpt_assistance,
        documented_change=evaluation.cpt_documented_change,
    )


def signing_checklist(evaluation: Evaluation) -> list[Requirement]:
    """Everything signing needs: the record's content, and a CPT code that fits the kind of
    evaluation (a code other than the suggestion needs a reason)."""
    suggestion = cpt_suggestion(evaluation)
    chosen = evaluation.cpt_code
    has_change = bool(evaluation.cpt_documented_change.strip())
    if evaluation.kind == "initial":
        fits = chosen in ("97165", "97166", "97167")
        label = "CPT code 97165, 97166 or 97167 confirmed"
    elif evaluation.kind == "re_evaluation":
        fits = chosen == "97168" and has_change
        label = "CPT 97168 confirmed, with the documented change that makes it billable"
    else:  # discharge: billed only as a re-evaluation with a documented change, or not at all
        fits = chosen == "" or (chosen == "97168" and has_change)
        label = "No CPT code, or 97168 with a documented change"
    agrees = not chosen or chosen == suggestion.code or bool(evaluation.cpt_override_reason.strip())
    if suggestion.code:
        different = chosen and chosen != suggestion.code
        label += f" (suggested {suggestion.code}" + (
            "; a different code needs a reason)" if different else ")"
        )
    confirmed = fits and agrees
    return [*signing_requirements(evaluation), Requirement(label, BILLING, confirmed)]


def copm_scores(evaluation: Evaluation, baseline: Evaluation | None = None) -> dict[str, Score]:
    """COPM performance and satisfaction scores (and their change against a baseline's), or {}."""
    from evaluations.sections import PROFILE

    problems = section_content(evaluation, PROFILE)["copm"]
    if not problems:
        return {}
    before = section_content(baseline, PROFILE)["copm"] if baseline is not None else []
    try:
        return instruments.copm(
            [(p.performance, p.satisfaction) for p in problems],
            baseline=[(p.performance, p.satisfaction) for p in before] or None,
        )
    except InvalidInput:
        return {}
