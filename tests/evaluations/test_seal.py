"""A signed evaluation is sealed; a change behind the application's back is caught on every read."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from pypdf import PdfReader

from audit.models import AuditEvent
from evaluations.models import Evaluation, StrengthMeasurement
from evaluations.seal import check_seal, content_digest
from tests.evaluations.records import record_of
from tests.evaluations.test_report import signed

pytestmark = pytest.mark.django_db


def tamper(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def loaded(evaluation, viewer):
    return record_of(evaluation, viewer)


def test_signing_stores_the_seal_of_the_content(therapist, patient):
    evaluation = signed(therapist, patient)

    stored = Evaluation.objects.get(pk=evaluation.pk)

    assert len(stored.content_sha256) == 64
    assert stored.content_sha256 == content_digest(loaded(evaluation, therapist))
    assert check_seal(loaded(evaluation, therapist)).state == "intact"


def test_the_seal_does_not_depend_on_row_order_or_addenda(therapist, patient):
    from evaluations.services import add_addendum

    evaluation = signed(therapist, patient)
    add_addendum(evaluation=evaluation, by=therapist, text="Late entry.")
    assert check_seal(loaded(evaluation, therapist)).state == "intact"


def test_a_row_changed_with_raw_sql_is_caught_on_every_read(page_client, api_client, therapist, patient):
    evaluation = signed(therapist, patient)
    row = StrengthMeasurement.objects.filter(evaluation=evaluation).first()
    tamper("UPDATE evaluations_strengthmeasurement SET grade = %s WHERE id = %s", ["5", row.pk])
    client = page_client(therapist)

    page = client.get(f"/evaluations/{evaluation.public_id}/").content.decode()
    report = client.get(f"/evaluations/{evaluation.public_id}/report/").content.decode()
    pdf = client.get(f"/evaluations/{evaluation.public_id}/report.pdf")
    api = api_client(therapist).get(f"/api/v1/evaluations/{evaluation.public_id}/").json()

    assert "Integrity warning" in page
    assert "INTEGRITY WARNING" in report
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "INTEGRITY WARNING" in pdf_text
    assert api["seal"]["state"] == "broken" and api["seal"]["intact"] is False
    alerts = AuditEvent.objects.filter(action="integrity_failed", record_id=evaluation.public_id)
    assert alerts.count() == 4  # page, report page, PDF, API: each read raised its own alert
    assert alerts.first().patient_public_id == patient.public_id


@pytest.mark.parametrize(
    "table,column,value",
    [
        ("evaluations_evaluation", "assessment_summary", "Rewritten after signing."),
        ("evaluations_evaluation", "cpt_code", "97167"),
        ("evaluations_evaluation", "signed_at", "2020-01-01 00:00:00"),
    ],
)
def test_changes_to_the_signed_evaluation_itself_are_caught(therapist, patient, table, column, value):
    evaluation = signed(therapist, patient)
    tamper(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, evaluation.pk])  # noqa: S608
    assert check_seal(loaded(evaluation, therapist)).state == "broken"


def test_a_deleted_row_or_a_removed_seal_is_caught(therapist, patient):
    evaluation = signed(therapist, patient)
    row = StrengthMeasurement.objects.filter(evaluation=evaluation).first()
    tamper("DELETE FROM evaluations_strengthmeasurement WHERE id = %s", [row.pk])
    assert check_seal(loaded(evaluation, therapist)).state == "broken"

    tamper("UPDATE evaluations_evaluation SET content_sha256 = '' WHERE id = %s", [evaluation.pk])
    assert check_seal(loaded(evaluation, therapist)).state == "missing"


def test_an_intact_evaluation_says_so_and_raises_no_alert(page_client, api_client, therapist, patient):
    evaluation = signed(therapist, patient)

    page = page_client(therapist).get(f"/evaluations/{evaluation.public_id}/").content.decode()
    api = api_client(therapist).get(f"/api/v1/evaluations/{evaluation.public_id}/").json()

    assert "Integrity warning" not in page and "content verified against SHA-256" in page
    assert api["seal"] == {
        "state": "intact",
        "content_sha256": Evaluation.objects.get(pk=evaluation.pk).content_sha256,
        "intact": True,
    }
    assert not AuditEvent.objects.filter(action="integrity_failed").exists()


def test_seal_command_seals_what_was_signed_before_seals_and_then_verifies(therapist, patient):
    evaluation = signed(therapist, patient)
    tamper("UPDATE evaluations_evaluation SET content_sha256 = '' WHERE id = %s", [evaluation.pk])
    out = io.StringIO()

    call_command("seal_evaluations", stdout=out)

    assert "sealed 1" in out.getvalue()
    assert check_seal(loaded(evaluation, therapist)).state == "intact"
    tamper(
        "UPDATE evaluations_strengthmeasurement SET grade = '5' WHERE evaluation_id = %s",
        [evaluation.pk],
    )
    with pytest.raises(SystemExit) as failed:
        call_command("seal_evaluations", "--verify", stdout=out)
    assert failed.value.code == 1
    assert str(evaluation.public_id) in out.getvalue()


def test_fields_added_after_signing_leave_earlier_seals_intact_and_are_sealed_when_used(therapist, patient):
    """An evaluation signed before goals had a status reads as it did when signed; a goal with a
    status has it under the seal (changing it breaks the seal)."""
    from evaluations.models import Goal
    from evaluations.seal import ADDED_SINCE_V1, canonical_content, check_seal

    evaluation = signed(therapist, patient)
    goals = canonical_content(record_of(evaluation, therapist))["sections"]["assessment_and_plan"]["goals"]
    assert goals and all(not ({name for _key, name in ADDED_SINCE_V1} & set(goal)) for goal in goals)
    assert check_seal(record_of(evaluation, therapist)).state == "intact"
    Goal.objects.filter(evaluation=evaluation).update(status="met")  # behind the application's back
    assert check_seal(record_of(evaluation, therapist)).state == "broken"
