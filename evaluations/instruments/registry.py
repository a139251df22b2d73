"""The standardized instruments, each described once from the reference files: its items and their
answer options with scores, the scoring rule, the range, the bands and their source, the change
threshold, the LOINC codes, the licence note and the source ids.

The entry forms (pages and API), the scoring of a recorded row, the report's item rows and the
instrument catalogue endpoint are all built from this registry. Pure Python; no Django.

Item answers are stored as each instrument's own form records them: Lawton by the option code of
the form (1–5, the statement ticked; the score 0/1 follows from it), the others by the item's
points. An instrument whose item points the reference marks unverified (SLUMS) takes its total
only, and says why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from evaluations.instruments import measurement_error, proms, scoring, terminology
from evaluations.instruments.scoring import InvalidInput, Score, reference


@dataclass(frozen=True)
class Option:
    value: int  # what is recorded: the form's option code (Lawton) or the points
    score: int  # what it adds to the total
    label: str


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    options: tuple[Option, ...]

    @property
    def maximum(self) -> int:
        return max(option.score for option in self.options)

    def option(self, value: object) -> Option | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return None
        return next((option for option in self.options if option.value == value), None)


class InvalidItems(InvalidInput):
    """Item answers that cannot be scored: `errors` says which item and why."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


@dataclass(frozen=True)
class Instrument:
    key: str  # the value recorded in a row's `instrument`
    name: str
    low: int
    high: int
    rule: str  # the scoring rule, in words
    sources: tuple[str, ...]  # source ids in the reference files
    licence: str
    kind: str  # "performance", "screen" or "patient-reported"
    items: tuple[Item, ...] = ()
    items_note: str = ""  # how the items are worded, or why there is no item entry
    bands: str = ""  # the interpretation bands and their source, or that there are none
    step: int = 1
    uses_education: bool = False
    loinc_panel: str | None = None
    # The score from a total (the item total, or one typed), with any context (education).
    _score: Callable[..., Score] = field(default=scoring.mini_cog, repr=False, compare=False)

    @property
    def item_entry(self) -> bool:
        return bool(self.items)

    @property
    def loinc_total(self) -> terminology.Coding | None:
        return terminology.loinc(self.key.removesuffix("_5"))

    @property
    def change_threshold(self) -> measurement_error.Lookup:
        return measurement_error.scale(self.key)

    def check(self, answers: Mapping[str, object]) -> dict[str, int]:
        """Every item answered with one of its options; raises InvalidItems naming each problem.
        No instrument here has a published rule for missing items, so none is prorated."""
        if not self.items:
            raise InvalidItems({"": f"{self.name} is recorded as a total only: {self.items_note}"})
        known = {item.key for item in self.items}
        errors = {key: f"{key}: not an item of the {self.name}." for key in answers if key not in known}
        clean: dict[str, int] = {}
        for item in self.items:
            if item.key not in answers or answers[item.key] is None:
                errors[item.key] = f"{item.label}: not answered (every item is needed; none is estimated)."
                continue
            option = item.option(answers[item.key])
            if option is None:
                allowed = ", ".join(str(o.value) for o in item.options)
                errors[item.key] = f"{item.label}: {answers[item.key]!r} is not one of {allowed}."
                continue
            clean[item.key] = option.value
        if errors:
            raise InvalidItems(errors)
        return clean

    def item_scores(self, answers: Mapping[str, object]) -> dict[str, int]:
        clean = self.check(answers)
        return {item.key: item.option(clean[item.key]).score for item in self.items}  # type: ignore[union-attr]

    def total(self, answers: Mapping[str, object]) -> int:
        """The raw total of the items (before any education point)."""
        return sum(self.item_scores(answers).values())

    def check_total(self, total: object) -> int:
        if isinstance(total, bool) or not isinstance(total, int) or not self.low <= total <= self.high:
            raise InvalidInput(f"{self.name} totals run from {self.low} to {self.high}.")
        if total % self.step:
            raise InvalidInput(f"{self.name} totals go in steps of {self.step}.")
        return total

    def score(
        self,
        *,
        total: int | None = None,
        items: Mapping[str, object] | None = None,
        education_years: int | None = None,
    ) -> Score:
        """The score from the items when they are given (a total given with them must agree), else
        from the total; the notes say which it was."""
        if items:
            from_items = self.total(items)
            if total is not None and total != from_items:
                raise InvalidInput(f"The items add up to {from_items}, not {total}.")
            total, how = from_items, f"scored from its {len(self.items)} items"
        elif total is None:
            raise InvalidInput(f"Give the {self.name} items or its total.")
        else:
            how = "total entered without its items"
        context = {"education_years": education_years} if self.uses_education else {}
        result = self._score(self.check_total(total), **context)
        return replace(result, notes=(*result.notes, how))


def _options(values: Mapping[str, str]) -> tuple[Option, ...]:
    """Points-valued answers, labelled with their points as the form prints them ("10 independent")."""
    return tuple(Option(int(points), int(points), f"{points} {text}") for points, text in values.items())


def _lawton(domains: int) -> Instrument:
    data = reference()["lawton_iadl"]
    excluded = set(data["historical_male_scoring"]["excluded_domains"]) if domains == 5 else set()
    items = tuple(
        Item(
            item["id"],
            item["label"],
            tuple(Option(o["code"], o["score"], f"{o['text']} ({o['score']})") for o in item["options"]),
        )
        for item in data["items"]
        if item["id"] not in excluded
    )
    name = "Lawton IADL" if domains == 8 else "Lawton IADL, historical 5 domains"
    return Instrument(
        "lawton_iadl" if domains == 8 else "lawton_iadl_5",
        name,
        0,
        domains,
        "One statement ticked per domain (recorded by its code on the form); each domain scores 0 or 1; "
        "total = sum"
        + (
            " of the 5 domains the 1969 scoring kept (food preparation, housekeeping and laundry left out)"
            if domains == 5
            else ""
        ),
        (data["source_id"],),
        "Free to use (published 1969; reproduced by the Hartford Institute).",
        "performance",
        items,
        "Statements as printed on the scoring form (Graf 2008).",
        "No validated severity bands: compare with the person's own baseline.",
        _score=lambda total: scoring.lawton_total(total, domains=domains),
    )


def _katz() -> Instrument:
    data = reference()["katz_adl"]
    items = tuple(
        Item(
            item["id"],
            item["id"].replace("_", " ").capitalize(),
            (
                Option(1, 1, f"1 independent: {item['independent_1']}"),
                Option(0, 0, f"0 dependent: {item['dependent_0']}"),
            ),
        )
        for item in data["items"]
    )
    return Instrument(
        "katz_adl",
        "Katz ADL",
        0,
        6,
        "Each activity 1 = independent, 0 = dependent (needs supervision, direction or help); total = sum",
        (data["source_id"],),
        "Free to use (published 1963; reproduced by the Hartford Institute).",
        "performance",
        items,
        "Definitions as printed on the Hartford form.",
        "6 full function, 4 moderate impairment, 2 or less severe (Hartford 'Try This'); no band is "
        "published for 5 or 3, so none is given.",
        _score=scoring.katz_total,
    )


def _barthel() -> Instrument:
    data = reference()["barthel_index"]
    labels = {
        "feeding": "Feeding",
        "bathing": "Bathing",
        "grooming": "Grooming",
        "dressing": "Dressing",
        "bowels": "Bowels",
        "bladder": "Bladder",
        "toilet_use": "Toilet use",
        "transfers": "Transfers (bed to chair and back)",
        "mobility": "Mobility on level surfaces",
        "stairs": "Stairs",
    }
    items = tuple(
        Item(item["id"], labels.get(item["id"], item["id"]), _options(item["values"]))
        for item in data["items"]
    )
    return Instrument(
        "barthel_index",
        "Barthel Index",
        0,
        100,
        "Ten activities scored in steps of 5 as the form allows; total = sum (0–100). "
        + data["twenty_point_version"].split(";")[0],
        (data["source_id"], data["bands_source_id"]),
        "Free to use (Mahoney & Barthel 1965).",
        "performance",
        items,
        "Descriptors as on the stroke-centre form. " + " ".join(data["rules"]),
        "Shah 1989 dependency bands: "
        + "; ".join(f"{band['min']}–{band['max']} {band['label']}" for band in data["bands_shah_1989"])
        + ".",
        step=data["step"],
        _score=scoring.barthel_total,
    )


_MOCA_LABELS = {
    "visuospatial_executive": "Visuospatial / executive",
    "naming": "Naming",
    "attention": "Attention",
    "language": "Language",
    "abstraction": "Abstraction",
    "delayed_recall": "Delayed recall",
    "orientation": "Orientation",
}


def _moca() -> Instrument:
    data = reference()["moca"]
    items = tuple(
        Item(
            key,
            f"{_MOCA_LABELS.get(key, key)} (0–{domain['max']})",
            tuple(Option(points, points, str(points)) for points in range(domain["max"] + 1)),
        )
        for key, domain in data["domains"].items()
    )
    return Instrument(
        "moca",
        "MoCA",
        0,
        data["raw_max"],
        "Domain subscores, each within its own maximum, summed to the raw total; "
        f"{data['education_adjustment']['rule']}, never above {data['education_adjustment']['cap']}",
        (data["source_id"],),
        data["licensing"] + " Only domain names and their maximum points are shown here, no test content.",
        "screen",
        items,
        "Domain subscores as on the official form (the sub-item points inside a domain are scored on the form).",
        f"Normal if the education-adjusted total is {data['cutoff']['normal_if_adjusted_at_least']} or more "
        "(official instructions); other bands seen in papers are not used.",
        uses_education=True,
        loinc_panel="72133-2",
        _score=scoring.moca,
    )


def _slums() -> Instrument:
    data = reference()["slums"]
    low, high = data["total_range"]
    return Instrument(
        "slums",
        "SLUMS",
        low,
        high,
        "Sum of the item points on the official form",
        (data["source_id"],),
        data["licensing"],
        "screen",
        (),
        "The reference marks the SLUMS item points unverified (secondary summaries disagree), so the total "
        "from the official form is recorded, not the items.",
        "Bands by education: high-school education 27–30 normal, 21–26 mild neurocognitive disorder, "
        "0–20 dementia; less than high school 25–30, 20–24, 0–19.",
        uses_education=True,
        _score=scoring.slums,
    )


def _mini_cog() -> Instrument:
    data = reference()["mini_cog"]["components"]
    items = (
        Item(
            "word_recall",
            "Three-word recall (words recalled without cues)",
            tuple(Option(points, points, f"{points} of 3") for points in range(4)),
        ),
        Item(
            "clock_draw",
            "Clock drawing",
            (
                Option(2, 2, "Normal clock (2)"),
                Option(0, 0, "Abnormal or refused (0)"),
            ),
        ),
    )
    return Instrument(
        "mini_cog",
        "Mini-Cog",
        0,
        5,
        f"Word recall: {data['word_recall']['rule']}; clock: {data['clock_draw']['rule']} Total = sum",
        ("mini_cog",),
        "Free for clinical use (mini-cog.com).",
        "screen",
        items,
        "Scored as on the developer's scoring page.",
        "3–5 lower likelihood of dementia (does not rule it out); 0–2 positive screen, further evaluation "
        "warranted (mini-cog.com).",
        _score=scoring.mini_cog,
    )


def _lefs() -> Instrument:
    data = proms.outcome_measures()["lefs"]
    options = tuple(
        Option(o["value"], o["value"], f"{o['value']} {o['label']}") for o in data["response_options"]
    )
    items = tuple(
        Item(f"item_{number:02d}", label[:1].upper() + label[1:], options)
        for number, label in enumerate(data["items_paraphrased"], start=1)
    )
    low, high = data["scoring"]["range"]
    return Instrument(
        "lefs",
        "Lower Extremity Functional Scale (LEFS)",
        low,
        high,
        "20 activities, each 0 (extreme difficulty or unable) to 4 (no difficulty); total = sum (0–80); "
        "every item answered (no published missing-item rule, so none is prorated)",
        tuple(data["source_ids"]),
        data["licensing"]["summary"] + " Item wording here is paraphrased.",
        "patient-reported",
        items,
        data["items_note"],
        "No published bands; a single score is ±"
        f"{data['change_thresholds']['error_single_score_90ci']['value']:g} points (90% CI, Binkley 1999).",
        _score=proms.lefs_score,
    )


@cache
def instruments() -> dict[str, Instrument]:
    found = [_lawton(8), _lawton(5), _katz(), _barthel(), _moca(), _slums(), _mini_cog(), _lefs()]
    return {instrument.key: instrument for instrument in found}


def get(key: str) -> Instrument:
    try:
        return instruments()[key]
    except KeyError:
        raise InvalidInput(f"Unknown instrument {key!r}.") from None


def describe(instrument: Instrument) -> dict[str, Any]:
    """The instrument as plain data (the API's instrument catalogue)."""
    coding = instrument.loinc_total
    threshold = instrument.change_threshold
    return {
        "key": instrument.key,
        "name": instrument.name,
        "kind": instrument.kind,
        "range": [instrument.low, instrument.high],
        "step": instrument.step,
        "rule": instrument.rule,
        "item_entry": instrument.item_entry,
        "items_note": instrument.items_note,
        "items": [
            {
                "key": item.key,
                "label": item.label,
                "options": [{"value": o.value, "score": o.score, "label": o.label} for o in item.options],
            }
            for item in instrument.items
        ],
        "uses_education_years": instrument.uses_education,
        "bands": instrument.bands,
        "change_threshold": threshold.description,
        "loinc_panel": instrument.loinc_panel,
        "loinc_total": coding.code if coding else None,
        "licence": instrument.licence,
        "sources": list(instrument.sources),
    }
