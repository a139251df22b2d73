import ipaddress
from datetime import timedelta

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone

from accounts.models import ApiToken, IntegrationKey, IntegrationScope, User
from accounts.services import (
    account_access,
    create_integration_key,
    record_access_changed,
    record_account_saved,
    record_password_set,
    revoke_api_token,
    revoke_integration_key,
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
        # An integration's account is its key's: it gets no password, group or permission here.
        if obj is not None and obj.is_integration:
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


class IntegrationKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=IntegrationScope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only what the integration needs. Every route names its scope; a key never reads drafts.",
    )
    allowed_ips = forms.CharField(
        label="Allowed addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One IP address or network (CIDR, e.g. 10.20.0.0/16) per line; empty: any address.",
    )
    expires_at = forms.DateTimeField(
        label="Expires at",
        help_text="At most two years ahead; a new key is created before this one ends.",
    )

    class Meta:
        model = IntegrationKey
        fields = ["name", "scopes", "expires_at", "allowed_ips", "rate_per_minute"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is None:
            a_year = timezone.localtime() + timedelta(days=365)
            self.initial.setdefault("expires_at", a_year.replace(hour=0, minute=0, second=0, microsecond=0))

    def clean_allowed_ips(self):
        lines = [line.strip() for line in self.cleaned_data["allowed_ips"].splitlines() if line.strip()]
        for line in lines:
            try:
                ipaddress.ip_network(line, strict=False)
            except ValueError:
                raise forms.ValidationError(f"{line!r} is not an IP address or network.") from None
        return lines

    def clean_expires_at(self):
        expires = self.cleaned_data["expires_at"]
        if expires <= timezone.now():
            raise forms.ValidationError("The expiry must be in the future.")
        if expires > timezone.now() + timedelta(days=731):
            raise forms.ValidationError("At most two years ahead.")
        return expires


@admin.register(IntegrationKey)
class IntegrationKeyAdmin(admin.ModelAdmin):
    """Clinic admins create keys (shown once), see their use and revoke them; nothing else
    changes a key, and none is deleted (the audit trail names its account)."""

    form = IntegrationKeyForm
    list_display = [
        "name",
        "prefix",
        "scope_list",
        "expires_at",
        "last_used_at",
        "last_used_ip",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix"]
    readonly_fields = [
        "name",
        "prefix",
        "scopes",
        "allowed_ips",
        "rate_per_minute",
        "expires_at",
        "created_at",
        "created_by",
        "last_used_at",
        "last_used_ip",
        "revoked_at",
        "revoked_by",
    ]
    actions = ["revoke"]

    @admin.display(description="scopes")
    def scope_list(self, obj):
        return ", ".join(obj.scopes)

    @admin.display(description="state")
    def state(self, obj):
        if obj.revoked_at is not None:
            return f"revoked {obj.revoked_at:%Y-%m-%d}"
        return "active" if obj.is_usable else "expired"

    @admin.display(description="last used", ordering="last_used_at")
    def last_use(self, obj):
        if obj.last_used_at is None:
            return "never"
        return f"{timezone.localtime(obj.last_used_at):%Y-%m-%d %H:%M} from {obj.last_used_ip}"

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else IntegrationKeyForm.Meta.fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return  # a key does not change; it is revoked and replaced
        data = form.cleaned_data
        key, raw = create_integration_key(
            by=request.user,
            name=data["name"],
            scopes=data["scopes"],
            expires_at=data["expires_at"],
            allowed_ips=data["allowed_ips"],
            rate_per_minute=data["rate_per_minute"],
        )
        obj.pk = key.pk  # the admin logs and answers with the object it passed in: make it the key
        obj.__dict__.update(
            {field.attname: getattr(key, field.attname) for field in key._meta.concrete_fields}
        )
        request._integration_key_raw = raw

    def save_related(self, request, form, formsets, change):
        pass  # no relations to save

    def response_add(self, request, obj, post_url_continue=None):
        """The key, once: rendered here, never stored or redirected with."""
        raw = getattr(request, "_integration_key_raw", None)
        if raw is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "title": "Integration key created",
            "key": obj,
            "raw": raw,
            "opts": self.model._meta,
        }
        response = TemplateResponse(request, "admin/accounts/integrationkey/created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Revoke selected keys", permissions=["change"])
    def revoke(self, request, queryset):
        for key in queryset.filter(revoked_at__isnull=True):
            revoke_integration_key(key=key, by=request.user)
        self.message_user(request, "Keys revoked: they no longer authenticate.")
