import json
from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.utils.encoders import JSONEncoder

from audit.models import AuditEvent
from evaluations.api.serializers import SECTION_SERIALIZERS
from evaluations.models import Evaluation, GripMeasurement, RangeOfMotionMeasurement
from evaluations.sections import SECTIONS
from tests.evaluations.api_content import full_json
from tests.evaluations.records import record_of
from tests.factories import EvaluationFactory, PatientFactory, TherapistFactory
from tests.queries import AUDIT_EVENT

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


@pytest.fixture
def draft(therapist, patient):
    return EvaluationFactory(therapist=therapist, patient=patient)


def url(evaluation, suffix=""):
    return f"/api/v1/evaluations/{evaluation.public_id}/{suffix}"


def test_a_therapist_records_and_signs_a_whole_evaluation_over_the_api(api_client, therapist, patient):
    api = api_client(therapist)
    today = timezone.localdate()

    created = api.post(
        "/api/v1/evaluations/",
        {"patient": str(patient.public_id), "date_of_service": today.isoformat()},
        format="json",
    )
    assert created.status_code == 201, created.content
    evaluation_url = f"/api/v1/evaluations/{created.json()['id']}/"
    assert "Why the person is seeking therapy" in created.json()["missing_for_signature"]

    saved = api.patch(evaluation_url, full_json(today), format="json")
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert body["missing_for_signature"] == []

    sent = full_json(today)
    for section, values in sent.items():
        for key, value in values.items():
            got = body["sections"][section][key]
            if isinstance(value, list):  # rows come back with every field, those not sent at their defaults
                got = [
                    {name: row[name] for name in sent_row} for row, sent_row in zip(got, value, strict=True)
                ]
            assert got == value, (section, key)
    goal = body["sections"]["assessment_and_plan"]["goals"][0]
    assert (goal["target_level"], goal["status"], goal["status_note"], goal["baseline_goal"]) == (
        "",
        "",
        "",
        None,
    )

    signed = api.post(f"{evaluation_url}sign/", {"password": PASSWORD}, format="json")
    assert signed.status_code == 200, signed.content
    assert (signed.json()["status"], signed.json()["signed_by"]) == ("signed", "ot")


def test_sections_read_back_can_be_sent_back_unchanged(api_client, therapist, draft):
    api = api_client(therapist)
    first = api.patch(url(draft), full_json(draft.date_of_service), format="json").json()["sections"]

    again = api.patch(url(draft), first, format="json")

    assert again.status_code == 200, again.content
    assert again.json()["sections"] == first
    assert AuditEvent.objects.filter(action="update").count() == 1


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (
            {
                "physical_function": {
                    "strength": [{"muscle_group": "hip_flexors", "side": "left", "grade": "6"}]
                }
            },
            ["physical_function", "strength", 0, "grade"],
        ),
        (
            {
                "physical_function": {
                    "range_of_motion": [{"joint_motion": "shoulder_flexion", "side": "left", "degrees": 400}]
                }
            },
            ["physical_function", "range_of_motion", 0, "degrees"],
        ),
        (
            {"muscle_imbalance": {"pain_points": [{"region": "hip", "side": "left", "intensity": 11}]}},
            ["muscle_imbalance", "pain_points", 0, "intensity"],
        ),
        (
            {"muscle_imbalance": {"pain_points": [{"region": "elbowz", "side": "left", "intensity": 3}]}},
            ["muscle_imbalance", "pain_points", 0, "region"],
        ),
        (
            {"neuromuscular_function": {"tests": [{"test": "nine_hole_peg", "side": "left", "value": "-2"}]}},
            ["neuromuscular_function", "tests", 0, "value"],
        ),
        (
            {"assessment_and_plan": {"goals": [{"term": "long_term", "description": "Walk"}]}},
            ["assessment_and_plan", "goals", 0, "target_on"],
        ),
        (
            {"cognition": {"screens": [{"instrument": "moca", "total_score": 31}]}},
            ["cognition", "screens", 0, "total_score"],
        ),
        ({"profile": {"shoe_size": 9}}, ["profile", "shoe_size"]),
        (
            {"physical_function": {"grip": [{"hand": "left", "trial_1_kg": "abc"}]}},
            ["physical_function", "grip", 0, "trial_1_kg"],
        ),
    ],
)
def test_invalid_values_are_400_with_nested_field_errors_and_nothing_saved(
    api_client, therapist, draft, body, path
):
    api = api_client(therapist)
    api.patch(
        url(draft),
        {
            "physical_function": {
                "range_of_motion": [{"joint_motion": "hip_flexion", "side": "left", "degrees": 90}]
            }
        },
        format="json",
    )

    response = api.patch(
        url(draft),
        {**body, "assessment_and_plan": {"sessions_per_week": 3}}
        if "assessment_and_plan" not in body
        else body,
        format="json",
    )

    assert response.status_code == 400, response.content
    errors = response.json()
    for step in path:
        errors = errors[str(step)]  # DRF keys list errors by position
    assert errors
    assert list(RangeOfMotionMeasurement.objects.values_list("degrees", flat=True)) == [90]
    draft.refresh_from_db()
    assert draft.sessions_per_week is None


def test_service_rules_come_back_as_field_errors(api_client, therapist, draft):
    response = api_client(therapist).patch(
        url(draft),
        {
            "physical_function": {
                "mmt_scale": "mrc",
                "strength": [{"muscle_group": "hip_flexors", "side": "left", "grade": "4+"}],
            }
        },
        format="json",
    )
    assert response.status_code == 400
    # the service's rule comes back in the same nested shape as a serializer's
    assert "whole grades only" in response.json()["physical_function"]["strength"]["0"]["grade"][0]


def test_signed_evaluations_refuse_changes_with_409_and_take_addenda(api_client, therapist, draft):
    api = api_client(therapist)
    api.patch(url(draft), full_json(draft.date_of_service), format="json")
    api.post(url(draft, "sign/"), {"password": PASSWORD}, format="json")

    refused = api.patch(url(draft), {"assessment_and_plan": {"sessions_per_week": 3}}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "signed"
    assert api.post(url(draft, "sign/"), {"password": PASSWORD}, format="json").status_code == 409

    addendum = api.post(url(draft, "addenda/"), {"text": "Pain 6/10 is on movement only."}, format="json")
    assert addendum.status_code == 201
    detail = api.get(url(draft)).json()
    assert [a["text"] for a in detail["addenda"]] == ["Pain 6/10 is on movement only."]
    assert detail["sections"]["assessment_and_plan"]["sessions_per_week"] == 2


def test_signing_an_incomplete_draft_or_with_a_wrong_password_is_a_400(api_client, therapist, draft):
    api = api_client(therapist)
    incomplete = api.post(url(draft, "sign/"), {"password": PASSWORD}, format="json")
    assert incomplete.status_code == 400
    assert "Complete before signing" in incomplete.json()["non_field_errors"][0]

    api.patch(url(draft), full_json(draft.date_of_service), format="json")
    wrong = api.post(url(draft, "sign/"), {"password": "nope"}, format="json")
    assert wrong.status_code == 400
    assert "password" in wrong.json()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_re_evaluation_links_to_its_baseline(api_client, therapist, draft, patient):
    api = api_client(therapist)
    api.patch(url(draft), full_json(draft.date_of_service), format="json")
    api.post(url(draft, "sign/"), {"password": PASSWORD}, format="json")

    created = api.post(
        "/api/v1/evaluations/",
        {
            "patient": str(patient.public_id),
            "kind": "re_evaluation",
            "date_of_service": timezone.localdate().isoformat(),
            "previous_evaluation": str(draft.public_id),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["previous_evaluation"] == str(draft.public_id)
    assert created.json()["sections"]["profile"]["hand_dominance"] == "right"


# role -> (list, retrieve, create, patch own-draft, sign, addendum)
ROLE_MATRIX = {
    "anonymous": (401, 401, 401, 401, 401, 401),
    "nobody": (403, 403, 403, 403, 403, 403),
    "front_desk": (200, 403, 403, 403, 403, 403),
    "other_therapist": (200, 200, 201, 403, 403, 409),
    "clinic_admin": (200, 200, 403, 403, 403, 403),
}


@pytest.mark.parametrize("role", ROLE_MATRIX)
def test_permission_matrix(api_client, users, draft, patient, role):
    user = {**users, "other_therapist": TherapistFactory(username="other")}.get(role)
    api = api_client(user)
    expected = ROLE_MATRIX[role]
    before = draft.updated_at

    statuses = (
        api.get("/api/v1/evaluations/").status_code,
        api.get(url(draft)).status_code,
        api.post(
            "/api/v1/evaluations/",
            {"patient": str(patient.public_id), "date_of_service": timezone.localdate().isoformat()},
            format="json",
        ).status_code,
        api.patch(url(draft), {"assessment_and_plan": {"sessions_per_week": 3}}, format="json").status_code,
        api.post(url(draft, "sign/"), {"password": PASSWORD}, format="json").status_code,
        api.post(url(draft, "addenda/"), {"text": "x"}, format="json").status_code,
    )

    assert statuses == expected
    draft.refresh_from_db()
    assert (draft.status, draft.sessions_per_week, draft.updated_at) == ("draft", None, before)


def test_front_desk_list_carries_no_clinical_fields(api_client, front_desk, therapist, draft):
    api_client(therapist).patch(url(draft), full_json(draft.date_of_service), format="json")

    row = api_client(front_desk).get("/api/v1/evaluations/").json()["results"][0]

    assert set(row) == {
        "id",
        "patient",
        "patient_mrn",
        "patient_name",
        "kind",
        "date_of_service",
        "status",
        "therapist",
        "therapist_name",
        "previous_evaluation",
        "signed_by",
        "signed_at",
        "created_at",
        "updated_at",
    }
    assert "Hip abductor" not in str(row)


def test_list_filters(api_client, therapist, draft, patient):
    other_patient_eval = EvaluationFactory(therapist=therapist, patient=PatientFactory())
    api = api_client(therapist)

    def ids(query):
        return [row["id"] for row in api.get(f"/api/v1/evaluations/?{query}").json()["results"]]

    assert ids(f"patient={patient.public_id}") == [str(draft.public_id)]
    assert set(ids("status=draft")) == {str(draft.public_id), str(other_patient_eval.public_id)}
    assert ids("status=signed") == []
    assert ids("therapist=nobody-here") == []
    assert api.get("/api/v1/evaluations/?date_after=notadate").status_code == 400


def test_retrieve_is_audited_as_a_view(api_client, clinic_admin, draft, patient):
    api_client(clinic_admin).get(url(draft))
    event = AuditEvent.objects.get(action="view", record_type="evaluations.evaluation")
    assert (event.actor, event.channel, event.patient_public_id) == (clinic_admin, "api", patient.public_id)


def test_list_query_count_is_the_same_for_1_and_20_evaluations(
    api_client, front_desk, therapist, django_assert_num_queries
):
    api = api_client(front_desk)
    EvaluationFactory(therapist=therapist)
    with django_assert_num_queries(4 + AUDIT_EVENT):  # token, permissions (2), page (no count), audit
        api.get("/api/v1/evaluations/")
    EvaluationFactory.create_batch(19, therapist=therapist)
    with django_assert_num_queries(4 + AUDIT_EVENT):
        response = api.get("/api/v1/evaluations/")
    assert len(response.json()["results"]) == 20
    with django_assert_num_queries(5 + AUDIT_EVENT):  # the count only when asked for
        assert api.get("/api/v1/evaluations/?count=true").json()["count"] == 20


def test_detail_query_count_does_not_grow_with_rows(api_client, therapist, draft, django_assert_num_queries):
    api = api_client(therapist)
    api.patch(url(draft), full_json(draft.date_of_service), format="json")
    # token, permissions (2), evaluation with its people and profile, 22 row tables (catalogue
    # entries joined), addenda, audit event
    with django_assert_num_queries(27 + AUDIT_EVENT):
        api.get(url(draft))
    many = full_json(draft.date_of_service)
    many["physical_function"]["range_of_motion"] = [
        {
            "joint_motion": motion,
            "side": side,
            "mode": "active",
            "degrees": 20,
            "is_painful": False,
            "notes": "",
        }
        for motion in (
            "hip_flexion",
            "hip_abduction",
            "knee_flexion",
            "ankle_dorsiflexion",
            "shoulder_flexion",
        )
        for side in ("left", "right")
    ]
    api.patch(url(draft), many, format="json")
    with django_assert_num_queries(27 + AUDIT_EVENT):
        response = api.get(url(draft))
    assert len(response.json()["sections"]["physical_function"]["range_of_motion"]) == 10


def test_detail_builds_its_nested_serializers_once_per_process(api_client, therapist, draft, monkeypatch):
    """Every section, row list, score and finding is read through one kept serializer per class:
    after the first request only the evaluation's own serializer builds its fields (it was 34
    builds and deep copies a request), and the answer is what fresh serializers give."""
    api = api_client(therapist)
    api.patch(url(draft), full_json(draft.date_of_service), format="json")
    first = api.get(url(draft)).json()

    built: list[str] = []
    for base in (serializers.Serializer, serializers.ModelSerializer):
        original = base.get_fields

        def counting(self, original=original):
            built.append(type(self).__name__)
            return original(self)

        monkeypatch.setattr(base, "get_fields", counting)
    again = api.get(url(draft)).json()
    assert built == ["EvaluationDetailSerializer"]
    assert again["sections"] == first["sections"]
    assert again["computed"] and again["computed"] == first["computed"]

    record = record_of(draft)
    fresh = {
        section.api_key: SECTION_SERIALIZERS[section.api_key](SimpleNamespace(**record.content(section))).data
        for section in SECTIONS
    }
    assert again["sections"] == json.loads(json.dumps(fresh, cls=JSONEncoder))


def test_unknown_evaluation_is_404(api_client, therapist):
    assert (
        api_client(therapist).get("/api/v1/evaluations/00000000-0000-0000-0000-000000000000/").status_code
        == 404
    )
    assert not Evaluation.objects.exists()


def test_a_signed_evaluation_answers_409_even_to_a_bad_body(api_client, therapist, draft):
    api = api_client(therapist)
    api.patch(url(draft), full_json(draft.date_of_service), format="json")
    api.post(url(draft, "sign/"), {"password": PASSWORD}, format="json")

    assert api.patch(url(draft), {"profile": {"reason_for_therapy": 5}}, format="json").status_code == 409
    assert api.post(url(draft, "sign/"), {}, format="json").status_code == 409


def test_another_therapist_gets_403_before_any_body_check(api_client, draft):
    other = api_client(TherapistFactory(username="other"))
    assert other.patch(url(draft), {"profile": "nonsense"}, format="json").status_code == 403
    assert other.post(url(draft, "sign/"), {}, format="json").status_code == 403


def test_wrong_signing_passwords_are_audited_and_five_pause_signing(api_client, therapist, draft):
    api = api_client(therapist)
    api.patch(url(draft), full_json(draft.date_of_service), format="json")
    for _attempt in range(5):
        assert api.post(url(draft, "sign/"), {"password": "guess"}, format="json").status_code == 400

    paused = api.post(url(draft, "sign/"), {"password": PASSWORD}, format="json")

    assert paused.status_code == 403
    assert AuditEvent.objects.filter(action="sign_failed", actor=therapist).count() == 5
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_lists_are_capped(api_client, therapist, draft):
    rows = [{"name": f"Activity {n}"} for n in range(101)]
    response = api_client(therapist).patch(
        url(draft), {"occupational_inventory": {"other_activities": rows}}, format="json"
    )
    assert response.status_code == 400
    assert "other_activities" in response.json()["occupational_inventory"]


@pytest.mark.parametrize(
    "body",
    [
        [],
        "x",
        {"profile": []},
        {"physical_function": {"strength": {"a": 1}}},
        {"physical_function": {"strength": [None]}},
    ],
)
def test_malformed_bodies_are_400_not_500(api_client, therapist, draft, body):
    assert api_client(therapist).patch(url(draft), body, format="json").status_code == 400


def test_a_malformed_id_is_404(api_client, therapist):
    assert api_client(therapist).get("/api/v1/evaluations/not-a-uuid/").status_code == 404
    assert api_client(therapist).get("/api/v1/patients/not-a-uuid/").status_code == 404


def test_an_archived_patients_evaluations_refuse_every_write_with_409(
    api_client, therapist, front_desk, patient
):
    from patients.services import archive_patient

    signed = EvaluationFactory(therapist=therapist, patient=patient)
    api = api_client(therapist)
    api.patch(url(signed), full_json(signed.date_of_service), format="json")
    api.post(url(signed, "sign/"), {"password": PASSWORD}, format="json")
    draft = EvaluationFactory(therapist=therapist, patient=patient)
    archive_patient(patient=patient, by=front_desk, reason="Moved away")
    events = AuditEvent.objects.count()

    edit = api.patch(url(draft), {"assessment_and_plan": {"sessions_per_week": 3}}, format="json")
    sign = api.post(url(draft, "sign/"), {"password": PASSWORD}, format="json")
    addendum = api.post(url(signed, "addenda/"), {"text": "Late entry."}, format="json")

    for response in (edit, sign, addendum):
        assert response.status_code == 409, response.content
        assert response.json()["code"] == "archived"
    draft.refresh_from_db()
    assert (draft.status, draft.sessions_per_week) == ("draft", None)
    assert not signed.addenda.exists()
    assert AuditEvent.objects.count() == events


def test_a_patch_reads_the_evaluation_once_and_its_query_count_is_fixed(
    api_client, therapist, draft, django_assert_num_queries
):
    """The evaluation is read once, locked, and the answer is built from what was saved, in memory
    (before the read model a PATCH read the whole evaluation three times)."""
    api = api_client(therapist)
    api.patch(url(draft), full_json(draft.date_of_service), format="json")

    def patch(body, version):
        return api.patch(url(draft), body, format="json", HTTP_IF_MATCH=f'"{version}"')

    def version():
        return Evaluation.objects.get(pk=draft.pk).version

    def evaluation_reads(captured) -> int:
        return sum(
            1
            for query in captured.captured_queries
            if query["sql"].startswith("SELECT") and 'FROM "evaluations_evaluation"' in query["sql"]
        )

    # token, permissions (2), the evaluation locked with its people and profile, 22 row tables,
    # the addenda; the evaluation's update, its history row, the new version, the audit event;
    # two savepoints and their releases.
    one_field = {
        "assessment_and_plan": {"assessment_summary": "Better balance; still guarding the right hip."}
    }
    loaded = version()
    with django_assert_num_queries(34 + AUDIT_EVENT) as captured:
        response = patch(one_field, loaded)
    assert response.status_code == 200, response.content
    assert evaluation_reads(captured) == 1
    assert response.json()["sections"]["assessment_and_plan"]["assessment_summary"].startswith(
        "Better balance"
    )
    assert response["ETag"] == f'"{Evaluation.objects.get(pk=draft.pk).version}"'

    def grip(hands):
        return {
            "physical_function": {
                "grip": [
                    {"hand": hand, "trial_1_kg": "20.0", "trial_2_kg": None, "trial_3_kg": None, "notes": ""}
                    for hand in hands
                ]
            }
        }

    # Replacing a list: the reads stay fixed (28 with the savepoint); the writes are two per row
    # taken out or put in (the row and its history row), then the version, the audit event and
    # the savepoints.
    reads, row_writes = 28, 2
    for hands in (["left", "right"], ["left"], ["right", "left"]):
        stored = GripMeasurement.objects.filter(evaluation=draft).count()
        loaded = version()
        with django_assert_num_queries(
            reads + row_writes * (stored + len(hands)) + 4 + AUDIT_EVENT
        ) as captured:
            response = patch(grip(hands), loaded)
        assert response.status_code == 200, response.content
        assert evaluation_reads(captured) == 1
        answered = response.json()
        assert [row["hand"] for row in answered["sections"]["physical_function"]["grip"]] == hands
        assert [score["value"] for score in answered["computed"]["physical_function"]["grip"]] == [
            20.0
        ] * len(hands)


def test_a_date_of_service_long_ago_is_started_only_when_confirmed(api_client, therapist, patient):
    api = api_client(therapist)
    long_ago = (timezone.localdate() - timezone.timedelta(days=45)).isoformat()
    body = {"patient": str(patient.public_id), "date_of_service": long_ago}

    refused = api.post("/api/v1/evaluations/", body, format="json")

    assert refused.status_code == 400
    assert "more than 30 days ago" in refused.json()["date_of_service"][0]
    assert not Evaluation.objects.filter(patient=patient).exists()
    started = api.post("/api/v1/evaluations/", {**body, "date_confirmed": True}, format="json")
    assert started.status_code == 201, started.content
    assert started.json()["date_of_service"] == long_ago


def test_grades_are_taken_as_therapists_write_them(api_client, therapist, draft):
    def strength(grade):
        return {
            "physical_function": {
                "strength": [{"muscle_group": "hip_abductors", "side": "right", "grade": grade}]
            }
        }

    api = api_client(therapist)
    saved = api.patch(url(draft), strength("G-"), format="json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["sections"]["physical_function"]["strength"][0]["grade"] == "4-"
    assert (
        api.patch(url(draft), strength("trace"), format="json").json()["sections"]["physical_function"][
            "strength"
        ][0]["grade"]
        == "1"
    )
    refused = api.patch(url(draft), strength("strong"), format="json")
    assert refused.status_code == 400 and "grade" in str(refused.json())
