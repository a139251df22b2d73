"""The episode API's shapes. Server-owned fields are read-only; the rules are in services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from common.api import StrictFieldsMixin
from episodes.choices import Attendance, CertificationState, CertifiedBy, SendingMethod
from episodes.clock import DueItem
from episodes.models import Certification, Episode, Sending, Visit
from occupations.models import Intervention


class DueItemSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="certification, verbal_order, recertification, progress_report or discharge"
    )
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label" (DRF pops declared fields off the class)
    due_on = serializers.DateField(
        allow_null=True, help_text="Null: falls on a treatment day not reached yet."
    )
    projected_on = serializers.DateField(
        allow_null=True, help_text="For a count of treatment days: the expected date."
    )
    state = serializers.CharField(help_text="overdue, due soon or upcoming")
    days_overdue = serializers.IntegerField()
    detail = serializers.CharField()


def due_item(item: DueItem, state: str, days_overdue: int) -> dict:
    return {
        "kind": item.kind.value,
        "label": item.label,
        "due_on": item.due_on,
        "projected_on": item.projected_on,
        "state": str(state),
        "days_overdue": days_overdue,
        "detail": item.detail,
    }


class SendingSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    sent_by = serializers.CharField(source="sent_by.username", read_only=True)

    class Meta:
        model = Sending
        fields = [
            "id",
            "method",
            "recipient",
            "sent_by",
            "sent_at",
            "expires_at",
            "delivered_at",
            "used_at",
            "revoked_at",
            "attempts",
            "last_error",
        ]
        read_only_fields = fields


class CertificationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    evaluation = serializers.UUIDField(source="evaluation.public_id", read_only=True)
    has_document = serializers.SerializerMethodField()
    sendings = SendingSerializer(many=True, read_only=True)
    state = serializers.ChoiceField(
        source="shown_state",
        choices=CertificationState.choices,
        read_only=True,
        help_text="expired: sent only by signing links that all expired unanswered (send it again).",
    )
    certified_by = serializers.ChoiceField(
        choices=CertifiedBy.choices,
        allow_blank=True,
        read_only=True,
        help_text="Empty until the plan is certified.",
    )

    class Meta:
        model = Certification
        fields = [
            "id",
            "kind",
            "evaluation",
            "period_start",
            "period_end",
            "state",
            "certified_by",
            "physician_name",
            "physician_npi",
            "signed_on",
            "changes_requested",
            "has_document",
            "document_sha256",
            "sendings",
        ]
        read_only_fields = fields

    def get_has_document(self, certification: Certification) -> bool:
        return bool(certification.document)


class VisitSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """A treatment day as the scheduler saw it. The clinician is named by username."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    clinician = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True)
    )
    attendance = serializers.ChoiceField(choices=Attendance.choices, default=Attendance.ATTENDED)
    interventions = serializers.SlugRelatedField(
        slug_field="code", queryset=Intervention.objects.filter(is_active=True), many=True, required=False
    )
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)
    voided = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            "id",
            "visit_on",
            "attendance",
            "clinician",
            "timed_minutes",
            "interventions",
            "recorded_by",
            "recorded_at",
            "voided",
            "void_reason",
        ]
        read_only_fields = ["recorded_at", "void_reason"]

    def get_voided(self, visit: Visit) -> bool:
        return visit.voided_at is not None


class VoidSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class EpisodeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    patient = serializers.UUIDField(source="patient.public_id", read_only=True)
    therapist = serializers.CharField(source="therapist.username", read_only=True)
    initial_evaluation = serializers.UUIDField(source="initial_evaluation.public_id", read_only=True)
    plan_end_on = serializers.DateField(read_only=True)
    treatment_days = serializers.SerializerMethodField()
    due = serializers.SerializerMethodField()
    certifications = CertificationSerializer(many=True, read_only=True)

    class Meta:
        model = Episode
        fields = [
            "id",
            "patient",
            "therapist",
            "initial_evaluation",
            "status",
            "payer_type",
            "referring_physician_name",
            "referring_physician_npi",
            "referral_ordered_on",
            "diagnosis_codes",
            "started_on",
            "plan_start_on",
            "plan_end_on",
            "sessions_per_week",
            "duration_weeks",
            "verbal_order_on",
            "discharged_on",
            "treatment_days",
            "due",
            "certifications",
        ]
        read_only_fields = fields

    def _clock(self, episode: Episode):
        return self.context["clocks"][episode.pk]

    def get_treatment_days(self, episode: Episode) -> int:
        return self._clock(episode).treatment_days

    @extend_schema_field(DueItemSerializer(many=True))
    def get_due(self, episode: Episode) -> list[dict]:
        return [due_item(row.item, row.state, row.days_overdue) for row in self._clock(episode).rows]


class SendSerializer(StrictFieldsMixin, serializers.Serializer):
    method = serializers.ChoiceField(choices=SendingMethod.choices)
    recipient = serializers.CharField(
        max_length=254, help_text="The physician's email address, or fax number."
    )


class PaperSerializer(StrictFieldsMixin, serializers.Serializer):
    document = serializers.FileField(help_text="The signed plan of care: PDF, PNG or JPEG.")
    signed_on = serializers.DateField()
    physician_name = serializers.CharField(max_length=200)
    physician_npi = serializers.CharField(max_length=10, required=False, default="", allow_blank=True)


class CaseloadItemSerializer(DueItemSerializer):
    episode = serializers.UUIDField()
    patient = serializers.UUIDField()
    patient_name = serializers.CharField()
    therapist = serializers.CharField()


class CaseloadQuery(serializers.Serializer):
    """The caseload's query parameters."""

    who = serializers.ChoiceField(
        choices=["mine", "clinic"], required=False, help_text="clinic: every therapist's (clinic admins)"
    )
    state = serializers.ChoiceField(choices=["overdue", "due soon", "upcoming"], required=False)
    page = serializers.IntegerField(min_value=1, required=False)
    page_size = serializers.IntegerField(
        min_value=1, required=False, help_text="From 1; larger than 100 is capped."
    )
