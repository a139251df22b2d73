import pytest

from evaluations.services import save_sections
from occupations.models import Activity
from tests.evaluations.api_content import full_json
from tests.evaluations.content import as_sections, full_content
from tests.evaluations.records import record_of
from tests.factories import EvaluationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(therapist, patient):
    """Joan Kowalski, born 1951-04-12, so 75 or older on any date this suite runs: Mathiowetz band 75+."""
    evaluation = EvaluationFactory(therapist=therapist, patient=patient)
    save_sections(
        record=record_of(evaluation, therapist),
        by=therapist,
        contents=as_sections(full_content(evaluation.date_of_service)),
    )
    return record_of(evaluation, therapist)


def test_grip_is_the_mean_of_trials_against_the_womens_75_plus_norm(recorded):
    # right trials 22.5, 23.0, 22.0 -> mean 22.5 kg. Women 75+, right: 42.6 (11.0) lb = 19.3230 (4.9895) kg.
    # z = (22.5 - 19.3230) / 4.9895 = 0.6367 -> 0.64; percent = 22.5 / 19.3230 x 100 = 116.4
    right = next(row for row in recorded.grip if row.hand == "right")
    score = recorded.scores[("grip", right.pk)]
    assert (score.value, score.z, score.percent_of_norm) == (22.5, 0.64, 116.4)
    assert score.norm.description == "women 75+, right hand"


def test_rom_pain_tug_and_moca_are_scored(recorded):
    scores = {key[0]: score for key, score in recorded.scores.items()}
    assert scores["range_of_motion"].percent_of_norm == 68.0  # hip flexion 85 / Merck 125
    assert scores["pain_points"].interpretation == "moderate"  # 6/10
    assert scores["screens"].value == 27  # MoCA 27 with 16 years of education: no point added
    tug = next(
        s for (key, _pk), s in recorded.scores.items() if key == "tests" and s.instrument == "timed_up_and_go"
    )
    assert tug.interpretation.startswith("at risk of falling")  # 14.2 s >= 13.5 s


def test_left_right_differences_become_findings_linked_to_pain_and_occupations(recorded):
    findings = recorded.findings
    strength = [f for f in findings if f.kind == "strength"]
    # hip abductors: left 4+ (rank 10), right 3+ (rank 7): 3 steps = one whole grade, the default threshold
    assert [(f.what, f.weaker_side, f.difference) for f in strength] == [
        ("Hip abductors", "right", "3 grade steps")
    ]
    assert strength[0].related_pain == ["Hip (right), 6/10"]
    assert "Driving" in strength[0].related_occupations
    assert "Getting dressed" in strength[0].related_occupations  # ADL rated as limited by imbalance
    # grip: left 20.0 vs right 22.5 kg -> 2.5 / 22.5 = 11 %, under the 20 % threshold: no finding
    assert not [f for f in findings if f.kind == "grip"]


def test_an_occupation_named_in_both_catalogues_is_listed_once(therapist, patient):
    # "Driving" is both an affected occupation (imbalance screen) and an IADL: recorded in both,
    # and the IADL rated as limited by the imbalance, it is still one occupation affected.
    evaluation = EvaluationFactory(therapist=therapist, patient=patient)
    content = full_content(evaluation.date_of_service)
    content["iadl_checklist"]["ratings"].append(
        {
            "activity": Activity.objects.get(code="driving"),
            "assist_level": "dependent",
            "limited_by_pain": False,
            "limited_by_imbalance": True,
            "priority": "high",
            "notes": "",
        }
    )
    save_sections(record=record_of(evaluation, therapist), by=therapist, contents=as_sections(content))
    record = record_of(evaluation, therapist)
    assert [row.activity.code for row in record.iadl_ratings if row.limited_by_imbalance] == ["driving"]
    assert [row.occupation.code for row in record.affected_occupations] == ["driving"]

    occupations = record.findings[0].related_occupations
    assert occupations.count("Driving") == 1
    assert occupations == ["Driving", "Getting dressed", "Bathing and showering"]


def test_thresholds_come_from_settings(recorded, settings):
    settings.IMBALANCE_THRESHOLDS = {"mmt_steps": 4, "rom_degrees": 15, "grip_percent": 10}
    kinds = sorted(f.kind for f in recorded.findings)
    assert kinds == ["grip"]


def test_page_and_api_show_scores_next_to_raw_values(page_client, api_client, therapist, recorded):
    page = page_client(therapist).get(f"/evaluations/{recorded.evaluation.public_id}/").content.decode()
    assert "z = +0.64" in page and "vs women 75+, right hand" in page
    assert "Muscle-imbalance findings" in page and "3 grade steps" in page

    body = api_client(therapist).get(f"/api/v1/evaluations/{recorded.evaluation.public_id}/").json()
    grip = body["computed"]["physical_function"]["grip"]
    assert grip[0]["z"] == 0.64 and grip[0]["norm"]["description"] == "women 75+, right hand"
    assert body["imbalance_findings"][0]["what"] == "Hip abductors"


def test_computed_values_are_read_only_and_do_not_break_send_back(api_client, therapist, recorded):
    api = api_client(therapist)
    body = api.get(f"/api/v1/evaluations/{recorded.evaluation.public_id}/").json()
    assert (
        api.patch(
            f"/api/v1/evaluations/{recorded.evaluation.public_id}/", body["sections"], format="json"
        ).status_code
        == 200
    )
    refused = api.patch(
        f"/api/v1/evaluations/{recorded.evaluation.public_id}/", {"computed": {}}, format="json"
    )
    assert refused.status_code == 400 and refused.json() == {"computed": ["Unknown field."]}


def test_no_norm_means_no_interpretation(api_client, therapist, patient):
    evaluation = EvaluationFactory(therapist=therapist, patient=patient)
    payload = full_json(evaluation.date_of_service)
    payload["physical_function"]["range_of_motion"] = [
        {
            "joint_motion": "cervical_rotation",
            "side": "left",
            "mode": "active",
            "degrees": 50,
            "is_painful": False,
            "notes": "",
        }
    ]
    api = api_client(therapist)
    body = api.patch(f"/api/v1/evaluations/{evaluation.public_id}/", payload, format="json").json()
    rom = body["computed"]["physical_function"]["range_of_motion"][0]
    assert rom["interpretation"] is None and rom["percent_of_norm"] is None
    assert "no published norm on file" in rom["notes"]


def test_scale_totals_are_validated_and_scored(api_client, therapist, recorded):
    api = api_client(therapist)
    url = f"/api/v1/evaluations/{recorded.evaluation.public_id}/"
    refused = api.patch(
        url,
        {"iadl_checklist": {"scales": [{"instrument": "barthel_index", "total_score": 87}]}},
        format="json",
    )
    assert refused.status_code == 400
    assert "steps of 5" in refused.json()["iadl_checklist"]["scales"]["0"]["total_score"][0]

    body = api.get(url).json()
    assert (
        body["computed"]["iadl_checklist"]["scales"][0]["interpretation"] == "moderate dependency"
    )  # Barthel 85


def test_copm_scores_show_on_the_page_and_in_the_api(page_client, api_client, therapist, recorded):
    # performance (3 + 1) / 2 = 2.0; satisfaction (2 + 1) / 2 = 1.5
    page = page_client(therapist).get(f"/evaluations/{recorded.evaluation.public_id}/").content.decode()
    assert "COPM performance score" in page and "2/10" in page
    body = api_client(therapist).get(f"/api/v1/evaluations/{recorded.evaluation.public_id}/").json()
    assert (body["copm"]["performance"]["value"], body["copm"]["satisfaction"]["value"]) == (2.0, 1.5)
    # right tip pinch, mean of 4.5, 4.0, 5.0 = 4.5 kg; right-handed, so dominant; women 75+ dominant: 9.6 (2.8) lb
    pinch = body["computed"]["physical_function"]["pinch"][0]
    assert pinch["norm"]["description"] == "women 75+, dominant hand, tip pinch"


def test_copm_is_limited_to_five_problems(api_client, therapist, recorded):
    problems = [
        {"area": "leisure", "problem": f"Problem {n}", "importance": 5, "performance": 5, "satisfaction": 5}
        for n in range(6)
    ]
    response = api_client(therapist).patch(
        f"/api/v1/evaluations/{recorded.evaluation.public_id}/",
        {"profile": {"copm": problems}},
        format="json",
    )
    assert response.status_code == 400
    assert "copm" in response.json()["profile"]
