"""Visits from the scheduler's CSV: a dry run writes nothing; the import records all rows or none."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from episodes.models import Visit

pytestmark = pytest.mark.django_db


def days_ago(n):
    return (timezone.localdate() - timezone.timedelta(days=n)).isoformat()


def csv_file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("visits.csv", text.encode(), content_type="text/csv")


def test_a_dry_run_then_the_import_of_the_same_file(page_client, front_desk, therapist, episode):
    mrn = episode.patient.mrn
    text = (
        "MRN,Date,Clinician,Attendance,Minutes,Interventions\n"
        f"{mrn},{days_ago(3)},{therapist.username},attended,45,home_program;occupation_based\n"
        f"{mrn},{days_ago(2)},{therapist.username},cancelled,,\n"
    )
    client = page_client(front_desk)
    checked = client.post("/episodes/visits/import/", {"file": csv_file(text), "check": ""})
    assert checked.status_code == 200
    assert [row.outcome for row in checked.context["result"].rows] == ["would record", "would record"]
    assert not Visit.objects.exists()
    digest = checked.context["digest"]
    imported = client.post("/episodes/visits/import/", {"digest": digest, "import": ""})
    assert imported.status_code == 200 and imported.context["result"].committed
    assert Visit.objects.count() == 2
    assert sorted(Visit.objects.values_list("attendance", flat=True)) == ["attended", "cancelled"]
    again = client.post("/episodes/visits/import/", {"file": csv_file(text), "check": ""})
    assert [row.outcome for row in again.context["result"].rows] == ["already recorded", "already recorded"]


def test_a_file_with_a_bad_row_imports_nothing_and_says_why(page_client, front_desk, therapist, episode):
    mrn = episode.patient.mrn
    text = (
        "mrn,date,clinician,minutes\n"
        f"{mrn},{days_ago(3)},{therapist.username},45\n"
        f"99999999,{days_ago(2)},{therapist.username},\n"
        f"{mrn},31/31/2026,nobody,lots\n"
    )
    response = page_client(front_desk).post("/episodes/visits/import/", {"file": csv_file(text), "check": ""})
    assert response.status_code == 400
    rows = response.context["result"].rows
    assert [row.outcome for row in rows] == ["would record", "error", "error"]
    assert rows[1].messages == ["No open episode of care for this MRN."]
    assert (
        "clinician: no such username." in rows[2].messages and "minutes: a whole number." in rows[2].messages
    )
    assert response.context["digest"] == ""
    assert not Visit.objects.exists()


def test_files_that_are_not_visit_lists_are_refused(page_client, front_desk, episode):
    client = page_client(front_desk)
    for content, message in (
        (b"name,when\nx,y\n", "Missing column(s): mrn, date, clinician."),
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"mrn,date,clinician\n", "no rows"),
    ):
        response = client.post(
            "/episodes/visits/import/", {"file": SimpleUploadedFile("v.csv", content), "check": ""}
        )
        assert response.status_code == 400 and message in response.content.decode()
    assert client.post("/episodes/visits/import/", {"digest": "forged", "import": ""}).status_code == 302
    assert not Visit.objects.exists()
