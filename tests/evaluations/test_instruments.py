"""Each instrument against examples worked by hand from the published tables (arithmetic in comments)."""

import math

import pytest

from evaluations import instruments as ins
from evaluations.instruments import InvalidInput

# --- grip: Mathiowetz 1985 ------------------------------------------------------------------


def test_grip_woman_47_right_20kg():
    # Band 45-49, women, right: 62.2 (15.1) lb. 62.2 x 0.45359237 = 28.2134 kg; 15.1 x 0.45359237 = 6.8492 kg.
    # z = (20 - 28.2134) / 6.8492 = -1.199 -> -1.20; percent = 20 / 28.2134 x 100 = 70.9
    score = ins.grip_strength(20, age=47, sex="female", hand="right")
    assert (score.z, score.percent_of_norm) == (-1.20, 70.9)
    assert (score.norm.mean, score.norm.sd) == (28.21, 6.85)
    assert score.norm.description == "women 45-49, right hand"
    assert "Mathiowetz" in score.source
    assert score.interpretation == "below the norm (−2 < z ≤ −1)"


def test_grip_man_80_uses_the_open_75_plus_band():
    # Men 75+, left: 55.0 (17.0) lb = 24.9476 (7.7111) kg. z = (25 - 24.9476) / 7.7111 = 0.0068 -> 0.01
    score = ins.grip_strength(25, age=80, sex="male", hand="left")
    assert score.norm.description == "men 75+, left hand"
    assert score.z == 0.01
    assert score.interpretation == "within the norm (−1 < z < 1)"


@pytest.mark.parametrize(
    ("age", "band"), [(20, "20-24"), (24, "20-24"), (25, "25-29"), (74, "70-74"), (75, "75+")]
)
def test_grip_band_edges(age, band):
    assert band in ins.grip_strength(30, age=age, sex="male", hand="right").norm.description


@pytest.mark.parametrize(("age", "sex"), [(19, "female"), (40, "unknown"), (40, "other")])
def test_grip_without_a_norm_says_so_and_interprets_nothing(age, sex):
    score = ins.grip_strength(30, age=age, sex=sex, hand="right")
    assert score.norm is None and score.interpretation is None and score.z is None
    assert "no published norm on file" in score.notes


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kg": -3, "age": 40},
        {"kg": 150, "age": 40},
        {"kg": 30, "age": 150},
        {"kg": float("nan"), "age": 40},
        {"kg": "30", "age": 40},
    ],
)
def test_grip_impossible_inputs_are_errors(kwargs):
    with pytest.raises(InvalidInput):
        ins.grip_strength(kwargs["kg"], age=kwargs["age"], sex="female", hand="right")


# --- range of motion ----------------------------------------------------------------------------------


def test_rom_upper_limb_is_percent_of_the_aaos_mean():
    # Shoulder flexion AAOS 180: 135 / 180 x 100 = 75.0
    score = ins.range_of_motion("shoulder_flexion", 135)
    assert score.percent_of_norm == 75.0
    assert score.norm.description == "AAOS mean (Norkin & White Table A.1)"


def test_rom_upper_limb_is_checked_against_the_ama_functional_minimum():
    # Shoulder external rotation: AAOS 90, AMA minimum >= 60. 65 is 72.2 % of the mean yet meets the minimum.
    score = ins.range_of_motion("shoulder_external_rotation", 65)
    assert score.percent_of_norm == 72.2
    assert score.notes == ("meets the AMA Guides functional minimum (≥ 60°)",)
    # Shoulder internal rotation: AAOS 70, AMA >= 80: 75 is above the mean but below the minimum.
    assert ins.range_of_motion("shoulder_internal_rotation", 75).notes == (
        "below the AMA Guides functional minimum (≥ 80°)",
    )
    assert ins.range_of_motion("hip_flexion", 100).notes == ()  # no AMA column for the lower limb


def test_elbow_extension_below_zero_is_a_deficit_from_full_extension():
    lag = ins.range_of_motion("elbow_extension", -10)
    assert lag.interpretation == "lacks 10° of full extension (extension lag or flexion contracture)"
    assert lag.flag == ins.Flag.BELOW_NORM and lag.percent_of_norm is None
    assert "no published norm on file" not in lag.notes
    assert lag.notes == ("below the AMA Guides functional minimum (≥ 0°)",)
    assert ins.range_of_motion("elbow_extension", 0).interpretation == "full extension (0° reference)"
    assert (
        ins.range_of_motion("elbow_extension", 5).interpretation
        == "5° beyond the 0° reference (hyperextension)"
    )


def test_rom_lower_limb_uses_merck():
    # Hip flexion Merck 125: 100 / 125 = 80.0 %
    assert ins.range_of_motion("hip_flexion", 100).percent_of_norm == 80.0
    # Hip extension is "beyond neutral" 15 in Merck: 15 / 15 = 100 % -> within normal range
    assert ins.range_of_motion("hip_extension", 15).interpretation == "at or above the reference value"


def test_rom_spine_is_unverified_so_not_compared():
    score = ins.range_of_motion("cervical_rotation", 50)
    assert score.percent_of_norm is None and score.interpretation is None
    assert "no published norm on file" in score.notes


# --- MMT --------------------------------------------------------------------------------------


def test_mmt_ranks_and_differences_count_modifier_steps():
    assert [ins.mmt_rank(g) for g in ("0", "1", "2-", "3+", "4−", "4/5", "5")] == [0, 1, 2, 7, 8, 9, 11]
    # right 3+ (7) minus left 4+ (10) = -3 steps
    assert ins.mmt_difference("4+", "3+") == -3
    with pytest.raises(InvalidInput):
        ins.mmt_rank("6")


@pytest.mark.parametrize(
    ("written", "grade"),
    [
        ("T", "1"),
        ("trace", "1"),
        ("Trace", "1"),
        ("0", "0"),
        ("G-", "4-"),
        ("good minus", "4-"),
        ("4−", "4-"),
        ("4-/5", "4-"),
        ("F+", "3+"),
        ("Fair plus", "3+"),
        ("N", "5"),
        ("normal", "5"),
        ("5/5", "5"),
    ],
)
def test_every_way_a_grade_is_written_is_read_as_its_code(written, grade):
    assert ins.normalize_mmt_grade(written) == grade


def test_each_grade_shows_its_kendall_0_10_and_mrc_equivalents():
    assert ins.mmt_equivalent("4-") == ins.MmtEquivalent("4-", "Good minus", "7", None)  # no MRC 4−
    assert ins.mmt_equivalent("T") == ins.MmtEquivalent("1", "Trace", "T", 1)
    assert ins.mmt_equivalent("4") == ins.MmtEquivalent("4", "Good", "8", 4)
    with pytest.raises(InvalidInput):
        ins.normalize_mmt_grade("strong")


@pytest.mark.parametrize(
    ("scheme", "rating", "band"),
    [
        ("cpa", 4, "moderate"),  # CPA: 1-3 mild, 4-6 moderate
        ("serlin_1995", 4, "mild"),  # Serlin: 1-4 mild
        ("boonstra_2016", 7, "moderate"),  # Boonstra: 6-7 moderate
        ("palos_2006", 5, "moderate"),
        ("hl7_snomed", 10, "excruciating"),
        ("hl7_snomed", 0, "no pain"),
    ],
)
def test_pain_is_read_in_the_chosen_schemes_bands_and_names_it(scheme, rating, band):
    score = ins.pain_nrs(rating, scheme=scheme)
    assert score.interpretation == band
    assert (
        "Canadian Physiotherapy Association" if scheme == "cpa" else "bands (NRS-11 cut-points)"
    ) in score.source


def test_the_chair_stand_reads_the_1999_or_the_2013_table_and_names_it():
    # Men 65-69: 12-18 in 1999, 13-18 in the 2013 manual. 12 stands: average, or below average.
    old = ins.chair_stand_30s(12, age=67, sex="male")
    new = ins.chair_stand_30s(12, age=67, sex="male", table="2013")
    assert (old.interpretation, old.norm.low) == ("average", 12) and "(1999 table)" in old.norm.description
    assert (new.interpretation, new.norm.low) == ("below average (fall-risk flag)", 13)
    assert "(2013 table)" in new.norm.description
    # Women are the same in both.
    assert ins.chair_stand_30s(10, age=72, sex="female", table="2013").norm.low == 10


def test_the_barthel_shows_its_20_point_version_beside_the_100_point_total():
    # 85 / 5 = 17 on Collin & Wade's 0-20 form
    assert ins.barthel_total(85).notes == ("17/20 on the 20-point version (Collin & Wade 1988)",)


# --- timed tests ------------------------------------------------------------------------------


@pytest.mark.parametrize(("cm", "seconds"), [(15, 0.175), (20, 0.202), (30, 0.247)])
def test_ruler_drop_reaction_time(cm, seconds):
    # t = sqrt(2 d / g): 2 x 0.15 / 9.81 = 0.030581, sqrt = 0.17487 -> 0.175
    assert ins.ruler_drop(cm).value == seconds
    assert math.isclose(ins.ruler_drop(cm).value, math.sqrt(2 * cm / 100 / 9.81), abs_tol=0.0005)
    assert ins.ruler_drop(cm).interpretation is None


@pytest.mark.parametrize(
    ("seconds", "meaning"),
    [
        (11.9, "below the fall-risk thresholds"),
        (12.0, "at risk of falling (≥ 12 s, CDC STEADI)"),
        (13.4, "at risk of falling (≥ 12 s, CDC STEADI)"),
        (13.5, "at risk of falling (≥ 12 s, CDC STEADI; ≥ 13.5 s, Shumway-Cook 2000)"),
    ],
)
def test_tug_thresholds(seconds, meaning):
    assert ins.timed_up_and_go(seconds).interpretation == meaning


@pytest.mark.parametrize(
    ("stands", "meaning"),
    [(10, "below average (fall-risk flag)"), (11, "average"), (16, "average"), (17, "above average")],
)
def test_chair_stand_woman_67(stands, meaning):
    # Women 65-69: 11-16 stands (Rikli & Jones 1999)
    assert ins.chair_stand_30s(stands, age=67, sex="female").interpretation == meaning


def test_chair_stand_outside_60_to_94_has_no_norm():
    assert ins.chair_stand_30s(15, age=55, sex="male").norm is None


def test_nine_hole_peg_has_no_norm_on_file():
    score = ins.nine_hole_peg(21.3)
    assert score.interpretation is None and "no published norm on file" in score.notes


# --- pain -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rating", "band"),
    [
        (0, "no pain"),
        (1, "mild"),
        (3, "mild"),
        (4, "moderate"),
        (6, "moderate"),
        (7, "severe"),
        (10, "severe"),
    ],
)
def test_pain_bands(rating, band):
    assert ins.pain_nrs(rating).interpretation == band


@pytest.mark.parametrize("rating", [-1, 11, 5.5, True])
def test_pain_out_of_range_is_an_error(rating):
    with pytest.raises(InvalidInput):
        ins.pain_nrs(rating)


# --- ADL and IADL scales ----------------------------------------------------------------------

LAWTON_ALL = {
    "telephone": 1,
    "shopping": 0,
    "food_preparation": 1,
    "housekeeping": 1,
    "laundry": 0,
    "transportation": 1,
    "medications": 1,
    "finances": 1,
}


def test_lawton_8_and_historical_5():
    # 8 domains: 1+0+1+1+0+1+1+1 = 6; historical 5 drops food preparation, housekeeping, laundry: 1+0+1+1+1 = 4
    assert ins.lawton(LAWTON_ALL).value == 6
    five = {k: v for k, v in LAWTON_ALL.items() if k not in ("food_preparation", "housekeeping", "laundry")}
    assert ins.lawton(five, domains=5).value == 4
    with pytest.raises(InvalidInput):
        ins.lawton({**LAWTON_ALL, "telephone": 2})


@pytest.mark.parametrize(
    ("independent", "meaning"),
    [
        (6, "full function"),
        (5, None),
        (4, "moderate impairment"),
        (3, None),
        (2, "severe functional impairment"),
        (0, "severe functional impairment"),
    ],
)
def test_katz_bands_and_unbanded_totals(independent, meaning):
    items = dict.fromkeys(ins.scoring.KATZ_ITEMS, 0)
    for name in list(items)[:independent]:
        items[name] = 1
    assert ins.katz(items).interpretation == meaning


def test_barthel_total_and_bands():
    items = {
        "feeding": 10,
        "bathing": 0,
        "grooming": 5,
        "dressing": 5,
        "bowels": 10,
        "bladder": 10,
        "toilet_use": 5,
        "transfers": 10,
        "mobility": 10,
        "stairs": 0,
    }
    # 10+0+5+5+10+10+5+10+10+0 = 65 -> Shah 61-90 moderate dependency
    score = ins.barthel(items)
    assert (score.value, score.interpretation) == (65, "moderate dependency")
    with pytest.raises(InvalidInput):
        ins.barthel({**items, "bathing": 10})
    with pytest.raises(InvalidInput):
        ins.barthel({**items, "mobility": 20})


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (100, "independent"),
        (95, "slight dependency"),
        (90, "moderate dependency"),
        (60, "severe dependency"),
        (20, "total dependency"),
    ],
)
def test_barthel_band_edges(total, band):
    items = dict.fromkeys(ins.scoring.BARTHEL_VALUES, 0)
    remaining = total
    for name, allowed in ins.scoring.BARTHEL_VALUES.items():
        give = max(v for v in allowed if v <= remaining)
        items[name] = give
        remaining -= give
    assert ins.barthel(items).interpretation == band


# --- cognitive screens ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "years", "adjusted", "normal"),
    [(25, 10, 26, True), (25, 12, 26, True), (25, 13, 25, False), (30, 8, 30, True), (26, 16, 26, True)],
)
def test_moca_education_point_and_cutoff(raw, years, adjusted, normal):
    score = ins.moca(raw, education_years=years)
    assert score.value == adjusted
    assert score.interpretation.startswith("normal") is normal


def test_moca_31_is_an_error():
    with pytest.raises(InvalidInput):
        ins.moca(31, education_years=12)


@pytest.mark.parametrize(
    ("total", "years", "band"),
    [
        (27, 12, "normal"),
        (26, 12, "mild neurocognitive disorder"),
        (20, 12, "dementia"),
        (25, 8, "normal"),
        (24, 8, "mild neurocognitive disorder"),
        (19, 8, "dementia"),
    ],
)
def test_slums_bands_depend_on_education(total, years, band):
    assert ins.slums(total, education_years=years).interpretation == band


def test_mini_cog():
    assert ins.mini_cog(2).interpretation.startswith("positive screen")
    assert ins.mini_cog(3).interpretation.startswith("lower likelihood")


def test_copm_means_and_clinically_important_change():
    # performance (4+6+5)/3 = 5.0 -> (7+8+6)/3 = 7.0, change 2.0 (important); satisfaction (3+5+4)/3 = 4.0 -> (4+6+5)/3 = 5.0, change 1.0
    scores = ins.copm([(7, 4), (8, 6), (6, 5)], baseline=[(4, 3), (6, 5), (5, 4)])
    assert (scores["performance"].value, scores["satisfaction"].value) == (7.0, 5.0)
    assert scores["performance_change"].interpretation == "clinically important change (≥ 2 points)"
    assert scores["satisfaction_change"].interpretation == "change under 2 points"
    with pytest.raises(InvalidInput):
        ins.copm([(11, 5)])


def test_copm_judges_the_unrounded_change_and_shows_two_decimals():
    # performance (7+7+6+6+5)/5 = 6.20 against (4+4+5+4)/4 = 4.25: a change of 1.95, under 2
    # (rounded to one decimal it would read 2.0 and be flagged).
    scores = ins.copm([(7, 5), (7, 5), (6, 5), (6, 5), (5, 5)], baseline=[(4, 5), (4, 5), (5, 5), (4, 5)])
    assert scores["performance"].value == 6.2
    assert scores["performance_change"].value == 1.95
    assert scores["performance_change"].interpretation == "change under 2 points"
    # (7+7+6)/3 = 6.67 shown to two decimals
    assert ins.copm([(7, 1), (7, 1), (6, 1)])["performance"].value == 6.67


def test_the_scoring_package_has_no_django_imports():
    from pathlib import Path

    for path in Path(ins.__file__).parent.glob("*.py"):
        text = path.read_text()
        assert "import django" not in text and "from django" not in text, path


@pytest.mark.parametrize(
    ("function", "total", "meaning"),
    [
        (ins.katz_total, 6, "full function"),
        (ins.katz_total, 5, None),
        (ins.barthel_total, 85, "moderate dependency"),
        (ins.barthel_total, 100, "independent"),
        (ins.lawton_total, 6, None),
    ],
)
def test_scale_totals(function, total, meaning):
    assert function(total).interpretation == meaning


@pytest.mark.parametrize(
    ("function", "total"),
    [(ins.katz_total, 7), (ins.barthel_total, 87), (ins.barthel_total, 105), (ins.lawton_total, 9)],
)
def test_impossible_scale_totals_are_errors(function, total):
    with pytest.raises(InvalidInput):
        function(total)


def test_tip_pinch_women_47_dominant():
    # Women 45-49 dominant tip pinch: 13.2 (3.0) lb = 5.9874 (1.3608) kg. 5 kg: z = (5 - 5.9874) / 1.3608 = -0.7256 -> -0.73
    score = ins.pinch_strength(5, pinch="tip", age=47, sex="female", hand_role="dominant")
    assert (score.z, score.norm.description) == (-0.73, "women 45-49, dominant hand, tip pinch")


@pytest.mark.parametrize(
    ("kwargs", "why"),
    [
        (
            {"pinch": "key", "age": 47, "sex": "female", "hand_role": "dominant"},
            "no verified key pinch norms",
        ),
        (
            {"pinch": "tip", "age": 22, "sex": "male", "hand_role": "non_dominant"},
            "this cell of the table is unverified",
        ),
        (
            {"pinch": "tip", "age": 47, "sex": "female", "hand_role": None},
            "the norms are by dominant hand: record hand dominance",
        ),
    ],
)
def test_pinch_without_a_verified_norm(kwargs, why):
    score = ins.pinch_strength(5, **kwargs)
    assert score.interpretation is None and why in score.notes


# --- The structured flag: the same decision as the interpretation, at and around each threshold ---

N, BELOW, RISK = ins.Flag.NORMAL, ins.Flag.BELOW_NORM, ins.Flag.AT_RISK


@pytest.mark.parametrize(
    ("score", "flag"),
    [
        (lambda: ins.range_of_motion("shoulder_flexion", 180), N),  # AAOS 180: 100 %
        (lambda: ins.range_of_motion("shoulder_flexion", 179), BELOW),
        (lambda: ins.range_of_motion("lumbar_flexion", 10), None),  # unverified: no comparison
        # women 45-49 right: 62.2 (15.1) lb = 28.2134 (6.8492) kg; z = -1 at 21.36 kg
        (lambda: ins.grip_strength(21.3, age=47, sex="female", hand="right"), BELOW),
        (lambda: ins.grip_strength(21.4, age=47, sex="female", hand="right"), N),
        (lambda: ins.grip_strength(40.0, age=47, sex="female", hand="right"), N),  # above the norm
        (lambda: ins.grip_strength(20.0, age=19, sex="female", hand="right"), None),
        (lambda: ins.pinch_strength(5.0, pinch="key", age=47, sex="female", hand_role="dominant"), None),
        (lambda: ins.timed_up_and_go(11.99), N),
        (lambda: ins.timed_up_and_go(12.0), RISK),
        (lambda: ins.timed_up_and_go(13.5), RISK),
        (lambda: ins.nine_hole_peg(20.0), None),
        (lambda: ins.ruler_drop(20), None),
        (lambda: ins.chair_stand_30s(11, age=67, sex="female"), N),  # women 65-69: 11-16
        (lambda: ins.chair_stand_30s(10, age=67, sex="female"), RISK),
        (lambda: ins.chair_stand_30s(17, age=67, sex="female"), N),
        (lambda: ins.chair_stand_30s(10, age=50, sex="female"), None),
        (lambda: ins.pain_nrs(8), None),  # severity bands, not a norm
        (lambda: ins.katz_total(6), N),
        (lambda: ins.katz_total(5), None),  # no published band
        (lambda: ins.katz_total(4), BELOW),
        (lambda: ins.barthel_total(100), N),
        (lambda: ins.barthel_total(95), BELOW),
        (lambda: ins.lawton_total(3), None),
        (lambda: ins.moca(26, education_years=16), N),
        (lambda: ins.moca(25, education_years=16), BELOW),
        (lambda: ins.moca(25, education_years=12), N),  # 25 + 1 education point
        (lambda: ins.moca(25, education_years=None), None),
        (lambda: ins.slums(27, education_years=12), N),
        (lambda: ins.slums(26, education_years=12), BELOW),
        (lambda: ins.slums(25, education_years=8), N),
        (lambda: ins.slums(24, education_years=8), BELOW),
        (lambda: ins.slums(24, education_years=None), None),
        (lambda: ins.mini_cog(3), N),
        (lambda: ins.mini_cog(2), BELOW),
    ],
)
def test_flag_follows_the_verified_threshold(score, flag):
    result = score()
    assert result.flag == flag
    if flag is None:
        assert result.interpretation is None or result.instrument == "pain_nrs"
