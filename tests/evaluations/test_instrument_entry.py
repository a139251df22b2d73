"""Standardized instruments entered item by item (or as a total alone) over the API and on the pages:
the total scored from the items, the record saying which it was, bad items refused with nothing
saved, the items sealed, and the change since baseline judged against the instrument's threshold."""

import pytest
from django.utils import timezone

from evaluations.choices import EvaluationKind
from evaluations.models import CognitiveScreen, FunctionalScaleScore
from evaluations.seal import canonical_content
from evaluations.sections import COGNITION, IADL_CHECKLIST
from evaluations.services import save_sections, start_evaluation
from tests.evaluations.instrument_answers import BARTHEL, MOCA
from tests.evaluations.records import record_of
from tests.evaluations.test_report import signed
from tests.evaluations.test_views import page_data
from tests.factories import EvaluationFactory

pytestmark = pytest.mark.django_db


def lefs(first_ten: int, last_ten: int) -> dict[str, int]:
    return {f"item_{n:02d}": first_ten if n <= 10 else last_ten for n in range(1, 21)}


@pytest.fixture
def draft(therapist, patient):
    return EvaluationFactory(therapist=therapist, patient=patient)


def url(evaluation):
    return f"/api/v1/evaluations/{evaluation.public_id}/"


def test_the_api_scores_a_screen_and_a_scale_from_their_items(api_client, therapist, draft):
    response = api_client(therapist).patch(
        url(draft),
        {
            "cognition": {
                "screens": [
                    {"instrument": "moca", "items": MOCA, "education_years": 12},
                    {"instrument": "slums", "total_score": 24, "education_years": 16},
                ]
            },
            "iadl_checklist": {"scales": [{"instrument": "barthel_index", "items": BARTHEL}]},
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    moca, slums = body["sections"]["cognition"]["screens"]
    assert (moca["total_score"], moca["items"]) == (25, MOCA)  # the raw total, from the items
    assert (slums["total_score"], slums["items"]) == (24, {})  # the total alone
    moca_score, slums_score = body["computed"]["cognition"]["screens"]
    assert (moca_score["value"], moca_score["interpretation"]) == (26, "normal (≥ 26)")  # 25 + 1 (≤ 12 years)
    assert "scored from its 7 items" in moca_score["notes"]
    assert moca_score["loinc"] == "72172-0"
    assert "total entered without its items" in slums_score["notes"]
    (barthel,) = body["computed"]["iadl_checklist"]["scales"]
    assert (barthel["value"], barthel["interpretation"]) == (65, "moderate dependency")
    assert "13/20 on the 20-point version (Collin & Wade 1988)" in barthel["notes"]
    assert "Shah" in barthel["source"]
    assert CognitiveScreen.objects.get(instrument="moca").entered_by_item
    assert not CognitiveScreen.objects.get(instrument="slums").entered_by_item


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"instrument": "moca", "items": {**MOCA, "naming": 4}}, "items", "Naming (0–3): 4 is not one of"),
        (
            {"instrument": "moca", "items": {k: v for k, v in MOCA.items() if k != "orientation"}},
            "items",
            "Orientation (0–6): not answered",
        ),
        ({"instrument": "moca", "items": {**MOCA, "memory": 1}}, "items", "memory: not an item of the MoCA"),
        (
            {"instrument": "moca", "items": MOCA, "total_score": 27},
            "total_score",
            "The items add up to 25, not 27",
        ),
        ({"instrument": "moca"}, "total_score", "Give the items or"),
        ({"instrument": "slums", "items": {"orientation": 3}}, "items", "total only"),
        ({"instrument": "mini_cog", "total_score": 6}, "total_score", "0 to 5"),
    ],
)
def test_bad_items_are_400_with_the_field_and_nothing_is_saved(
    api_client, therapist, draft, row, field, message
):
    api = api_client(therapist)
    api.patch(
        url(draft), {"cognition": {"screens": [{"instrument": "mini_cog", "total_score": 4}]}}, format="json"
    )
    response = api.patch(url(draft), {"cognition": {"screens": [row]}}, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()["cognition"]["screens"]["0"]
    assert any(message in text for text in errors[field]), errors
    assert list(CognitiveScreen.objects.values_list("instrument", "total_score")) == [("mini_cog", 4)]


def test_the_instrument_catalogue_lists_items_options_and_rules(api_client, front_desk):
    api = api_client(front_desk)
    listed = api.get("/api/v1/instruments/").json()
    assert [i["key"] for i in listed] == [
        "lawton_iadl",
        "lawton_iadl_5",
        "katz_adl",
        "barthel_index",
        "moca",
        "slums",
        "mini_cog",
        "lefs",
    ]
    barthel = api.get("/api/v1/instruments/barthel_index/").json()
    assert [o["value"] for o in barthel["items"][7]["options"]] == [0, 5, 10, 15]  # transfers
    assert barthel["range"] == [0, 100] and barthel["step"] == 5
    assert api.get("/api/v1/instruments/quickdash/").status_code == 404  # needs a licence: not shipped


def test_the_page_takes_items_shows_the_score_and_keeps_bad_answers(page_client, therapist, draft):
    client = page_client(therapist)
    page = client.get(f"/evaluations/{draft.public_id}/cognition/")
    data = {**page_data(page.context["editor"]), "loaded_version": page.context["loaded_version"]}
    partial = {f"screens-0-item_{k}": str(v) for k, v in MOCA.items() if k != "orientation"}
    refused = client.post(f"/evaluations/{draft.public_id}/cognition/", {**data, **partial})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Orientation (0–6): not answered (every item is needed; none is estimated)." in html
    assert 'value="3" class="form-check-input" id="id_screens-0-item_naming_4" checked' in html  # kept
    assert not CognitiveScreen.objects.exists()

    saved = client.post(
        f"/evaluations/{draft.public_id}/cognition/",
        {**data, **partial, "screens-0-item_orientation": "6", "screens-0-education_years": "16"},
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    screen = CognitiveScreen.objects.get()
    assert (screen.total_score, screen.items, screen.education_years) == (25, MOCA, 16)

    shown = client.get(f"/evaluations/{draft.public_id}/").content.decode()
    assert "Visuospatial / executive 4/5 · Naming 3/3 · Attention 5/6" in shown
    assert "25/30; below the normal cut-off of 26; scored from its 7 items; LOINC 72172-0" in shown
    assert "Sources of scores and norms" in shown and "Nasreddine ZS" in shown  # the MoCA's source


def test_the_items_are_sealed_and_a_seal_made_before_them_still_holds(therapist, patient):
    before_items = record_of(signed(therapist, patient), therapist)
    assert all(
        "items" not in row for row in canonical_content(before_items)["sections"]["cognition"]["screens"]
    )

    evaluation = EvaluationFactory(therapist=therapist, patient=patient)
    save_sections(
        record=record_of(evaluation, therapist),
        by=therapist,
        contents={COGNITION: {"screens": [{"instrument": "moca", "items": MOCA, "education_years": 16}]}},
    )
    (sealed,) = canonical_content(record_of(evaluation, therapist))["sections"]["cognition"]["screens"]
    assert sealed["items"] == MOCA and sealed["total_score"] == 25


def test_the_change_since_baseline_is_judged_against_each_instruments_threshold(
    api_client, page_client, therapist, patient
):
    baseline = EvaluationFactory(
        therapist=therapist,
        patient=patient,
        date_of_service=timezone.localdate() - timezone.timedelta(weeks=6),
    )
    save_sections(
        record=record_of(baseline, therapist),
        by=therapist,
        contents={
            IADL_CHECKLIST: {
                "scales": [
                    {"instrument": "lefs", "items": lefs(2, 2)},  # 40
                    {"instrument": "barthel_index", "items": BARTHEL},  # 65
                ]
            }
        },
    )
    from evaluations.models import Evaluation

    Evaluation.objects.filter(pk=baseline.pk).update(
        status="signed", signed_by=therapist, signed_at=timezone.now()
    )
    follow_up = start_evaluation(
        by=therapist,
        patient=patient,
        kind=EvaluationKind.RE_EVALUATION,
        date_of_service=timezone.localdate(),
        previous_evaluation=baseline,
    )
    response = api_client(therapist).patch(
        url(follow_up),
        {
            "iadl_checklist": {
                "scales": [
                    {"instrument": "lefs", "items": lefs(3, 2)},  # 30 + 20 = 50: +10 ≥ 9
                    {
                        "instrument": "barthel_index",
                        "items": {**BARTHEL, "bathing": 5, "stairs": 10},
                    },  # 75: +10 < 20
                ]
            }
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    measures = {m["measure"]: m for m in response.json()["progress"]["measures"]}
    lefs_change = measures["Lower Extremity Functional Scale, LEFS (0–80)"]
    assert (lefs_change["before"], lefs_change["now"], lefs_change["change"], lefs_change["meaning"]) == (
        "40",
        "50",
        "+10",
        "improved",
    )
    assert "≥ 9 points MDC" in lefs_change["threshold"] and "Binkley 1999" in lefs_change["threshold"]
    barthel_change = measures["Barthel Index (0–100)"]
    assert barthel_change["meaning"] == "no meaningful change: within measurement error (MDC 20 points)"
    assert FunctionalScaleScore.objects.filter(evaluation=follow_up, items__has_key="item_01").count() == 1
    # The page's progress table says the same, with the threshold and its source.
    page = page_client(therapist).get(f"/evaluations/{follow_up.public_id}/").content.decode()
    assert (
        "<td>Lower Extremity Functional Scale, LEFS (0–80)</td><td>40</td><td>50</td><td>+10</td><td>improved</td>"
        in page
    )
    assert (
        "≥ 9 points MDC — MDC90 = MCID 9 points, musculoskeletal lower-limb conditions (Binkley 1999)" in page
    )


@pytest.mark.parametrize(
    ("row", "total", "reading"),
    [
        (
            {
                "instrument": "lawton_iadl",
                "items": {  # codes: 1 + 1 + 0 + 1 + 1 + 1 + 0 + 1 = 6
                    "telephone": 1,
                    "shopping": 1,
                    "food_preparation": 2,
                    "housekeeping": 2,
                    "laundry": 2,
                    "transportation": 3,
                    "medications": 3,
                    "finances": 2,
                },
            },
            6,
            None,
        ),
        (
            {
                "instrument": "katz_adl",
                "items": dict.fromkeys(
                    ("bathing", "dressing", "toileting", "transferring", "continence", "feeding"), 1
                ),
            },
            6,
            "full function",
        ),
    ],
)
def test_the_api_takes_lawton_and_katz_items(api_client, therapist, draft, row, total, reading):
    response = api_client(therapist).patch(url(draft), {"iadl_checklist": {"scales": [row]}}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["sections"]["iadl_checklist"]["scales"][0]["total_score"] == total
    assert response.json()["computed"]["iadl_checklist"]["scales"][0]["interpretation"] == reading


def test_the_api_takes_the_mini_cogs_recall_and_clock(api_client, therapist, draft):
    response = api_client(therapist).patch(
        url(draft),
        {
            "cognition": {
                "screens": [{"instrument": "mini_cog", "items": {"word_recall": 3, "clock_draw": 2}}]
            }
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    (score,) = response.json()["computed"]["cognition"]["screens"]
    assert (score["value"], score["loinc"]) == (5, "72233-0")  # 3 + 2
    assert score["interpretation"] == "lower likelihood of dementia (does not rule out impairment)"
