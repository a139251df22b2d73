"""Forms of the evaluation pages, assembled from the section registry.

A section page has up to three kinds of parts:
- the section's own fields (one form);
- measurement lists, as formsets with a few blank rows to fill;
- the ADL/IADL checklists, as a grid with one row per catalogue activity and the
  assist levels as radio buttons (Tab moves between activities, arrow keys pick a level);
- pick-lists (causes, signs and symptoms, affected occupations, interventions), as checkboxes.
All of them turn into the content dict that `services.save_sections` takes.
"""

import copy
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from common.models import concrete_field, related_model
from evaluations.choices import AssistLevel, EvaluationKind, Side
from evaluations.instruments import registry
from evaluations.interpretation import EvaluationRecord
from evaluations.interpretation.progress import suggest_goal_status
from evaluations.models import ActivityRating, Evaluation, OccupationalProfile
from evaluations.sections import RowList, Section
from evaluations.services import CONFIRM_DATE, MAX_ROWS

TEXTAREA_ROWS = 3
LONG_TEXT = 300  # row text of this many characters or more wraps in a growing box


def _bootstrap(field: forms.Field, small: bool = True) -> None:
    """Bootstrap classes for fields rendered in table cells (crispy lays out the rest)."""
    widget = field.widget
    size = "-sm" if small else ""
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        widget.attrs["class"] = "form-check-input"
    elif isinstance(widget, forms.Select):
        widget.attrs["class"] = f"form-select form-select{size}"
    elif not isinstance(widget, forms.HiddenInput):
        widget.attrs["class"] = f"form-control form-control{size}"


def _catalogue_queryset(spec: RowList, field_name: str, current_ids: set[int]):
    """Active entries (plus any already chosen on this draft), narrowed to what belongs in the list."""
    model = related_model(spec.model, field_name)
    queryset = model._default_manager.filter(Q(is_active=True) | Q(pk__in=current_ids))
    conditions = spec.catalogue_filter.get(field_name, {})
    return queryset.filter(**conditions) if conditions else queryset


def is_grid(spec: RowList) -> bool:
    return spec.model is ActivityRating


def is_instrument_list(spec: RowList) -> bool:
    """Screens and scales: one card per instrument of the registry, item by item or the total."""
    return "items" in spec.fields and "instrument" in spec.fields


def is_pick_list(spec: RowList) -> bool:
    return (
        len(spec.fields) == 2
        and spec.fields[1] == "notes"
        and spec.model._meta.get_field(spec.fields[0]).is_relation
    )


class SectionFieldsForm(forms.ModelForm):
    """The section's own fields, on the evaluation or its occupational profile."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = TEXTAREA_ROWS
        self.helper = FormHelper()
        self.helper.form_tag = False


def section_fields_form(section: Section) -> type[forms.ModelForm] | None:
    names = section.profile_fields or section.evaluation_fields
    if not names:
        return None
    model = OccupationalProfile if section.profile_fields else Evaluation
    return forms.modelform_factory(model, form=SectionFieldsForm, fields=list(names))


def _prepare_fields(form: forms.BaseForm, spec: RowList, current_ids: dict, choices: dict) -> None:
    """Widgets and catalogue options of a row's fields."""
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            # Catalogue entries travel by code (no database ids in pages), and the options
            # are read once per list, not once per row.
            field.queryset = _catalogue_queryset(spec, name, current_ids.get(name, set()))
            field.to_field_name = "code"
            field.widget.choices = choices[name]
        if isinstance(field, forms.CharField) and (field.max_length or 0) >= LONG_TEXT:
            # Goals, problems, notes: a box that wraps and grows with what is typed (CSS
            # field-sizing), one line while empty.
            field.widget = forms.Textarea(attrs={"rows": 1, **field.widget_attrs(forms.Textarea())})
        elif isinstance(field.widget, forms.Textarea):
            field.widget = forms.TextInput(attrs=field.widget_attrs(forms.TextInput()))
        if isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        if name == spec.links_baseline:  # which baseline row a carried row continues: not typed
            field.widget = forms.HiddenInput()
        _bootstrap(field)
        field.widget.attrs.setdefault("aria-label", str(field.label))


class RowForm(forms.ModelForm):
    """One measurement or finding. A blank row is ignored; a row can be removed with its checkbox."""

    # A row offered from the baseline (re-evaluation): left without a new value it is not saved.
    offered = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, spec: RowList, current_ids: dict, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        _prepare_fields(self, spec, current_ids, choices)

    def _post_clean(self):
        # Row rules that need the evaluation (and full model validation) run in the service;
        # here only the model's own clean() (ranges, bounds) and field validation.
        try:
            self.instance = self.spec.model(
                **{k: v for k, v in self.cleaned_data.items() if k in self.spec.fields}
            )
            self.instance.clean()
        except ValidationError as error:
            self._update_errors(error)  # type: ignore[attr-defined]  # ModelForm's own, as in its _post_clean


SIDES = ("left", "right")
SINGLE_SIDES = [
    (Side.BILATERAL.value, "Bilateral"),
    (Side.MIDLINE.value, "Midline"),
    (Side.NONE.value, "Not sided"),
]


# Body regions a therapist examines together, by the catalogue codes of their muscle groups and
# joint motions: choosing one adds its standard lines in one step.
REGIONS = (
    ("shoulder", "Shoulder", ("shoulder_", "scapular_")),
    ("elbow", "Elbow and forearm", ("elbow_", "forearm_")),
    ("wrist", "Wrist", ("wrist_",)),
    ("hip", "Hip", ("hip_",)),
    ("knee", "Knee", ("knee_",)),
    ("ankle", "Ankle and foot", ("ankle_", "foot_")),
    ("trunk", "Neck and trunk", ("neck_", "trunk_", "cervical_", "thoracolumbar_")),
)
REGION_KEYS = ("muscle_group", "joint_motion")
# What the side-to-side difference compares, and the values' heading, by the list's value fields.
PAIR_KINDS = {
    ("grade",): ("grade", "grade"),
    ("degrees", "is_painful"): ("degrees", "degrees"),
    ("trial_1_kg", "trial_2_kg", "trial_3_kg"): ("kg", "trials 1–3, kg"),
    ("value",): ("value", "value"),
    ("finding",): ("", "finding"),
}


def pair_layout(spec: RowList) -> tuple[list[str], list[str]]:
    """A paired list's line: what names the measure (its carried fields but the side), and the
    values measured on each side."""
    keys = [name for name in spec.carry if name != spec.paired_by]
    values = [name for name in spec.fields if name not in spec.carry and name != "notes"]
    return keys, values


class PairForm(forms.Form):
    """One line of a paired list: a measure with its Left and Right values (or one value, for a
    bilateral, midline or unsided measure), turned into one row per side."""

    spec: RowList
    keys: list[str]
    values: list[str]

    def __init__(self, *args, spec: RowList, current_ids: dict, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        _prepare_fields(self, spec, current_ids, choices)
        for side in SIDES:
            for name in self.values:
                self.fields[f"{side}_{name}"].widget.attrs["data-side"] = side
        self.rows_out: list[tuple[str, dict]] = []  # (the side's field prefix, the row)

    @classmethod
    def for_list(cls, spec: RowList) -> type["PairForm"]:
        keys, values = pair_layout(spec)
        model_fields = forms.fields_for_model(spec.model, fields=[*keys, *values, "notes"])
        attrs: dict[str, Any] = {"spec": spec, "keys": keys, "values": values}
        for name in keys:
            attrs[name] = model_fields[name]
        if spec.paired_by == "side":
            attrs["sides"] = forms.ChoiceField(
                choices=[("pair", "Left / Right"), *SINGLE_SIDES], initial="pair", label="Sides"
            )
        for side in SIDES:
            for name in values:
                field = copy.deepcopy(model_fields[name])
                field.required = False
                field.label = f"{side.title()}: {field.label}"
                attrs[f"{side}_{name}"] = field
        attrs["notes"] = model_fields["notes"]
        attrs["offered"] = forms.BooleanField(required=False, widget=forms.HiddenInput)
        return type(f"{spec.model.__name__}PairForm", (cls,), attrs)

    def side_fields(self, side: str) -> list:
        return [self[f"{side}_{name}"] for name in self.values]

    def left_fields(self) -> list:
        return self.side_fields("left")

    def right_fields(self) -> list:
        return self.side_fields("right")

    def key_fields(self) -> list:
        return [self[name] for name in self.keys]

    def clean(self):
        data = super().clean() or {}
        by = self.spec.paired_by
        if any(data.get(name) is None for name in self.keys):
            return data  # the key's own "required" error says it
        sides = data.get("sides") or "pair"
        entry = data.get(self.keys[0]) if self.keys else None
        if entry is not None and getattr(entry, "is_sided", True) is False:
            sides = Side.NONE.value  # a test the catalogue says is not done per side
        typed = {
            side: any(data.get(f"{side}_{name}") not in (None, "", False) for name in self.values)
            for side in SIDES
        }
        if sides == "pair":
            chosen = [(side, side) for side in SIDES if typed[side]]
        else:
            source = "right" if typed["right"] and not typed["left"] else "left"
            if typed["left"] and typed["right"]:
                self.add_error(
                    f"right_{self.values[0]}",
                    f"A {dict(SINGLE_SIDES)[sides].lower()} measure has one value: leave Right empty.",
                )
            chosen = [(sides, source)] if typed[source] else []
        if not chosen and not data.get("offered"):
            raise ValidationError("Enter the left or the right value, or remove this line.")
        self.rows_out = []
        for side, source in chosen:
            row = {name: data.get(name) for name in self.keys}
            row[by] = side
            row.update({name: data.get(f"{source}_{name}") for name in self.values})
            row["notes"] = data.get("notes", "")
            instance = self.spec.model(**{k: v for k, v in row.items() if v is not None})
            try:
                instance.clean_fields(exclude=["evaluation", *self.keys, by, "notes"])
                instance.clean()
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    target = f"{source}_{name}" if name in self.values else None
                    for message in messages:
                        self.add_error(target, message)
            self.rows_out.append((source, {name: row.get(name) for name in self.spec.fields}))
        return data


class GridRowForm(forms.Form):
    """One activity of the ADL or IADL checklist."""

    activity = forms.SlugField(widget=forms.HiddenInput)
    assist_level = forms.ChoiceField(
        choices=[("", "Not rated"), *AssistLevel.choices], required=False, widget=forms.RadioSelect
    )
    helper_effort_pct = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=100,
        label="Helper %",
        help_text="The helper's share of the effort: the level follows by the boundary rule.",
    )
    setup_only = forms.BooleanField(required=False, label="Set-up only")
    limited_by_pain = forms.BooleanField(required=False, label="Pain")
    limited_by_imbalance = forms.BooleanField(required=False, label="Imbalance")
    priority = forms.ChoiceField(
        choices=[("", "—"), ("high", "High"), ("medium", "Medium"), ("low", "Low")], required=False
    )
    notes = forms.CharField(max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _bootstrap(field)

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("helper_effort_pct") is not None or cleaned.get("setup_only"):
            # The level from what the helper does (the same rule the service applies).
            described = ActivityRating(
                assist_level=cleaned.get("assist_level") or "",
                helper_effort_pct=cleaned.get("helper_effort_pct"),
                setup_only=bool(cleaned.get("setup_only")),
            )
            for name, messages in described.derive().items():
                for message in messages:
                    self.add_error(name, message)
            if described.assist_level and "assist_level" not in self.errors:
                cleaned["assist_level"] = described.assist_level
        extra = (
            cleaned.get("limited_by_pain")
            or cleaned.get("limited_by_imbalance")
            or cleaned.get("priority")
            or cleaned.get("notes")
        )
        if extra and not cleaned.get("assist_level"):
            raise ValidationError("Choose an assist level, or clear this row.")
        return cleaned


class ScoredRadioSelect(forms.RadioSelect):
    """Radio buttons that carry each option's points (data-score) for the live total."""

    def __init__(self, *args, scores: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.scores = scores

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.scores:
            option["attrs"]["data-score"] = self.scores[str(value)]
        return option


class InstrumentForm(forms.Form):
    """One standardized instrument, built from the registry: each item's answer (radio buttons), or
    the total alone when only the total is known; the years of education where the scoring uses
    them. Left empty, the instrument is not recorded."""

    instrument_code = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, instrument: registry.Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.fields["instrument_code"].initial = instrument.key
        self.item_names = []
        for item in instrument.items:
            name = f"item_{item.key}"
            self.item_names.append(name)
            long_labels = any(len(option.label) > 12 for option in item.options)
            self.fields[name] = forms.TypedChoiceField(
                label=item.label,
                choices=[("", "not answered"), *((option.value, option.label) for option in item.options)],
                coerce=int,
                empty_value=None,
                required=False,
                widget=ScoredRadioSelect(
                    scores={str(option.value): option.score for option in item.options},
                    attrs={"class": "form-check-input"},
                ),
            )
            self.fields[name].stacked = long_labels  # type: ignore[attr-defined]  # read by the template
        # Items that share one answer scale (the LEFS) are shown as a grid: one column per answer.
        first = instrument.items[0].options if instrument.items else ()
        self.shared_options = (
            first
            if len(instrument.items) > 2 and all(item.options == first for item in instrument.items)
            else ()
        )
        self.fields["total_score"] = forms.IntegerField(
            label="Total" if instrument.items else "Total score",
            required=False,
            min_value=instrument.low,
            max_value=instrument.high,
            step_size=instrument.step if instrument.step > 1 else None,
            help_text="Scored from the items when they are answered; type it only when the total alone is known."
            if instrument.items
            else instrument.items_note,
        )
        if instrument.uses_education:
            self.fields["education_years"] = forms.IntegerField(
                label="Years of education", required=False, min_value=0, max_value=30
            )
        self.fields["notes"] = forms.CharField(label="Notes", max_length=500, required=False)
        for name in ("total_score", "education_years", "notes"):
            if name in self.fields:
                _bootstrap(self.fields[name])
                self.fields[name].widget.attrs["aria-label"] = f"{instrument.name}: {self.fields[name].label}"

    def item_fields(self):
        return [self[name] for name in self.item_names]

    def answers(self) -> dict[str, int]:
        data = self.cleaned_data
        return {
            name.removeprefix("item_"): data[name] for name in self.item_names if data.get(name) is not None
        }

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("instrument_code") not in (None, self.instrument.key):
            raise ValidationError(
                "The list of instruments changed since this page was opened. Reload the page."
            )
        answers = self.answers()
        total = cleaned.get("total_score")
        if answers:
            try:
                from_items = self.instrument.total(answers)
            except registry.InvalidItems as error:
                for key, message in error.errors.items():
                    self.add_error(f"item_{key}" if f"item_{key}" in self.fields else None, message)
            else:
                if total is not None and total != from_items:
                    self.add_error(
                        "total_score",
                        f"The items add up to {from_items}, not {total}: correct the items or clear the total.",
                    )
        elif total is None and (cleaned.get("notes") or cleaned.get("education_years") is not None):
            raise ValidationError(
                f"Enter the {self.instrument.name} items or its total, or clear this instrument."
            )
        return cleaned

    @property
    def is_recorded(self) -> bool:
        data = self.cleaned_data
        return bool(self.answers()) or data.get("total_score") is not None


class InstrumentFormSet(forms.BaseFormSet):
    """One form per instrument of the list, in the registry's order."""

    instruments: list[registry.Instrument] = []

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        return {**kwargs, "instrument": self.instruments[index if index is not None else 0]}


class PickListForm(forms.Form):
    def __init__(self, *args, spec: RowList, current_ids: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        name = spec.fields[0]
        self.fields[name] = forms.ModelMultipleChoiceField(
            queryset=_catalogue_queryset(spec, name, current_ids),
            to_field_name="code",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=spec.title,
        )


class RowFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove"
            form.fields["DELETE"].widget.attrs.update(
                {
                    "class": "form-check-input",
                    "aria-label": f"Remove row {index + 1}" if index is not None else "Remove row",
                }
            )


class CarriedRowFormSet(RowFormSet):
    """Rows offered from the baseline: blank-permitted like extra rows, with their starting values."""

    def initial_form_count(self):
        return 0


def _describe_values(spec: RowList, row) -> str:
    """A baseline row's measured values, as shown beside the row measured again ("3+", "85° · painful")."""
    shown = []
    for name in spec.fields:
        if name in spec.carry or name == "notes":
            continue
        field = concrete_field(spec.model, name)
        value = getattr(row, name)
        if value is None or value == "" or value is False:
            continue
        if value is True:
            shown.append(str(field.verbose_name))
        elif field.choices:
            shown.append(str(getattr(row, f"get_{name}_display")()))
        elif hasattr(value, "isoformat"):
            shown.append(f"{value:%m/%d/%Y}")
        else:
            shown.append(str(value))
    return " · ".join(shown)


def describe_errors(forms_with_fields) -> None:
    """Tie each error message to its input for screen readers (aria-invalid, aria-describedby)."""
    for form in forms_with_fields:
        if not form.is_bound:
            continue
        for name in form.errors:
            if name in form.fields:
                attrs = form.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{form[name].auto_id}-error"


def _blank(spec: RowList, name: str):
    """A field the page does not show (a follow-up's goal status on an initial evaluation)."""
    field = concrete_field(spec.model, name)
    return None if field.null else field.get_default()


def goal_suggestions(record: EvaluationRecord) -> dict[int, Any]:
    """Each baseline goal's suggested status from today's ratings, by its number (1 = first)."""
    baseline = record.baseline
    if baseline is None:
        return {}
    now = {rating.activity_id: rating for rating in record.activity_ratings}
    then = {rating.activity_id: rating for rating in baseline.activity_ratings}
    return {
        number: suggest_goal_status(
            goal,
            now.get(goal.activity_id) if goal.activity_id is not None else None,
            then.get(goal.activity_id) if goal.activity_id is not None else None,
        )
        for number, goal in enumerate(baseline.goals, start=1)
    }


class Part:
    """One list of a section on the page: how it is shown and how it becomes content."""

    def __init__(
        self, spec: RowList, rows: list, data, prefix: str, baseline=None, follow_up=False, suggestions=None
    ):
        self.spec = spec
        self.follow_up = follow_up
        self.suggestions = suggestions or {}
        self.key = spec.key
        self.title = spec.title
        self.prefix = prefix
        self.kind = (
            "grid"
            if is_grid(spec)
            else "instruments"
            if is_instrument_list(spec)
            else "picks"
            if is_pick_list(spec)
            else "rows"
        )
        self.rows = rows
        catalogue_fields = [name for name in spec.fields if spec.model._meta.get_field(name).is_relation]
        current_ids = {name: {getattr(row, f"{name}_id") for row in rows} for name in catalogue_fields}
        self.stale = False
        self.carried: list[dict] = []
        self.baseline_date = None
        if self.kind == "grid":
            self._build_grid(data, current_ids["activity"], baseline)
        elif self.kind == "instruments":
            self._build_instruments(data, baseline)
        elif self.kind == "picks":
            name = spec.fields[0]
            self.notes = {getattr(row, f"{name}_id"): row.notes for row in rows}
            self.form = PickListForm(
                data,
                prefix=prefix,
                spec=spec,
                current_ids=current_ids[name],
                initial={name: [getattr(row, name).code for row in rows]},
            )
        else:
            self._build_rows(data, rows, baseline, catalogue_fields, current_ids)
        self.content_forms: list[tuple[Any, str | None]] = []

    def _carry_key(self, row) -> tuple:
        if isinstance(row, dict):
            return tuple(row.get(name) for name in self.spec.carry)
        return tuple(self._initial_value(row, name) for name in self.spec.carry)

    def _initial_value(self, row, name: str):
        field = concrete_field(self.spec.model, name)
        if field.is_relation:
            target = getattr(row, name)
            return target.code if target is not None else None
        return getattr(row, field.attname)

    def _lines(self, rows) -> list[dict]:
        """Stored rows as the page's lines: one per row, or for a paired list one per measure with
        its left and right values (a bilateral, midline or unsided row is a line of its own)."""
        spec = self.spec
        if not spec.paired_by:
            return [
                {name: self._initial_value(row, name) for name in spec.fields}
                | {"before": {"left": _describe_values(spec, row)}}
                for row in rows
            ]
        keys, values = pair_layout(spec)
        lines: list[dict] = []
        open_pairs: dict[tuple, dict] = {}
        for row in rows:
            key = tuple(self._initial_value(row, name) for name in keys)
            side = getattr(row, spec.paired_by)
            line = open_pairs.get(key) if side in SIDES else None
            if line is None or f"{side}_{values[0]}" in line:
                line = {name: value for name, value in zip(keys, key, strict=True)}
                line["sides"] = "pair" if side in SIDES else side
                lines.append(line)
                if side in SIDES:
                    open_pairs[key] = line
            prefix = side if side in SIDES else "left"
            line.update({f"{prefix}_{name}": self._initial_value(row, name) for name in values})
            notes = [n for n in (line.get("notes", ""), row.notes) if n]
            line["notes"] = "; ".join(dict.fromkeys(notes))
            line.setdefault("before", {})[prefix] = _describe_values(spec, row)
        return lines

    def with_region(self, data, slug: str):
        """The posted page with a region's lines added after its last line (no script: the button
        posts the page, which comes back with the lines and nothing saved)."""
        region = next((r for r in self.regions if r["slug"] == slug), None)
        total = data.get(f"{self.prefix}-TOTAL_FORMS", "")
        if region is None or not total.isdigit():
            return data
        data = data.copy()
        index = int(total)
        limit = (self.spec.max_rows or MAX_ROWS) // 2
        key = pair_layout(self.spec)[0][0]
        for code in region["codes"]:
            if index >= limit:
                break
            data[f"{self.prefix}-{index}-{key}"] = code
            data[f"{self.prefix}-{index}-sides"] = "pair"
            data[f"{self.prefix}-{index}-offered"] = "True"  # like a baseline's offer: unsaved until measured
            if "mode" in self.spec.fields:
                data[f"{self.prefix}-{index}-mode"] = "active"
            index += 1
        data[f"{self.prefix}-TOTAL_FORMS"] = str(index)
        return data

    def _line_key(self, line: dict) -> tuple:
        names = pair_layout(self.spec)[0] if self.spec.paired_by else list(self.spec.carry)
        sides = (line.get("sides", "pair"),) if self.spec.paired_by else ()
        return (*(line.get(name) for name in names), *sides)

    def _build_rows(self, data, rows, baseline, catalogue_fields, current_ids) -> None:
        spec = self.spec
        if spec.paired_by:
            self.kind = "pairs"
        saved = self._lines(rows)
        # A re-evaluation offers the baseline's rows not measured again yet: what was measured and
        # how, with the values left to measure anew and the earlier value beside. An offer left
        # without a new value is not saved. The baseline is signed, so a posted page reads it the same.
        before_rows = baseline.rows(spec) if baseline is not None and spec.carry else []
        link = spec.links_baseline
        measured = {self._line_key(line) for line in saved}
        continued = {line.get(link) for line in saved} if link else set()
        offers = []
        for number, line in enumerate(self._lines(before_rows), start=1):
            if link:  # a carried row names the baseline row it continues, which stays signed as it was
                line[link] = number
                if number in continued:
                    continue
            elif self._line_key(line) in measured:
                continue
            if spec.carry_values:  # carried as it was: saved as shown unless changed
                offers.append(line)
                continue
            offer = {k: v for k, v in line.items() if k in spec.carry or k in ("sides", "before")}
            offers.append({**offer, "offered": True})
        self.carried = offers
        self.baseline_date = baseline.evaluation.date_of_service if before_rows else None
        choices = {
            name: [
                ("", "---------"),
                *((entry.code, str(entry)) for entry in _catalogue_queryset(spec, name, current_ids[name])),
            ]
            for name in catalogue_fields
        }
        self.regions: list[dict] = []
        if spec.paired_by:
            keys, values = pair_layout(spec)
            self.pair_kind, self.value_label = PAIR_KINDS.get(tuple(values), ("", ""))
            if keys and keys[0] in REGION_KEYS:
                active = [code for code, _label in choices[keys[0]] if code]
                self.regions = [
                    {"slug": slug, "label": label, "codes": codes}
                    for slug, label, prefixes in REGIONS
                    if (codes := [code for code in active if code.startswith(prefixes)])
                ]
        before_by_key = {self._line_key(line): line.get("before", {}) for line in self._lines(before_rows)}
        limit = spec.max_rows or MAX_ROWS
        if spec.paired_by:
            limit //= 2  # a line holds two rows
            if not pair_layout(spec)[0]:
                limit = 1  # one measure per side (grip): one line
            form_class: type[forms.BaseForm] = PairForm.for_list(spec)
        else:
            shown = [name for name in spec.fields if self.follow_up or name not in spec.follow_up_only]
            form_class = forms.modelform_factory(spec.model, form=RowForm, fields=shown)
        formset_class = forms.formset_factory(
            form_class,
            formset=CarriedRowFormSet if offers else RowFormSet,
            extra=max(0, min((2 if saved else 3) + len(offers), limit - len(saved))),  # blank lines
            can_delete=True,
            max_num=limit,
            absolute_max=limit,
            validate_max=True,
        )
        if data is None:
            initial = [{k: v for k, v in line.items() if k != "before"} for line in [*saved, *offers]]
        else:
            # A posted page is judged on what it holds, not against the rows stored now (a page opened
            # before another save still reads as what its user typed); an offer it holds is known by
            # its marker, and starts from what it offered, so one left untouched is not a change.
            carried_names = [*spec.carry, "sides"] if spec.paired_by else list(spec.carry)
            total = data.get(f"{self.prefix}-TOTAL_FORMS", "")
            count = min(int(total), limit) if total.isdigit() and len(total) < 6 else 0
            initial = [
                {name: data.get(f"{self.prefix}-{index}-{name}") for name in carried_names}
                | {"offered": True}
                if data.get(f"{self.prefix}-{index}-offered") in ("True", "on", "1")
                else {}
                for index in range(count)
            ]
        self.formset = formset_class(
            data,
            prefix=self.prefix,
            initial=initial or None,
            form_kwargs={"spec": spec, "current_ids": current_ids, "choices": choices},
        )
        for form in self.formset.forms:
            if link and link in form.fields:
                goal_number: int | None = form.initial.get(link) if form.initial else None
                if data is not None:
                    posted = data.get(form.add_prefix(link), "")
                    goal_number = int(posted) if posted.isdigit() and len(posted) < 4 else None
                form.suggestion = self.suggestions.get(goal_number) if goal_number else None
            line = form.initial or {}
            before = before_by_key.get(self._line_key(line), {}) if line else {}
            # What was measured at baseline, read by the template beside the value(s).
            form.before = before if spec.paired_by else before.get("left")

    def _build_grid(self, data, current_ids: set[int], baseline=None):
        activities = list(
            _catalogue_queryset(self.spec, "activity", current_ids).order_by("display_order", "label")
        )
        before_rows = baseline.rows(self.spec) if baseline is not None else []
        # A re-evaluation's checklist not yet saved starts from the baseline's ratings: the
        # therapist changes what is different today (the level then stays shown beside).
        self.carried_grid = bool(before_rows) and not self.rows
        by_activity = {row.activity_id: row for row in (self.rows or before_rows)}
        initial = []
        for activity in activities:
            row = by_activity.get(activity.pk)
            initial.append(
                {
                    "activity": activity.code,
                    "assist_level": row.assist_level if row else "",
                    # What the helper did is described anew at a follow-up (the level is carried).
                    "helper_effort_pct": row.helper_effort_pct if row and not self.carried_grid else None,
                    "setup_only": row.setup_only if row and not self.carried_grid else False,
                    "limited_by_pain": row.limited_by_pain if row else False,
                    "limited_by_imbalance": row.limited_by_imbalance if row else False,
                    "priority": row.priority if row else "",
                    "notes": row.notes if row and not self.carried_grid else "",
                }
            )
        # One form per activity on the list, never more, whatever the posted management form says.
        formset_class = forms.formset_factory(
            GridRowForm, extra=0, max_num=len(activities), absolute_max=len(activities), validate_max=True
        )
        self.formset = formset_class(data, prefix=self.prefix, initial=initial)
        self.activities = {activity.code: activity for activity in activities}
        # A re-evaluation shows each activity's level at baseline beside today's choice.
        before = {row.activity_id: row.get_assist_level_display() for row in before_rows}
        self.baseline_date = baseline.evaluation.date_of_service if before_rows else None
        for form, activity in zip(self.formset.forms, activities, strict=False):
            form.activity_label = activity.label  # type: ignore[attr-defined]  # read by the template
            form.activity_description = activity.description  # type: ignore[attr-defined]
            form.is_core_iadl = activity.is_core_iadl  # type: ignore[attr-defined]
            form.before = before.get(activity.pk)  # type: ignore[attr-defined]  # the baseline's level
            for name, what in (
                ("helper_effort_pct", "helper's share of the effort, %"),
                ("setup_only", "set-up only"),
                ("limited_by_pain", "limited by pain"),
                ("limited_by_imbalance", "limited by muscle imbalance"),
                ("priority", "priority for the client"),
                ("notes", "notes"),
            ):
                form.fields[name].widget.attrs["aria-label"] = f"{activity.label}: {what}"

    def _build_instruments(self, data, baseline=None) -> None:
        spec = self.spec
        choices = concrete_field(spec.model, "instrument").choices or []
        known = registry.instruments()
        instruments = [known[value] for value, _label in choices if value in known]
        by_instrument = {row.instrument: row for row in self.rows}
        before_rows = baseline.rows(spec) if baseline is not None else []
        before = {row.instrument: row for row in before_rows}
        initial = []
        for instrument in instruments:
            row = by_instrument.get(instrument.key)
            earlier = before.get(instrument.key)
            values: dict[str, Any] = {"instrument_code": instrument.key}
            if row is not None:
                values |= {f"item_{key}": value for key, value in (row.items or {}).items()}
                values |= {"total_score": None if row.items else row.total_score, "notes": row.notes}
                if instrument.uses_education:
                    values["education_years"] = row.education_years
            elif earlier is not None and instrument.uses_education:
                values["education_years"] = earlier.education_years  # carried: rarely changes
            initial.append(values)
        formset_class: type[InstrumentFormSet] = forms.formset_factory(  # type: ignore[assignment]
            InstrumentForm,
            formset=InstrumentFormSet,
            extra=0,
            max_num=len(instruments),
            absolute_max=len(instruments),
            validate_max=True,
        )
        formset_class.instruments = instruments
        self.formset = formset_class(data, prefix=self.prefix, initial=initial)
        self.instruments = instruments
        self.baseline_date = baseline.evaluation.date_of_service if before_rows else None
        for form, instrument in zip(self.formset.forms, instruments, strict=False):
            earlier = before.get(instrument.key)
            form.before = (  # read by the template
                f"{earlier.total_score}/{instrument.high}" if earlier is not None else None
            )
            form.has_saved = instrument.key in by_instrument

    def is_valid(self) -> bool:
        if self.kind == "picks":
            return self.form.is_valid()
        valid = self.formset.is_valid()
        if self.kind == "instruments" and self.formset.is_bound:
            total = self.formset.data.get(f"{self.prefix}-TOTAL_FORMS")
            if total != str(len(self.instruments)):
                self.stale = True
                self.formset._non_form_errors = self.formset.error_class(  # type: ignore[attr-defined]
                    ["The list of instruments changed since this page was opened. Reload the page."]
                )
                valid = False
        if self.kind == "grid":
            posted = [form.cleaned_data.get("activity") for form in self.formset.forms if form.is_valid()]
            total = self.formset.data.get(f"{self.prefix}-TOTAL_FORMS")
            if total != str(len(self.activities)) or sorted(posted) != sorted(self.activities):
                # The catalogue changed while the page was open (or the form was tampered with):
                # refuse rather than file a rating under the wrong activity.
                self.stale = True
                self.formset._non_form_errors = self.formset.error_class(  # type: ignore[attr-defined]
                    [
                        "The list of activities changed since this page was opened. Reload the page and enter the ratings again."
                    ]
                )
                valid = False
        return valid

    def describe_errors(self) -> None:
        describe_errors([self.form] if self.kind == "picks" else self.formset.forms)

    def content(self) -> list[dict]:
        self.content_forms = []
        items = []
        if self.kind == "picks":
            name = self.spec.fields[0]
            for entry in self.form.cleaned_data[name]:
                items.append({name: entry, "notes": self.notes.get(entry.pk, "")})
                self.content_forms.append((self.form, None))
        elif self.kind == "instruments":
            for form in self.formset.forms:
                if not form.is_recorded:
                    continue
                data = form.cleaned_data
                answers = form.answers()
                row = {
                    "instrument": form.instrument.key,
                    "items": answers,
                    "total_score": data.get("total_score"),
                    "notes": data.get("notes", ""),
                }
                if "education_years" in self.spec.fields:
                    row["education_years"] = data.get("education_years")
                items.append(row)
                self.content_forms.append((form, None))
        elif self.kind == "grid":
            for form in self.formset.forms:
                data = form.cleaned_data
                if not data.get("assist_level"):
                    continue
                activity = self.activities[data["activity"]]  # is_valid() checked every code
                items.append({**{k: v for k, v in data.items() if k != "activity"}, "activity": activity})
                self.content_forms.append((form, None))
        else:
            measured = [name for name in self.spec.fields if name not in self.spec.carry and name != "notes"]
            for form in self.formset.forms:
                if not form.has_changed() or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                    continue  # a blank line, an offer not measured again, or one removed
                if self.kind == "pairs":
                    for source, row in form.rows_out:
                        items.append(row)
                        self.content_forms.append((form, source))
                    continue
                data = form.cleaned_data
                if data.get("offered") and all(data.get(name) in (None, "", False) for name in measured):
                    continue
                items.append({name: data.get(name, _blank(self.spec, name)) for name in self.spec.fields})
                self.content_forms.append((form, None))
        return items

    def add_error(self, index: int, field: str, messages: list[str]):
        form, source = self.content_forms[index] if index < len(self.content_forms) else (None, None)
        if form is None:
            form = self.form if self.kind == "picks" else self.formset.forms[0]
        name = f"{source}_{field}" if source and f"{source}_{field}" in form.fields else field
        known = name in form.fields
        for message in messages:
            form.add_error(name if known else None, message)


class SectionEditor:
    """Everything on one section page, bound or not, and its content for the service."""

    def __init__(self, section: Section, record: EvaluationRecord, data=None):
        self.section = section
        self.evaluation = record.evaluation
        current = record.content(section)
        form_class = section_fields_form(section)
        self.fields_form = None
        if form_class is not None:
            names = section.profile_fields or section.evaluation_fields
            # Unbound to the stored row: the service, not the form, writes it.
            self.fields_form = form_class(
                data, prefix="section", initial={name: current[name] for name in names}
            )
        follow_up = record.evaluation.previous_evaluation_id is not None
        self.parts = [
            Part(
                spec,
                current[spec.key],
                data,
                prefix=spec.key,
                baseline=record.baseline,
                follow_up=follow_up,
                suggestions=goal_suggestions(record) if spec.links_baseline and follow_up else None,
            )
            for spec in section.rows
        ]

    def is_valid(self) -> bool:
        valid = [part.is_valid() for part in self.parts]
        if self.fields_form is not None:
            valid.append(self.fields_form.is_valid())
        return all(valid)

    def content(self) -> dict:
        content = {}
        if self.fields_form is not None:
            content.update(
                {name: self.fields_form.cleaned_data[name] for name in self.fields_form._meta.fields or ()}
            )
        for part in self.parts:
            content[part.key] = part.content()
        return content

    def add_errors(self, error: ValidationError):
        """Put the service's errors ("ratings.3.assist_level", "sessions_per_week") on the right form."""
        parts = {part.key: part for part in self.parts}
        for key, messages in error.message_dict.items():
            _section, _dot, path = key.partition(".")
            head, _dot, rest = path.partition(".")
            if head in parts and rest:
                index, _dot, field = rest.partition(".")
                parts[head].add_error(int(index), field, messages)
            elif self.fields_form is not None and head in self.fields_form.fields:
                for message in messages:
                    self.fields_form.add_error(head, message)
            elif self.fields_form is not None:
                for message in messages:
                    self.fields_form.add_error(None, message)
            else:
                for message in messages:
                    self.parts[0].add_error(0, "__all__", [message])

    def describe_errors(self) -> None:
        if self.fields_form is not None:
            describe_errors([self.fields_form])
        for part in self.parts:
            part.describe_errors()

    def error_map(self) -> dict[str, list[str]]:
        """Every message by the name of the input it belongs to; a row's or list's own messages
        under its prefix ("strength-2", "strength"), the section form's under "section"."""
        found: dict[str, list[str]] = {}
        forms_with_errors: list[forms.BaseForm] = [self.fields_form] if self.fields_form is not None else []
        for part in self.parts:
            if part.kind == "picks":
                forms_with_errors.append(part.form)
            else:
                forms_with_errors.extend(part.formset.forms)
                if part.formset.is_bound and part.formset.non_form_errors():
                    found[part.prefix] = [str(message) for message in part.formset.non_form_errors()]
        for form in forms_with_errors:
            if not form.is_bound:
                continue
            for name, messages in form.errors.items():
                key = form.add_prefix(name) if name in form.fields else (form.prefix or "section")
                found.setdefault(key, []).extend(str(message) for message in messages)
        return found

    @property
    def has_errors(self) -> bool:
        forms_with_errors: list[forms.BaseForm] = [self.fields_form] if self.fields_form is not None else []
        for part in self.parts:
            if part.kind == "picks":
                forms_with_errors.append(part.form)
            else:
                forms_with_errors.extend(part.formset.forms)
                if part.formset.non_form_errors():
                    return True
        return any(form.errors for form in forms_with_errors if form.is_bound)


class ConfirmsDate:
    """A date of service far back asks for confirmation: the box appears with the message."""

    def ask_to_confirm_date(self, error: ValidationError) -> bool:
        codes = (
            [e.code for e in error.error_dict.get("date_of_service", [])]
            if hasattr(error, "error_dict")
            else []
        )
        if CONFIRM_DATE in codes:
            self.fields["confirm_date"].widget = forms.CheckboxInput(attrs={"class": "form-check-input"})  # type: ignore[attr-defined]
            return True
        return False


class StartEvaluationForm(ConfirmsDate, forms.Form):
    kind = forms.ChoiceField(choices=EvaluationKind.choices, initial=EvaluationKind.INITIAL)
    date_of_service = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    previous_evaluation = forms.ModelChoiceField(
        queryset=Evaluation.objects.none(),
        required=False,
        label="Compared with (for a re-evaluation, progress report or discharge)",
        to_field_name="public_id",
    )
    confirm_date = forms.BooleanField(
        required=False, label="Yes, this date is right", widget=forms.HiddenInput
    )

    def __init__(self, *args, baselines, **kwargs):
        super().__init__(*args, **kwargs)
        choice = self.fields["previous_evaluation"]
        assert isinstance(choice, forms.ModelChoiceField)
        choice.queryset = baselines
        choice.label_from_instance = lambda evaluation: (  # type: ignore[assignment]
            f"{evaluation.get_kind_display()} of {evaluation.date_of_service:%m/%d/%Y} by {evaluation.therapist.display_name}"
        )
        self.fields["date_of_service"].initial = timezone.localdate()
        self.fields["date_of_service"].widget.attrs["max"] = timezone.localdate().isoformat()


class DateOfServiceForm(ConfirmsDate, forms.Form):
    date_of_service = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    confirm_date = forms.BooleanField(
        required=False, label="Yes, this date is right", widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_of_service"].widget.attrs.update(
            {"class": "form-control", "max": timezone.localdate().isoformat()}
        )


class DiscardForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        required=False,
        label="Why (optional)",
        help_text="For example: started for the wrong patient, or a duplicate of another draft.",
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class SignForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        label="Your password",
        help_text="Signing seals the evaluation: it cannot change afterwards, only take addenda.",
    )


class SubmitForCosignatureForm(forms.Form):
    cosigner: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=User.objects.none(), label="Supervising therapist who co-signs"
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        label="Your password",
        help_text="The draft then waits for the co-signature and does not change unless it is returned.",
    )

    def __init__(self, *args, cosigners, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["cosigner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = cosigners
        field.label_from_instance = lambda user: str(user.display_name)  # type: ignore[method-assign,assignment]


class ReturnForm(forms.Form):
    note = forms.CharField(
        label="What to change",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class AddendumForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, label="Addendum")
