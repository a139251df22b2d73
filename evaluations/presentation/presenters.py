"""How a section reads on the evaluation page and the report: labels and display values, and one
line per computed score."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from common.models import concrete_field
from evaluations.choices import AssistLevel, CognitiveInstrument, FunctionalScale, MmtGrade
from evaluations.instruments import Score, mmt_equivalent, registry
from evaluations.instruments.assist import equivalents as assist_equivalents
from evaluations.instruments.terminology import loinc_label
from evaluations.interpretation import EvaluationRecord
from evaluations.interpretation.scores import ScoreKey, grip_method, psfs_score
from evaluations.models.base import InstrumentRow
from evaluations.sections import OCCUPATIONAL_INVENTORY, PROFILE, RowList, Section
from occupations.choices import MeasurementUnit


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


# How a neuromuscular test's unit is written after its value (UCUM "{count}" is written as nothing).
UNIT_SYMBOLS = {str(unit): ("" if unit == MeasurementUnit.COUNT else str(unit)) for unit in MeasurementUnit}
KILOGRAM_SCORES = ("grip_strength", "pinch_strength")
TOTAL_SCORES = (*CognitiveInstrument.values, *FunctionalScale.values)


SIDED_CODES = ("grip_strength",)  # LOINC codes by side


def describe(score: Score, side: str | None = None) -> str:
    """One line for a table cell: value, interpretation, and the norm it was compared with."""
    parts = []
    if score.instrument in KILOGRAM_SCORES:
        parts.append(f"{score.value:g} kg")
    elif score.instrument in TOTAL_SCORES:
        parts.append(f"{score.value:g}{score.unit}")
    elif score.instrument == "ruler_drop":
        parts.append(f"reaction time {score.value:.3f} s")
    if score.percent_of_norm is not None:
        parts.append(f"{score.percent_of_norm:g}% of the reference")
    if score.z is not None:
        parts.append(f"z = {score.z:+.2f}")
    if score.interpretation:
        parts.append(score.interpretation)
    parts.extend(note for note in score.notes if note.startswith("bands of "))  # which pain bands
    parts.extend(note for note in score.notes if "20-point version" in note)  # Barthel beside its 0–20 form
    parts.extend(note for note in score.notes if note.startswith("a single score"))  # LEFS error band
    # Whether the total was scored from the items or entered alone: the record says which.
    parts.extend(note for note in score.notes if note.startswith(("scored from", "total entered")))
    if score.norm is None:
        parts.extend(note for note in score.notes if note.startswith("no published norm"))
    else:
        reference = f"vs {score.norm.description}"
        if score.norm.mean is not None:
            spread = f" ({score.norm.sd:g})" if score.norm.sd is not None else ""
            reference += f": {score.norm.mean:g}{spread} {score.norm.unit}".rstrip()
        parts.append(reference)
        parts.extend(note for note in score.notes if not note.startswith("no published norm"))
    if score.instrument in KILOGRAM_SCORES:
        parts.append(grip_method())
    if score.instrument == CognitiveInstrument.MOCA:
        parts.extend(note for note in score.notes if note.startswith("raw"))
    if side is not None or score.instrument not in SIDED_CODES:
        parts.append(loinc_label(score.instrument, side))
    return "; ".join(dict.fromkeys(parts))


def _sentence_case(label: str) -> str:
    """ "MMT grade" stays as it is; "range of motion" becomes "Range of motion"."""
    return label[:1].upper() + label[1:]


MMT_GRADES = set(MmtGrade.values)
ASSIST_LEVELS = set(AssistLevel.values)


def describe_items(row: Any) -> str:
    """A screen's or scale's item answers, each with its points ("Feeding 10/10 · Bathing 5/5 …"),
    or that the total was entered alone."""
    if not row.items:
        return "total only"
    instrument = registry.instruments().get(row.instrument)
    if instrument is None:
        return "—"
    shown = []
    for item in instrument.items:
        option = item.option(row.items.get(item.key))
        if option is None:
            continue
        label = item.label.split(" (")[0]
        shown.append(f"{label} {option.score}/{item.maximum}")
    return " · ".join(shown)


def _display(instance: Model, name: str) -> str:
    if name == "items" and isinstance(instance, InstrumentRow):
        return describe_items(instance)
    field = concrete_field(instance, name)
    value = getattr(instance, name)
    if value is None or value == "":
        return "—"
    if field.choices:
        shown = str(getattr(instance, f"get_{name}_display")())
        if set(dict(field.choices)) == MMT_GRADES:  # with its Kendall 0–10 and MRC equivalents
            equivalent = mmt_equivalent(value)
            mrc = f"MRC {equivalent.mrc}" if equivalent.mrc is not None else "no MRC grade"
            shown += f" (Kendall {equivalent.kendall_0_10}/10; {mrc})"
        elif set(dict(field.choices)) == ASSIST_LEVELS:  # with its FIM level and Section GG code
            level = assist_equivalents(
                value,
                helper_effort_pct=getattr(instance, "helper_effort_pct", None) or None,
                setup_only=getattr(instance, "setup_only", False),
            )
            codes = [
                f"FIM {level.fim}" if level.fim is not None else "",
                f"GG {level.gg}" if level.gg else "",
            ]
            # The description of the help it was worked out from, when there is one.
            share = getattr(instance, "helper_effort_pct", None)
            codes.append(f"helper {share}%" if share is not None else "")
            codes.append("set-up only" if getattr(instance, "setup_only", False) else "")
            if any(codes):
                shown += f" ({'; '.join(code for code in codes if code)})"
        return shown
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "strftime"):
        return str(value.strftime("%m/%d/%Y"))
    if hasattr(value, "normalize"):  # Decimal: 24.60 -> 24.6, with the test's unit where it has one
        text = f"{value.normalize():f}"
        unit = UNIT_SYMBOLS.get(getattr(instance, "unit", ""), "") if name == "value" else ""
        return f"{text} {unit}".strip()
    return str(value)


# Shown inside another field's value (the help described, beside the assist level it gave).
FOLDED = frozenset({"helper_effort_pct", "setup_only"})


def _table(spec: RowList, rows: list[Any], scores: dict[ScoreKey, Score]) -> Table:
    fields = [concrete_field(spec.model, name) for name in spec.fields if name not in FOLDED]
    headers = [_sentence_case(str(field.verbose_name)) for field in fields]
    cells = [[_display(row, field.name) for field in fields] for row in rows]
    computed = [scores.get((spec.key, row.pk)) for row in rows]
    if any(computed):
        headers.append("Score and norm")
        for row, row_cells, score in zip(rows, cells, computed, strict=True):
            side = getattr(row, "hand", None) or getattr(row, "side", None)
            row_cells.append(describe(score, side) if score else "—")
    return Table(spec.title, headers, cells)


def present_section(record: EvaluationRecord, section: Section) -> PresentedSection:
    content = record.content(section)
    evaluation = record.evaluation
    target: Model = evaluation.profile if section.profile_fields else evaluation
    fields = []
    for name in (*section.profile_fields, *section.evaluation_fields):
        if content[name] not in ("", None):
            label = str(concrete_field(target, name).verbose_name)
            fields.append((_sentence_case(label), _display(target, name)))
    tables = [_table(spec, content[spec.key], record.scores) for spec in section.rows]
    if section is PROFILE:
        for key, score in record.copm.items():
            fields.append((f"COPM {key} score", f"{score.value:g}/10 (mean of the problems rated)"))
    if section is OCCUPATIONAL_INVENTORY:
        psfs = psfs_score(record)
        if psfs is not None:
            fields.append(("PSFS score", f"{psfs.mean:g}/10 (mean of the activities rated; no LOINC code)"))
    return PresentedSection(section, fields, tables)
