"""Permissions of an integration key's account: exactly those its usable key's scopes give
(accounts.scopes). It never signs in: `authenticate` is not implemented here, and the account
has no usable password."""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend

from accounts.scopes import permissions


def key_scopes(user) -> frozenset[str]:
    """The scopes the account acts with now: set only by the key's authentication (or by a job
    running for the key). An integration account reached any
    other way (a session, the shell) has no permission at all."""
    if not getattr(user, "is_integration", False):
        return frozenset()
    return getattr(user, "_integration_scopes", None) or frozenset()


class IntegrationScopeBackend(BaseBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None or not getattr(user_obj, "is_active", False):
            return set()
        return set(permissions(key_scopes(user_obj)))

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)
