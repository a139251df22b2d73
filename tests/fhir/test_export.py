"""FHIR Bulk Data `$export` through the background worker, with an integration key of scope
`export`: kick-off, polling, the manifest, NDJSON files that validate as R4 and hold each resource
once, to the requesting key only, cancellation; and a worker killed mid-export that, started
again, finishes without a duplicate or a gap."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class

from accounts.models import User
from accounts.services import create_integration_key
from audit.models import AuditEvent
from evaluations.services import add_addendum
from fhir_r4.export import file_path
from fhir_r4.models import BulkExport
from patients.models import Patient
from tests.episodes.conftest import run_jobs
from tests.episodes.test_services import committed
from tests.evaluations.test_report import signed
from tests.factories import PatientFactory

BASE = "/fhir/r4"
ASYNC = {"HTTP_PREFER": "respond-async", "HTTP_ACCEPT": "application/fhir+json"}
ROOT = Path(__file__).resolve().parents[2]


def key(*scopes):
    return create_integration_key(
        by=User.objects.get(username="clinicadmin"),
        name="Warehouse",
        scopes=list(scopes),
        expires_at=timezone.now() + timedelta(days=1),
    )[1]


def auth(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def kick_off(client, raw, path="/$export", **params):
    response = client.get(BASE + path, params, **ASYNC, **auth(raw))
    assert response.status_code == 202, response.content
    return response["Content-Location"]


def lines(client, url, raw):
    response = client.get(url, HTTP_ACCEPT="application/fhir+ndjson", **auth(raw))
    assert response.status_code == 200 and response["Content-Type"] == "application/fhir+ndjson"
    return [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]


def kill_with_children(pid):
    """SIGKILL a worker and the process it forked for the job (an RQ worker's "work horse" runs
    the job in a session of its own, so killing the worker's process group would spare it)."""
    children = [int(stat.parent.name) for stat in Path("/proc").glob("[0-9]*/stat") if _parent(stat) == pid]
    for victim in (*children, pid):
        os.kill(victim, signal.SIGKILL)


def _parent(stat):
    try:
        return int(stat.read_text().split(") ", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None  # the process ended while we looked


@committed
def test_an_export_key_exports_every_patient_through_the_worker(client, settings):
    settings.ALLOW_DEMO_DATA = True
    settings.FHIR_EXPORT_CHUNK = 7  # several chunks, several checkpoints
    call_command("seed_demo")
    raw = key("export")
    assert client.get(BASE + "/$export", **auth(raw)).status_code == 400  # no Prefer: respond-async
    status_url = kick_off(client, raw)
    waiting = client.get(status_url, **auth(raw))
    assert waiting.status_code == 202 and "patients" in waiting["X-Progress"]
    run_jobs()
    done = client.get(status_url, **auth(raw))
    assert done.status_code == 200
    manifest = done.json()
    assert manifest["requiresAccessToken"] is True and manifest["error"] == []
    kinds = {entry["type"]: entry for entry in manifest["output"]}
    assert {"Patient", "Observation", "Goal", "CarePlan", "DocumentReference", "Practitioner"} <= set(kinds)
    seen = set()
    for kind, entry in kinds.items():
        resources = lines(client, entry["url"], raw)
        assert len(resources) == entry["count"]
        for resource in resources:
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)
            assert resource["resourceType"] == kind
            assert (kind, resource["id"]) not in seen
            seen.add((kind, resource["id"]))
    assert kinds["Patient"]["count"] == Patient.objects.count()
    # another key, even with the same scope, sees neither the job nor its files
    other = key("export")
    assert client.get(status_url, **auth(other)).status_code == 404
    assert client.get(kinds["Patient"]["url"], **auth(other)).status_code == 404
    assert client.get(kinds["Patient"]["url"], **auth(key("fhir.read"))).status_code == 403
    assert (
        AuditEvent.objects.filter(
            record_type="fhir_r4.bulkexport", action="export", channel="integration"
        ).count()
        > 1
    )
    # cancelling removes the files; the export is gone
    job = BulkExport.objects.get()
    assert client.delete(status_url, **auth(raw)).status_code == 202
    assert client.get(status_url, **auth(raw)).status_code == 404
    assert not file_path(job, "Patient").exists()


@committed
def test_type_and_since_narrow_the_export_and_bad_parameters_are_400(client, settings):
    settings.ALLOW_DEMO_DATA = True
    call_command("seed_demo", "--patients", "3")
    raw = key("export")
    for params in (
        {"_type": "Observation,Nope"},
        {"_since": "yesterday"},
        {"_since": "2026-01-01T00:00:00"},
        {"x": "1"},
    ):
        response = client.get(BASE + "/$export", params, **ASYNC, **auth(raw))
        assert response.status_code == 400 and response.json()["resourceType"] == "OperationOutcome"
    assert (
        client.get(BASE + "/Patient/$export", {"_type": "Practitioner"}, **ASYNC, **auth(raw)).status_code
        == 400
    )
    later = (timezone.now() + timedelta(minutes=1)).isoformat()
    status_url = kick_off(client, raw, "/Patient/$export", _type="Patient,Observation", _since=later)
    run_jobs()
    manifest = client.get(status_url, **auth(raw)).json()
    assert manifest["output"] == []  # nothing changed since a minute from now
    status_url = kick_off(client, raw, "/Patient/$export", _type="Patient")
    run_jobs()
    (entry,) = client.get(status_url, **auth(raw)).json()["output"]
    assert entry["type"] == "Patient" and entry["count"] == Patient.objects.count()


@committed
def test_since_exports_the_patients_whose_record_changed_with_all_their_signed_evaluations(
    client, therapist, patient, clinic_admin
):
    """An addendum after `_since` brings its patient back; with all of their signed evaluations,
    since the plan in force and the goals' status are judged among all of them."""
    older = signed(therapist, patient, when=timezone.localdate() - timedelta(days=60))
    newer = signed(therapist, patient, when=timezone.localdate() - timedelta(days=20))
    unchanged = signed(therapist, PatientFactory(), when=timezone.localdate() - timedelta(days=30))
    since = timezone.now()
    add_addendum(evaluation=older, by=therapist, text="Late entry: the grip was measured seated.")
    raw = create_integration_key(
        by=clinic_admin, name="Warehouse", scopes=["export"], expires_at=since + timedelta(days=1)
    )[1]
    status_url = kick_off(
        client, raw, _type="Composition,DocumentReference,CarePlan", _since=since.isoformat()
    )
    run_jobs()
    kinds = {entry["type"]: entry for entry in client.get(status_url, **auth(raw)).json()["output"]}
    resources = {kind: lines(client, entry["url"], raw) for kind, entry in kinds.items()}
    assert set(resources) == {"Composition", "DocumentReference", "CarePlan"}
    for kind, found in resources.items():
        evaluations = sorted(r["id"].split(".")[0] for r in found)
        assert evaluations == sorted([str(older.public_id), str(newer.public_id)]), kind
        assert str(unchanged.public_id) not in evaluations
    status = {r["id"].split(".")[0]: r["docStatus"] for r in resources["DocumentReference"]}
    assert status == {str(older.public_id): "amended", str(newer.public_id): "final"}
    plans = {r["id"].split(".")[0]: r["status"] for r in resources["CarePlan"]}
    assert plans == {str(older.public_id): "completed", str(newer.public_id): "active"}


@pytest.mark.postgresql
@committed
def test_a_worker_killed_mid_export_is_started_again_and_finishes_without_duplicates_or_gaps(
    client, settings
):
    """The worker is a real process, killed with SIGKILL while it writes; the next status poll
    sees the job stalled and queues it again; a new worker resumes from the checkpoint."""
    settings.ALLOW_DEMO_DATA = True
    call_command("seed_demo")
    for _ in range(120):
        PatientFactory()
    raw = key("export")
    status_url = kick_off(client, raw, _type="Patient,Observation")
    job = BulkExport.objects.get()
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "SECRET_KEY": "export-test-only",
        "DEBUG": "1",
        "MEDIA_ROOT": settings.MEDIA_ROOT,
        "FHIR_EXPORT_CHUNK": "3",
    }

    def worker(*args):
        return subprocess.Popen(
            [sys.executable, "manage.py", "jobs_worker", "--no-reload", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    first = worker()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.patients_done >= 30:
            break
        time.sleep(0.05)
    kill_with_children(first.pid)
    first.wait()
    job.refresh_from_db()
    assert job.state == "running" and 30 <= job.patients_done < job.patients_total
    time.sleep(1)
    assert BulkExport.objects.get().patients_done == job.patients_done  # nobody works on it now
    settings.FHIR_EXPORT_STALL_SECONDS = 0  # no sign of life since the kill: stalled
    assert client.get(status_url, **auth(raw)).status_code == 202  # the poll queues it again
    second = worker("--batch")
    assert second.wait(timeout=180) == 0
    manifest = client.get(status_url, **auth(raw)).json()
    kinds = {entry["type"]: entry for entry in manifest["output"]}
    patients = lines(client, kinds["Patient"]["url"], raw)
    assert sorted(p["id"] for p in patients) == sorted(
        str(i) for i in Patient.objects.values_list("public_id", flat=True)
    )
    observations = lines(client, kinds["Observation"]["url"], raw)
    ids = [o["id"] for o in observations]
    assert len(ids) == len(set(ids)) > 40
