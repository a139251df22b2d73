"""Keyset (cursor) paging: a page starts after (or before) the last row the reader saw, by the values
of a unique ordering, never by an offset. A page costs the same at row 20 and at row 2,000,000, and a
row inserted or removed while someone pages is neither skipped nor repeated.

The cursor is the boundary row's ordering values, JSON in URL-safe base64. It carries no secret and
needs none: a tampered cursor only moves where the page starts, inside what the reader may see, and a
malformed one is refused (InvalidCursor)."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import CharField, Model, Q, QuerySet
from django.db.models.sql.where import WhereNode

MAX_CURSOR_LENGTH = 1000


class InvalidCursor(ValueError):
    """A cursor that is not one this server made."""


@dataclass(frozen=True)
class Key:
    """One ordering column: the field and whether it runs descending."""

    field: str
    descending: bool = False

    @classmethod
    def parse(cls, name: str) -> Key:
        return cls(name.removeprefix("-"), name.startswith("-"))

    @property
    def order_by(self) -> str:
        return f"-{self.field}" if self.descending else self.field


@dataclass
class KeysetPage:
    rows: list[Any]
    next_cursor: str | None
    previous_cursor: str | None


def _field(model: type[Model], path: str):
    """The model field a key names; an annotation (a text copy of a column) reads as text."""
    meta = model._meta
    field: Any = None
    for part in path.split("__"):
        try:
            field = meta.get_field(part)
        except FieldDoesNotExist:
            return CharField()
        if field.is_relation and field.related_model is not None:
            meta = field.related_model._meta
    return field


def _value(row: Any, path: str) -> Any:
    value = row
    for part in path.split("__"):
        value = getattr(value, part)
    return value.pk if isinstance(value, Model) else value


def encode(values: list[Any], direction: str) -> str:
    text = json.dumps({"d": direction, "v": values}, cls=DjangoJSONEncoder, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(cursor: str, model: type[Model], keys: list[Key]) -> tuple[str, list[Any]]:
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidCursor
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        direction, raw = data["d"], data["v"]
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
        raise InvalidCursor from None
    if direction not in ("n", "p") or not isinstance(raw, list) or len(raw) != len(keys):
        raise InvalidCursor
    values = []
    for key, value in zip(keys, raw, strict=True):
        if value is None or isinstance(value, (dict, list, bool)):
            raise InvalidCursor
        field = _field(model, key.field)
        try:
            values.append(field.to_python(value))
        except (ValidationError, TypeError, ValueError):
            raise InvalidCursor from None
    return direction, values


def _beyond(keys: list[Key], values: list[Any], forward: bool) -> Q:
    """Rows after the position in the ordering (forward) or before it, as nested comparisons
    (a > x OR (a = x AND (b > y OR …))), led by a range on the first column so an index on the
    ordering is entered at the position rather than scanned from its start."""
    condition: Q | None = None
    for key, value in reversed(list(zip(keys, values, strict=True))):
        greater = key.descending != forward  # forward on an ascending key: greater values
        term = Q(**{f"{key.field}__{'gt' if greater else 'lt'}": value})
        if condition is not None:
            term |= Q(**{key.field: value}) & condition
        condition = term
    first, value = keys[0], values[0]
    greater = first.descending != forward
    assert condition is not None
    return Q(**{f"{first.field}__{'gte' if greater else 'lte'}": value}) & condition


def keyset_queryset(
    queryset: QuerySet, ordering: tuple[str, ...], cursor: str | None, size: int, *, keys_first: bool = False
) -> QuerySet:
    """The query a page runs: the rows beyond the cursor in order, one more than the page (to know
    whether another follows); with `keys_first`, only their keys (see keyset_page). Raises
    InvalidCursor."""
    keys = [Key.parse(name) for name in ordering]
    direction, values = decode(cursor, queryset.model, keys) if cursor else ("n", [])
    forward = direction == "n"
    ordered = queryset.order_by(
        *(key.order_by if forward else Key(key.field, not key.descending).order_by for key in keys)
    )
    if values:
        ordered = ordered.filter(_beyond(keys, values, forward))
    page = ordered[: size + 1]
    return _keys_only(page, keys) if keys_first else page


def _keys_only(page: QuerySet, keys: list[Key]) -> QuerySet:
    """The page's query reading only the ordering's columns and the primary key: with the columns
    the filter reads, an index holding them all answers it alone, skipping the rows that do not
    match without touching the table."""
    columns = {key.field for key in keys if "__" not in key.field and key.field not in page.query.annotations}
    return page.only(*columns)


def _whole(queryset: QuerySet, found: list[Any]) -> list[Any]:
    """The rows found by their keys, read whole by primary key, in the same order: the queryset's
    columns and joins, without its filter (the page's query applied it; planning a name search's
    filter again would cost more than reading the 25 rows)."""
    rows = queryset.order_by()
    rows.query.where = WhereNode()
    whole = rows.in_bulk([row.pk for row in found])
    return [whole[row.pk] for row in found if row.pk in whole]


def keyset_page(
    queryset: QuerySet, ordering: tuple[str, ...], cursor: str | None, size: int, *, keys_first: bool = False
) -> KeysetPage:
    """One page of the queryset in `ordering` (its last key must be unique), from the cursor.

    `keys_first`: find the page by its keys alone, then read its rows whole (two queries) — for a
    filter that skips many rows of an index holding every column the filter and the keys read."""
    keys = [Key.parse(name) for name in ordering]
    direction, values = decode(cursor, queryset.model, keys) if cursor else ("n", [])
    forward = direction == "n"
    found = list(keyset_queryset(queryset, ordering, cursor, size, keys_first=keys_first))
    more = len(found) > size
    found = found[:size]
    if not forward:
        found.reverse()
    if not found:  # past either end: the way back is the position itself
        return KeysetPage(
            [],
            encode(values, "n") if values and not forward else None,
            encode(values, "p") if values and forward else None,
        )

    def position(row: Any) -> list[Any]:
        return [_value(row, key.field) for key in keys]

    has_next = more if forward else bool(values)
    has_previous = bool(values) if forward else more
    return KeysetPage(
        _whole(queryset, found) if keys_first else found,
        encode(position(found[-1]), "n") if has_next else None,
        encode(position(found[0]), "p") if has_previous else None,
    )
