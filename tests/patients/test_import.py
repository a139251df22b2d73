"""Patient import from another system's CSV: the dry run says per row what would be created, what
may already be registered and what is invalid (and why); the import runs in the worker, a batch
per transaction, resumable, every created patient audited on the channel `import`."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from patients import imports
from patients.imports import CsvProblem, check_file, plan, run_import
from patients.models import Patient, PatientImport
from patients.services import CONSTRAINTS_COVERED_BY_FIELDS, register_patient
from tests.episodes.conftest import run_jobs
from tests.episodes.test_services import committed
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

HEADER = "Last Name,First Name,DOB,Gender,Phone,Diagnoses,NPI\n"


@pytest.fixture
def importer(clinic_admin):
    return clinic_admin


def csv_text(*rows: str, header: str = HEADER) -> str:
    return header + "".join(row + "\n" for row in rows)


def test_the_model_constraints_are_all_covered_by_field_checks(front_desk):
    """Registration skips the Python check of the constraints (a query each): every one of them
    must restate a field check, so bad input is still a clear error, never a database error."""
    assert {c.name for c in Patient._meta.constraints} == set(CONSTRAINTS_COVERED_BY_FIELDS)
    for bad in ({"sex": "x"}, {"preferred_language": "xx"}):
        details = {"given_name": "A", "family_name": "B", "date_of_birth": date(1950, 1, 1), "sex": "female"}
        with pytest.raises(ValidationError):
            register_patient(by=front_desk, **{**details, **bad})


def test_the_dry_run_reports_each_row_and_creates_nobody(importer):
    joan = PatientFactory(given_name="Joan", family_name="Kowalski", date_of_birth=date(1951, 4, 12))
    before = Patient.objects.count()
    text = csv_text(
        "Nguyen,Lan,03/02/1950,F,716-555-0142,M25.551; S72.001A,",
        "KOWALSKI,joan,1951-04-12,female,,,",  # registered already (any letter case)
        "Okafor,Ada,1948-07-30,F,,,",
        "Okafor,Ada,07/30/1948,f,,,",  # the same person as the row before
        "Lee,Ann,13/45/2000,F,,,",  # no such date
        "Brown,Sam,1960-01-01,X,,,",  # no such sex
        "Smith,Tom,1970-01-01,M,,Z99.99999,",  # no such diagnosis
        "Reed,Ian,1970-01-01,M,,,1234567890",  # an NPI that fails its check digit
        ",NoFamily,1970-01-01,M,,,",
        "Park,Eve,01/02/45,F,,,",  # a two-digit year is never in the future
    )
    results = {r.row: r for r in plan(text)}
    assert Patient.objects.count() == before
    assert results[2].outcome == "create"
    assert (results[3].outcome, f"MRN {joan.mrn}" in results[3].reason) == ("duplicate", True)
    assert results[4].outcome == "create"
    assert (results[5].outcome, results[5].reason) == ("duplicate", "the same person as row 4 of this file")
    for row, word in ((6, "date of birth"), (7, "sex"), (8, "diagnos"), (9, "npi"), (10, "family name")):
        assert results[row].outcome == "invalid" and word in results[row].reason.lower(), (row, results[row])
    assert results[11].outcome == "create"


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "empty"),
        ("name,phone\nx,1\n", "no column for family_name, given_name, date_of_birth, sex"),
        ('family_name,given_name,date_of_birth,sex\n"unclosed', ""),
    ],
)
def test_a_file_that_cannot_be_read_says_why(importer, text, message):
    if message:
        with pytest.raises(CsvProblem, match=message):
            plan(text)
    else:
        assert plan(text)[0].outcome == "invalid"  # csv reads an unclosed quote to the end


@committed  # the worker commits and checks its connection as in production
def test_the_page_checks_then_imports_in_the_worker_and_audits_each_patient(page_client, importer):
    client = page_client(importer)
    assert client.get("/patients/import/").status_code == 200
    upload = SimpleUploadedFile(
        "old-system.csv",
        csv_text(
            "Nguyen,Lan,03/02/1950,F,,,", "Okafor,Ada,1948-07-30,F,,,", "Bad,Date,1948-02-30,F,,,"
        ).encode(),
        content_type="text/csv",
    )
    response = client.post("/patients/import/", {"file": upload})
    job = PatientImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/patients/import/{job.public_id}/"
    page = client.get(response["Location"]).content.decode()
    assert "2 to create" in page and "1 invalid" in page and "Import 2 new patients" in page
    assert not Patient.objects.filter(family_name="Nguyen").exists()
    started = client.post(f"/patients/import/{job.public_id}/")
    assert started.status_code == 302
    running = client.get(f"/patients/import/{job.public_id}/").content.decode()
    assert "Importing in the background" in running and 'http-equiv="refresh"' in running
    run_jobs()
    job.refresh_from_db()
    assert job.finished_at is not None and job.processed == 3
    created = Patient.objects.filter(family_name__in=["Nguyen", "Okafor"])
    assert created.count() == 2 and {p.registered_by for p in created} == {importer}
    events = AuditEvent.objects.filter(record_type="patients.patient", action="create", channel="import")
    assert {e.record_id for e in events} == {p.public_id for p in created}
    page = client.get(f"/patients/import/{job.public_id}/").content.decode()
    assert "2 created" in page and "Import finished" in page and created[0].mrn in page
    assert client.post(f"/patients/import/{job.public_id}/").status_code == 302  # twice: nothing more
    run_jobs()
    assert Patient.objects.filter(family_name__in=["Nguyen", "Okafor"]).count() == 2


def test_bad_uploads_re_render_with_the_reason(page_client, importer):
    client = page_client(importer)
    missing = client.post(
        "/patients/import/", {"file": SimpleUploadedFile("x.csv", b"name\nx\n", content_type="text/csv")}
    )
    assert missing.status_code == 200 and b"no column for" in missing.content
    binary = client.post(
        "/patients/import/",
        {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00bad", content_type="text/csv")},
    )
    assert binary.status_code == 200 and b"not UTF-8" in binary.content
    assert not PatientImport.objects.exists()


def test_only_clinic_admins_import(page_client, front_desk, therapist):
    for user in (front_desk, therapist):
        assert page_client(user).get("/patients/import/").status_code == 403


def test_an_interrupted_import_resumes_without_creating_anyone_twice(importer, monkeypatch):
    rows = [f"Family{i},Given{i},1950-01-{(i % 28) + 1:02d},F,,," for i in range(25)]
    job = check_file(text=csv_text(*rows), filename="big.csv", by=importer)
    monkeypatch.setattr(imports, "BATCH", 10)
    calls = {"n": 0}
    real = imports._import_row

    def dies_in_the_third_batch(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 25:  # the worker is killed while the third batch runs
            raise SystemExit("killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(imports, "_import_row", dies_in_the_third_batch)
    with pytest.raises(SystemExit):
        run_import(job.public_id)
    job.refresh_from_db()
    assert job.processed == 20 and job.finished_at is None
    assert Patient.objects.filter(family_name__startswith="Family").count() == 20  # the third rolled back
    monkeypatch.setattr(imports, "_import_row", real)
    run_import(job.public_id)  # the job again, as the worker retries it
    job.refresh_from_db()
    assert job.processed == 25 and job.finished_at is not None
    names = list(
        Patient.objects.filter(family_name__startswith="Family").values_list("family_name", flat=True)
    )
    assert sorted(names) == sorted(f"Family{i}" for i in range(25))


def test_the_command_reports_and_imports(importer, tmp_path, capsys):
    path = tmp_path / "patients.csv"
    path.write_text(csv_text("Nguyen,Lan,03/02/1950,F,,,", "Bad,Date,1948-02-30,F,,,"), encoding="utf-8")
    call_command("import_patients", str(path), "--by", importer.username, "--dry-run")
    out = capsys.readouterr().out
    assert (
        "row 2: create Nguyen, Lan" in out
        and "row 3: invalid" in out
        and "2 rows: 1 create, 1 invalid." in out
    )
    assert not Patient.objects.filter(family_name="Nguyen").exists()
    call_command("import_patients", str(path), "--by", importer.username)
    out = capsys.readouterr().out
    mrn = Patient.objects.get(family_name="Nguyen").mrn
    assert f"row 2: created Nguyen, Lan MRN {mrn}" in out
    with pytest.raises(CommandError, match="may import"):
        call_command("import_patients", str(path), "--by", "nobody-here")
