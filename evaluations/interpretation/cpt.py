"""CPT complexity of an OT evaluation (97165 low, 97166 moderate, 97167 high; 97168 re-evaluation).

The rule (AMA descriptors as summarized in ot-standards.md): every component must reach a
level to bill it, so the suggestion is the lowest level all components support. Performance
deficits: 1-3 low, 3-5 moderate, 5 or more high; the bands overlap at 3 and 5, where the other
components decide. A re-evaluation is billable only with a documented change in functional
status or the plan of care. The evidence is passed in; no model is read here.
"""

from dataclasses import dataclass, field

from evaluations.choices import Comorbidities, CptCode, EvaluationAssistance, EvaluationKind, HistoryDepth

LEVELS = {1: ("low", CptCode.LOW), 2: ("moderate", CptCode.MODERATE), 3: ("high", CptCode.HIGH)}
HISTORY: dict[str, int] = {HistoryDepth.BRIEF: 1, HistoryDepth.EXPANDED: 2, HistoryDepth.EXTENSIVE: 3}
COMORBIDITIES: dict[str, int] = {
    Comorbidities.NONE: 1,
    Comorbidities.MAY_BE_PRESENT: 2,
    Comorbidities.PRESENT: 3,
}
ASSISTANCE: dict[str, int] = {
    EvaluationAssistance.NONE: 1,
    EvaluationAssistance.MINIMAL_TO_MODERATE: 2,
    EvaluationAssistance.SIGNIFICANT: 3,
}


@dataclass(frozen=True)
class Component:
    name: str
    level: int | None  # highest level this component supports; None = not yet rated
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    code: str | None
    level: str | None
    components: tuple[Component, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


def deficit_level(count: int) -> int:
    """The highest level a deficit count supports (3 supports moderate, 5 supports high)."""
    if count >= 5:
        return 3
    if count >= 3:
        return 2
    return 1 if count >= 1 else 0


def suggest(
    *,
    kind: str,
    deficits: list[str],
    history: str = "",
    comorbidities: str = "",
    assistance: str = "",
    documented_change: str = "",
) -> Suggestion:
    if kind == EvaluationKind.PROGRESS_REPORT:
        return Suggestion(
            None,
            None,
            (),
            (
                "A progress report is written as part of treatment and is not billed with an evaluation code; "
                "when the patient's status or the plan changed significantly, start a re-evaluation instead.",
            ),
        )
    if kind == EvaluationKind.RE_EVALUATION:
        if documented_change.strip():
            return Suggestion(
                CptCode.RE_EVALUATION,
                "re-evaluation",
                (),
                (f"Documented change: {documented_change.strip()}",),
            )
        return Suggestion(
            None,
            None,
            (),
            (
                "A re-evaluation is billed (97168) only with a documented change in functional status or a "
                "significant change to the plan of care; routine progress is not enough.",
            ),
        )
    components = (
        Component("Performance deficits", deficit_level(len(deficits)), tuple(deficits)),
        Component(
            "Occupational profile and history",
            HISTORY.get(history),
            (history.replace("_", " "),) if history else (),
        ),
        Component(
            "Comorbidities affecting occupational performance",
            COMORBIDITIES.get(comorbidities),
            (comorbidities.replace("_", " "),) if comorbidities else (),
        ),
        Component(
            "Task modification or assistance during the evaluation",
            ASSISTANCE.get(assistance),
            (assistance.replace("_", " "),) if assistance else (),
        ),
    )
    notes = []
    unrated = [c.name for c in components if c.level is None]
    if unrated:
        notes.append(f"Rate before a code can be suggested: {', '.join(unrated)}.")
    if len(deficits) in (3, 5):
        lower, upper = ("low", "moderate") if len(deficits) == 3 else ("moderate", "high")
        notes.append(
            f"{len(deficits)} deficits fall in both the {lower} and {upper} bands: the other components decide."
        )
    if not deficits:
        notes.append("No performance deficit is recorded: no evaluation complexity can be supported.")
    if unrated or not deficits:
        return Suggestion(None, None, components, tuple(notes))
    levels = [c.level for c in components if c.level is not None]  # all rated by now
    level = min(levels)
    limiting = [c.name for c in components if c.level == level]
    if any(other > level for other in levels):
        notes.append(f"The lowest component sets the level: {', '.join(limiting)}.")
    name, code = LEVELS[level]
    return Suggestion(code, name, components, tuple(notes))
