import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.chain import HASHED_FIELDS, event_hash
from audit.choices import Action, Channel


class AuditEvent(models.Model):
    """One access to or change of a record: who, what, which record, when, from where.

    Written in the same transaction as the change it describes; never edited or deleted. Each
    event's `hash` covers its content and the previous event's hash (see audit/chain.py), so
    `manage.py verify_audit` finds an event that was changed or removed.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for anonymous attempts and system jobs."),
    )
    actor_username = models.CharField(max_length=150, blank=True, help_text=_("As typed, for failed logins."))
    action = models.CharField(max_length=20, choices=Action)
    channel = models.CharField(max_length=12, choices=Channel)
    ip_address = models.GenericIPAddressField(_("client IP address"), null=True, blank=True)
    record_type = models.CharField(max_length=60, blank=True)
    record_id = models.UUIDField(null=True, blank=True)
    record_label = models.CharField(max_length=200, blank=True)
    patient_public_id = models.UUIDField(
        _("patient"),
        null=True,
        blank=True,
        help_text=_("The patient whose information was touched, for accounting of disclosures."),
    )
    listed_patient_ids = models.JSONField(
        _("patients listed"),
        default=list,
        blank=True,
        help_text=_("For a read of a list: the patients it showed (one event per list, not one per row)."),
    )
    changed_fields = models.JSONField(default=list, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        permissions = [("export_auditevent", "Can export the audit trail")]
        indexes = [
            models.Index(fields=["record_type", "record_id"], name="audit_record_idx"),
            models.Index(fields=["patient_public_id", "occurred_at"], name="audit_patient_idx"),
            models.Index(fields=["actor", "occurred_at"], name="audit_actor_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=Action.values), name="audit_action_known"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="audit_channel_known"),
        ]

    def __str__(self) -> str:
        who = self.actor or self.actor_username or "anonymous"
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {who} {self.action} {self.record_label}"

    def chain_values(self) -> dict:
        return {name: getattr(self, name) for name in HASHED_FIELDS}

    def compute_hash(self) -> str:
        """What `hash` must be for this content and `previous_hash`."""
        return event_hash(self.chain_values(), self.previous_hash)
