import ipaddress
import math
from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, TokenAuthentication, get_authorization_header

from accounts.models import INTEGRATION_KEY_PREFIX, ApiToken, IntegrationKey, hash_token
from accounts.scopes import REFERENCE, scope_for
from audit.choices import Action, Channel
from audit.context import AccessContext, set_access
from audit.services import record_event


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <token>`, checked against the stored digest and expiry."""

    keyword = "Token"

    def authenticate_credentials(self, key: str):
        token = ApiToken.objects.usable().select_related("user").filter(digest=hash_token(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive."))
        changed = token.user.password_changed_at
        if changed is not None and token.created_at < changed:
            raise exceptions.AuthenticationFailed(_("The password changed after this token was issued."))
        return token.user, token


class BearerTokenAuthentication(ExpiringTokenAuthentication):
    """`Authorization: Bearer <token>`, the way FHIR clients and most HTTP tooling send it."""

    keyword = "Bearer"


class IntegrationKeyAuthentication(BaseAuthentication):
    """`Authorization: Bearer bok_…`: an integration key. Checked in this order: the key (401 if
    unknown, revoked or expired), the client address against its allow-list (403), the route
    against its scopes (403; a route without a scope refuses every key), its rate (429 with
    Retry-After). Refusals after the key is known are audited with the integration as actor; every
    request it makes is audited on the channel `integration`. A person's token (no `bok_`) is left
    to the other authenticators."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if len(header) != 2 or header[0].lower() != b"bearer":
            return None
        try:
            raw = header[1].decode()
        except UnicodeError:
            return None
        if not raw.startswith(INTEGRATION_KEY_PREFIX):
            return None
        key = IntegrationKey.objects.usable().select_related("account").filter(digest=hash_token(raw)).first()
        if key is None or not key.account.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked integration key."))
        account = key.account
        account._integration_scopes = frozenset(key.scopes)
        address = request.META.get("REMOTE_ADDR") or ""
        set_access(AccessContext(channel=Channel.INTEGRATION, ip_address=address or None))
        if not _address_allowed(address, key.allowed_ips):
            _refused(account, request, f"address {address} not on the key's allow-list")
            raise exceptions.PermissionDenied(_("This key may not be used from this address."))
        match = request._request.resolver_match
        route = f"{match.namespace}:{match.url_name}" if match is not None else ""
        needed = scope_for(route, request.method)
        if needed is None or (needed != REFERENCE and needed not in key.scopes):
            _refused(account, request, f"scope {needed or 'none'} for {request.method} {route}")
            raise exceptions.PermissionDenied(
                _("This key's scopes do not allow this request (it needs %(scope)s).")
                % {"scope": needed or _("a person's account")}
            )
        wait = _count_request(key, address)
        if wait is not None:
            raise exceptions.Throttled(wait=wait)
        return account, key

    def authenticate_header(self, request):
        return self.keyword


def _address_allowed(address: str, allowed: list[str]) -> bool:
    if not allowed:
        return True
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(client in ipaddress.ip_network(network, strict=False) for network in allowed)


def _refused(account, request, why: str) -> None:
    record_event(
        actor=account,
        action=Action.DENIED,
        record_type="accounts.integrationkey",
        record_label=f"{request.method} {request.path}"[:200],
        changed_fields=[why[:200]],
    )


def _count_request(key: IntegrationKey, address: str) -> int | None:
    """Count the request in the key's one-minute window and record its use; the seconds to wait
    when the window is full. One UPDATE, atomic across processes (the row is the counter)."""
    now = timezone.now()
    window = timedelta(minutes=1)
    keys = IntegrationKey.objects.filter(pk=key.pk)
    used = {"last_used_at": now, "last_used_ip": address or None}
    counted = keys.filter(window_started_at__gt=now - window, window_count__lt=key.rate_per_minute).update(
        window_count=F("window_count") + 1, **used
    )
    if counted:
        return None
    opened = keys.filter(Q(window_started_at__isnull=True) | Q(window_started_at__lte=now - window)).update(
        window_started_at=now, window_count=1, **used
    )
    if opened:
        return None
    started = keys.values_list("window_started_at", flat=True).first() or now
    return max(1, math.ceil((started + window - now).total_seconds()))
