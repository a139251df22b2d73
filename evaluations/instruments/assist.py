"""Assist levels from what the helper does, with their FIM level and CMS Section GG code
(instruments.json "assist_levels"). Pure Python.

The boundary rule is the reference's: classify by the patient's share of the effort as FIM does
(≥ 75 % Min A, 50–74 % Mod A, 25–49 % Max A, < 25 % dependent), so a helper doing exactly 25, 50 or
75 % maps to Min, Mod or Max assist. With no physical effort from the helper: touching for safety
is contact guard, presence, cues or set-up is supervision, a device or extra time alone is modified
independent. The FIM level of contact guard is marked unverified in the reference, so none is given.

Section GG (LOINC answer list LL586-9) counts the helper's share instead: less than half is 03,
more than half 02, all of it 01; exactly half has no GG code (the therapist chooses)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evaluations.instruments.scoring import InvalidInput, reference

# Our stored codes (evaluations.choices.AssistLevel) and the reference's.
CODES = {
    "independent": "I",
    "modified_independent": "MOD_I",
    "supervision": "S",
    "contact_guard": "CGA",
    "minimal_assist": "MIN_A",
    "moderate_assist": "MOD_A",
    "maximal_assist": "MAX_A",
    "dependent": "DEP",
}


@dataclass(frozen=True)
class AssistEquivalent:
    level: str  # our code: independent … dependent
    label: str
    fim: int | None  # None where the reference marks the mapping unverified
    gg: str | None  # Section GG code, None where the helper's share does not decide it
    note: str = ""


def _row(level: str) -> dict[str, Any]:
    return next(row for row in reference()["assist_levels"]["levels"] if row["code"] == CODES[level])


def equivalents(
    level: str, *, helper_effort_pct: int | None = None, setup_only: bool = False
) -> AssistEquivalent:
    """A level's FIM level and Section GG code (GG needs the helper's share for Min/Mod/Max)."""
    if level not in CODES:
        raise InvalidInput(f"{level!r} is not an assist level.")
    row = _row(level)
    fim = None if row.get("fim_mapping_unverified") else row["fim"]
    gg: str | None
    note = ""
    if level in ("independent", "modified_independent"):
        gg = "06"
    elif level == "supervision":
        gg = "05" if setup_only else "04"
    elif level == "contact_guard":
        gg = "04"
        note = "FIM level for contact guard is unverified in the reference"
    elif level == "dependent" and helper_effort_pct in (None, 100):
        gg = "01"
    elif helper_effort_pct is None:
        gg = "03" if level == "minimal_assist" else "02" if level == "maximal_assist" else None
        if gg is None:
            note = "Section GG needs the helper's share of the effort (less or more than half)"
    else:
        gg = "03" if helper_effort_pct < 50 else "02" if helper_effort_pct > 50 else None
        if gg is None:
            note = "the helper does exactly half: Section GG has no code for it (03 or 02, as judged)"
    return AssistEquivalent(level, row["label"], fim, gg, note)


def assist_level(
    *,
    helper_effort_pct: int = 0,
    touching: bool = False,
    supervision_or_setup: bool = False,
    setup_only: bool = False,
    device_or_extra_time: bool = False,
) -> AssistEquivalent:
    """The level from a description of the help, by the reference's boundary rule."""
    if (
        isinstance(helper_effort_pct, bool)
        or not isinstance(helper_effort_pct, int)
        or not 0 <= helper_effort_pct <= 100
    ):
        raise InvalidInput("The helper's share of the effort is a whole percentage from 0 to 100.")
    if helper_effort_pct:
        patient = 100 - helper_effort_pct
        level = (
            "minimal_assist"
            if patient >= 75
            else "moderate_assist"
            if patient >= 50
            else "maximal_assist"
            if patient >= 25
            else "dependent"
        )
    elif touching:
        level = "contact_guard"
    elif supervision_or_setup or setup_only:
        level = "supervision"
    elif device_or_extra_time:
        level = "modified_independent"
    else:
        level = "independent"
    return equivalents(level, helper_effort_pct=helper_effort_pct or None, setup_only=setup_only)
