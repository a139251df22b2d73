"""The smallest change of each recorded measure that is more than measurement error, with its
source, as outcome-measures.md (Part B) and instruments.md give it.

A re-evaluation calls a change improved or declined only when it reaches the threshold here
(outcome-measures.md §0: "improved only if the favourable change ≥ threshold"). Each threshold
keeps the reference's verification mark; a value the reference marks unverified (❌) is listed
so the gap stays visible, but `usable` is false and nothing is interpreted with it. Values the
reference calls **policy** are its suggested product defaults, chosen from the published values
and awaiting the clinic's approval: they are used, and their description says so.

Where the reference has no usable value, the lookup returns `NoThreshold` with the reason, and
the change is shown without a meaning.
"""

from dataclasses import dataclass
from enum import StrEnum

OUTCOME_MEASURES = "outcome-measures.md"
INSTRUMENTS = "instruments.md"


class Status(StrEnum):
    """The reference's verification mark."""

    CONFIRMED = "✅"  # primary or reputable source read
    SECONDARY = "◐"  # confirmed only from a secondary reproduction
    UNVERIFIED = "❌"  # not found or not confirmed: never used to interpret

    @property
    def word(self) -> str:
        """The mark in words, for pages and PDFs whose fonts have no such symbols."""
        return {"✅": "confirmed", "◐": "secondary source only", "❌": "unverified"}[self.value]


class Kind(StrEnum):
    MDC = "MDC"  # minimal detectable change (MDC95, SRD: the same idea)
    IMPORTANT = "clinically important change"  # a threshold of importance, not of error
    DEFAULT = "product default"  # the reference's policy default, chosen from published values


@dataclass(frozen=True)
class Threshold:
    """A change at least this large (in the favourable or unfavourable direction) is more than
    measurement error. `relative`: the value is a percent of the baseline value."""

    value: float
    unit: str
    kind: Kind
    source: str  # who published it (or what a policy default is based on)
    where: str  # the reference section that gives it
    status: Status
    relative: bool = False
    derived: bool = False  # computed by the reference from a published SEM
    unverified: bool = False  # the reference flags the value itself as unverified

    @property
    def usable(self) -> bool:
        return self.status != Status.UNVERIFIED and not self.unverified

    @property
    def amount(self) -> str:
        unit = "%" if self.relative else self.unit
        return f"{self.value:g}{unit}" if unit in ("°", "%") else f"{self.value:g} {unit}"

    @property
    def short(self) -> str:
        """For the meaning of a change: "MDC 4 points", "product default 5 kg"."""
        return f"{self.kind} {self.amount}"

    @property
    def description(self) -> str:
        """The threshold with its source and mark, for the table beside the change."""
        notes = [
            *(["derived from the published SEM"] if self.derived else []),
            *(["policy"] if self.kind == Kind.DEFAULT else []),
        ]
        extra = f" ({'; '.join(notes)})" if notes else ""
        return f"≥ {self.amount} {self.kind}{extra} — {self.source}; {self.where}, {self.status.word}"

    def reached_by(self, change: float, before: float) -> bool:
        if self.relative and not before:
            return False
        size = abs(change) / abs(before) * 100 if self.relative else abs(change)
        return round(size, 6) >= self.value


@dataclass(frozen=True)
class NoThreshold:
    """No usable measurement error: the change is shown, not interpreted."""

    reason: str
    where: str
    status: Status = Status.UNVERIFIED

    usable = False

    @property
    def description(self) -> str:
        return f"none: {self.reason} ({self.where})"


Lookup = Threshold | NoThreshold


def _a(section: str) -> str:
    return f"{OUTCOME_MEASURES} §{section}"


def _b(section: str) -> str:
    return f"{OUTCOME_MEASURES} §{section}"


# --- Grip and pinch (§B1, §B2) -------------------------------------------------------------------

GRIP = Threshold(
    5.0,
    "kg",
    Kind.DEFAULT,
    "above every published grip MDC/SRD (2.2–4.7 kg; Chen 2009, Ir J Med Sci 2021)",
    _b("B1"),
    Status.CONFIRMED,
)
PINCH = Threshold(
    1.5,
    "kg",
    Kind.DEFAULT,
    "just above the largest stroke SRD (1.4 kg; Chen 2009); no tip-pinch MDC",
    _b("B2"),
    Status.CONFIRMED,
    unverified=True,  # the reference marks this default unverified
)

# --- Goniometric range of motion (§B3): per joint, only for the joints the reference names -------

_ROM_BASIS = "Boone 1978, Pua 2008, de Winter 2004, Thieme 2024"
_ROM_SAME = {"shoulder": 10, "hip": 10, "knee": 5, "elbow": 5, "wrist": 5, "ankle": 5}
_ROM_DIFFERENT = {"shoulder": 20, "hip": 20, "knee": 10, "elbow": 10, "wrist": 10, "ankle": 10}
ROM = {
    (joint, same): Threshold(
        float(table[joint]),
        "°",
        Kind.DEFAULT,
        f"{'same' if same else 'different'} therapist, {joint}; based on {_ROM_BASIS}",
        _b("B3"),
        Status.CONFIRMED,
    )
    for same, table in ((True, _ROM_SAME), (False, _ROM_DIFFERENT))
    for joint in table
}
ROM_NOT_NAMED = NoThreshold(
    "the reference gives joint-specific ROM error only for the shoulder, elbow, wrist, hip, knee and ankle",
    _b("B3"),
)

# --- Manual muscle testing (§B4): no MDC exists --------------------------------------------------

MMT_DEFAULT = Threshold(
    3,
    "Kendall steps",
    Kind.DEFAULT,
    "one full grade by the same examiner, 'interpret with caution'",
    _b("B4"),
    Status.UNVERIFIED,
    unverified=True,
)
MMT = NoThreshold(
    "no published MDC for a manual muscle test grade; a ± step is within the disagreement between therapists",
    _b("B4"),
)

# --- Timed and counted tests (§B5–B7, §B12), by catalogue code ------------------------------------

NINE_HOLE_PEG = Threshold(
    20,
    "s",
    Kind.DEFAULT,
    "MS data: MDC 19.4% (dominant hand, Hervault 2017), 20% convention (Feys 2017); practice effect on first retest",
    _b("B5"),
    Status.CONFIRMED,
    relative=True,
)
TUG_SAME = Threshold(
    1.1, "s", Kind.DEFAULT, "same therapist; MDC 1.10 s (Alghadir 2015)", _b("B6"), Status.CONFIRMED
)
TUG_DIFFERENT = Threshold(
    2.1, "s", Kind.DEFAULT, "different therapists; MDC 2.08 s (Donoghue 2019)", _b("B6"), Status.CONFIRMED
)
CHAIR_STAND = Threshold(
    2.5, "stands", Kind.MDC, "individual MDC, early knee OA (Gill 2022)", _b("B7"), Status.CONFIRMED
)
BOX_AND_BLOCK = Threshold(
    8,
    "blocks",
    Kind.DEFAULT,
    "covers the less-affected-hand SRD 7.8 blocks in stroke (Chen 2009)",
    _b("B12"),
    Status.CONFIRMED,
)
NO_TEST_VALUE = NoThreshold("the reference has no measurement error for this test", OUTCOME_MEASURES)

# --- Scales and screens (§B8–B11; instruments.md §9–10) ------------------------------------------

BARTHEL = Threshold(
    20,
    "points",
    Kind.MDC,
    "individual MDC95 on 0–100 from SEM 1.45 on 0–20, stroke (Hsieh 2007)",
    _b("B8"),
    Status.CONFIRMED,
    derived=True,
)
LAWTON = Threshold(
    1,
    "point",
    Kind.DEFAULT,
    "smallest possible change; individual error in English-speaking outpatients not found",
    _b("B9"),
    Status.SECONDARY,
    unverified=True,
)
MOCA = Threshold(
    4, "points", Kind.MDC, "MDC95, community adults ≥ 55 (Feeney 2016)", _b("B10"), Status.CONFIRMED
)
PAIN_NRS = Threshold(
    2,
    "points",
    Kind.IMPORTANT,
    "NRS: 2 points or about 30% (Farrar 2001; Canadian Physiotherapy Association)",
    f"{INSTRUMENTS} §9, {_b('B11')}",
    Status.CONFIRMED,
)
COPM = Threshold(
    2,
    "points",
    Kind.IMPORTANT,
    "COPM performance or satisfaction score (Law 1990; thecopm.ca; caveats there)",
    f"{INSTRUMENTS} §10, {_b('B11')}",
    Status.CONFIRMED,
)
LEFS = Threshold(
    9,
    "points",
    Kind.MDC,
    "MDC90 = MCID 9 points, musculoskeletal lower-limb conditions (Binkley 1999)",
    _a("A2"),
    Status.CONFIRMED,
)
NO_SCALE_VALUE = NoThreshold("the reference has no measurement error for this instrument", OUTCOME_MEASURES)
ASSIST_LEVEL = NoThreshold("no published measurement error for levels of assistance", OUTCOME_MEASURES)

TESTS: dict[str, Lookup] = {
    "nine_hole_peg": NINE_HOLE_PEG,
    "chair_stand_30s": CHAIR_STAND,
    "box_and_block": BOX_AND_BLOCK,
}
SCALES: dict[str, Lookup] = {"barthel_index": BARTHEL, "lawton_iadl": LAWTON, "moca": MOCA, "lefs": LEFS}


def _checked(threshold: Lookup) -> Lookup:
    """An unverified value never interprets a change: it becomes the reason there is none."""
    if isinstance(threshold, Threshold) and not threshold.usable:
        return NoThreshold(f"the only value ({threshold.short}) is unverified", threshold.where)
    return threshold


def range_of_motion(joint_motion_code: str, *, same_therapist: bool) -> Lookup:
    joint = joint_motion_code.split("_", 1)[0]
    return _checked(ROM.get((joint, same_therapist), ROM_NOT_NAMED))


def timed_or_counted_test(test_code: str, *, same_therapist: bool) -> Lookup:
    if test_code == "timed_up_and_go":
        return TUG_SAME if same_therapist else TUG_DIFFERENT
    return _checked(TESTS.get(test_code, NO_TEST_VALUE))


def scale(instrument: str) -> Lookup:
    """A functional scale or cognitive screen, by its choice value."""
    return _checked(SCALES.get(instrument, NO_SCALE_VALUE))


def grip() -> Lookup:
    return _checked(GRIP)


def pinch() -> Lookup:
    return _checked(PINCH)


def manual_muscle_test() -> Lookup:
    return MMT
