"""The bulk export job (FHIR Bulk Data `$export`): every patient's resources as NDJSON, one file per
resource type, written a chunk of patients at a time in bounded memory.

Restartable and idempotent: after each chunk the job records the last patient written and each
file's length (`BulkExport.checkpoint`) in one transaction. A job that stops anywhere (killed
worker, lost connection) starts again by cutting its files back to the checkpoint, so the chunk it
was writing is written once more, whole, and nothing twice."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from evaluations.models import Evaluation
from evaluations.selectors import signed_records_for_export
from fhir_r4.clinical import EvaluationResources, conditions, therapist
from fhir_r4.models import BulkExport
from fhir_r4.resources import patient_json
from patients.models import Patient


def chunk_size() -> int:
    return settings.FHIR_EXPORT_CHUNK


# What an export holds, in the order the files are listed in the manifest.
PATIENT_TYPES = (
    "Patient",
    "Condition",
    "Observation",
    "QuestionnaireResponse",
    "Goal",
    "CarePlan",
    "DocumentReference",
    "Composition",
)
EXPORT_TYPES = (*PATIENT_TYPES, "Practitioner")


def export_dir(job: BulkExport) -> Path:
    return Path(settings.MEDIA_ROOT) / "exports" / str(job.public_id)


def file_path(job: BulkExport, kind: str) -> Path:
    return export_dir(job) / f"{kind}.ndjson"


def _line(resource: dict[str, Any]) -> bytes:
    return json.dumps(resource, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def _origin(job: BulkExport) -> str:
    parts = urlsplit(job.request_url)
    return f"{parts.scheme}://{parts.netloc}"


def _chunk_lines(job: BulkExport, patients: list[Patient]) -> dict[str, list[bytes]]:
    types = set(job.types)
    since = job.since
    lines: dict[str, list[bytes]] = {kind: [] for kind in PATIENT_TYPES if kind in types}
    for patient in patients:
        if since is None or patient.updated_at >= since:
            if "Patient" in lines:
                lines["Patient"].append(_line(patient_json(patient)))
            if "Condition" in lines:
                lines["Condition"] += [_line(built.resource) for built in conditions(patient)]
    clinical = [kind for kind in lines if kind not in ("Patient", "Condition")]
    if clinical:
        records = signed_records_for_export(patients, changed_since=since)
        current: set[int] = set()
        seen: set[int] = set()
        for record in records:  # newest first per patient: the first is the plan in force
            if record.evaluation.patient_id not in seen:
                seen.add(record.evaluation.patient_id)
                current.add(record.evaluation.pk)
        origin = _origin(job)
        for record in records:
            resources = EvaluationResources(record, origin, current=record.evaluation.pk in current)
            for kind in clinical:
                lines[kind] += [_line(built.resource) for built in resources.of_type(kind)]
    return lines


def _open_files(job: BulkExport) -> dict[str, list[int]]:
    """The files cut back to the checkpoint (created empty the first time): their length and count."""
    directory = export_dir(job)
    directory.mkdir(parents=True, exist_ok=True)
    files = {kind: list(job.checkpoint.get("files", {}).get(kind, [0, 0])) for kind in job.types}
    for kind, (length, _count) in files.items():
        with open(file_path(job, kind), "ab") as handle:
            handle.truncate(length)
    return files


def _still_wanted(job: BulkExport) -> bool:
    return BulkExport.objects.filter(pk=job.pk, state=BulkExport.State.RUNNING).exists()


def run_export(public_id: Any) -> BulkExport:
    job = BulkExport.objects.get(public_id=public_id)
    if job.state not in (BulkExport.State.QUEUED, BulkExport.State.RUNNING):
        return job  # done, failed or cancelled: nothing to do (a retry of a finished job)
    patients = Patient.objects.order_by("pk")
    BulkExport.objects.filter(
        pk=job.pk, state__in=[BulkExport.State.QUEUED, BulkExport.State.RUNNING]
    ).update(state=BulkExport.State.RUNNING, patients_total=patients.count(), heartbeat=timezone.now())
    job.refresh_from_db()
    files = _open_files(job)
    after = job.checkpoint.get("after", 0)
    while True:
        chunk = list(patients.filter(pk__gt=after)[: chunk_size()])
        if not chunk:
            break
        if not _still_wanted(job):
            return job  # cancelled: its files are removed by the cancellation
        for kind, new in _chunk_lines(job, chunk).items():
            with open(file_path(job, kind), "ab") as handle:
                handle.writelines(new)
                handle.flush()
                os.fsync(handle.fileno())
            files[kind] = [files[kind][0] + sum(len(line) for line in new), files[kind][1] + len(new)]
        after = chunk[-1].pk
        with transaction.atomic():
            updated = BulkExport.objects.filter(pk=job.pk, state=BulkExport.State.RUNNING).update(
                checkpoint={"after": after, "files": files},
                patients_done=F("patients_done") + len(chunk),
                heartbeat=timezone.now(),
            )
        if not updated:
            return job
    if "Practitioner" in job.types:
        _write_practitioners(job, files)
    BulkExport.objects.filter(pk=job.pk, state=BulkExport.State.RUNNING).update(
        state=BulkExport.State.COMPLETED,
        finished_at=timezone.now(),
        checkpoint={"after": after, "files": files, "done": True},
    )
    job.refresh_from_db()
    return job


def _write_practitioners(job: BulkExport, files: dict[str, list[int]]) -> None:
    """The clinicians the exported evaluations name (written whole, once, at the end)."""
    signed = Evaluation.objects.signed()
    clinicians = User.objects.filter(
        Q(pk__in=signed.values("therapist")) | Q(pk__in=signed.values("signed_by"))
    ).order_by("pk")
    lines = [_line(therapist(user)) for user in clinicians]
    with open(file_path(job, "Practitioner"), "wb") as handle:
        handle.writelines(lines)
    files["Practitioner"] = [sum(len(line) for line in lines), len(lines)]


def remove_files(job: BulkExport) -> None:
    directory = export_dir(job)
    for kind in EXPORT_TYPES:
        file_path(job, kind).unlink(missing_ok=True)
    if directory.exists():
        directory.rmdir()
