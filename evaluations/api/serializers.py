"""Evaluation shapes, generated from the section registry so the schema matches the pages.

Rows reference catalogue entries by `code` (labels come from /api/v1/catalogues/…),
so what a client reads it can send back unchanged.
"""

from dataclasses import asdict
from types import SimpleNamespace

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from accounts.models import User
from common.api import StrictCharField, StrictFieldsMixin, StrictModelSerializer, represent
from common.models import concrete_field, related_model
from evaluations.choices import AssistLevel, MmtGrade
from evaluations.instruments import Flag, Score, mmt_grade_spellings, registry
from evaluations.instruments.terminology import loinc
from evaluations.interpretation import EvaluationRecord
from evaluations.interpretation.scores import psfs_score
from evaluations.models import ActivityRating, Addendum, Evaluation, OccupationalProfile
from evaluations.models.base import InstrumentRow
from evaluations.seal import SealState, check_seal
from evaluations.sections import SECTIONS, RowList, Section
from evaluations.services import MAX_ROWS
from patients.models import Patient


def _camel(key: str) -> str:
    return "".join(part.capitalize() for part in key.split("_"))


class RowSerializer(StrictFieldsMixin, StrictModelSerializer):
    """Base for one row of a section: runs the model's own checks (ranges, bounds) at the boundary."""

    def validate(self, attrs):
        model: type[Model] = self.Meta.model
        row = model(**attrs)
        try:
            row.clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        if isinstance(row, InstrumentRow):
            attrs["total_score"] = row.total_score  # scored from the items when they were given
        if isinstance(row, ActivityRating):
            attrs["assist_level"] = row.assist_level  # from the description of the help, when given
        return attrs


class MmtGradeField(serializers.ChoiceField):
    """A manual muscle test grade in any spelling therapists write (4-, 4−, 4/5, G-, Good minus, T,
    trace, …); stored and answered as its ordinal code."""

    def __init__(self, **kwargs):
        kwargs.pop("choices", None)
        super().__init__(choices=sorted(mmt_grade_spellings()), **kwargs)

    def to_internal_value(self, data):
        return mmt_grade_spellings()[super().to_internal_value(data)]

    def to_representation(self, value):
        return value


def _items_schema(keys: list[str]) -> dict:
    """Each instrument's item answers as an object, from the registry: every item required, its
    allowed answers listed; an empty object when only the total is given."""
    variants: list[dict] = [{"type": "object", "maxProperties": 0, "title": "total only"}]
    for key in keys:
        instrument = registry.instruments().get(key)
        if instrument is None or not instrument.items:
            continue
        variants.append(
            {
                "type": "object",
                "title": instrument.name,
                "properties": {
                    item.key: {
                        "type": "integer",
                        "enum": [option.value for option in item.options],
                        "description": "; ".join(
                            f"{o.value} = {o.label} ({o.score} points)" for o in item.options
                        ),
                    }
                    for item in instrument.items
                },
                "required": [item.key for item in instrument.items],
                "additionalProperties": False,
            }
        )
    return {"oneOf": variants}


class InstrumentItemsField(serializers.DictField):
    """A standardized instrument's item answers (see /api/v1/instruments for each instrument's items)."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.IntegerField(), **kwargs)


def _instrument_fields(spec: RowList) -> dict[str, serializers.Field]:
    keys = [value for value, _label in concrete_field(spec.model, "instrument").choices or []]
    items = extend_schema_field(_items_schema(keys))(InstrumentItemsField)
    return {
        "items": items(
            required=False,
            help_text="Each item's answer, every item answered; then the total is scored from them. "
            "Leave out (or {}) when only the total is known. Items, options and points: /api/v1/instruments.",
        ),
        "total_score": serializers.IntegerField(
            required=False,
            allow_null=True,
            min_value=0,
            help_text="Scored from the items when they are given (a total sent with them must agree); "
            "sent alone when only the total is known.",
        ),
    }


def row_serializer(spec: RowList, section: Section) -> type[RowSerializer]:
    model = spec.model
    declared: dict[str, serializers.Field] = {}
    for name in spec.fields:
        field = concrete_field(model, name)
        if field.choices and set(dict(field.choices)) == set(MmtGrade.values):
            declared[name] = MmtGradeField(
                required=not field.has_default() and not field.blank,
                allow_blank=field.blank,
                help_text="0, 1, 2-, 2, 2+ … 5; also written T/trace, G-/Good minus, 4−, 4/5.",
            )
        if field.is_relation:
            target = related_model(model, name)
            declared[name] = serializers.SlugRelatedField(
                slug_field="code",
                queryset=target._default_manager.all(),
                allow_null=field.null,
                required=not field.null,
                help_text=f"Code from /api/v1/catalogues/… ({target._meta.verbose_name_plural}).",
            )
    if issubclass(model, InstrumentRow):
        declared |= _instrument_fields(spec)
    if model is ActivityRating:
        declared["assist_level"] = serializers.ChoiceField(
            choices=AssistLevel.choices,
            required=False,
            help_text="The level; or leave it out and describe the help (helper_effort_pct, setup_only): "
            "the level then follows by the boundary rule (a level sent as well must agree).",
        )
    meta = type("Meta", (), {"model": model, "fields": list(spec.fields)})
    name = f"{_camel(section.api_key)}{_camel(spec.key)}Row"
    return type(name, (RowSerializer,), {**declared, "Meta": meta, "__doc__": spec.title})


def section_serializer(section: Section) -> type[serializers.Serializer]:
    """One section: its fields and its row lists. Every key is optional in a PATCH; a list sent replaces the stored list."""
    model = OccupationalProfile if section.profile_fields else Evaluation
    fields = list(section.profile_fields or section.evaluation_fields)
    declared = {
        spec.key: row_serializer(spec, section)(
            many=True,
            required=False,
            max_length=spec.max_rows or MAX_ROWS,  # type: ignore[call-arg]  # passed on to the ListSerializer
        )
        for spec in section.rows
    }
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": [*fields, *declared],
            "extra_kwargs": {name: {"required": False} for name in fields},
        },
    )
    return type(
        f"{_camel(section.api_key)}Section",
        (StrictFieldsMixin, StrictModelSerializer),
        {**declared, "Meta": meta, "__doc__": f"{section.number}. {section.title}: {section.description}"},
    )


SECTION_SERIALIZERS = {section.api_key: section_serializer(section) for section in SECTIONS}


class AddendumSerializer(StrictFieldsMixin, StrictModelSerializer):
    """A correction or late entry under a signed evaluation, with its author and time."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)
    author_name = serializers.CharField(source="author.display_name", read_only=True)

    class Meta:
        model = Addendum
        fields = ["id", "author", "author_name", "created_at", "text"]
        read_only_fields = ["created_at"]


class EvaluationSummarySerializer(serializers.ModelSerializer):
    """What every role with access to the list sees: that an evaluation exists, when, by whom, its status."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    patient = serializers.UUIDField(source="patient.public_id", read_only=True)
    patient_mrn = serializers.CharField(source="patient.mrn", read_only=True)
    patient_name = serializers.CharField(source="patient.display_name", read_only=True)
    therapist = serializers.CharField(source="therapist.username", read_only=True)
    therapist_name = serializers.CharField(source="therapist.display_name", read_only=True)
    previous_evaluation = serializers.UUIDField(
        source="previous_evaluation.public_id", read_only=True, allow_null=True, default=None
    )
    signed_by = serializers.CharField(
        source="signed_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "patient",
            "patient_mrn",
            "patient_name",
            "kind",
            "date_of_service",
            "status",
            "therapist",
            "therapist_name",
            "previous_evaluation",
            "signed_by",
            "signed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


def _sections_schema():
    return inline_serializer(
        "EvaluationSections",
        {key: serializer(read_only=True) for key, serializer in SECTION_SERIALIZERS.items()},
    )


class NormSerializer(serializers.Serializer):
    source = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.source
    description = serializers.CharField()
    mean = serializers.FloatField(allow_null=True)
    sd = serializers.FloatField(allow_null=True)
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)
    unit = serializers.CharField()


class PsfsSerializer(serializers.Serializer):
    """The Patient-Specific Functional Scale: the mean of the activities rated (0–10) and, for a
    follow-up, the change over the activities rated at the baseline too."""

    mean = serializers.FloatField()
    change = serializers.FloatField(allow_null=True)
    meaning = serializers.CharField(
        allow_null=True, help_text="improved, declined or within measurement error"
    )
    threshold = serializers.CharField(
        allow_null=True, help_text="Which threshold judged the change, with its source."
    )
    new_activities = serializers.ListField(
        child=serializers.CharField(), help_text="Rated now, not at the baseline."
    )


class MeasureChangeSerializer(serializers.Serializer):
    measure = serializers.CharField()
    before = serializers.CharField()
    now = serializers.CharField()
    change = serializers.CharField()
    meaning = serializers.CharField(
        help_text="improved / declined only beyond the measure's measurement error or important change; "
        "otherwise no meaningful change, or not interpreted where none is published."
    )
    threshold = serializers.CharField(help_text="The threshold that judged the change, with its source.")


class ProgressSerializer(serializers.Serializer):
    """A follow-up's measures against its baseline evaluation."""

    baseline = serializers.UUIDField()
    baseline_date = serializers.DateField()
    measures = MeasureChangeSerializer(many=True)


class ScoreSerializer(serializers.Serializer):
    """A computed score: read-only, derived from the recorded row on every read."""

    instrument = serializers.CharField()
    value = serializers.FloatField()
    unit = serializers.CharField()
    interpretation = serializers.CharField(allow_null=True, help_text="Absent when no verified norm exists.")
    norm = NormSerializer(allow_null=True)
    z = serializers.FloatField(allow_null=True)
    percent_of_norm = serializers.FloatField(allow_null=True)
    notes = serializers.ListField(child=serializers.CharField())
    source = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.source
    flag = serializers.ChoiceField(
        choices=[flag.value for flag in Flag],
        allow_null=True,
        help_text="`normal`, `below_norm` (below the norm or a cut-off, or an impairment band) or "
        "`at_risk` (a fall-risk threshold crossed); null when no verified norm or cut-off applies.",
    )
    loinc = serializers.CharField(
        allow_null=True,
        help_text="The score's LOINC code (system http://loinc.org); null where the reference has none.",
    )
    loinc_display = serializers.CharField(allow_null=True)


def score_data(score: Score, side: str | None = None) -> dict:
    """A score for the API, with its LOINC code where one exists."""
    coding = loinc(score.instrument, side)
    return represent(
        ScoreSerializer,
        {
            **asdict(score),
            "loinc": coding.code if coding else None,
            "loinc_display": coding.display if coding else None,
        },
    )


class FindingSerializer(serializers.Serializer):
    kind = serializers.CharField()
    what = serializers.CharField()
    weaker_side = serializers.CharField()
    left = serializers.CharField()
    right = serializers.CharField()
    difference = serializers.CharField()
    related_pain = serializers.ListField(child=serializers.CharField())
    related_occupations = serializers.ListField(child=serializers.CharField())


class CptComponentSerializer(serializers.Serializer):
    name = serializers.CharField()
    level = serializers.IntegerField(
        allow_null=True, help_text="1 low, 2 moderate, 3 high; 0 none; null not rated."
    )
    evidence = serializers.ListField(child=serializers.CharField())


class CptSuggestionSerializer(serializers.Serializer):
    code = serializers.CharField(allow_null=True)
    level = serializers.CharField(allow_null=True)
    components = CptComponentSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())


class SealSerializer(serializers.Serializer):
    """The seal of a signed evaluation, checked against its content at this read."""

    state = serializers.ChoiceField(
        choices=["intact", "broken", "missing"],
        help_text="`intact`: the content is as it was signed; `broken`: it changed after signing; "
        "`missing`: no seal on record. Anything but `intact` is audited and must be investigated.",
    )
    content_sha256 = serializers.CharField(allow_null=True, help_text="SHA-256 stored at signing.")
    intact = serializers.BooleanField()


class EvaluationDetailSerializer(EvaluationSummarySerializer):
    """The whole evaluation: every section nested, computed scores, imbalance findings,
    addenda, and what is still missing before signing.

    Serializes `context["record"]` (an EvaluationRecord with every section loaded): every
    derived value is read from the record, none is computed here."""

    sections = serializers.SerializerMethodField()
    computed = serializers.SerializerMethodField()
    imbalance_findings = serializers.SerializerMethodField()
    cpt_suggestion = serializers.SerializerMethodField()
    copm = serializers.SerializerMethodField()
    psfs = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    missing_for_signature = serializers.SerializerMethodField()
    seal = serializers.SerializerMethodField()
    addenda = AddendumSerializer(many=True, read_only=True)
    cosigner = serializers.CharField(
        source="cosigner.username",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="For a supervised clinician's draft: the therapist asked to co-sign it.",
    )

    class Meta(EvaluationSummarySerializer.Meta):
        fields = [
            *EvaluationSummarySerializer.Meta.fields,
            "cosigner",
            "submitted_at",
            "cosign_note",
            "sections",
            "computed",
            "imbalance_findings",
            "cpt_suggestion",
            "copm",
            "psfs",
            "progress",
            "missing_for_signature",
            "seal",
            "addenda",
        ]
        read_only_fields = fields

    @extend_schema_field(SealSerializer(allow_null=True))
    def _record(self) -> EvaluationRecord:
        return self.context["record"]

    def get_seal(self, evaluation: Evaluation) -> dict | None:
        seal = self.context.get("seal") or check_seal(self._record())
        if seal.state == SealState.DRAFT:
            return None
        return {
            "state": seal.state.value,
            "content_sha256": seal.stored or None,
            "intact": not seal.is_broken,
        }

    @extend_schema_field(
        serializers.DictField(
            child=serializers.DictField(child=serializers.ListField(child=ScoreSerializer(allow_null=True))),
            help_text="Per section and list, the score of each row in the same order as `sections` (null where "
            "the row has no instrument score).",
        )
    )
    def get_computed(self, evaluation: Evaluation) -> dict:
        record = self._record()
        scores = record.scores
        computed: dict = {}
        for section in SECTIONS:
            for spec in section.rows:
                rows = record.rows(spec)
                row_scores_list = [scores.get((spec.key, row.pk)) for row in rows]
                if any(row_scores_list):
                    computed.setdefault(section.api_key, {})[spec.key] = [
                        score_data(score, getattr(row, "hand", None) or getattr(row, "side", None))
                        if score
                        else None
                        for row, score in zip(rows, row_scores_list, strict=True)
                    ]
        return computed

    @extend_schema_field(CptSuggestionSerializer)
    def get_cpt_suggestion(self, evaluation: Evaluation) -> dict:
        return represent(CptSuggestionSerializer, asdict(self._record().cpt))

    @extend_schema_field(
        serializers.DictField(
            child=ScoreSerializer(),
            help_text="COPM performance and satisfaction scores; empty when no problem is rated.",
        )
    )
    def get_copm(self, evaluation: Evaluation) -> dict:
        return {key: score_data(score) for key, score in self._record().copm.items()}

    @extend_schema_field(PsfsSerializer(allow_null=True))
    def get_psfs(self, evaluation: Evaluation) -> dict | None:
        record = self._record()
        result = psfs_score(record, record.baseline)
        if result is None:
            return None
        change = result.change
        return represent(
            PsfsSerializer,
            {
                "mean": result.mean,
                "change": change.value if change else None,
                "meaning": change.meaning if change else None,
                "threshold": change.threshold if change else None,
                "new_activities": list(result.new_activities),
            },
        )

    @extend_schema_field(ProgressSerializer(allow_null=True))
    def get_progress(self, evaluation: Evaluation) -> dict | None:
        progress = self._record().progress
        if progress is None:
            return None
        return represent(
            ProgressSerializer,
            {
                "baseline": progress.baseline.public_id,
                "baseline_date": progress.baseline.date_of_service,
                "measures": [asdict(change) for change in progress.measures],
            },
        )

    @extend_schema_field(FindingSerializer(many=True))
    def get_imbalance_findings(self, evaluation: Evaluation) -> list:
        return [represent(FindingSerializer, asdict(finding)) for finding in self._record().findings]

    @extend_schema_field(_sections_schema())
    def get_sections(self, evaluation: Evaluation) -> dict:
        record = self._record()
        return {
            section.api_key: represent(
                SECTION_SERIALIZERS[section.api_key], SimpleNamespace(**record.content(section))
            )
            for section in SECTIONS
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_missing_for_signature(self, evaluation: Evaluation) -> list[str]:
        if evaluation.is_signed:
            return []
        return self._record().missing_for_signature


class EvaluationCreateSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """What starts a draft: the patient, the kind of evaluation and the date of service."""

    patient = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Patient.objects.all(), help_text="Patient id (UUID)."
    )
    previous_evaluation = serializers.SlugRelatedField(
        slug_field="public_id",
        queryset=Evaluation.objects.select_related("profile"),
        required=False,
        allow_null=True,
        help_text="For a re-evaluation or discharge: the signed evaluation it is compared with.",
    )
    date_confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="A date of service more than 30 days ago is refused (400, a mistyped year is the usual "
        "cause) unless this is true.",
    )

    class Meta:
        model = Evaluation
        fields = ["patient", "kind", "date_of_service", "previous_evaluation", "date_confirmed"]


SectionsUpdateSerializer = type(
    "EvaluationSectionsUpdate",
    (StrictFieldsMixin, serializers.Serializer),
    {
        **{key: serializer(required=False) for key, serializer in SECTION_SERIALIZERS.items()},
        "__doc__": "Any sections of a draft; within a section, the fields and lists sent replace the stored ones.",
    },
)


class SubmitSerializer(StrictFieldsMixin, serializers.Serializer):
    """A supervised clinician hands the draft to a supervising therapist, with their own password."""

    cosigner = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        help_text="The supervising therapist's username.",
    )
    password = StrictCharField(max_length=128, write_only=True, style={"input_type": "password"})


class ReturnSerializer(StrictFieldsMixin, serializers.Serializer):
    note = StrictCharField(max_length=500, help_text="What to change.")


class SignSerializer(StrictFieldsMixin, serializers.Serializer):
    """The signing therapist confirms with their password."""

    password = StrictCharField(
        max_length=128,
        write_only=True,
        style={"input_type": "password"},
        help_text="The signing therapist's own password.",
    )
