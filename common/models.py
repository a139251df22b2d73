"""Model parts shared by the apps' records."""

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
