"""Model parts shared by the apps' records."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def version_field() -> models.PositiveIntegerField:
    """The record's version: the API's ETag and If-Match, and the pages' stale-copy check.
    Every write adds one (services compare it under the row lock before writing)."""
    return models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Goes up by one with every write; the API's ETag and the pages' stale-copy check."),
    )


def actor_field() -> models.ForeignKey:
    """Who did something that may not have happened yet (signed, archived): never edited by hand,
    and a user who acted is never deleted (PROTECT)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
