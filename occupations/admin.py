from django.contrib import admin

from occupations.models import CATALOGUES


class CatalogueAdmin(admin.ModelAdmin):
    """Clinic admins add, relabel and retire entries; codes are fixed once saved; nothing is deleted."""

    list_display = ["label", "code", "display_order", "is_active"]
    list_editable = ["display_order"]
    list_filter = ["is_active"]
    search_fields = ["code", "label"]
    actions = ["retire", "reactivate"]

    def get_list_display(self, request):
        extra = [
            name
            for name in ("category", "is_core_iadl", "region", "domain", "unit")
            if hasattr(self.model, name)
        ]
        return [*self.list_display[:2], *extra, *self.list_display[2:]]

    def get_list_filter(self, request):
        extra = [name for name in ("category", "region", "domain") if hasattr(self.model, name)]
        return [*self.list_filter, *extra]

    def get_readonly_fields(self, request, obj=None):
        # A code is stored on records, and an activity's category decides which checklist its
        # ratings belong to: changing either would rewrite signed evaluations.
        if obj is None:
            return []
        return ["code", *(["category"] if hasattr(obj, "category") else [])]

    def has_delete_permission(self, request, obj=None):
        return False

    def _set_active(self, request, queryset, active: bool) -> int:
        changed = 0
        for entry in queryset.filter(is_active=not active):
            entry.is_active = active
            entry.save(update_fields=["is_active"])
            # One admin log entry per row, attributed, like any other catalogue edit.
            self.log_change(request, entry, [{"changed": {"fields": ["Active"]}}])
            changed += 1
        return changed

    @admin.action(description="Retire selected entries", permissions=["change"])
    def retire(self, request, queryset):
        self.message_user(request, f"{self._set_active(request, queryset, False)} entries retired.")

    @admin.action(description="Reactivate selected entries", permissions=["change"])
    def reactivate(self, request, queryset):
        self.message_user(request, f"{self._set_active(request, queryset, True)} entries reactivated.")


for model in CATALOGUES.values():
    admin.site.register(model, CatalogueAdmin)
