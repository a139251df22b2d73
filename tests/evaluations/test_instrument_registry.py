"""The instrument registry: each instrument scored from its items with worked examples (the arithmetic
written out, from the published scoring in the reference files), band edges, every item required,
out-of-range answers refused, the total alone accepted and said to be so, and the licence verdicts
followed (instruments needing permission absent)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluations.choices import CognitiveInstrument, FunctionalScale
from evaluations.instruments import InvalidInput, registry
from evaluations.instruments.proms import outcome_measures
from evaluations.instruments.scoring import reference
from tests.evaluations.instrument_answers import BARTHEL

# Lawton by the form's option codes: telephone 2 (1 point), shopping 2 (0), food preparation 3 (0),
# housekeeping 4 (1), laundry 1 (1), transportation 4 (0), medications 2 (0), finances 2 (1).
LAWTON_CODES = {
    "telephone": 2,
    "shopping": 2,
    "food_preparation": 3,
    "housekeeping": 4,
    "laundry": 1,
    "transportation": 4,
    "medications": 2,
    "finances": 2,
}


def test_every_recorded_instrument_is_in_the_registry_and_nothing_else_is():
    assert set(registry.instruments()) == {*CognitiveInstrument.values, *FunctionalScale.values}


def test_barthel_from_its_ten_items():
    barthel = registry.get("barthel_index")
    score = barthel.score(items=BARTHEL)
    assert score.value == 10 + 0 + 5 + 5 + 10 + 5 + 5 + 10 + 10 + 5 == 65
    assert score.interpretation == "moderate dependency"  # Shah 1989: 61–90
    assert "13/20 on the 20-point version (Collin & Wade 1988)" in score.notes  # 65 / 5
    assert "scored from its 10 items" in score.notes


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (20, "total dependency"),
        (25, "severe dependency"),
        (60, "severe dependency"),
        (65, "moderate dependency"),
        (90, "moderate dependency"),
        (95, "slight dependency"),
        (100, "independent"),
    ],
)
def test_barthel_band_edges(total, band):
    assert registry.get("barthel_index").score(total=total).interpretation == band


def test_barthel_items_take_only_their_allowed_values():
    barthel = registry.get("barthel_index")
    with pytest.raises(registry.InvalidItems) as refused:
        barthel.score(items={**BARTHEL, "bathing": 10, "transfers": 7})
    assert set(refused.value.errors) == {"bathing", "transfers"}  # bathing is 0 or 5; 7 is no step
    assert "0, 5" in refused.value.errors["bathing"]


def test_lawton_scores_the_statement_ticked_not_its_number():
    lawton = registry.get("lawton_iadl")
    score = lawton.score(items=LAWTON_CODES)
    assert score.value == 1 + 0 + 0 + 1 + 1 + 0 + 0 + 1 == 4
    assert score.unit == "/8"
    assert score.interpretation is None  # no validated bands
    # The historical 5-domain scoring leaves out food preparation, housekeeping and laundry.
    five = registry.get("lawton_iadl_5")
    assert [item.key for item in five.items] == [
        "telephone",
        "shopping",
        "transportation",
        "medications",
        "finances",
    ]
    historical = {
        k: v for k, v in LAWTON_CODES.items() if k not in ("food_preparation", "housekeeping", "laundry")
    }
    assert five.score(items=historical).value == 1 + 0 + 0 + 0 + 1 == 2
    with pytest.raises(registry.InvalidItems) as refused:
        five.score(items=LAWTON_CODES)  # the three left-out domains are not items of it
    assert set(refused.value.errors) == {"food_preparation", "housekeeping", "laundry"}


def test_lawton_option_codes_follow_the_form():
    telephone = registry.get("lawton_iadl").items[0]
    assert [(o.value, o.score) for o in telephone.options] == [(1, 1), (2, 1), (3, 1), (4, 0)]
    with pytest.raises(registry.InvalidItems):
        registry.get("lawton_iadl").score(items={**LAWTON_CODES, "telephone": 5})  # four statements


def test_katz_six_items_and_its_unnamed_bands():
    katz = registry.get("katz_adl")
    items = dict.fromkeys(("bathing", "dressing", "toileting", "transferring", "continence", "feeding"), 1)
    assert katz.score(items=items).interpretation == "full function"  # 6
    assert (
        katz.score(items={**items, "bathing": 0, "dressing": 0}).interpretation == "moderate impairment"
    )  # 4
    five = katz.score(items={**items, "bathing": 0})
    assert (five.value, five.interpretation) == (5, None)  # no published band for 5
    assert katz.score(
        items={**items, "bathing": 0, "dressing": 0, "toileting": 0, "feeding": 0}
    ).interpretation == (
        "severe functional impairment"  # 2
    )


def test_moca_domains_within_their_maximum_education_point_and_cap():
    moca = registry.get("moca")
    assert {item.key: item.maximum for item in moca.items} == {
        "visuospatial_executive": 5,
        "naming": 3,
        "attention": 6,
        "language": 3,
        "abstraction": 2,
        "delayed_recall": 5,
        "orientation": 6,
    }
    items = {
        "visuospatial_executive": 4,
        "naming": 3,
        "attention": 5,
        "language": 2,
        "abstraction": 2,
        "delayed_recall": 3,
        "orientation": 6,
    }
    assert moca.total(items) == 4 + 3 + 5 + 2 + 2 + 3 + 6 == 25
    twelve_years = moca.score(items=items, education_years=12)
    assert (twelve_years.value, twelve_years.interpretation) == (26, "normal (≥ 26)")  # 25 + 1
    thirteen_years = moca.score(items=items, education_years=13)
    assert (thirteen_years.value, thirteen_years.interpretation) == (25, "below the normal cut-off of 26")
    perfect = {item.key: item.maximum for item in moca.items}
    assert moca.score(items=perfect, education_years=8).value == 30  # 30 + 1, capped at 30
    with pytest.raises(registry.InvalidItems) as refused:
        moca.score(items={**items, "naming": 4})
    assert list(refused.value.errors) == ["naming"]


def test_mini_cog_recall_plus_clock():
    mini_cog = registry.get("mini_cog")
    positive = mini_cog.score(items={"word_recall": 2, "clock_draw": 0})
    assert (positive.value, positive.interpretation) == (
        2 + 0,
        "positive screen: further evaluation warranted",
    )
    negative = mini_cog.score(items={"word_recall": 1, "clock_draw": 2})
    assert negative.value == 1 + 2 == 3
    assert negative.interpretation.startswith("lower likelihood of dementia")
    with pytest.raises(registry.InvalidItems):
        mini_cog.score(items={"word_recall": 1, "clock_draw": 1})  # the clock scores 0 or 2


def test_lefs_twenty_items_summed_and_none_prorated():
    lefs = registry.get("lefs")
    assert len(lefs.items) == 20
    assert [item.label for item in lefs.items][:2] == [
        "Usual work, housework or school activities",
        "Usual hobbies, recreation or sport",
    ]
    answers = {item.key: (4 if number <= 10 else 2) for number, item in enumerate(lefs.items, start=1)}
    score = lefs.score(items=answers)
    assert score.value == 10 * 4 + 10 * 2 == 60
    assert score.unit == "/80"
    assert "a single score is ±5.3 points (90% CI)" in score.notes
    missing = dict(list(answers.items())[:19])
    with pytest.raises(registry.InvalidItems) as refused:
        lefs.score(items=missing)
    assert list(refused.value.errors) == ["item_20"]
    assert "none is estimated" in refused.value.errors["item_20"]
    with pytest.raises(registry.InvalidItems):
        lefs.score(items={**answers, "item_01": 5})


def test_slums_takes_its_total_only_because_its_item_points_are_unverified():
    slums = registry.get("slums")
    assert reference()["slums"]["item_points"]["unverified"] is True
    assert slums.items == ()
    assert "unverified" in slums.items_note
    with pytest.raises(registry.InvalidItems):
        slums.check({"orientation": 3})
    # 25 is normal with less than high school (25–30), mild neurocognitive disorder with it (21–26).
    score = slums.score(total=25, education_years=10)
    assert (score.interpretation, score.notes[-1]) == ("normal", "total entered without its items")
    assert slums.score(total=25, education_years=12).interpretation == "mild neurocognitive disorder"


def test_a_total_alone_is_scored_and_said_to_be_so_and_a_total_must_agree_with_its_items():
    barthel = registry.get("barthel_index")
    alone = barthel.score(total=65)
    assert "total entered without its items" in alone.notes
    assert alone.interpretation == barthel.score(items=BARTHEL).interpretation
    with pytest.raises(InvalidInput, match="add up to 65, not 70"):
        barthel.score(items=BARTHEL, total=70)
    with pytest.raises(InvalidInput, match="steps of 5"):
        barthel.score(total=67)
    with pytest.raises(InvalidInput, match="0 to 80"):
        registry.get("lefs").score(total=81)


def test_instruments_that_need_permission_are_not_in_the_product():
    verdicts = outcome_measures()["licensing_summary"]
    needing_permission = {
        name for name, verdict in verdicts.items() if verdict["include_in_software"] == "needs_permission"
    }
    assert needing_permission == {"quickdash", "hoos_jr", "odi"}
    assert not needing_permission & set(registry.instruments())
    # The LEFS is cleared for scoring, its wording only as a paraphrase: the registry says so.
    assert verdicts["lefs"]["include_in_software"] == "scoring_yes_verbatim_text_confirm_first"
    assert "paraphrased" in registry.get("lefs").licence


def test_the_catalogue_describes_each_instrument_with_its_sources_threshold_and_codes():
    moca = registry.describe(registry.get("moca"))
    assert (moca["loinc_panel"], moca["loinc_total"]) == ("72133-2", "72172-0")
    assert moca["change_threshold"].startswith("≥ 4 points MDC")
    lefs = registry.describe(registry.get("lefs"))
    assert lefs["loinc_total"] is None
    assert lefs["change_threshold"].startswith("≥ 9 points MDC")
    assert "binkley_1999_lefs" in lefs["sources"]


def _answers(instrument: registry.Instrument) -> st.SearchStrategy[dict[str, int]]:
    return st.fixed_dictionaries(
        {item.key: st.sampled_from([o.value for o in item.options]) for item in instrument.items}
    )


ITEM_INSTRUMENTS = [i for i in registry.instruments().values() if i.items]


@pytest.mark.parametrize("instrument", ITEM_INSTRUMENTS, ids=lambda i: i.key)
@given(data=st.data())
def test_item_totals_stay_in_range_agree_with_the_total_and_rise_with_each_item(instrument, data):
    answers = data.draw(_answers(instrument))
    total = instrument.total(answers)
    assert instrument.low <= total <= instrument.high
    from_items = instrument.score(items=answers, education_years=10)
    from_total = instrument.score(total=total, education_years=10)
    assert (from_items.value, from_items.interpretation, from_items.flag) == (
        from_total.value,
        from_total.interpretation,
        from_total.flag,
    )
    item = data.draw(st.sampled_from(instrument.items))
    better = max(item.options, key=lambda o: o.score)
    assert instrument.total({**answers, item.key: better.value}) >= total
