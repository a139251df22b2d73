from typing import cast

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.models import User
from common.api import (
    FilterSet,
    KeptSerializerListMixin,
    KeysetPagination,
    expected_version,
    requires,
    with_etag,
)
from patients.api.serializers import ArchiveSerializer, PatientSerializer, PatientSummarySerializer
from patients.choices import AdministrativeSex, PatientStatus
from patients.models import Patient
from patients.selectors import PATIENT_LIST_ORDER, for_paging, list_patients, search_filter
from patients.services import (
    archive_patient,
    record_patient_search,
    record_patient_viewed,
    register_patient,
    restore_patient,
    update_patient,
)

CONFLICT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        "The record's state forbids the change. `code` says why: `possible_duplicate` (with "
        "`matches`; resend with `confirmed_not_duplicate: true`), `archived`."
    ),
)


class PatientFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label="Name fragments, MRN, date of birth or phone")
    status = django_filters.ChoiceFilter(
        choices=[("", "Active (the default)"), *PatientStatus.choices, ("all", "All")],
        empty_label=None,
        method="filter_status",
        label="active (default), archived or all",
    )
    sex = django_filters.ChoiceFilter(choices=AdministrativeSex.choices)
    date_of_birth = django_filters.DateFilter()
    mrn = django_filters.CharFilter()
    registered_after = django_filters.IsoDateTimeFilter(field_name="registered_at", lookup_expr="gte")
    updated_after = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Patient
        fields = ["q", "status", "sex", "date_of_birth", "mrn", "registered_after", "updated_after"]

    def search(self, queryset, name, value):
        return queryset.filter(search_filter(value))

    def filter_status(self, queryset, name, value):
        # The selector already limited the rows to the requested status.
        return queryset


@extend_schema_view(
    list=extend_schema(summary="Find patients (summaries; each search is audited)"),
    retrieve=extend_schema(summary="Read one patient's demographics (audited)"),
    create=extend_schema(
        summary="Register a patient",
        responses={201: PatientSerializer, 400: OpenApiTypes.OBJECT, 409: CONFLICT},
        examples=[
            OpenApiExample(
                "Minimal registration",
                request_only=True,
                value={
                    "given_name": "Joan",
                    "family_name": "Kowalski",
                    "date_of_birth": "1951-04-12",
                    "sex": "female",
                    "phone": "+17165550142",
                    "diagnosis_codes": ["M25.551"],
                },
            )
        ],
    ),
    partial_update=extend_schema(
        summary="Correct demographics",
        responses={200: PatientSerializer, 400: OpenApiTypes.OBJECT, 409: CONFLICT},
    ),
)
class PatientViewSet(
    KeptSerializerListMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Patients of the clinic. Never deleted: archive instead."""

    serializer_class = PatientSerializer
    filterset_class = PatientFilter
    pagination_class = KeysetPagination
    keyset_ordering: tuple[str, ...] = PATIENT_LIST_ORDER  # a search may page by a copy of the name
    keyset_keys_first = False  # …or find its page by the index alone (patients.selectors.for_paging)
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_converter = "uuid"
    http_method_names = ["get", "post", "patch", "head", "options"]

    @property
    def viewer(self) -> User:
        """The authenticated user (the permission classes refuse anonymous requests)."""
        return cast(User, self.request.user)

    def get_queryset(self):
        status_filter = self.request.query_params.get("status") or PatientStatus.ACTIVE
        if self.action == "list":
            paging = for_paging(
                list_patients(viewer=self.viewer, status=status_filter),
                query=self.request.query_params.get("q") or "",
            )
            self.keyset_ordering, self.keyset_keys_first = paging.order, paging.keys_first
            return paging.patients
        # One patient: with who registered, last changed and archived them.
        return list_patients(viewer=self.viewer, status="all").select_related(
            "registered_by", "updated_by", "archived_by"
        )

    def get_serializer_class(self):
        return PatientSummarySerializer if self.action == "list" else PatientSerializer

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        record_patient_search(
            by=request.user,
            query=request.query_params.urlencode()[:150],
            status=request.query_params.get("status") or PatientStatus.ACTIVE,
            result_count=len(response.data["results"]),
        )
        return response

    def retrieve(self, request, *args, **kwargs):
        patient = self.get_object()
        record_patient_viewed(patient=patient, by=request.user)
        return with_etag(Response(self.get_serializer(patient).data), patient)

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        return with_etag(response, self._written)

    def perform_create(self, serializer):
        serializer.instance = register_patient(by=self.viewer, **serializer.validated_data)
        self._written = serializer.instance

    def partial_update(self, request, *args, **kwargs):
        response = super().partial_update(request, *args, **kwargs)
        return with_etag(response, self._written)

    def perform_update(self, serializer):
        changes = dict(serializer.validated_data)
        changes.pop("confirmed_not_duplicate", None)
        serializer.instance = update_patient(
            patient=serializer.instance,
            by=self.viewer,
            expected_version=expected_version(
                self.request, current=serializer.instance.version, required=False
            ),
            **changes,
        )
        self._written = serializer.instance

    @extend_schema(
        summary="Archive a patient",
        request=ArchiveSerializer,
        responses={200: PatientSerializer, 400: OpenApiTypes.OBJECT, 409: CONFLICT},
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated, requires("patients.archive_patient")],
    )
    def archive(self, request, id=None):
        patient = self.get_object()
        body = ArchiveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        patient = archive_patient(
            patient=patient,
            by=request.user,
            reason=body.validated_data["reason"],
            expected_version=expected_version(request, current=patient.version, required=False),
        )
        return with_etag(Response(self.get_serializer(patient).data, status=status.HTTP_200_OK), patient)

    @extend_schema(
        summary="Restore an archived patient",
        request=None,
        responses={200: PatientSerializer, 409: CONFLICT},
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated, requires("patients.archive_patient")],
    )
    def restore(self, request, id=None):
        patient = self.get_object()
        patient = restore_patient(
            patient=patient,
            by=request.user,
            expected_version=expected_version(request, current=patient.version, required=False),
        )
        return with_etag(Response(self.get_serializer(patient).data), patient)
