from types import SimpleNamespace
from typing import Any, cast

import django_filters
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from common.api import (
    FilterSet,
    KeptSerializerListMixin,
    KeysetPagination,
    expected_version,
    requires,
    with_etag,
)
from common.exceptions import Conflict, check_version
from evaluations.api.serializers import (
    AddendumSerializer,
    EvaluationCreateSerializer,
    EvaluationDetailSerializer,
    EvaluationSummarySerializer,
    ReturnSerializer,
    SectionsUpdateSerializer,
    SignSerializer,
    SubmitSerializer,
)
from evaluations.choices import EvaluationKind, EvaluationStatus
from evaluations.interpretation import EvaluationRecord
from evaluations.models import Evaluation
from evaluations.reports import deliver_report, report_filename
from evaluations.sections import SECTIONS_BY_KEY
from evaluations.selectors import (
    EVALUATION_LIST_ORDER,
    LIST_COLUMNS,
    check_content_access,
    fetch_record,
    list_evaluations,
)
from evaluations.services import (
    add_addendum,
    check_can_cosign,
    check_can_edit,
    discard_evaluation,
    record_evaluation_access_denied,
    record_evaluation_viewed,
    record_evaluations_listed,
    return_for_changes,
    save_sections,
    sign_evaluation,
    start_evaluation,
    submit_for_cosignature,
    verify_seal,
)

CONFLICT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="`code` says why: `signed` (a signed evaluation never changes), `not_signed`, `archived`.",
)
FORBIDDEN = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Your role may not do this, or the draft belongs to another therapist; the front desk never reads content.",
)
ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Field errors: `{field: [messages]}`, nested for sections and rows."
)


class EvaluationFilter(FilterSet):
    patient = django_filters.UUIDFilter(field_name="patient__public_id", label="Patient id")
    therapist = django_filters.CharFilter(field_name="therapist__username", max_length=150)
    status = django_filters.ChoiceFilter(  # discarded drafts are never listed
        choices=[c for c in EvaluationStatus.choices if c[0] != EvaluationStatus.DISCARDED]
    )
    kind = django_filters.ChoiceFilter(choices=EvaluationKind.choices)
    date_after = django_filters.DateFilter(field_name="date_of_service", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date_of_service", lookup_expr="lte")

    class Meta:
        model = Evaluation
        fields = ["patient", "therapist", "status", "kind", "date_after", "date_before"]


@extend_schema_view(
    list=extend_schema(summary="List evaluations (date, kind, status, therapist; no clinical content)"),
    retrieve=extend_schema(
        summary="Read a whole evaluation, every section nested (audited)",
        responses={200: EvaluationDetailSerializer, 403: FORBIDDEN, 404: OpenApiTypes.OBJECT},
    ),
    create=extend_schema(
        summary="Start a draft evaluation",
        request=EvaluationCreateSerializer,
        responses={201: EvaluationDetailSerializer, 400: ERRORS, 403: FORBIDDEN, 409: CONFLICT},
    ),
    partial_update=extend_schema(
        summary="Save sections of your draft",
        request=SectionsUpdateSerializer,
        responses={200: EvaluationDetailSerializer, 400: ERRORS, 403: FORBIDDEN, 409: CONFLICT},
    ),
)
class EvaluationViewSet(
    KeptSerializerListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Comprehensive evaluations. Drafts change only through their therapist; signed ones never change."""

    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_converter = "uuid"  # a malformed id is a 404, like an unknown one
    filterset_class = EvaluationFilter
    pagination_class = KeysetPagination
    keyset_ordering = EVALUATION_LIST_ORDER
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_permissions(self):
        if self.action == "destroy":  # discarding a draft is its therapist's change, not a deletion
            return [IsAuthenticated(), requires("evaluations.change_evaluation")()]
        return super().get_permissions()

    @property
    def viewer(self) -> User:
        """The authenticated user (the permission classes refuse anonymous requests)."""
        return cast(User, self.request.user)

    def get_queryset(self):
        evaluations = list_evaluations(viewer=self.viewer).order_by(*EVALUATION_LIST_ORDER)
        return evaluations.only(*LIST_COLUMNS) if self.action == "list" else evaluations

    def get_serializer_class(self):
        return {
            "list": EvaluationSummarySerializer,
            "create": EvaluationCreateSerializer,
            "partial_update": SectionsUpdateSerializer,
            "sign": SignSerializer,
            "addenda": AddendumSerializer,
        }.get(self.action, EvaluationDetailSerializer)

    def _check_access(self) -> None:
        """404 for an id the viewer may not know of, 403 (audited) for content they may not read."""
        try:
            check_content_access(viewer=self.viewer, public_id=self.kwargs["id"])
        except Evaluation.DoesNotExist as missing:
            raise NotFound() from missing
        except PermissionDenied:
            record_evaluation_access_denied(public_id=self.kwargs["id"], by=self.viewer)
            raise

    def get_record(self, **loading) -> EvaluationRecord:
        """The evaluation named in the URL, with what this request needs loaded."""
        self._check_access()
        try:
            record = fetch_record(viewer=self.viewer, public_id=self.kwargs["id"], **loading)
        except Evaluation.DoesNotExist as missing:
            raise NotFound() from missing
        self.check_object_permissions(self.request, record.evaluation)
        return record

    def get_object(self):
        return self.get_record().evaluation

    def _detail(self, record: EvaluationRecord, status_code=status.HTTP_200_OK, seal=None) -> Response:
        context = {"record": record, "seal": seal}
        data = EvaluationDetailSerializer(record.evaluation, context=context).data
        return with_etag(Response(data, status=status_code), record.evaluation)

    def paginate_queryset(self, queryset):
        self.listed = super().paginate_queryset(queryset)
        return self.listed

    def list(self, request, *args, **kwargs):
        """The list, and one audit event naming the patients on this page (or the patient filtered on)."""
        response = super().list(request, *args, **kwargs)
        patient = request.query_params.get("patient") or None
        record_evaluations_listed(
            by=request.user,
            evaluations=self.listed or [],
            patient_public_id=patient,
            label="Evaluations of one patient" if patient else "Evaluation list",
        )
        return response

    def retrieve(self, request, *args, **kwargs):
        record = self.get_record(baseline=True)  # a follow-up reads its baseline in the same queries
        record_evaluation_viewed(evaluation=record.evaluation, by=request.user)
        return self._detail(record, seal=verify_seal(record=record, by=request.user))

    def create(self, request, *args, **kwargs):
        body = EvaluationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        evaluation = start_evaluation(by=request.user, **body.validated_data)
        record = fetch_record(viewer=request.user, public_id=evaluation.public_id)
        return self._detail(record, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        self._check_access()  # outside the transaction: a refusal's audit event stays
        with transaction.atomic():  # the evaluation is read once, locked, and answered from memory
            # With its baseline, so the answer's progress and PSFS change match a GET's.
            record = self.get_record(for_update=True, baseline=True)
            evaluation = record.evaluation
            check_can_edit(evaluation=evaluation, by=request.user)  # 409/403 before judging the body
            version = expected_version(request, current=evaluation.version, required=True)  # 428
            check_version(current=evaluation.version, expected=version)  # 412 before judging the body
            body = SectionsUpdateSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            contents = {SECTIONS_BY_KEY[key]: value for key, value in body.validated_data.items()}
            record = save_sections(
                record=record, by=request.user, contents=contents, expected_version=version
            )
        return self._detail(record)

    @extend_schema(
        summary="Discard your draft",
        description=(
            "A mistaken draft leaves every list and read (later reads answer 404); nothing is deleted: "
            "the draft and its history stay, attributed, in the history and the audit trail. Send the "
            "version you read in If-Match. A signed evaluation is never discarded (409); add an addendum. "
            "An optional `reason` query parameter (up to 500 characters) is kept with it."
        ),
        parameters=[OpenApiParameter("reason", str, required=False, description="Why it is discarded.")],
        responses={204: None, 403: FORBIDDEN, 404: ERRORS, 409: CONFLICT, 412: ERRORS, 428: ERRORS},
    )
    def destroy(self, request, *args, **kwargs):
        self._check_access()
        reason = request.query_params.get("reason", "")
        with transaction.atomic():
            record = self.get_record(sections=(), addenda=False, for_update=True)
            evaluation = record.evaluation
            check_can_edit(evaluation=evaluation, by=request.user)  # 409 signed, 403 not theirs
            version = expected_version(request, current=evaluation.version, required=True)  # 428
            check_version(current=evaluation.version, expected=version)  # 412
            discard_evaluation(record=record, by=request.user, reason=reason, expected_version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Sign your draft with your password, or co-sign a draft submitted to you",
        request=SignSerializer,
        responses={200: EvaluationDetailSerializer, 400: ERRORS, 403: FORBIDDEN, 409: CONFLICT},
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated, requires("evaluations.sign_evaluation")],
    )
    def sign(self, request, id=None):
        def check(evaluation):
            if evaluation.therapist_id == request.user.pk:
                check_can_edit(evaluation=evaluation, by=request.user)
            else:
                check_can_cosign(evaluation=evaluation, by=request.user)

        record, version, data = self._precondition_write(request, check, SignSerializer)
        return self._detail(
            sign_evaluation(
                record=record, by=request.user, password=data["password"], expected_version=version
            )
        )

    def _precondition_write(self, request, check, body_serializer):
        """A write that names the version it was made from: the record (with its baseline), the
        state check, If-Match (428 when missing, 412 when stale), then the body (400)."""
        record = self.get_record(baseline=True)
        evaluation = record.evaluation
        check(evaluation)
        version = expected_version(request, current=evaluation.version, required=True)
        check_version(current=evaluation.version, expected=version)
        body = body_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        return record, version, body.validated_data

    @extend_schema(
        summary="Submit your complete draft to a supervising therapist for co-signature (assistants, students)",
        request=SubmitSerializer,
        responses={200: EvaluationDetailSerializer, 400: ERRORS, 403: FORBIDDEN, 409: CONFLICT},
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated, requires("evaluations.change_evaluation")],
    )
    def submit(self, request, id=None):
        record, version, data = self._precondition_write(
            request,
            lambda evaluation: check_can_edit(evaluation=evaluation, by=request.user),
            SubmitSerializer,
        )
        return self._detail(
            submit_for_cosignature(
                record=record,
                by=request.user,
                cosigner=data["cosigner"],
                password=data["password"],
                expected_version=version,
            )
        )

    @extend_schema(
        summary="Return a draft submitted to you, with what to change",
        request=ReturnSerializer,
        responses={200: EvaluationDetailSerializer, 400: ERRORS, 403: FORBIDDEN, 409: CONFLICT},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        permission_classes=[IsAuthenticated, requires("evaluations.cosign_evaluation")],
    )
    def return_draft(self, request, id=None):
        evaluation = self.get_record(sections=(), addenda=False).evaluation
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return_for_changes(evaluation=evaluation, by=request.user, note=body.validated_data["note"])
        return self._detail(self.get_record())

    @extend_schema(
        summary="Add an addendum to a signed evaluation",
        request=AddendumSerializer,
        responses={201: AddendumSerializer, 400: ERRORS, 403: FORBIDDEN, 409: CONFLICT},
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated, requires("evaluations.add_addendum")],
    )
    def addenda(self, request, id=None):
        evaluation = self.get_record(sections=(), addenda=False).evaluation
        body = AddendumSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        addendum = add_addendum(
            evaluation=evaluation,
            by=request.user,
            text=body.validated_data["text"],
            expected_version=expected_version(request, current=evaluation.version, required=False),
        )
        response = Response(AddendumSerializer(addendum).data, status=status.HTTP_201_CREATED)
        response["ETag"] = f'"{evaluation.version + 1}"'
        return response


class PDFRenderer(BaseRenderer):
    """application/pdf: the view's bytes as they are (errors are rendered as JSON, see below)."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class NoFormatParameter(DefaultContentNegotiation):
    """The file is a PDF by its address: `?format=` chooses nothing here (Accept still does)."""

    settings = cast(Any, SimpleNamespace(URL_FORMAT_OVERRIDE=None))  # only the override is read


class NotSigned(Conflict):
    code = "not_signed"


@extend_schema(
    summary="The signed report as a PDF",
    description="The report of a signed evaluation, as signed (with any addenda): the same file the "
    "evaluation's page offers. A draft's report is not served here (409). Every download is audited.",
    parameters=[OpenApiParameter("format", exclude=True)],
    responses={
        (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
        403: FORBIDDEN,
        404: OpenApiResponse(description="No such evaluation."),
        409: CONFLICT,
    },
)
class EvaluationReportView(APIView):
    """GET /api/v1/evaluations/{id}/report.pdf"""

    permission_classes = [IsAuthenticated, requires("evaluations.view_evaluation")]
    renderer_classes = [JSONRenderer, PDFRenderer]
    content_negotiation_class = NoFormatParameter

    def handle_exception(self, exc):
        """Errors are JSON, whatever the client accepted (as in the rest of the API)."""
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    def get(self, request, id):
        viewer = cast(User, request.user)
        try:
            check_content_access(viewer=viewer, public_id=id)
        except Evaluation.DoesNotExist:
            raise NotFound("No such evaluation.") from None
        except PermissionDenied:
            record_evaluation_access_denied(public_id=id, by=viewer)
            raise
        state = list_evaluations(viewer=viewer).filter(public_id=id).values_list("status", flat=True).first()
        if state is None:
            raise NotFound("No such evaluation.")
        if state != EvaluationStatus.SIGNED:
            raise NotSigned("This evaluation is not signed: only a signed report is served here.")
        evaluation, pdf = deliver_report(
            public_id=id,
            by=viewer,
            fetch=lambda **loading: fetch_record(viewer=viewer, public_id=id, **loading),
            request=request._request,
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{report_filename(evaluation)}"'
        response["Cache-Control"] = "no-store"
        return response
