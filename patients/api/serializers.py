from drf_spectacular.utils import extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from common.api import StrictBooleanField, StrictCharField, StrictFieldsMixin, StrictModelSerializer
from patients.choices import PatientStatus
from patients.models import DEMOGRAPHIC_FIELDS, IDENTITY_FIELDS, Patient
from patients.validators import normalize_icd10cm_code, validate_icd10cm_code


class DiagnosisCodeField(serializers.CharField):
    """One ICD-10-CM code: normalized ("m5450" -> "M54.50") and checked against the code set."""

    def __init__(self, **kwargs):
        super().__init__(max_length=10, validators=[validate_icd10cm_code], **kwargs)

    def to_internal_value(self, data):
        return normalize_icd10cm_code(super().to_internal_value(data))


class DiagnosisSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ICD-10-CM code, dotted.")
    description = serializers.CharField(help_text="Title from the ICD-10-CM code set.")


class PatientSummarySerializer(serializers.ModelSerializer):
    """What a list or search shows: enough to pick the right person, no more."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Patient
        fields = ["id", "mrn", "status", *IDENTITY_FIELDS]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=PatientStatus.choices))
    def get_status(self, patient: Patient) -> str:
        return "archived" if patient.is_archived else "active"


class PatientSerializer(StrictFieldsMixin, StrictModelSerializer):
    """A patient's demographics. Server-owned fields are read-only."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    phone = PhoneNumberField(required=False, allow_blank=True, help_text="E.164, e.g. +17165550142")
    emergency_contact_phone = PhoneNumberField(required=False, allow_blank=True)
    diagnosis_codes = serializers.ListField(
        child=DiagnosisCodeField(),
        required=False,
        max_length=12,
        help_text='Billable ICD-10-CM codes, primary first, e.g. ["M54.50"].',
    )
    diagnoses = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    registered_by = serializers.CharField(source="registered_by.username", read_only=True)
    updated_by = serializers.CharField(source="updated_by.username", read_only=True)
    # No `default`: DRF leaves a field with a default out of a PATCH (partial) answer.
    archived_by = serializers.CharField(source="archived_by.username", read_only=True, allow_null=True)
    confirmed_not_duplicate = StrictBooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=(
            "Set true after a 409 possible_duplicate answer, once the matches are checked and "
            "this is a different person."
        ),
    )

    class Meta:
        model = Patient
        fields = [
            "id",
            "mrn",
            "status",
            *DEMOGRAPHIC_FIELDS[: DEMOGRAPHIC_FIELDS.index("diagnosis_codes") + 1],
            "diagnoses",
            *DEMOGRAPHIC_FIELDS[DEMOGRAPHIC_FIELDS.index("diagnosis_codes") + 1 :],
            "registered_by",
            "registered_at",
            "updated_by",
            "updated_at",
            "archived_by",
            "archived_at",
            "archive_reason",
            "confirmed_not_duplicate",
        ]
        read_only_fields = [
            "mrn",
            "registered_at",
            "updated_at",
            "archived_at",
            "archive_reason",
        ]

    @extend_schema_field(DiagnosisSerializer(many=True))
    def get_diagnoses(self, patient: Patient) -> list[dict[str, str]]:
        return patient.diagnoses

    @extend_schema_field(serializers.ChoiceField(choices=PatientStatus.choices))
    def get_status(self, patient: Patient) -> str:
        return "archived" if patient.is_archived else "active"


class ArchiveSerializer(StrictFieldsMixin, serializers.Serializer):
    """Why the patient leaves the active lists."""

    reason = StrictCharField(max_length=200, help_text="Why the patient is archived.")
