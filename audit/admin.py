from django.contrib import admin

from audit.models import AuditEvent
from common.admin import ReadOnlyAdminMixin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: clinic admins read the trail; nobody edits or deletes it."""

    list_display = [
        "occurred_at",
        "actor",
        "actor_username",
        "action",
        "channel",
        "record_type",
        "record_label",
        "ip_address",
    ]
    list_filter = ["action", "channel", "record_type", "occurred_at"]
    search_fields = ["actor__username", "actor_username", "record_label", "=record_id", "=patient_public_id"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor"]
    readonly_fields = [field.name for field in AuditEvent._meta.fields]
