"""Admin classes for records that are read, never edited, in the admin.

`ReadOnlyAdminMixin`: nothing is added, changed or deleted (audit events, API tokens,
evaluations: each has its own pages or services for writes).

`ReadOnlyHistoryAdmin`: history in the admin is for reading only.

simple-history's version page saves whatever is posted to it, whatever the permissions
or SIMPLE_HISTORY_REVERT_DISABLED say; a clinical record must never be rewritten from
an old version (a signed evaluation would be un-signed). So only GET is served, and
each read of a record's history is an audited view.
"""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyAdminMixin:
    """No add, change or delete in the admin; viewing stays with the model's view permission."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def record_view(self, request, obj) -> None:
        """Write the audit event for a read of `obj` (each admin says how)."""
        raise NotImplementedError

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None:
            self.record_view(request, obj)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("History is read-only.")
        obj = self.get_object(request, object_id)
        if obj is not None:
            self.record_view(request, obj)
        return super().history_form_view(request, object_id, version_id, extra_context)
