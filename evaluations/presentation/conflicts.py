"""A section saved elsewhere while a therapist typed: both versions side by side, field by field
and row by row, so the therapist keeps either instead of typing again.

A field is kept as saved or as typed. A list has no row identity (rows are saved as a list), so rows
are matched by what they say: rows in both versions stay; rows only in what was typed are in the
form, to keep or remove there; each row only saved elsewhere can be added to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Model

from common.models import concrete_field
from evaluations.models import Evaluation, OccupationalProfile
from evaluations.sections import RowList, Section

EMPTY = "—"


@dataclass(frozen=True)
class Difference:
    key: str  # the content key: a field name or a row list's key
    label: str
    saved: str
    typed: str
    is_list: bool = False
    saved_only: tuple[tuple[int, str], ...] = ()  # (index in the saved list, the row as read)
    typed_only: tuple[str, ...] = ()
    in_both: tuple[str, ...] = ()


def _value(model: type[Model], name: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    field = concrete_field(model, name)
    if value is True or value is False:
        return str(field.verbose_name) if value else ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, date):
        return f"{value:%m/%d/%Y}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _row(spec: RowList, row: Any) -> str:
    read = row.get if isinstance(row, dict) else (lambda name: getattr(row, name))
    shown = (_value(spec.model, name, read(name)) for name in spec.fields)
    return " · ".join(text for text in shown if text)


def _rows(spec: RowList, rows: list[Any]) -> str:
    return "\n".join(_row(spec, row) for row in rows) or EMPTY


def as_content(section: Section, stored: dict[str, Any]) -> dict[str, Any]:
    """The stored section (EvaluationRecord.content) in the shape the services take."""
    content = {name: stored[name] for name in (*section.evaluation_fields, *section.profile_fields)}
    for spec in section.rows:
        content[spec.key] = [{name: getattr(row, name) for name in spec.fields} for row in stored[spec.key]]
    return content


def differences(section: Section, saved: dict[str, Any], typed: dict[str, Any]) -> list[Difference]:
    """Where what was typed differs from what is saved now (both in the services' shape)."""
    model = OccupationalProfile if section.profile_fields else Evaluation
    found = []
    for name in (*section.evaluation_fields, *section.profile_fields):
        before, after = _value(model, name, saved[name]), _value(model, name, typed.get(name))
        if before.strip() != after.strip():
            label = str(concrete_field(model, name).verbose_name)
            found.append(Difference(name, label[:1].upper() + label[1:], before or EMPTY, after or EMPTY))
    for spec in section.rows:
        before, after = _rows(spec, saved[spec.key]), _rows(spec, typed.get(spec.key, []))
        if before != after:
            found.append(_list_difference(spec, saved[spec.key], typed.get(spec.key, []), before, after))
    return found


def _list_difference(
    spec: RowList, saved: list[Any], typed: list[Any], before: str, after: str
) -> Difference:
    unmatched = [_row(spec, row) for row in typed]
    saved_only, in_both = [], []
    for index, row in enumerate(saved):
        text = _row(spec, row)
        if text in unmatched:
            unmatched.remove(text)
            in_both.append(text)
        else:
            saved_only.append((index, text))
    return Difference(
        spec.key,
        spec.title,
        before,
        after,
        is_list=True,
        saved_only=tuple(saved_only),
        typed_only=tuple(unmatched),
        in_both=tuple(in_both),
    )


def resolve(section: Section, saved: dict[str, Any], typed: dict[str, Any], chosen: Any) -> dict[str, Any]:
    """What to save after a conflict: ``chosen`` is the posted form. ``resolve-<field>=saved`` keeps
    a field as saved; ``resolve-<list>`` (repeatable) names saved rows to add to the typed list."""
    lists = {spec.key for spec in section.rows}
    resolved = {}
    for key, value in typed.items():
        if key in lists:
            wanted = {int(index) for index in chosen.getlist(f"resolve-{key}") if index.isdigit()}
            added = [row for index, row in enumerate(saved.get(key, [])) if index in wanted]
            resolved[key] = [*value, *added]
        elif chosen.get(f"resolve-{key}") == "saved" and key in saved:
            resolved[key] = saved[key]
        else:
            resolved[key] = value
    return resolved
