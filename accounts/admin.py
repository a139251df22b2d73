from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction

from accounts.models import ApiToken, User
from accounts.services import (
    account_access,
    record_access_changed,
    record_account_saved,
    record_password_set,
    revoke_api_token,
)
from common.admin import ReadOnlyAdminMixin


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Clinical signature", {"fields": ("credentials",)}),
    )
    list_display = ["username", "first_name", "last_name", "credentials", "is_active", "is_staff"]
    list_filter = ["groups", "is_active", "is_staff"]

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser hands out superuser status or one-off permissions; clinic
        # admins manage people through the role groups.
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["is_superuser", "user_permissions", "last_login", "date_joined"]

    # Every change to an account is audited with the admin as actor (the admin's change and add
    # views run these inside their transaction).

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_account_saved(user=obj, by=request.user, created=not change, changed_fields=form.changed_data)

    def save_related(self, request, form, formsets, change):
        before = account_access(form.instance) if change else set()
        super().save_related(request, form, formsets, change)
        record_access_changed(
            user=form.instance, by=request.user, before=before, after=account_access(form.instance)
        )

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():
            stored = User.objects.filter(pk=unquote(id)).values_list("password", flat=True).first()
            response = super().user_change_password(request, id, form_url)
            user = User.objects.filter(pk=unquote(id)).first()
            if user is not None and stored is not None and user.password != stored:
                record_password_set(user=user, by=request.user)
        return response

    def get_queryset(self, request):
        users = super().get_queryset(request)
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def has_change_permission(self, request, obj=None):
        # Nobody but a superuser changes a superuser (name, password, status).
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Users are deactivated, never deleted: the audit trail points at them.
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["prefix", "user", "created_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "prefix"]
    list_select_related = ["user"]
    readonly_fields = ["prefix", "user", "created_at", "expires_at", "revoked_at"]
    actions = ["revoke"]

    @admin.action(description="Revoke selected tokens", permissions=["view"])
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            revoke_api_token(token=token, by=request.user)
        self.message_user(request, "Tokens revoked.")
