"""The scoring functions. Each returns a Score; none guesses a norm it does not have."""

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any, cast

from evaluations.instruments.measurement_error import COPM as COPM_CHANGE

DATA = Path(__file__).with_name("data") / "instruments.json"
NO_NORM = "no published norm on file"


class InvalidInput(ValueError):
    """The input cannot be scored (out of the instrument's range, or impossible)."""


@dataclass(frozen=True)
class Norm:
    """The published reference a value was compared with."""

    source: str
    description: str  # e.g. "women 45-49, right hand"
    mean: float | None = None
    sd: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str = ""


class Flag(StrEnum):
    """What a score says against a verified norm or cut-off, for code to act on (the
    `interpretation` says it in words). None on a Score: nothing verified to compare with.

    - NORMAL: at or above the reference (range of motion ≥ 100 % of normal; grip and pinch
      z > −1), a normal screen (MoCA ≥ 26, SLUMS in its normal band, Mini-Cog 3–5), full
      function (Katz 6, Barthel 100), or no fall-risk threshold crossed (TUG < 12 s, 30-s chair
      stand at or above the 25th percentile).
    - BELOW_NORM: below the reference or norm (ROM < 100 %, grip or pinch z ≤ −1), below a
      cognitive cut-off or a positive screen, or a functional-impairment band (Katz ≤ 4,
      Barthel < 100).
    - AT_RISK: a fall-risk threshold crossed (TUG ≥ 12 s, CDC STEADI; chair stand below the
      25th percentile).

    Pain (NRS) has severity bands, not a norm, and Lawton totals and COPM have no bands: no flag.
    """

    NORMAL = "normal"
    BELOW_NORM = "below_norm"
    AT_RISK = "at_risk"


@dataclass(frozen=True)
class Score:
    instrument: str
    value: float
    unit: str = ""
    interpretation: str | None = None
    norm: Norm | None = None
    z: float | None = None
    percent_of_norm: float | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    source: str = ""
    flag: Flag | None = None

    @property
    def has_norm(self) -> bool:
        return self.norm is not None


@cache
def reference() -> dict[str, Any]:
    with DATA.open(encoding="utf-8") as handle:
        return cast(dict[str, Any], json.load(handle))


def _citation(source_id: str | None) -> str:
    if not source_id:
        return ""
    return str(reference()["sources"].get(source_id, {}).get("citation", source_id))


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidInput(message)


def _number(value: object, name: str) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise InvalidInput(f"{name} must be a number.")
    return float(value)


# --- Manual muscle testing -------------------------------------------------------------


def _mmt_order() -> list[str]:
    return list(reference()["mmt"]["ordinal_order"])


def mmt_rank(grade: str) -> int:
    """Position of a grade on the ordinal scale 0, 1, 2-, 2, 2+, … 5 (0 to 11).

    Accepts every spelling normalize_mmt_grade does: 4−, 4/5, G-, Good minus, T, trace, …"""
    return _mmt_order().index(normalize_mmt_grade(grade))


@dataclass(frozen=True)
class MmtEquivalent:
    grade: str  # the ordinal code: 0, 1, 2-, … 5
    word: str  # Kendall's word: Trace, Good minus, …
    kendall_0_10: str  # Kendall's 0–10 scale (T for trace)
    mrc: int | None  # the MRC grade, for the whole grades the MRC scale has


def mmt_equivalent(grade: str) -> MmtEquivalent:
    """A grade with its Kendall word, its Kendall 0–10 equivalent and its MRC grade where the MRC
    scale has one (Kendall 2005; MRC 1976, via instruments.json "mmt")."""
    code = normalize_mmt_grade(grade)
    row = next(g for g in reference()["mmt"]["grades"] if g["grade"] == code)
    return MmtEquivalent(code, row["word"], row["kendall_0_10"], int(code) if row.get("mrc") else None)


def mmt_grade_spellings() -> dict[str, str]:
    """Every way a grade is written on an evaluation form, to its ordinal code: 4-, 4−, 4-/5, G-,
    Good minus, good minus, T, Trace, trace, … (Kendall's words and abbreviations)."""
    spellings: dict[str, str] = {}
    for row in reference()["mmt"]["grades"]:
        code = row["grade"]
        for form in (
            code,
            code.replace("-", "−"),
            f"{code}/5",
            f"{code.replace('-', '−')}/5",
            row["abbrev"],
            row["word"],
        ):
            spellings[form] = code
            spellings[form.lower()] = code
            spellings[form.upper()] = code
    return spellings


def normalize_mmt_grade(grade: str) -> str:
    """The ordinal code of a grade however it was written (see mmt_grade_spellings)."""
    text = " ".join(str(grade).split())
    code = mmt_grade_spellings().get(text) or mmt_grade_spellings().get(text.lower())
    _require(code is not None, f"{grade!r} is not a manual muscle test grade.")
    return cast(str, code)


def mmt_difference(left: str, right: str) -> int:
    """Right minus left, in steps of the ordinal scale (a step is one + or − modifier)."""
    return mmt_rank(right) - mmt_rank(left)


# --- Range of motion -------------------------------------------------------------------

# The catalogue's codes where the reference names a motion differently.
_ROM_ALIASES = {"hip_extension": "hip_extension_beyond_neutral"}


def range_of_motion(motion: str, degrees: float) -> Score:
    """Percent of the normal value: upper limb against the AAOS column of Norkin & White
    Table A.1, lower limb against the Merck Manual; upper-limb values are also checked against the
    AMA Guides functional minimum (≥) where the table gives one. A motion whose reference is 0°
    (elbow extension) is read as a deficit from full extension: −10° lacks 10° (an extension lag or
    flexion contracture). Spine values (and AAOS lower-limb values) are unverified, so they get no
    comparison."""
    degrees = _number(degrees, "Degrees")
    _require(-180 <= degrees <= 360, "Degrees must lie between -180 and 360.")
    rom = reference()["rom"]
    upper = rom["upper_extremity"]["motions"].get(motion)
    lower = rom["lower_extremity"]["merck"]["motions"].get(_ROM_ALIASES.get(motion, motion))
    if upper is not None and upper.get("aaos") is not None:
        normal, source, description = (
            upper["aaos"],
            rom["upper_extremity"]["source_id"],
            "AAOS mean (Norkin & White Table A.1)",
        )
    elif lower:
        normal, source, description = (
            lower,
            rom["lower_extremity"]["merck"]["source_id"],
            "Merck Manual normal",
        )
    else:
        return Score("range_of_motion", degrees, "deg", notes=(NO_NORM,))
    notes = _ama_minimum(upper, degrees)
    norm = Norm(_citation(source), description, mean=normal, unit="deg")
    if normal == 0:  # full extension is the reference: below it is a deficit, above it hyperextension
        reached = degrees >= 0
        return Score(
            "range_of_motion",
            degrees,
            "deg",
            interpretation="full extension (0° reference)"
            if degrees == 0
            else f"{degrees:g}° beyond the 0° reference (hyperextension)"
            if reached
            else f"lacks {-degrees:g}° of full extension (extension lag or flexion contracture)",
            flag=Flag.NORMAL if reached else Flag.BELOW_NORM,
            norm=norm,
            notes=notes,
            source=_citation(source),
        )
    percent = round(degrees / normal * 100, 1)
    return Score(
        "range_of_motion",
        degrees,
        "deg",
        interpretation="at or above the reference value" if percent >= 100 else "below the reference value",
        flag=Flag.NORMAL if percent >= 100 else Flag.BELOW_NORM,
        norm=norm,
        percent_of_norm=percent,
        notes=notes,
        source=_citation(source),
    )


def _ama_minimum(upper: dict[str, Any] | None, degrees: float) -> tuple[str, ...]:
    """Whether the value meets the AMA Guides minimum normal (Norkin & White Table A.1, AMA column)."""
    minimum = (upper or {}).get("ama_min")
    if minimum is None:
        return ()
    if degrees >= minimum:
        return (f"meets the AMA Guides functional minimum (≥ {minimum}°)",)
    return (f"below the AMA Guides functional minimum (≥ {minimum}°)",)


# --- Grip strength ---------------------------------------------------------------------


def _grip_band(age: int) -> str:
    grip = reference()["grip_strength"]
    if age >= 75:
        return "75+"
    for band in grip["age_bands"]:
        if band != "75+":
            low, high = (int(part) for part in band.split("-"))
            if low <= age <= high:
                return str(band)
    raise InvalidInput("Age is outside the adult grip norms.")  # pragma: no cover - guarded by caller


def grip_strength(kg: float, *, age: int, sex: str, hand: str) -> Score:
    """Grip (kg) against Mathiowetz et al. 1985 for the sex, 5-year age band and hand.

    The table is published in pounds; mean and SD are converted with 1 lb = 0.45359237 kg,
    then z = (measured − mean) ÷ SD and percent of norm = measured ÷ mean × 100."""
    kg = _number(kg, "Grip")
    _require(0 <= kg <= 120, "Grip must be between 0 and 120 kg.")
    _require(
        isinstance(age, int) and 0 <= age <= 125, "Age must be a whole number of years between 0 and 125."
    )
    _require(hand in ("left", "right"), "Hand must be left or right.")
    grip = reference()["grip_strength"]
    source = _citation(grip["source_id"])
    if age < 20 or sex not in ("male", "female"):
        why = (
            "ages under 20 are outside these adult norms"
            if age < 20
            else "the norms are by sex (female/male)"
        )
        return Score("grip_strength", kg, "kg", notes=(NO_NORM, why))
    band = _grip_band(age)
    row = grip["norms"][sex][band][hand]
    if row is None or row.get("unverified") or row.get("mean_lb") is None:
        return Score("grip_strength", kg, "kg", notes=(NO_NORM,))
    factor = grip["lb_to_kg"]
    mean, sd = row["mean_lb"] * factor, row["sd_lb"] * factor
    z = round((kg - mean) / sd, 2)
    percent = round(kg / mean * 100, 1)
    people = {"female": "women", "male": "men"}[sex]
    return Score(
        "grip_strength",
        kg,
        "kg",
        interpretation=_z_band(z),
        flag=_z_flag(z),
        norm=Norm(source, f"{people} {band}, {hand} hand", mean=round(mean, 2), sd=round(sd, 2), unit="kg"),
        z=z,
        percent_of_norm=percent,
        notes=(f"published in pounds: {row['mean_lb']} ({row['sd_lb']}) lb, × 0.45359237 = kg",),
        source=source,
    )


def _z_flag(z: float) -> Flag:
    return Flag.BELOW_NORM if z <= -1 else Flag.NORMAL


def _z_band(z: float) -> str:
    if z <= -2:
        return "well below the norm (z ≤ −2)"
    if z <= -1:
        return "below the norm (−2 < z ≤ −1)"
    if z < 1:
        return "within the norm (−1 < z < 1)"
    return "above the norm (z ≥ 1)"


def pinch_strength(kg: float, *, pinch: str, age: int, sex: str, hand_role: str | None) -> Score:
    """Pinch (kg) against the tip-pinch table (Baseline pinch-gauge manual, by dominant and
    non-dominant hand). Key and palmar norms are not on file, and cells the reference marks
    unverified are not used."""
    kg = _number(kg, "Pinch")
    _require(0 <= kg <= 40, "Pinch must be between 0 and 40 kg.")
    _require(
        isinstance(age, int) and 0 <= age <= 125, "Age must be a whole number of years between 0 and 125."
    )
    _require(pinch in ("tip", "key", "palmar"), "Pinch is tip, key or palmar.")
    data = reference()["pinch_strength"]
    if pinch != "tip":
        return Score("pinch_strength", kg, "kg", notes=(NO_NORM, f"no verified {pinch} pinch norms"))
    if age < 20 or sex not in ("male", "female"):
        return Score("pinch_strength", kg, "kg", notes=(NO_NORM, "the norms are for adults 20+, by sex"))
    if hand_role not in ("dominant", "non_dominant"):
        return Score(
            "pinch_strength",
            kg,
            "kg",
            notes=(NO_NORM, "the norms are by dominant hand: record hand dominance"),
        )
    band = _grip_band(age)
    cell = (data["tip"]["norms"][sex].get(band) or {}).get(hand_role)
    if not cell or cell.get("unverified") or cell.get("mean_lb") is None:
        return Score("pinch_strength", kg, "kg", notes=(NO_NORM, "this cell of the table is unverified"))
    factor = reference()["grip_strength"]["lb_to_kg"]
    mean, sd = cell["mean_lb"] * factor, cell["sd_lb"] * factor
    z = round((kg - mean) / sd, 2)
    source = _citation(data["tip"]["source_id"])
    people = {"female": "women", "male": "men"}[sex]
    return Score(
        "pinch_strength",
        kg,
        "kg",
        interpretation=_z_band(z),
        flag=_z_flag(z),
        norm=Norm(
            source,
            f"{people} {band}, {hand_role.replace('_', '-')} hand, tip pinch",
            mean=round(mean, 2),
            sd=round(sd, 2),
            unit="kg",
        ),
        z=z,
        percent_of_norm=round(kg / mean * 100, 1),
        notes=(f"published in pounds: {cell['mean_lb']} ({cell['sd_lb']}) lb, × 0.45359237 = kg",),
        source=source,
    )


# --- Timed and counted tests -----------------------------------------------------------


def nine_hole_peg(seconds: float) -> Score:
    """The age, sex and hand tables of Mathiowetz 1985 / Oxford Grice 2003 are not on file:
    the time is reported without a comparison."""
    seconds = _number(seconds, "Time")
    _require(0 < seconds <= 600, "Time must be more than 0 and at most 600 seconds.")
    return Score("nine_hole_peg", seconds, "s", notes=(NO_NORM,))


def ruler_drop(cm: float) -> Score:
    """Reaction time from the catch distance of a falling ruler: t = √(2d ÷ g), d in metres,
    g = 9.81 m/s². No validated clinical norms exist, so no interpretation."""
    cm = _number(cm, "Distance")
    _require(0 < cm <= 100, "Distance must be more than 0 and at most 100 cm.")
    g = reference()["ruler_drop"]["g_default"]
    seconds = round(math.sqrt(2 * (cm / 100) / g), 3)
    return Score(
        "ruler_drop", seconds, "s", notes=(f"from {cm:g} cm: t = √(2 × {cm / 100:g} m ÷ {g} m/s²)", NO_NORM)
    )


def timed_up_and_go(seconds: float) -> Score:
    """Fall risk: CDC STEADI flags 12 s or more; Shumway-Cook et al. 2000 flag 13.5 s or more."""
    seconds = _number(seconds, "Time")
    _require(0 < seconds <= 600, "Time must be more than 0 and at most 600 seconds.")
    if seconds >= 13.5:
        meaning = "at risk of falling (≥ 12 s, CDC STEADI; ≥ 13.5 s, Shumway-Cook 2000)"
    elif seconds >= 12:
        meaning = "at risk of falling (≥ 12 s, CDC STEADI)"
    else:
        meaning = "below the fall-risk thresholds"
    return Score(
        "timed_up_and_go",
        seconds,
        "s",
        interpretation=meaning,
        flag=Flag.AT_RISK if seconds >= 12 else Flag.NORMAL,
        source="CDC STEADI; Shumway-Cook, Brauer & Woollacott 2000",
    )


CHAIR_STAND_TABLES = ("1999", "2013")


def chair_stand_30s(stands: int, *, age: int, sex: str, table: str = "1999") -> Score:
    """Stands in 30 s against the 25th–75th percentile range of Rikli & Jones: the 1999 table, or
    the 2013 manual's (the same but for men 65–69 and 85–89), named on the norm."""
    _require(table in CHAIR_STAND_TABLES, f"Unknown chair-stand table {table!r}.")
    _require(
        isinstance(stands, int) and not isinstance(stands, bool) and 0 <= stands <= 60,
        "Stands must be a whole number from 0 to 60.",
    )
    _require(
        isinstance(age, int) and 0 <= age <= 125, "Age must be a whole number of years between 0 and 125."
    )
    data = reference()["chair_stand_30s"]
    source = _citation(data["source_id"])
    if sex not in ("male", "female") or not 60 <= age <= 94:
        return Score(
            "chair_stand_30s", stands, "stands", notes=(NO_NORM, "the ranges cover ages 60 to 94, by sex")
        )
    band = next(b for b in data["ranges_1999"][sex] if int(b[:2]) <= age <= int(b[3:]))
    cell = data["ranges_1999"][sex][band]
    low, high = cell["low"], cell["high"]
    if table == "2013":
        changed = next(
            (d for d in data["differences_in_2013_manual"] if d["sex"] == sex and d["band"] == band), None
        )
        if changed is not None:
            low, high = changed["low"], changed["high"]
    if stands < low:
        meaning = "below average (fall-risk flag)"
    elif stands > high:
        meaning = "above average"
    else:
        meaning = "average"
    people = {"female": "women", "male": "men"}[sex]
    return Score(
        "chair_stand_30s",
        stands,
        "stands",
        interpretation=meaning,
        flag=Flag.AT_RISK if stands < low else Flag.NORMAL,
        norm=Norm(
            source,
            f"{people} {band}, 25th–75th percentile ({table} table)",
            low=low,
            high=high,
            unit="stands",
        ),
        source=source,
    )


# --- Pain ------------------------------------------------------------------------------


# The pain band schemes of instruments.json ("nrs_pain"): the clinic chooses one (settings.PAIN_BANDS).
PAIN_SCHEMES = {
    "cpa": None,  # the default bands (Canadian Physiotherapy Association)
    "serlin_1995": "Serlin 1995 (cancer, worst pain)",
    "boonstra_2016": "Boonstra 2016 (chronic musculoskeletal)",
    "palos_2006": "Palos 2006 community adults",
    "hl7_snomed": "hl7.eu SNOMED mapping",
}


def pain_nrs(rating: int, *, scheme: str = "cpa") -> Score:
    """Numeric rating 0–10 in the chosen scheme's bands (PAIN_SCHEMES; the Canadian Physiotherapy
    Association's by default), the scheme named as the interpretation's source."""
    _require(
        isinstance(rating, int) and not isinstance(rating, bool) and 0 <= rating <= 10,
        "Pain is rated with a whole number from 0 to 10.",
    )
    _require(scheme in PAIN_SCHEMES, f"Unknown pain band scheme {scheme!r}.")
    data = reference()["nrs_pain"]
    name = PAIN_SCHEMES[scheme]
    if name is None:
        band = next(b["label"] for b in data["bands_default"] if b["min"] <= rating <= b["max"])
        return Score(
            "pain_nrs",
            rating,
            "/10",
            interpretation=band,
            source=data["bands_default_source"],
            notes=("bands of the Canadian Physiotherapy Association",),
        )
    bands = next(s for s in data["alternative_schemes"] if s["name"] == name)
    band = (
        "no pain"
        if rating == 0
        else next(
            label for label, limits in bands.items() if label != "name" and limits[0] <= rating <= limits[1]
        )
    )
    return Score(
        "pain_nrs",
        rating,
        "/10",
        interpretation=band,
        source=f"{name} bands (NRS-11 cut-points)",
        notes=(f"bands of {name}",),
    )


# --- ADL and IADL scales ---------------------------------------------------------------


def lawton(items: dict[str, int], *, domains: int = 8) -> Score:
    """Lawton–Brody IADL: each domain scores 0 or 1. `domains=5` is the historical scoring that
    left out food preparation, housekeeping and laundry. No severity cut-points exist."""
    data = reference()["lawton_iadl"]
    names = [item["id"] for item in data["items"]]
    _require(domains in (8, 5), "Lawton is scored on 8 domains (or the historical 5).")
    if domains == 5:
        names = [n for n in names if n not in data["historical_male_scoring"]["excluded_domains"]]
    _require(set(items) == set(names), f"Lawton needs exactly these domains: {', '.join(names)}.")
    _require(
        all(items[n] in (0, 1) and not isinstance(items[n], bool) for n in names),
        "Each Lawton domain scores 0 or 1.",
    )
    total = sum(items[n] for n in names)
    return Score(
        "lawton_iadl",
        total,
        f"/{domains}",
        notes=("no validated severity bands: compare with the person's own baseline",),
        source=_citation(data["source_id"]),
    )


KATZ_ITEMS = ("bathing", "dressing", "toileting", "transferring", "continence", "feeding")


def katz(items: dict[str, int]) -> Score:
    """Katz ADL 0–6. 6 = full function, 4 = moderate impairment, 2 or less = severe; the
    published interpretation names no band for 5 or 3, so none is given."""
    _require(set(items) == set(KATZ_ITEMS), f"Katz needs exactly these items: {', '.join(KATZ_ITEMS)}.")
    _require(
        all(items[n] in (0, 1) and not isinstance(items[n], bool) for n in KATZ_ITEMS),
        "Each Katz item scores 0 or 1.",
    )
    total = sum(items.values())
    bands = {6: "full function", 4: "moderate impairment"}
    meaning = bands.get(total) or ("severe functional impairment" if total <= 2 else None)
    notes = () if meaning else ("no published band for a total of 5 or 3",)
    flag = None if meaning is None else (Flag.NORMAL if total == 6 else Flag.BELOW_NORM)
    return Score(
        "katz_adl", total, "/6", interpretation=meaning, notes=notes, source=_citation("katz_1963"), flag=flag
    )


BARTHEL_VALUES = {
    "feeding": (0, 5, 10),
    "bathing": (0, 5),
    "grooming": (0, 5),
    "dressing": (0, 5, 10),
    "bowels": (0, 5, 10),
    "bladder": (0, 5, 10),
    "toilet_use": (0, 5, 10),
    "transfers": (0, 5, 10, 15),
    "mobility": (0, 5, 10, 15),
    "stairs": (0, 5, 10),
}


def barthel(items: dict[str, int]) -> Score:
    """Barthel Index 0–100 (Mahoney & Barthel 1965) with Shah et al. 1989 dependency bands."""
    _require(
        set(items) == set(BARTHEL_VALUES), f"Barthel needs exactly these items: {', '.join(BARTHEL_VALUES)}."
    )
    for name, allowed in BARTHEL_VALUES.items():
        _require(
            items[name] in allowed and not isinstance(items[name], bool),
            f"{name} scores one of {allowed}, not {items[name]!r}.",
        )
    return barthel_total(sum(items.values()))


# --- Cognitive screens -----------------------------------------------------------------


def moca(raw: int, *, education_years: int | None) -> Score:
    """MoCA: one point added for 12 years of education or fewer, never above 30; 26 or more is normal."""
    _require(
        isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw <= 30, "MoCA scores run from 0 to 30."
    )
    if education_years is None:
        return Score(
            "moca",
            raw,
            "/30",
            notes=("years of education not recorded: the education point cannot be applied",),
            source=_citation("moca"),
        )
    _require(
        isinstance(education_years, int) and 0 <= education_years <= 30, "Years of education must be 0 to 30."
    )
    adjusted = min(30, raw + (1 if education_years <= 12 else 0))
    notes = (f"raw {raw} + 1 for ≤ 12 years of education",) if adjusted != raw else ()
    meaning = "normal (≥ 26)" if adjusted >= 26 else "below the normal cut-off of 26"
    return Score(
        "moca",
        adjusted,
        "/30",
        interpretation=meaning,
        notes=notes,
        source=_citation("moca"),
        flag=Flag.NORMAL if adjusted >= 26 else Flag.BELOW_NORM,
    )


def slums(total: int, *, education_years: int | None) -> Score:
    """SLUMS bands depend on whether the person completed high school (12 years)."""
    _require(
        isinstance(total, int) and not isinstance(total, bool) and 0 <= total <= 30,
        "SLUMS scores run from 0 to 30.",
    )
    if education_years is None:
        return Score(
            "slums",
            total,
            "/30",
            notes=("education not recorded: the bands depend on it",),
            source=_citation("slums"),
        )
    _require(
        isinstance(education_years, int) and 0 <= education_years <= 30, "Years of education must be 0 to 30."
    )
    key = "high_school_education" if education_years >= 12 else "less_than_high_school"
    bands = reference()["slums"]["cutoffs"][key]
    band = next(b for b in bands if b["min"] <= total <= b["max"])
    normal = band["max"] == max(b["max"] for b in bands)  # the top band is the normal one
    return Score(
        "slums",
        total,
        "/30",
        interpretation=band["label"],
        notes=(key.replace("_", " "),),
        source=_citation("slums"),
        flag=Flag.NORMAL if normal else Flag.BELOW_NORM,
    )


def mini_cog(total: int) -> Score:
    """Mini-Cog 0–5: 0–2 is a positive screen needing further evaluation."""
    _require(
        isinstance(total, int) and not isinstance(total, bool) and 0 <= total <= 5,
        "Mini-Cog scores run from 0 to 5.",
    )
    meaning = (
        "positive screen: further evaluation warranted"
        if total <= 2
        else "lower likelihood of dementia (does not rule out impairment)"
    )
    return Score(
        "mini_cog",
        total,
        "/5",
        interpretation=meaning,
        source="Borson et al. 2000; mini-cog.com",
        flag=Flag.BELOW_NORM if total <= 2 else Flag.NORMAL,
    )


# --- COPM ------------------------------------------------------------------------------


def copm(
    ratings: list[tuple[int, int]], *, baseline: list[tuple[int, int]] | None = None
) -> dict[str, Score]:
    """COPM performance and satisfaction: each the mean of up to five problems' 1–10 ratings,
    shown to two decimals. Against a baseline, a change of 2 points or more is flagged as
    clinically important, judged on the unrounded change (a 1.95 change is under 2, whatever its
    rounding shows)."""

    def means(pairs: Sequence[tuple[int, int]], label: str) -> tuple[Fraction, Fraction]:
        _require(1 <= len(pairs) <= 5, f"COPM {label} rates 1 to 5 problems.")
        for performance, satisfaction in pairs:
            _require(
                all(
                    isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 10
                    for v in (performance, satisfaction)
                ),
                "COPM ratings run from 1 to 10.",
            )
        # Exact means (fractions): the change is judged before any rounding.
        return (
            Fraction(sum(p for p, _s in pairs), len(pairs)),
            Fraction(sum(s for _p, s in pairs), len(pairs)),
        )

    performance, satisfaction = means(ratings, "")
    scores = {
        "performance": Score(
            "copm_performance", round(float(performance), 2), "/10", source=_citation("copm")
        ),
        "satisfaction": Score(
            "copm_satisfaction", round(float(satisfaction), 2), "/10", source=_citation("copm")
        ),
    }
    if baseline is not None:
        before = means(baseline, "baseline")
        for key, now, then in (
            ("performance", performance, before[0]),
            ("satisfaction", satisfaction, before[1]),
        ):
            exact = now - then
            change = round(float(exact), 2)
            limit = COPM_CHANGE.value
            meaning = (
                f"clinically important change (≥ {limit:g} points)"
                if abs(exact) >= Fraction(str(limit))
                else f"change under {limit:g} points"
            )
            scores[f"{key}_change"] = Score(
                f"copm_{key}_change", change, "points", interpretation=meaning, source=_citation("copm")
            )
    return scores


# --- Totals entered directly (the form records the total, not each item) -------------------


def lawton_total(total: int, *, domains: int = 8) -> Score:
    _require(domains in (8, 5), "Lawton is scored on 8 domains (or the historical 5).")
    _require(
        isinstance(total, int) and not isinstance(total, bool) and 0 <= total <= domains,
        f"Lawton totals run from 0 to {domains}.",
    )
    return Score(
        "lawton_iadl",
        total,
        f"/{domains}",
        notes=("no validated severity bands: compare with the person's own baseline",),
        source=_citation("lawton_brody_1969"),
    )


def katz_total(total: int) -> Score:
    _require(
        isinstance(total, int) and not isinstance(total, bool) and 0 <= total <= 6,
        "Katz totals run from 0 to 6.",
    )
    return katz({name: 1 if index < total else 0 for index, name in enumerate(KATZ_ITEMS)})


def barthel_total(total: int) -> Score:
    _require(
        isinstance(total, int) and not isinstance(total, bool) and 0 <= total <= 100 and total % 5 == 0,
        "Barthel totals run from 0 to 100 in steps of 5.",
    )
    data = reference()["barthel_index"]
    band = next(b["label"] for b in data["bands_shah_1989"] if b["min"] <= total <= b["max"])
    return Score(
        "barthel_index",
        total,
        "/100",
        interpretation=band,
        source=_citation(data["bands_source_id"]),
        flag=Flag.NORMAL if total == 100 else Flag.BELOW_NORM,
        # Collin & Wade 1988: the same items on 0–20; the 100-point total is the 20-point total × 5.
        notes=(f"{total // 5}/20 on the 20-point version (Collin & Wade 1988)",),
    )
