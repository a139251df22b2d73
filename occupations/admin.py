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

    @admin.action(description="Retire selected entries", permissions=["change"])
    def retire(self, request, queryset):
        self.message_user(request, f"{queryset.update(is_active=False)} entries retired.")

    @admin.action(description="Reactivate selected entries", permissions=["change"])
    def reactivate(self, request, queryset):
        self.message_user(request, f"{queryset.update(is_active=True)} entries reactivated.")


for model in CATALOGUES.values():
    admin.site.register(model, CatalogueAdmin)
