"""Codes a receiving system understands: each score's LOINC code where the reference has one
(instruments.json "loinc", from loinc.org or a named mirror), and a plain "no LOINC code" where it
has none. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evaluations.instruments.scoring import reference

LOINC_SYSTEM = "http://loinc.org"

# Our score names to the reference's LOINC entries ("_by_side": the entry depends on the side).
_ENTRIES = {
    "moca": "moca_total",
    "mini_cog": "mini_cog_total",
    "barthel_index": "barthel_total",
    "timed_up_and_go": "tug_time",
    "chair_stand_30s": "chair_stand_30s",
    "pain_nrs": "pain_nrs_0_10",
    "lawton_iadl": "lawton_iadl_total",
    "katz_adl": "katz_adl_total",
    "slums": "slums_total",
    "nine_hole_peg": "nine_hole_peg",
    "copm_performance": "copm",
    "copm_satisfaction": "copm",
    "copm_performance_change": "copm",
    "copm_satisfaction_change": "copm",
}
_BY_SIDE = {"grip_strength": ("grip_strength_left", "grip_strength_right")}


@dataclass(frozen=True)
class Coding:
    code: str
    display: str
    verified_at: str
    system: str = LOINC_SYSTEM


def _entries() -> dict[str, dict[str, Any]]:
    return dict(reference()["loinc"]["codes"])


def loinc(instrument: str, side: str | None = None) -> Coding | None:
    """The LOINC code of a score (grip by side: left or right), or None where there is none."""
    if instrument in _BY_SIDE:
        if side not in ("left", "right"):
            return None
        key = _BY_SIDE[instrument][side == "right"]
    else:
        key = _ENTRIES.get(instrument, "")
    entry = _entries().get(key)
    if not entry or not entry.get("code"):
        return None
    return Coding(entry["code"], entry["display"], entry.get("verified_at", ""))


def loinc_label(instrument: str, side: str | None = None) -> str:
    coding = loinc(instrument, side)
    return f"LOINC {coding.code}" if coding else "no LOINC code"


def display(code: str) -> str | None:
    """The display name of a LOINC code the reference holds."""
    return next((entry["display"] for entry in _entries().values() if entry.get("code") == code), None)
