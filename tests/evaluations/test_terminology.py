"""LOINC codes for scores where the reference has one, and "no LOINC code" where it has none."""

import pytest

from evaluations.instruments.terminology import LOINC_SYSTEM, display, loinc, loinc_label
from tests.evaluations.test_report import signed


@pytest.mark.parametrize(
    ("instrument", "side", "code"),
    [
        ("moca", None, "72172-0"),
        ("mini_cog", None, "72233-0"),
        ("barthel_index", None, "96761-2"),
        ("timed_up_and_go", None, "89423-8"),
        ("chair_stand_30s", None, "66247-8"),
        ("pain_nrs", None, "72514-3"),
        ("grip_strength", "right", "83174-3"),
        ("grip_strength", "left", "83173-5"),
    ],
)
def test_scores_with_a_loinc_code(instrument, side, code):
    coding = loinc(instrument, side)
    assert (coding.code, coding.system) == (code, LOINC_SYSTEM)
    assert display(code) == coding.display and loinc_label(instrument, side) == f"LOINC {code}"


@pytest.mark.parametrize(
    "instrument", ["lawton_iadl", "katz_adl", "slums", "nine_hole_peg", "copm_performance", "range_of_motion"]
)
def test_scores_the_reference_has_no_code_for_say_so(instrument):
    assert loinc(instrument) is None and loinc_label(instrument) == "no LOINC code"


@pytest.mark.django_db
def test_the_api_and_the_page_show_the_codes(api_client, page_client, therapist, patient):
    evaluation = signed(therapist, patient)
    body = api_client(therapist).get(f"/api/v1/evaluations/{evaluation.public_id}/").json()
    grips = body["computed"]["physical_function"]["grip"]
    assert {(g["loinc"], g["loinc_display"][:13]) for g in grips} >= {("83174-3", "Grip strength")}
    pain = body["computed"]["muscle_imbalance"]["pain_points"][0]
    assert pain["loinc"] == "72514-3"
    page = page_client(therapist).get(f"/evaluations/{evaluation.public_id}/").content.decode()
    assert "LOINC 72514-3" in page and "no LOINC code" in page
