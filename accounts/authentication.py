from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.models import ApiToken, hash_token


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
