"""FHIR Bulk Data `$export` (system level and `Patient/$export`): kick-off with
`Prefer: respond-async` (202, Content-Location), status polling (202 with X-Progress, then the
manifest), the NDJSON files (to the requester only) and DELETE to cancel. The work runs in the
background worker (fhir_r4.tasks); every step is audited."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import FileResponse
from django.utils import timezone
from rest_framework import exceptions, permissions, status
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response

from audit.choices import Action
from audit.services import record_event
from common.api import requires
from fhir_r4.export import EXPORT_TYPES, PATIENT_TYPES, file_path, remove_files
from fhir_r4.models import BulkExport
from fhir_r4.resources import operation_outcome
from fhir_r4.tasks import bulk_export
from fhir_r4.views import FhirJSONRenderer, FhirView, SearchError

EXPORTERS = [permissions.IsAuthenticated, requires("fhir_r4.run_bulk_export")]
FORMATS = {"application/fhir+ndjson", "application/ndjson", "ndjson"}


def _since(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise SearchError(f"_since: {text!r} is not an instant (e.g. 2026-01-31T00:00:00Z).") from None
    if moment.tzinfo is None:
        raise SearchError("_since: give the instant's time zone (e.g. Z or +00:00).")
    return moment


class ExportKickOff(FhirView):
    permission_classes = EXPORTERS
    level = "system"

    def get(self, request):
        if request.headers.get("Prefer", "").replace(" ", "").lower() != "respond-async":
            raise SearchError("$export runs in the background: send `Prefer: respond-async`.")
        offered = PATIENT_TYPES if self.level == "patient" else EXPORT_TYPES
        for name in request.query_params:
            if name not in ("_type", "_since", "_outputFormat"):
                raise SearchError(
                    f"$export has no parameter {name!r} (supported: _outputFormat, _since, _type)."
                )
        output = request.query_params.get("_outputFormat")
        if output is not None and output not in FORMATS:
            raise SearchError("_outputFormat: application/fhir+ndjson is the one format offered.")
        types = list(offered)
        if "_type" in request.query_params:
            asked = [t.strip() for value in request.query_params.getlist("_type") for t in value.split(",")]
            unknown = [t for t in asked if t not in offered]
            if unknown:
                raise SearchError(
                    f"_type: {', '.join(unknown)} not exported here (offered: {', '.join(offered)})."
                )
            types = [t for t in offered if t in asked]
        since = _since(request.query_params["_since"]) if "_since" in request.query_params else None
        with transaction.atomic():
            job = BulkExport.objects.create(
                requested_by=request.user,
                request_url=request.build_absolute_uri(),
                level=self.level,
                types=types,
                since=since,
            )
            record_event(actor=request.user, action=Action.EXPORT, record=job, changed_fields=types)
            public_id = str(job.public_id)
            transaction.on_commit(lambda: bulk_export.enqueue(public_id))
        response = Response(status=status.HTTP_202_ACCEPTED)
        response["Content-Location"] = f"{self.base_url()}/$export-status/{job.public_id}"
        return response


class PatientExportKickOff(ExportKickOff):
    level = "patient"


def _own(request, id) -> BulkExport:
    """The requester's own export; anyone else's (or a cancelled one) does not exist for them."""
    job = BulkExport.objects.filter(public_id=id, requested_by=request.user).first()
    if job is None or job.state == BulkExport.State.CANCELLED:
        raise exceptions.NotFound("No such export.")
    return job


def _restart_if_stalled(job: BulkExport) -> None:
    """A running job with no sign of life for FHIR_EXPORT_STALL_SECONDS lost its worker (killed,
    restarted machine): queue it again; it resumes from its checkpoint (fhir_r4.export)."""
    if job.state != BulkExport.State.RUNNING or job.heartbeat is None:
        return
    stalled = timezone.now() - timedelta(seconds=settings.FHIR_EXPORT_STALL_SECONDS)
    with transaction.atomic():
        claimed = BulkExport.objects.filter(pk=job.pk, heartbeat__lte=stalled).update(
            heartbeat=timezone.now()
        )
        if claimed:
            public_id = str(job.public_id)
            transaction.on_commit(lambda: bulk_export.enqueue(public_id))


class ExportStatus(FhirView):
    permission_classes = EXPORTERS

    def get(self, request, id):
        job = _own(request, id)
        if job.state in (BulkExport.State.QUEUED, BulkExport.State.RUNNING):
            _restart_if_stalled(job)
            response = Response(status=status.HTTP_202_ACCEPTED)
            response["X-Progress"] = f"{job.patients_done} of {job.patients_total or '?'} patients"
            response["Retry-After"] = "5"
            return response
        if job.state == BulkExport.State.FAILED:
            return Response(
                operation_outcome("exception", f"The export failed: {job.error or 'see the worker log'}."),
                status=status.HTTP_500_INTERNAL_SERVER_ERROR,
            )
        files = job.checkpoint.get("files", {})
        base = self.base_url()
        manifest = {
            "transactionTime": job.requested_at.isoformat(),
            "request": job.request_url,
            "requiresAccessToken": True,
            "output": [
                {
                    "type": kind,
                    "url": f"{base}/$export-file/{job.public_id}/{kind}.ndjson",
                    "count": files[kind][1],
                }
                for kind in job.types
                if files.get(kind, [0, 0])[1]
            ],
            "error": [],
        }
        response = Response(manifest)
        response["Content-Type"] = "application/json"
        return response

    def delete(self, request, id):
        job = _own(request, id)
        BulkExport.objects.filter(pk=job.pk).update(
            state=BulkExport.State.CANCELLED, finished_at=timezone.now()
        )
        remove_files(job)
        record_event(actor=request.user, action=Action.DISCARD, record=job)
        return Response(status=status.HTTP_202_ACCEPTED)


class NDJSONRenderer(BaseRenderer):
    media_type = "application/fhir+ndjson"
    format = "ndjson"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class ExportFile(FhirView):
    permission_classes = EXPORTERS
    renderer_classes = [*FhirView.renderer_classes, NDJSONRenderer]

    def handle_exception(self, exc):
        """Errors are OperationOutcomes in JSON, whatever the client accepted."""
        response = super().handle_exception(exc)
        self.request.accepted_renderer = FhirJSONRenderer()
        self.request.accepted_media_type = FhirJSONRenderer.media_type
        return response

    def get(self, request, id, name):
        job = _own(request, id)
        kind = name.removesuffix(".ndjson")
        if job.state != BulkExport.State.COMPLETED or kind not in job.types or not name.endswith(".ndjson"):
            raise exceptions.NotFound("No such file.")
        record_event(actor=request.user, action=Action.EXPORT, record=job, changed_fields=[kind])
        handle = file_path(job, kind).open("rb")  # FileResponse closes it when sent
        response = FileResponse(handle, content_type="application/fhir+ndjson")
        response["Cache-Control"] = "no-store"
        return response
