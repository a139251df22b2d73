"""Patient-reported outcome measures the licence file clears for software: the Patient-Specific
Functional Scale and the Lower Extremity Functional Scale (outcome-measures.json; the LEFS item
wording there is paraphrased). Pure Python; no Django.

Change is called improved or declined only at the reference's suggested default thresholds (the
MDC90: PSFS mean 2 points, a single activity 3; LEFS 9 points), and names the threshold."""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any, cast

from evaluations.instruments.scoring import InvalidInput, Score

DATA = Path(__file__).with_name("data") / "outcome-measures.json"


@cache
def outcome_measures() -> dict[str, Any]:
    with DATA.open(encoding="utf-8") as handle:
        return cast(dict[str, Any], json.load(handle))


def _rating(value: object, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"{what} is a whole number from {low} to {high}.")
    return value


@dataclass(frozen=True)
class Change:
    value: float
    meaning: str  # improved / declined / within measurement error
    threshold: str  # which threshold judged it, with its source


def _judge(change: Fraction | int, limit: float, name: str, source: str) -> Change:
    meaning = (
        "improved" if change >= limit else "declined" if change <= -limit else "within measurement error"
    )
    return Change(round(float(change), 2), meaning, f"{name} {limit:g} points ({source})")


@dataclass(frozen=True)
class PsfsResult:
    mean: float  # 0–10
    activities: dict[str, int]
    change: Change | None = None  # of the mean over the activities rated both times
    activity_changes: dict[str, Change] | None = None
    new_activities: tuple[str, ...] = ()  # rated now, not at baseline: no change computed


def psfs(ratings: dict[str, int], *, baseline: dict[str, int] | None = None) -> PsfsResult:
    """PSFS: 1–5 activities the patient names, each rated 0–10; the score is their mean. Against a
    baseline, change is computed over the activities rated both times (matched by name)."""
    data = outcome_measures()["psfs"]
    limits = data["activities"]
    if not limits["min"] <= len(ratings) <= limits["max"]:
        raise InvalidInput(f"The PSFS rates {limits['min']} to {limits['max']} activities.")
    scale = data["rating_scale"]
    clean = {
        " ".join(name.split()): _rating(value, scale["min"], scale["max"], "A PSFS rating")
        for name, value in ratings.items()
    }
    if any(not name for name in clean) or len(clean) != len(ratings):
        raise InvalidInput("Name each PSFS activity once.")
    mean = Fraction(sum(clean.values()), len(clean))
    if baseline is None:
        return PsfsResult(round(float(mean), 2), clean)
    before = {" ".join(name.split()).lower(): value for name, value in baseline.items()}
    both = {name: value for name, value in clean.items() if name.lower() in before}
    thresholds = data["change_thresholds"]
    source = "Stratford 1995, MDC90"
    activity_changes = {
        name: _judge(
            value - before[name.lower()],
            thresholds["mdc90_single_activity"]["value"],
            "single activity",
            source,
        )
        for name, value in both.items()
    }
    change = None
    if both:
        now_mean = Fraction(sum(both.values()), len(both))
        then_mean = Fraction(sum(before[name.lower()] for name in both), len(both))
        change = _judge(
            now_mean - then_mean, thresholds["mdc90_average_score"]["value"], "mean score", source
        )
    return PsfsResult(
        round(float(mean), 2),
        clean,
        change,
        activity_changes,
        tuple(name for name in clean if name.lower() not in before),
    )


@dataclass(frozen=True)
class LefsResult:
    total: int  # 0–80
    change: Change | None = None
    error_band: float = 0.0  # ± points around a single score (90 % CI)


def lefs(items: list[int], *, baseline_total: int | None = None) -> LefsResult:
    """LEFS: 20 activities each 0 (extreme difficulty or unable) to 4 (no difficulty), summed to
    0–80. Every item must be answered: no missing-item rule is published, so none is prorated."""
    data = outcome_measures()["lefs"]
    count = data["n_items"]
    if len(items) != count:
        raise InvalidInput(
            f"The LEFS has {count} items; answer every one (no missing-item rule is published)."
        )
    values = [option["value"] for option in data["response_options"]]
    total = sum(_rating(item, min(values), max(values), "A LEFS answer") for item in items)
    thresholds = data["change_thresholds"]
    band = float(thresholds["error_single_score_90ci"]["value"])
    if baseline_total is None:
        return LefsResult(total, error_band=band)
    low, high = data["scoring"]["range"]
    before = _rating(baseline_total, low, high, "A LEFS total")
    return LefsResult(
        total, _judge(total - before, thresholds["mdc90"]["value"], "MDC90 = MCID", "Binkley 1999"), band
    )


def lefs_items() -> list[str]:
    """The 20 activities, paraphrased (the reference supplies no verbatim wording)."""
    return list(outcome_measures()["lefs"]["items_paraphrased"])


def lefs_score(total: int) -> Score:
    """A LEFS total (0–80) as a score: no published bands, so no interpretation; the error of a
    single score is noted."""
    data = outcome_measures()["lefs"]
    low, high = data["scoring"]["range"]
    value = _rating(total, low, high, "A LEFS total")
    band = data["change_thresholds"]["error_single_score_90ci"]["value"]
    return Score(
        "lefs",
        value,
        f"/{high}",
        notes=(f"a single score is ±{band:g} points (90% CI)", "no published severity bands"),
        source="Binkley JM et al. Phys Ther. 1999;79(4):371-383",
    )
