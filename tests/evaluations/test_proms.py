"""PSFS and LEFS scoring against worked examples (arithmetic in the comments)."""

import pytest

from evaluations.instruments.proms import lefs, lefs_items, psfs
from evaluations.instruments.scoring import InvalidInput


def test_psfs_is_the_mean_of_the_activities():
    # (3 + 4 + 6) / 3 = 4.33
    assert psfs({"Putting on socks": 3, "Climbing stairs": 4, "Gardening": 6}).mean == 4.33


def test_psfs_change_over_the_activities_rated_both_times():
    before = {"Putting on socks": 2, "Climbing stairs": 4, "Gardening": 5}
    now = {"putting on  socks": 6, "Climbing stairs": 5, "Driving": 7}
    result = psfs(now, baseline=before)
    # both times: socks 2 -> 6 (+4, >= 3: improved), stairs 4 -> 5 (+1, within error)
    assert result.activity_changes["putting on socks"].meaning == "improved"
    assert result.activity_changes["Climbing stairs"].meaning == "within measurement error"
    # mean over the shared activities: (6 + 5) / 2 = 5.5 against (2 + 4) / 2 = 3.0: +2.5 >= 2, improved
    assert (result.change.value, result.change.meaning) == (2.5, "improved")
    assert result.change.threshold == "mean score 2 points (Stratford 1995, MDC90)"
    assert result.new_activities == ("Driving",)


@pytest.mark.parametrize(
    "ratings", [{}, {f"a{n}": 5 for n in range(6)}, {"Socks": 11}, {"Socks": -1}, {"Socks": 5.5}]
)
def test_psfs_refuses_what_it_cannot_score(ratings):
    with pytest.raises(InvalidInput):
        psfs(ratings)


def test_lefs_sums_twenty_items_without_prorating():
    items = [4] * 10 + [2] * 5 + [1] * 5  # 40 + 10 + 5 = 55
    assert lefs(items).total == 55
    assert lefs(items).error_band == 5.3
    with pytest.raises(InvalidInput):
        lefs(items[:19])  # no missing-item rule is published: never prorated
    with pytest.raises(InvalidInput):
        lefs([5, *items[1:]])
    assert len(lefs_items()) == 20


@pytest.mark.parametrize(
    ("before", "meaning"), [(46, "improved"), (47, "within measurement error"), (64, "declined")]
)
def test_lefs_change_is_judged_at_nine_points(before, meaning):
    items = [4] * 10 + [2] * 5 + [1] * 5  # 55
    change = lefs(items, baseline_total=before).change
    assert change.meaning == meaning and change.threshold == "MDC90 = MCID 9 points (Binkley 1999)"
