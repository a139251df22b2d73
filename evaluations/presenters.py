"""How a section reads on the evaluation page and the report: labels and display values."""

from dataclasses import dataclass

from evaluations.models import Evaluation
from evaluations.scores import copm_scores, describe
from evaluations.sections import RowList, Section
from evaluations.selectors import section_content


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class PresentedSection:
    section: Section
    fields: list[tuple[str, str]]
    tables: list[Table]

    @property
    def is_empty(self) -> bool:
        return not self.fields and not any(table.rows for table in self.tables)


UNIT_SYMBOLS = {"s": "s", "cm": "cm", "{count}": "", "m/s": "m/s"}


def _sentence_case(label: str) -> str:
    """ "MMT grade" stays as it is; "range of motion" becomes "Range of motion"."""
    return label[:1].upper() + label[1:]


def _display(instance, name: str) -> str:
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(getattr(instance, f"get_{name}_display")())
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "strftime"):
        return value.strftime("%m/%d/%Y")
    if hasattr(value, "normalize"):  # Decimal: 24.60 -> 24.6, with the test's unit where it has one
        text = f"{value.normalize():f}"
        unit = UNIT_SYMBOLS.get(getattr(instance, "unit", ""), "") if name == "value" else ""
        return f"{text} {unit}".strip()
    return str(value)


def _table(spec: RowList, rows: list, scores: dict) -> Table:
    fields = [spec.model._meta.get_field(name) for name in spec.fields]
    headers = [_sentence_case(str(field.verbose_name)) for field in fields]
    cells = [[_display(row, field.name) for field in fields] for row in rows]
    computed = [scores.get((spec.key, row.pk)) for row in rows]
    if any(computed):
        headers.append("Score and norm")
        for row_cells, score in zip(cells, computed, strict=True):
            row_cells.append(describe(score) if score else "—")
    return Table(spec.title, headers, cells)


def present_section(evaluation: Evaluation, section: Section, scores: dict | None = None) -> PresentedSection:
    content = section_content(evaluation, section)
    target = evaluation.profile if section.profile_fields else evaluation
    fields = []
    for name in (*section.profile_fields, *section.evaluation_fields):
        if content[name] not in ("", None):
            label = str(target._meta.get_field(name).verbose_name)
            fields.append((_sentence_case(label), _display(target, name)))
    tables = [_table(spec, content[spec.key], scores or {}) for spec in section.rows]
    if section.slug == "profile":
        for key, score in copm_scores(evaluation).items():
            fields.append((f"COPM {key} score", f"{score.value:g}/10 (mean of the problems rated)"))
    return PresentedSection(section, fields, tables)
