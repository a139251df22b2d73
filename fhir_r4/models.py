"""Bulk exports (FHIR Bulk Data `$export`): who asked for what, how far the job got, its files."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BulkExport(models.Model):
    """One `$export` request. The job writes one NDJSON file per resource type, a chunk of patients
    at a time, and records after each chunk how far it got and how long each file then was
    (`checkpoint`): a job stopped midway truncates its files back to the checkpoint and continues,
    so no resource is written twice or left out."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    request_url = models.URLField(max_length=2000)
    level = models.CharField(max_length=10)  # "system" or "patient"
    types = models.JSONField(default=list)
    since = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State, default=State.QUEUED)
    patients_total = models.PositiveIntegerField(default=0)
    patients_done = models.PositiveIntegerField(default=0)
    checkpoint = models.JSONField(default=dict)  # {"after": patient pk, "files": {type: [bytes, count]}}
    heartbeat = models.DateTimeField(null=True, blank=True)  # the job's last sign of life
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        permissions = [("run_bulk_export", "Can export every patient's records (FHIR $export)")]

    def __str__(self) -> str:
        return f"$export {self.public_id} ({self.state})"
