from decimal import Decimal

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from evaluations.models import Addendum, Evaluation, RangeOfMotionMeasurement, StrengthMeasurement
from evaluations.sections import PHYSICAL, SECTIONS
from evaluations.services import save_sections, sign_evaluation
from occupations.models import (
    Activity,
    ImbalanceCause,
    Intervention,
    JointMotion,
    LifeRole,
    MuscleGroup,
    NeuromuscularTest,
)
from tests.evaluations.content import as_sections, full_content
from tests.evaluations.records import content_of, record_of
from tests.evaluations.test_report import reseal
from tests.factories import EvaluationFactory, PatientFactory, TherapistFactory
from tests.queries import AUDIT_EVENT

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


@pytest.fixture
def draft(therapist, patient):
    return EvaluationFactory(therapist=therapist, patient=patient)


def page_data(editor) -> dict:
    """Everything the section page would post back untouched."""
    data = {}
    if editor.fields_form is not None:
        for field in editor.fields_form:
            value = field.value()
            if value not in (None, False):
                data[field.html_name] = value
    for part in editor.parts:
        if part.kind == "picks":
            field = part.form[part.spec.fields[0]]
            data[field.html_name] = [str(value) for value in field.value() or []]
            continue
        for field in part.formset.management_form:
            data[field.html_name] = field.value()
        for form in part.formset.forms:
            for field in form:
                value = field.value()
                if value not in (None, False):
                    data[field.html_name] = value
    return data


def post_section(client, evaluation, slug, **changes):
    page = client.get(f"/evaluations/{evaluation.public_id}/{slug}/")
    data = {**page_data(page.context["editor"]), "loaded_version": page.context["loaded_version"]}
    return client.post(f"/evaluations/{evaluation.public_id}/{slug}/", {**data, **changes})


def pk(model, code):
    """Pages name catalogue entries by code; make sure the entry exists."""
    return model.objects.get(code=code).code


def test_every_section_round_trips_through_the_pages(page_client, therapist, draft):
    client = page_client(therapist)
    target = (draft.date_of_service + timezone.timedelta(weeks=6)).isoformat()
    dressing = Activity.objects.get(code="dressing")
    cooking = Activity.objects.get(code="cooking")
    posts = {
        "profile": {
            "section-reason_for_therapy": "Hip pain after THR",
            "section-hand_dominance": "left",
            "copm-0-area": "leisure",
            "copm-0-problem": "Gardening",
            "copm-0-importance": "8",
            "copm-0-performance": "4",
            "copm-0-satisfaction": "3",
        },
        "physical-function": {
            "strength-0-muscle_group": pk(MuscleGroup, "hip_abductors"),
            "strength-0-right_grade": "3+",
            "range_of_motion-0-joint_motion": pk(JointMotion, "hip_flexion"),
            "range_of_motion-0-mode": "active",
            "range_of_motion-0-right_degrees": "85",
            "pinch-0-pinch": "tip",
            "pinch-0-left_trial_1_kg": "3.5",
            "flexibility-0-test": "piriformis",
            "flexibility-0-left_finding": "mildly_limited",
            "grip-0-right_trial_1_kg": "21.5",
        },
        "neuromuscular-function": {
            "tests-0-test": pk(NeuromuscularTest, "nine_hole_peg"),
            "tests-0-left_value": "24.2",
        },
        "cognition": {
            "findings-0-domain": "recall",
            "findings-0-rating": "intact",
            # Mini-Cog (the third screen) item by item: 2 words + a normal clock = 4.
            "screens-2-item_word_recall": "2",
            "screens-2-item_clock_draw": "2",
        },
        "occupational-inventory": {
            "roles-0-role": pk(LifeRole, "parent"),
            "roles-0-status": "current",
            "roles-0-importance": "very",
            "mobility-0-destination": "pharmacy",
            "mobility-0-frequency": "monthly",
            "mobility-0-transport_mode": "paratransit",
            "mobility-0-ability": "with_difficulty",
            "mobility-0-barriers": "curb cuts",
            "iadl_inventory-0-activity": "laundry",
            "iadl_inventory-0-is_required": "on",
            "iadl_inventory-0-done_by": "family",
            "other_activities-0-name": "Bowling",
            "psfs-0-activity": "Climbing the stairs",
            "psfs-0-rating": "4",
        },
        "adl-checklist": {},
        "iadl-checklist": {"scales-2-total_score": "5"},  # Katz, the total alone
        "muscle-imbalance": {
            "causes-cause": [pk(ImbalanceCause, "prolonged_sitting")],
            "signs_symptoms-sign": ["clicking"],
            "affected_occupations-occupation": ["shoveling", "driving"],
            "pain_points-0-region": "knee",
            "pain_points-0-side": "left",
            "pain_points-0-intensity": "5",
            "pain_points-0-aggravating_factors": "stairs",
        },
        "assessment-and-plan": {
            "section-assessment_summary": "Weak abductors.",
            "section-sessions_per_week": "2",
            "section-duration_weeks": "6",
            "goals-0-term": "long_term",
            "goals-0-description": "Dresses lower body independently.",
            "goals-0-target_on": target,
            "interventions-intervention": [pk(Intervention, "home_program")],
        },
    }
    for slug, changes in posts.items():
        page = client.get(f"/evaluations/{draft.public_id}/{slug}/")
        editor = page.context["editor"]
        data = {**page_data(editor), "loaded_version": page.context["loaded_version"], **changes}
        for part in editor.parts:
            if part.kind == "grid":
                for index, form in enumerate(part.formset.forms):
                    if form.initial["activity"] in (dressing.code, cooking.code):
                        data[f"{part.prefix}-{index}-assist_level"] = "minimal_assist"
                        data[f"{part.prefix}-{index}-limited_by_pain"] = "on"
        response = client.post(f"/evaluations/{draft.public_id}/{slug}/", data)
        assert response.status_code == 302, (slug, response.content.decode()[:3000])

    content = content_of(record_of(draft, therapist))
    assert content["profile"]["hand_dominance"] == "left"
    assert [(r.grade, r.side) for r in content["physical_function"]["strength"]] == [("3+", "right")]
    assert content["physical_function"]["grip"][0].trials == [21.5]
    assert content["neuromuscular_function"]["tests"][0].value == Decimal("24.2")
    assert [(r.instrument, r.total_score, r.items) for r in content["cognition"]["screens"]] == [
        ("mini_cog", 4, {"word_recall": 2, "clock_draw": 2})
    ]
    assert [(r.instrument, r.total_score, r.items) for r in content["iadl_checklist"]["scales"]] == [
        ("katz_adl", 5, {})
    ]
    assert [r.name for r in content["occupational_inventory"]["other_activities"]] == ["Bowling"]
    assert [(r.activity.code, r.limited_by_pain) for r in content["adl_checklist"]["ratings"]] == [
        ("dressing", True)
    ]
    assert [r.activity.code for r in content["iadl_checklist"]["ratings"]] == ["cooking"]
    assert [r.cause.code for r in content["muscle_imbalance"]["causes"]] == ["prolonged_sitting"]
    assert [r.intervention.code for r in content["assessment_and_plan"]["interventions"]] == ["home_program"]
    assert [(r.joint_motion.code, r.degrees) for r in content["physical_function"]["range_of_motion"]] == [
        ("hip_flexion", 85)
    ]
    assert [(r.test.code, r.finding) for r in content["physical_function"]["flexibility"]] == [
        ("piriformis", "mildly_limited")
    ]
    assert [
        (r.destination.code, r.transport_mode.code, r.ability)
        for r in content["occupational_inventory"]["mobility"]
    ] == [("pharmacy", "paratransit", "with_difficulty")]
    assert [(r.activity.code, r.done_by) for r in content["occupational_inventory"]["iadl_inventory"]] == [
        ("laundry", "family")
    ]
    assert [(r.region.code, r.side, r.intensity) for r in content["muscle_imbalance"]["pain_points"]] == [
        ("knee", "left", 5)
    ]
    assert [r.sign.code for r in content["muscle_imbalance"]["signs_symptoms"]] == ["clicking"]
    assert sorted(r.occupation.code for r in content["muscle_imbalance"]["affected_occupations"]) == [
        "driving",
        "shoveling",
    ]
    plan = content["assessment_and_plan"]
    assert (plan["assessment_summary"], plan["sessions_per_week"], plan["duration_weeks"]) == (
        "Weak abductors.",
        2,
        6,
    )
    assert [(g.term, g.target_on.isoformat()) for g in plan["goals"]] == [("long_term", target)]
    for section, values in content.items():
        for name, value in values.items():
            if isinstance(value, list):
                assert value, f"{section}.{name} was not filled through the page"

    # Re-opening a page shows what was saved.
    reopened = client.get(f"/evaluations/{draft.public_id}/physical-function/").content.decode()
    assert (
        'value="85"' in reopened
        and 'value="21.5"' in reopened
        and '<option value="piriformis" selected>' in reopened
    )


def test_an_error_keeps_everything_typed_and_saves_nothing(page_client, therapist, draft):
    client = page_client(therapist)
    response = post_section(
        client,
        draft,
        "physical-function",
        **{
            "strength-0-muscle_group": pk(MuscleGroup, "hip_flexors"),
            "strength-0-left_grade": "4",
            "range_of_motion-0-joint_motion": pk(JointMotion, "shoulder_flexion"),
            "range_of_motion-0-mode": "active",
            "range_of_motion-0-left_degrees": "400",
            "range_of_motion-0-notes": "typed note",
        },
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "outside what shoulder flexion can measure" in content
    assert 'value="400"' in content and "\ntyped note</textarea>" in content  # notes wrap in a growing box
    assert "selected>4 — Good</option>" in content
    assert not RangeOfMotionMeasurement.objects.exists()
    assert not draft.strength_measurements.exists()


def test_service_errors_land_on_the_row_that_caused_them(page_client, therapist, draft):
    response = post_section(
        page_client(therapist),
        draft,
        "physical-function",
        **{
            "section-mmt_scale": "mrc",
            "strength-0-muscle_group": pk(MuscleGroup, "hip_flexors"),
            "strength-0-left_grade": "4+",
        },
    )
    assert response.status_code == 400
    assert "The MRC scale has whole grades only" in response.content.decode()
    assert response.context["editor"].parts[0].formset.forms[0].errors["left_grade"]


def test_a_checklist_row_with_details_but_no_level_is_refused(page_client, therapist, draft):
    client = page_client(therapist)
    page = client.get(f"/evaluations/{draft.public_id}/adl-checklist/")
    data = {
        **page_data(page.context["editor"]),
        "loaded_version": page.context["loaded_version"],
        "ratings-0-notes": "needs a bench",
    }
    response = client.post(f"/evaluations/{draft.public_id}/adl-checklist/", data)
    assert response.status_code == 400
    assert "Choose an assist level" in response.content.decode()
    assert not draft.activity_ratings.exists()


def test_signing_a_page_opened_before_another_save_signs_nothing(page_client, therapist, draft):
    save_sections(
        record=record_of(draft, therapist),
        by=therapist,
        contents=as_sections(full_content(draft.date_of_service)),
    )
    client = page_client(therapist)
    version = client.get(f"/evaluations/{draft.public_id}/sign/").context["evaluation"].version
    save_sections(
        record=record_of(draft, therapist), by=therapist, contents={PHYSICAL: {"mmt_scale": "mrc"}}
    )  # another tab

    response = client.post(
        f"/evaluations/{draft.public_id}/sign/",
        {"password": PASSWORD, "loaded_version": version},
        follow=True,
    )

    assert "so it was not signed" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_sign_then_read_only_then_addendum(page_client, therapist, draft):
    save_sections(
        record=record_of(draft, therapist),
        by=therapist,
        contents=as_sections(full_content(draft.date_of_service)),
    )
    client = page_client(therapist)

    version = client.get(f"/evaluations/{draft.public_id}/sign/").context["evaluation"].version
    wrong = client.post(
        f"/evaluations/{draft.public_id}/sign/", {"password": "nope", "loaded_version": version}
    )
    assert wrong.status_code == 200 and "That is not your password." in wrong.content.decode()
    signed = client.post(
        f"/evaluations/{draft.public_id}/sign/",
        {"password": PASSWORD, "loaded_version": version},
        follow=True,
    )
    assert "Electronically signed by" in signed.content.decode()

    edit = client.get(f"/evaluations/{draft.public_id}/physical-function/")
    assert edit.status_code == 302
    refused = post_section_raw = client.post(
        f"/evaluations/{draft.public_id}/physical-function/", {"section-mmt_scale": "mrc"}
    )
    assert refused.status_code == 302 and post_section_raw["Location"] == f"/evaluations/{draft.public_id}/"
    draft.refresh_from_db()
    assert (draft.status, draft.mmt_scale) == ("signed", "kendall")

    client.post(
        f"/evaluations/{draft.public_id}/addenda/", {"text": "Late entry: patient uses a reacher at home."}
    )
    page = client.get(f"/evaluations/{draft.public_id}/").content.decode()
    assert "Late entry: patient uses a reacher at home." in page


def test_starting_from_the_chart(page_client, therapist, patient):
    client = page_client(therapist)
    chart = client.get(f"/patients/{patient.public_id}/").content.decode()
    assert "New evaluation" in chart
    response = client.post(
        f"/patients/{patient.public_id}/evaluations/new/",
        {"kind": "initial", "date_of_service": timezone.localdate().isoformat()},
    )
    evaluation = Evaluation.objects.get()
    assert response["Location"] == f"/evaluations/{evaluation.public_id}/profile/"


def test_a_re_evaluation_needs_a_baseline_on_the_page(page_client, therapist, patient):
    response = page_client(therapist).post(
        f"/patients/{patient.public_id}/evaluations/new/",
        {"kind": "re_evaluation", "date_of_service": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert (
        "A re-evaluation or progress report is compared with an earlier signed evaluation"
        in response.content.decode()
    )
    assert not Evaluation.objects.exists()


def signed_evaluation(therapist, patient):
    evaluation = EvaluationFactory(therapist=therapist, patient=patient)
    save_sections(
        record=record_of(evaluation, therapist),
        by=therapist,
        contents=as_sections(full_content(evaluation.date_of_service)),
    )
    return sign_evaluation(
        record=record_of(evaluation, therapist), by=therapist, password=PASSWORD
    ).evaluation


# role -> (start page, detail, section editor, sign page, addendum post)
PAGE_MATRIX = {
    "anonymous": (302, 302, 302, 302, 302),
    "nobody": (403, 403, 403, 403, 403),
    "front_desk": (403, 403, 403, 403, 403),
    "owner": (200, 200, 200, 200, 302),
    "other_therapist": (200, 200, 403, 403, 302),
    "clinic_admin": (403, 200, 403, 403, 403),
}


@pytest.mark.parametrize("role", PAGE_MATRIX)
def test_page_permission_matrix(client, users, therapist, patient, draft, role):
    signed = signed_evaluation(therapist, PatientFactory())
    user = {**users, "owner": therapist, "other_therapist": TherapistFactory(username="other")}.get(role)
    if user is not None:
        client.force_login(user)

    statuses = (
        client.get(f"/patients/{patient.public_id}/evaluations/new/").status_code,
        client.get(f"/evaluations/{draft.public_id}/").status_code,
        client.get(f"/evaluations/{draft.public_id}/profile/").status_code,
        client.get(f"/evaluations/{draft.public_id}/sign/").status_code,
        client.post(f"/evaluations/{signed.public_id}/addenda/", {"text": "note"}).status_code,
    )

    assert statuses == PAGE_MATRIX[role]
    expected_addenda = 1 if role in ("owner", "other_therapist") else 0
    assert Addendum.objects.filter(evaluation=signed).count() == expected_addenda


def test_front_desk_sees_evaluations_exist_on_the_chart_but_no_content(
    page_client, front_desk, therapist, patient
):
    evaluation = signed_evaluation(therapist, patient)
    chart = page_client(front_desk).get(f"/patients/{patient.public_id}/").content.decode()
    assert "Initial evaluation" in chart and "Signed" in chart
    assert f"/evaluations/{evaluation.public_id}/" not in chart
    assert "Hip abductor" not in chart


def test_viewing_an_evaluation_is_audited(page_client, clinic_admin, therapist, patient):
    evaluation = signed_evaluation(therapist, patient)
    page_client(clinic_admin).get(f"/evaluations/{evaluation.public_id}/")
    event = AuditEvent.objects.get(action="view", record_type="evaluations.evaluation")
    assert (event.actor, event.channel, event.patient_public_id) == (clinic_admin, "page", patient.public_id)


def test_detail_page_query_count_does_not_grow_with_rows(
    page_client, therapist, patient, django_assert_num_queries
):
    evaluation = signed_evaluation(therapist, patient)
    client = page_client(therapist)
    # session, user, permissions (2), evaluation with its people and profile, 22 row tables, addenda,
    # audit event, session refresh (3)
    with django_assert_num_queries(31 + AUDIT_EVENT):
        client.get(f"/evaluations/{evaluation.public_id}/")
    RangeOfMotionMeasurement.objects.bulk_create(
        [
            RangeOfMotionMeasurement(
                evaluation=evaluation,
                joint_motion=JointMotion.objects.get(code="knee_flexion"),
                side="left",
                degrees=d,
            )
            for d in range(10, 60, 5)
        ]
    )
    reseal(evaluation, therapist)  # as if signed with the ten rows, so the seal still holds
    with django_assert_num_queries(31 + AUDIT_EVENT):
        response = client.get(f"/evaluations/{evaluation.public_id}/")
    assert response.content.decode().count("Knee flexion") == 10


def test_unknown_section_is_404(page_client, therapist, draft):
    assert page_client(therapist).get(f"/evaluations/{draft.public_id}/nonsense/").status_code == 404


def test_chart_and_home_query_counts_do_not_grow_with_evaluations(
    page_client, therapist, patient, django_assert_num_queries
):
    client = page_client(therapist)
    EvaluationFactory(therapist=therapist, patient=patient)
    # the chart for a therapist also reads the signed evaluations for trends (none yet: one query),
    # and the episodes panel its episodes and the signed initial evaluations that could open one
    with django_assert_num_queries(12 + 2 * AUDIT_EVENT):
        client.get(f"/patients/{patient.public_id}/")
    with django_assert_num_queries(11 + AUDIT_EVENT):
        client.get("/")
    EvaluationFactory.create_batch(15, therapist=therapist, patient=patient)
    with django_assert_num_queries(12 + 2 * AUDIT_EVENT):
        chart = client.get(f"/patients/{patient.public_id}/")
    with django_assert_num_queries(11 + AUDIT_EVENT):
        home = client.get("/")
    assert chart.content.decode().count("Draft</span>") == 16
    assert home.content.decode().count("Initial evaluation ·") == 16


def test_every_input_has_a_name_for_screen_readers_and_errors_point_at_their_input(
    page_client, therapist, draft
):
    client = page_client(therapist)
    grid = client.get(f"/evaluations/{draft.public_id}/adl-checklist/").content.decode()
    assert 'aria-label="Getting dressed: limited by pain"' in grid
    assert 'aria-label="Getting dressed: notes"' in grid
    assert "Getting dressed: Minimal assist</label>" in grid

    response = post_section(
        client,
        draft,
        "physical-function",
        **{
            "range_of_motion-0-joint_motion": pk(JointMotion, "shoulder_flexion"),
            "range_of_motion-0-mode": "active",
            "range_of_motion-0-left_degrees": "400",
        },
    )
    content = response.content.decode()
    assert 'aria-describedby="id_range_of_motion-0-left_degrees-error"' in content
    assert 'id="id_range_of_motion-0-left_degrees-error"' in content
    assert 'aria-label="Left: Degrees"' in content
    assert 'aria-label="Remove row 1"' in content


def test_report_shows_units_and_trims_decimals(page_client, therapist, patient):
    evaluation = signed_evaluation(therapist, patient)
    content = page_client(therapist).get(f"/evaluations/{evaluation.public_id}/").content.decode()
    assert "14.2 s" in content  # Timed Up and Go, stored as 14.20
    assert "21.5 s" in content  # Nine-Hole Peg Test


def grid_post(client, evaluation, **changes):
    page = client.get(f"/evaluations/{evaluation.public_id}/adl-checklist/")
    data = {**page_data(page.context["editor"]), "loaded_version": page.context["loaded_version"]}
    return client.post(f"/evaluations/{evaluation.public_id}/adl-checklist/", {**data, **changes})


@pytest.mark.parametrize("total", ["8", "10", "-1", "100000", "abc", ""])
def test_a_tampered_checklist_is_refused_without_a_server_error(page_client, therapist, draft, total):
    response = grid_post(
        page_client(therapist),
        draft,
        **{"ratings-TOTAL_FORMS": total, "ratings-0-assist_level": "independent"},
    )
    assert response.status_code == 400
    assert not draft.activity_ratings.exists()


def test_a_checklist_row_for_an_activity_not_on_the_list_is_refused(page_client, therapist, draft):
    response = grid_post(
        page_client(therapist),
        draft,
        **{"ratings-0-activity": "cooking", "ratings-0-assist_level": "independent"},
    )
    assert response.status_code == 400
    assert "Reload the page" in response.content.decode()
    assert not draft.activity_ratings.exists()


def test_an_activity_retired_while_the_page_was_open_asks_for_a_reload(page_client, therapist, draft):
    client = page_client(therapist)
    page = client.get(f"/evaluations/{draft.public_id}/adl-checklist/")
    data = {
        **page_data(page.context["editor"]),
        "loaded_version": page.context["loaded_version"],
        "ratings-0-assist_level": "independent",
    }
    Activity.objects.filter(code="sexual_activity").update(is_active=False)

    response = client.post(f"/evaluations/{draft.public_id}/adl-checklist/", data)

    assert response.status_code == 400
    assert "The list of activities changed" in response.content.decode()
    assert not draft.activity_ratings.exists()


def test_a_huge_formset_is_capped(page_client, therapist, draft):
    response = post_section(
        page_client(therapist), draft, "physical-function", **{"strength-TOTAL_FORMS": "100000"}
    )
    assert response.status_code == 400
    assert len(response.context["editor"].parts[0].formset.forms) <= 100
    assert not draft.strength_measurements.exists()


def test_a_save_from_a_stale_tab_does_not_undo_newer_work(page_client, therapist, draft):
    client = page_client(therapist)
    stale = client.get(f"/evaluations/{draft.public_id}/physical-function/")
    post_section(client, draft, "physical-function", **{"grip-0-left_trial_1_kg": "20"})  # another tab

    data = {
        **page_data(stale.context["editor"]),
        "loaded_version": stale.context["loaded_version"],
        "section-mmt_scale": "mrc",
    }
    response = client.post(f"/evaluations/{draft.public_id}/physical-function/", data)

    assert response.status_code == 409
    assert "Saved elsewhere meanwhile: choose what to keep" in response.content.decode()
    draft.refresh_from_db()
    assert draft.mmt_scale == "kendall"
    assert draft.grip_measurements.count() == 1
    # What was typed is still in the form, and the form now carries the current version.
    editor = response.context["editor"]
    assert editor.fields_form["mmt_scale"].value() == "mrc"
    assert response.context["loaded_version"] == draft.version


def test_section_page_reads_only_its_own_rows_and_its_query_count_does_not_grow(
    page_client, therapist, draft, django_assert_num_queries
):
    client = page_client(therapist)
    # session, user, permissions (2), the evaluation with its people and profile, the section's
    # five row tables, each catalogue list once (not once per row), the therapist's kept entries,
    # whether each list has rows (one query, for the section menu), audit event, session refresh.
    # Before the read model this page loaded all 21 row tables and the addenda: 33 + audit.
    with django_assert_num_queries(18 + AUDIT_EVENT) as captured:
        client.get(f"/evaluations/{draft.public_id}/physical-function/")
    others = {
        rows.model._meta.db_table for section in SECTIONS if section is not PHYSICAL for rows in section.rows
    }
    read = [query["sql"] for query in captured.captured_queries]
    presence = [sql for sql in read if sql.count("EXISTS") > 20]
    assert len(presence) == 1  # the menu asks every list in one query, reading no rows
    rows_read = " ".join(sql for sql in read if sql not in presence)
    assert [table for table in others if f'"{table}"' in rows_read] == []
    read = rows_read
    assert f'"{StrengthMeasurement._meta.db_table}"' in read
    rows = [
        {"muscle_group": MuscleGroup.objects.get(code=code), "side": side, "grade": "4"}
        for code in ("hip_flexors", "hip_abductors", "knee_extensors", "ankle_dorsiflexors")
        for side in ("left", "right")
    ]
    save_sections(record=record_of(draft, therapist), by=therapist, contents={PHYSICAL: {"strength": rows}})
    with django_assert_num_queries(18 + AUDIT_EVENT):
        response = client.get(f"/evaluations/{draft.public_id}/physical-function/")
    assert len(response.context["editor"].parts[0].formset.forms) == 6  # 4 lines of two sides, 2 blank


def test_an_archived_patients_evaluations_cannot_change_on_the_pages(
    page_client, therapist, front_desk, patient
):
    from patients.services import archive_patient

    signed = signed_evaluation(therapist, patient)
    draft = EvaluationFactory(therapist=therapist, patient=patient)
    archive_patient(patient=patient, by=front_desk, reason="Moved away")
    client = page_client(therapist)
    writes = AuditEvent.objects.filter(action__in=["update", "sign", "addendum"])
    writes_before = writes.count()

    for response in (
        client.get(f"/evaluations/{draft.public_id}/physical-function/"),
        client.post(f"/evaluations/{draft.public_id}/physical-function/", {"section-mmt_scale": "mrc"}),
        client.post(f"/evaluations/{draft.public_id}/sign/", {"password": PASSWORD}),
    ):
        assert response.status_code == 302 and response["Location"] == f"/evaluations/{draft.public_id}/"
    explained = client.get(f"/evaluations/{draft.public_id}/sign/", follow=True).content.decode()
    addendum = client.post(f"/evaluations/{signed.public_id}/addenda/", {"text": "Late entry."}, follow=True)

    assert "cannot change until the record is restored" in explained
    assert "restore the record before changing their evaluations" in addendum.content.decode()
    draft_page = client.get(f"/evaluations/{draft.public_id}/").content.decode()
    signed_page = client.get(f"/evaluations/{signed.public_id}/").content.decode()
    assert "This patient is archived" in draft_page and "This patient is archived" in signed_page
    assert "Sign…" not in draft_page and "Add addendum" not in signed_page
    draft.refresh_from_db()
    assert (draft.status, draft.mmt_scale) == ("draft", "kendall")
    assert not Addendum.objects.exists()
    assert writes.count() == writes_before
