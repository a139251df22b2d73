"""Writes for accounts: issuing and revoking API tokens and integration keys, and the audit of
account changes."""

import ipaddress
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken, IntegrationKey, IntegrationScope, User, hash_token
from audit.choices import Action
from audit.services import record_event


@transaction.atomic
def issue_api_token(*, user: User) -> tuple[ApiToken, str]:
    """Create a token for the user; returns the row and the raw token, shown only once."""
    raw = ApiToken.generate_raw()
    now = timezone.now()
    token = ApiToken(
        user=user,
        digest=hash_token(raw),
        prefix=raw[:8],
        expires_at=now + settings.API_TOKEN_TTL,
    )
    token.save()
    record_event(actor=user, action=Action.TOKEN_ISSUED, record=token)
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: User) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(actor=by, action=Action.TOKEN_REVOKED, record=token)
    return token


@transaction.atomic
def change_own_password(*, user: User, new_password: str) -> User:
    """The user replaces their own password (already checked against the old one and the validators).

    Every API token issued before now stops working (see ExpiringTokenAuthentication), and the
    change is audited with the user as both actor and record."""
    user.set_password(new_password)
    user.save(update_fields=["password", "password_changed_at"])
    record_event(actor=user, action="password_changed", record=user, changed_fields=["password"])
    return user


# Changes an admin makes to an account, each audited with the admin as actor and the account as
# the record. The admin pages call these from inside their own transaction.

ACCESS_FIELDS = {"is_staff", "is_superuser"}


def record_account_saved(*, user: User, by: User, created: bool, changed_fields: list[str]) -> None:
    """A user account created or changed in the admin: activation is its own event, the
    other changed fields are one update event (passwords and memberships have their own)."""
    if created:
        record_event(actor=by, action=Action.CREATE, record=user)
        return
    if "is_active" in changed_fields:
        record_event(actor=by, action=Action.REACTIVATE if user.is_active else Action.DEACTIVATE, record=user)
    access = [name for name in changed_fields if name in ACCESS_FIELDS]
    if access:
        record_event(actor=by, action=Action.ACCESS_CHANGED, record=user, changed_fields=access)
    other = [
        name
        for name in changed_fields
        if name not in {"is_active", "password", "groups", "user_permissions", *ACCESS_FIELDS}
    ]
    if other:
        record_event(actor=by, action=Action.UPDATE, record=user, changed_fields=other)


def account_access(user: User) -> set[str]:
    """The account's groups and one-off permissions, as "group:<name>" and "permission:<app.codename>"."""
    groups = {f"group:{name}" for name in user.groups.values_list("name", flat=True)}
    permissions = {
        f"permission:{app}.{codename}"
        for app, codename in user.user_permissions.values_list("content_type__app_label", "codename")
    }
    return groups | permissions


def record_access_changed(*, user: User, by: User, before: set[str], after: set[str]) -> None:
    """Groups or one-off permissions added to or removed from an account: one event whose
    changed fields name each one, "+group:Therapist" or "-permission:patients.view_clinical"."""
    changes = [f"+{item}" for item in after - before] + [f"-{item}" for item in before - after]
    if changes:
        record_event(actor=by, action=Action.ACCESS_CHANGED, record=user, changed_fields=changes)


def record_password_set(*, user: User, by: User) -> None:
    """An admin set (or reset, or made unusable) another account's password."""
    record_event(actor=by, action=Action.PASSWORD_SET, record=user, changed_fields=["password"])


@transaction.atomic
def create_integration_key(
    *,
    by: User,
    name: str,
    scopes: list[str],
    expires_at,
    allowed_ips: list[str] | None = None,
    rate_per_minute: int = 120,
) -> tuple[IntegrationKey, str]:
    """A new key with its own account; returns the row and the key itself, shown only once."""
    unknown = sorted(set(scopes) - set(IntegrationScope.values))
    if unknown or not scopes:
        raise ValidationError({"scopes": f"Choose scopes from {', '.join(IntegrationScope.values)}."})
    networks = []
    for network in allowed_ips or []:
        try:
            networks.append(str(ipaddress.ip_network(network.strip(), strict=False)))
        except ValueError:
            raise ValidationError({"allowed_ips": f"{network!r} is not an IP address or network."}) from None
    if expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    raw = IntegrationKey.generate_raw()
    public_id = uuid.uuid4()
    account = User(
        username=f"integration-{public_id.hex[:12]}",
        first_name=name[:150],
        last_name="(integration)",
        is_integration=True,
    )
    account.set_unusable_password()
    account.save()
    key = IntegrationKey(
        public_id=public_id,
        name=name,
        account=account,
        digest=hash_token(raw),
        prefix=raw[:10],
        scopes=sorted(set(scopes)),
        allowed_ips=networks,
        rate_per_minute=rate_per_minute,
        expires_at=expires_at,
        created_by=by,
    )
    key.full_clean(exclude=["account", "created_by"])
    key.save()
    record_event(actor=by, action=Action.TOKEN_ISSUED, record=key, changed_fields=key.scopes)
    return key, raw


@transaction.atomic
def revoke_integration_key(*, key: IntegrationKey, by: User) -> IntegrationKey:
    """The key stops working at once; it and its account stay, for the audit trail."""
    key = IntegrationKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.revoked_by = by
        key.save(update_fields=["revoked_at", "revoked_by"])
        record_event(actor=by, action=Action.TOKEN_REVOKED, record=key)
    return key
