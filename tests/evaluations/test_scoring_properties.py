"""Properties of the scoring package over every input hypothesis finds: totals stay in range,
never fall when an item rises, and the item-level and total-only entries agree."""

from hypothesis import given
from hypothesis import strategies as st

from evaluations import instruments as ins
from evaluations.instruments.scoring import BARTHEL_VALUES, KATZ_ITEMS, reference

LAWTON_ITEMS = [item["id"] for item in reference()["lawton_iadl"]["items"]]

barthel_items = st.fixed_dictionaries(
    {name: st.sampled_from(values) for name, values in BARTHEL_VALUES.items()}
)
katz_items = st.fixed_dictionaries({name: st.sampled_from((0, 1)) for name in KATZ_ITEMS})
lawton_items = st.fixed_dictionaries({name: st.sampled_from((0, 1)) for name in LAWTON_ITEMS})


@given(barthel_items)
def test_barthel_stays_within_0_to_100_and_agrees_with_its_total(items):
    score = ins.barthel(items)
    assert 0 <= score.value <= 100 and score.value % 5 == 0
    assert ins.barthel_total(int(score.value)).interpretation == score.interpretation


@given(barthel_items, st.sampled_from(sorted(BARTHEL_VALUES)))
def test_barthel_never_falls_when_an_item_rises(items, name):
    higher = [value for value in BARTHEL_VALUES[name] if value > items[name]]
    if higher:
        assert ins.barthel({**items, name: higher[0]}).value > ins.barthel(items).value


@given(katz_items)
def test_katz_stays_within_0_to_6_and_agrees_with_its_total(items):
    score = ins.katz(items)
    assert 0 <= score.value <= 6
    assert ins.katz_total(int(score.value)).interpretation == score.interpretation


@given(katz_items, st.sampled_from(KATZ_ITEMS))
def test_katz_never_falls_when_an_item_rises(items, name):
    assert ins.katz({**items, name: 1}).value >= ins.katz(items).value


@given(lawton_items)
def test_lawton_stays_within_0_to_8_and_agrees_with_its_total(items):
    score = ins.lawton(items)
    assert 0 <= score.value <= 8
    assert ins.lawton_total(int(score.value)).value == score.value


@given(st.integers(0, 30), st.one_of(st.none(), st.integers(0, 30)))
def test_moca_stays_within_0_to_30_with_the_education_point(raw, years):
    score = ins.moca(raw, education_years=years)
    assert 0 <= score.value <= 30


@given(st.integers(0, 29), st.integers(0, 30))
def test_moca_never_falls_when_the_raw_score_rises(raw, years):
    assert ins.moca(raw + 1, education_years=years).value >= ins.moca(raw, education_years=years).value


@given(
    st.lists(st.tuples(st.integers(1, 10), st.integers(1, 10)), min_size=1, max_size=5),
    st.lists(st.tuples(st.integers(1, 10), st.integers(1, 10)), min_size=1, max_size=5),
)
def test_copm_means_stay_within_1_to_10_and_the_flag_follows_the_exact_change(now, before):
    scores = ins.copm(now, baseline=before)
    for key in ("performance", "satisfaction"):
        assert 1 <= scores[key].value <= 10
        index = 0 if key == "performance" else 1
        exact = sum(r[index] for r in now) / len(now) - sum(r[index] for r in before) / len(before)
        important = scores[f"{key}_change"].interpretation.startswith("clinically important")
        assert important == (abs(exact) >= 2 - 1e-9)


@given(st.integers(0, 10), st.sampled_from(sorted(ins.scoring.PAIN_SCHEMES)))
def test_every_pain_rating_gets_a_band_in_every_scheme(rating, scheme):
    score = ins.pain_nrs(rating, scheme=scheme)
    assert score.interpretation and score.notes[0].startswith("bands of ")
