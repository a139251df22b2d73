"""CPT complexity: each level, the 3/5 overlap, mixed components resolving to the lowest, and 97168."""

import pytest

from evaluations.interpretation.cpt import deficit_level, suggest
from evaluations.services import save_sections
from tests.evaluations.content import as_sections, full_content
from tests.evaluations.records import record_of
from tests.factories import EvaluationFactory


def deficits(n):
    return [f"deficit {i}" for i in range(n)]


@pytest.mark.parametrize(("count", "level"), [(0, 0), (1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (9, 3)])
def test_deficit_bands(count, level):
    assert deficit_level(count) == level


@pytest.mark.parametrize(
    ("count", "history", "comorbidities", "assistance", "code"),
    [
        (2, "brief", "none", "none", "97165"),
        (4, "expanded", "may_be_present", "minimal_to_moderate", "97166"),
        (6, "extensive", "present", "significant", "97167"),
    ],
)
def test_each_level(count, history, comorbidities, assistance, code):
    assert (
        suggest(
            kind="initial",
            deficits=deficits(count),
            history=history,
            comorbidities=comorbidities,
            assistance=assistance,
        ).code
        == code
    )


def test_mixed_components_resolve_to_the_lowest():
    # deficits high, history moderate, comorbidities high, assistance low -> low
    result = suggest(
        kind="initial", deficits=deficits(7), history="expanded", comorbidities="present", assistance="none"
    )
    assert (result.code, result.level) == ("97165", "low")
    assert any("Task modification or assistance" in note for note in result.notes)


@pytest.mark.parametrize(
    ("count", "others", "code", "bands"),
    [
        (3, "low", "97165", "low and moderate"),
        (3, "moderate", "97166", "low and moderate"),
        (5, "moderate", "97166", "moderate and high"),
        (5, "high", "97167", "moderate and high"),
    ],
)
def test_the_3_and_5_overlap_is_called_out_and_the_others_decide(count, others, code, bands):
    ratings = {
        "low": ("brief", "none", "none"),
        "moderate": ("expanded", "may_be_present", "minimal_to_moderate"),
        "high": ("extensive", "present", "significant"),
    }[others]
    result = suggest(
        kind="initial",
        deficits=deficits(count),
        history=ratings[0],
        comorbidities=ratings[1],
        assistance=ratings[2],
    )
    assert result.code == code
    assert any(bands in note for note in result.notes)


def test_unrated_components_or_no_deficits_give_no_code():
    assert suggest(kind="initial", deficits=deficits(4)).code is None
    assert (
        suggest(kind="initial", deficits=[], history="brief", comorbidities="none", assistance="none").code
        is None
    )


def test_re_evaluation_needs_a_documented_change():
    assert suggest(kind="re_evaluation", deficits=deficits(4)).code is None
    assert (
        suggest(kind="re_evaluation", deficits=[], documented_change="Now dresses independently").code
        == "97168"
    )


@pytest.mark.django_db
def test_the_record_supplies_the_deficits_with_evidence(therapist, patient):
    evaluation = EvaluationFactory(therapist=therapist, patient=patient)
    save_sections(
        record=record_of(evaluation, therapist),
        by=therapist,
        contents=as_sections(full_content(evaluation.date_of_service)),
    )
    result = record_of(evaluation, therapist).cpt

    evidence = result.components[0].evidence
    assert "Getting dressed: minimal assist" in evidence
    # Evidence from a sided measure names the side.
    assert "Strength below normal: hip abductors 3+/5 (right), hip abductors 4+/5 (left)" in evidence
    assert "Pain, moderate or worse: hip 6/10 (right)" in evidence
    assert "Range of motion below the reference value: hip flexion 68% (right)" in evidence
    assert "Flexibility limited: Hip flexors (Thomas test) (right)" in evidence
    assert result.code == "97165"  # assistance "none" is the lowest component


@pytest.mark.django_db
def test_signing_needs_the_code_confirmed_and_a_reason_to_differ(api_client, therapist, patient):
    from tests.evaluations.api_content import full_json

    evaluation = EvaluationFactory(therapist=therapist, patient=patient)
    api = api_client(therapist)
    url = f"/api/v1/evaluations/{evaluation.public_id}/"
    payload = full_json(evaluation.date_of_service)
    payload["cpt_complexity"]["cpt_code"] = "97167"
    body = api.patch(url, payload, format="json").json()
    assert body["cpt_suggestion"]["code"] == "97165"
    assert body["missing_for_signature"] == [
        "CPT code 97165, 97166 or 97167 confirmed (suggested 97165; a different code needs a reason)"
    ]

    api.patch(
        url,
        {"cpt_complexity": {"cpt_override_reason": "Significant cueing was needed for safety; see notes."}},
        format="json",
    )
    assert api.post(f"{url}sign/", {"password": "correct horse battery"}, format="json").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind_code", "change", "ok"),
    [
        ("97168", "", False),
        ("97168", "Now dresses independently", True),
        ("97166", "Now dresses independently", False),
    ],
)
def test_a_re_evaluation_signs_only_as_97168_with_its_documented_change(
    therapist, patient, kind_code, change, ok
):
    from django.utils import timezone

    from evaluations.services import save_sections, sign_evaluation, start_evaluation
    from tests.evaluations.content import as_sections, full_content

    baseline = EvaluationFactory(therapist=therapist, patient=patient)
    save_sections(
        record=record_of(baseline, therapist),
        by=therapist,
        contents=as_sections(full_content(baseline.date_of_service)),
    )
    baseline = sign_evaluation(
        record=record_of(baseline, therapist), by=therapist, password="correct horse battery"
    ).evaluation
    follow_up = start_evaluation(
        by=therapist,
        patient=patient,
        kind="re_evaluation",
        date_of_service=timezone.localdate(),
        previous_evaluation=baseline,
    )
    content = full_content(follow_up.date_of_service)
    content["cpt_complexity"].update(
        cpt_code=kind_code, cpt_documented_change=change, cpt_override_reason="therapist's choice"
    )
    save_sections(record=record_of(follow_up, therapist), by=therapist, contents=as_sections(content))

    checklist = record_of(follow_up, therapist).checklist
    assert checklist[-1].is_met is ok


@pytest.mark.django_db
def test_an_initial_evaluation_cannot_be_billed_as_97168(therapist, patient):

    evaluation = EvaluationFactory(therapist=therapist, patient=patient)
    content = full_content(evaluation.date_of_service)
    content["cpt_complexity"].update(cpt_code="97168", cpt_override_reason="therapist's choice")
    save_sections(record=record_of(evaluation, therapist), by=therapist, contents=as_sections(content))
    assert record_of(evaluation, therapist).checklist[-1].is_met is False
