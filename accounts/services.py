"""Writes for accounts: issuing and revoking API tokens."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken, User, hash_token
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
    record_event(actor=user, action="token_issued", record=token)
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: User) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(actor=by, action="token_revoked", record=token)
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
