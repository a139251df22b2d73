"""Model parts shared by the apps' records."""

from __future__ import annotations

from typing import Any

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


def attribute_history(instance: models.Model, user: object) -> None:
    """Name the user django-simple-history records for the next save or delete of `instance`."""
    instance._history_user = user  # type: ignore[attr-defined]  # read by simple-history's signal handlers


def concrete_field(model: type[models.Model] | models.Model, name: str) -> models.Field[Any, Any]:
    """A model's own field by name (not a reverse relation)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{name} is a reverse relation, not a field of {model._meta.label}")
    return field


def related_model(model: type[models.Model] | models.Model, name: str) -> type[models.Model]:
    """The model a relation field (or a reverse relation) of `model` points at."""
    target = model._meta.get_field(name).related_model
    if not isinstance(target, type):
        raise TypeError(f"{name} of {model._meta.label} is not a relation to a model")
    return target
