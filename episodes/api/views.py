"""The episode API: episodes with their clock and certifications, visits (the scheduler's door),
sending a plan, recording a paper certification, recertification, discharge, and the caseload."""

from __future__ import annotations

from typing import cast

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from audit.choices import Action
from audit.services import record_event, record_list_read
from common.api import FilterSet, JSONParser, KeysetPagination, PageNumberPagination, requires
from episodes.api.serializers import (
    CaseloadItemSerializer,
    CaseloadQuery,
    CertificationSerializer,
    EpisodeSerializer,
    PaperSerializer,
    SendSerializer,
    VisitSerializer,
    VoidSerializer,
    due_item,
)
from episodes.choices import EpisodeStatus
from episodes.clock import DueState
from episodes.models import Certification, Episode, Visit
from episodes.selectors import caseload, clocks, list_episodes
from episodes.services import (
    discharge_episode,
    record_paper_certification,
    record_visit,
    send_for_certification,
    start_recertification,
    void_visit,
)
from evaluations.models import Evaluation

CONFLICT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="The episode's state forbids it (`code`): `conflict` (discharged, already certified), "
    "`duplicate_visit` (with `visit`: the clinician's visit that day).",
)


class EpisodeFilter(FilterSet):
    patient = django_filters.UUIDFilter(field_name="patient__public_id", label="Patient id (UUID)")
    status = django_filters.ChoiceFilter(choices=EpisodeStatus.choices)

    class Meta:
        model = Episode
        fields = ["patient", "status"]


class EvaluationChoice(serializers.Serializer):
    evaluation = serializers.UUIDField(help_text="A signed evaluation of the episode's patient (UUID).")


def _with_clocks(serializer_class, episodes, **kwargs):
    return serializer_class(
        episodes, context={"clocks": {c.episode.pk: c for c in clocks(list(episodes))}}, **kwargs
    )


@extend_schema_view(
    list=extend_schema(summary="Episodes of care, with their due items (audited)"),
    retrieve=extend_schema(
        summary="One episode: plan, certifications with their sendings, due items (audited)"
    ),
)
class EpisodeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Episodes of care: opened from a signed initial evaluation (on its page), closed by a discharge."""

    serializer_class = EpisodeSerializer
    filterset_class = EpisodeFilter
    pagination_class = KeysetPagination

    @property
    def keyset_ordering(self) -> tuple[str, ...]:
        """The list's order (the model's; the id is unique): episodes, or an episode's visits."""
        return ("-visit_on", "-id") if self.action == "visits" else ("-started_on", "-id")

    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_converter = "uuid"

    @property
    def viewer(self) -> User:
        return cast(User, self.request.user)

    def get_queryset(self):
        return list_episodes(viewer=self.viewer)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset())) or []
        record_list_read(
            actor=request.user,
            record_type=Episode._meta.label_lower,
            label="Episode list",
            patient_public_ids=[episode.patient.public_id for episode in page],
            action=Action.SEARCH,
        )
        return self.get_paginated_response(_with_clocks(EpisodeSerializer, page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        episode = self.get_object()
        record_event(actor=request.user, action=Action.VIEW, record=episode)
        return Response(_with_clocks(EpisodeSerializer, [episode], many=True).data[0])

    @extend_schema(
        methods=["get"],
        summary="The episode's visits, newest first (voided ones marked)",
        responses=VisitSerializer(many=True),
    )
    @extend_schema(
        methods=["post"],
        summary="Record a visit (the scheduler's door); the same clinician and day twice is a 409",
        request=VisitSerializer,
        responses={201: VisitSerializer, 400: OpenApiTypes.OBJECT, 409: CONFLICT},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[IsAuthenticated, requires("episodes.view_visit")],
    )
    def visits(self, request, id=None):
        episode = self.get_object()
        if request.method == "POST":
            if not request.user.has_perm("episodes.add_visit"):
                self.permission_denied(request, message="Your role does not record visits.")
            body = VisitSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            visit = record_visit(by=request.user, episode=episode, **body.validated_data)
            return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)
        visits = (
            Visit.objects.filter(episode=episode)
            .select_related("clinician", "recorded_by")
            .prefetch_related("interventions")
        )
        page = self.paginate_queryset(visits)
        record_event(
            actor=request.user, action=Action.VIEW, record=episode, record_label=f"Visits of {episode}"
        )
        return self.get_paginated_response(VisitSerializer(page, many=True).data)

    @extend_schema(
        summary="Void a visit entered in error (kept, out of the count)",
        request=VoidSerializer,
        responses={200: VisitSerializer, 400: OpenApiTypes.OBJECT, 409: CONFLICT},
        parameters=[OpenApiParameter("visit_id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="visits/<uuid:visit_id>/void",
        permission_classes=[IsAuthenticated, requires("episodes.change_visit")],
    )
    def void_visit(self, request, id=None, visit_id=None):
        episode = self.get_object()
        visit = get_object_or_404(
            Visit.objects.select_related("episode__patient"), episode=episode, public_id=visit_id
        )
        body = VoidSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        visit = void_visit(by=request.user, visit=visit, reason=body.validated_data["reason"])
        return Response(VisitSerializer(visit).data)

    def _evaluation(self, request, episode: Episode) -> Evaluation:
        body = EvaluationChoice(data=request.data)
        body.is_valid(raise_exception=True)
        return get_object_or_404(
            Evaluation, public_id=body.validated_data["evaluation"], patient_id=episode.patient_id
        )

    @extend_schema(
        summary="Put a later signed progress report's or re-evaluation's plan to the physician (a recertification)",
        request=EvaluationChoice,
        responses={201: CertificationSerializer, 400: OpenApiTypes.OBJECT, 409: CONFLICT},
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated, requires("episodes.send_certification")],
    )
    def recertification(self, request, id=None):
        episode = self.get_object()
        certification = start_recertification(
            by=request.user, episode=episode, evaluation=self._evaluation(request, episode)
        )
        return Response(CertificationSerializer(certification).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Discharge: a signed discharge evaluation closes the episode and its clock",
        request=EvaluationChoice,
        responses={200: EpisodeSerializer, 400: OpenApiTypes.OBJECT, 409: CONFLICT},
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated, requires("episodes.change_episode")],
    )
    def discharge(self, request, id=None):
        episode = self.get_object()
        discharge_episode(by=request.user, episode=episode, evaluation=self._evaluation(request, episode))
        episode = list_episodes(viewer=self.viewer).get(pk=episode.pk)
        return Response(_with_clocks(EpisodeSerializer, [episode], many=True).data[0])


@extend_schema_view(retrieve=extend_schema(summary="One certification with its sendings"))
class CertificationViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A plan of care put to the physician: send it, or record it signed on paper."""

    serializer_class = CertificationSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return Certification.objects.select_related("episode__patient", "evaluation").prefetch_related(
            "sendings__sent_by"
        )

    def retrieve(self, request, *args, **kwargs):
        certification = self.get_object()
        record_event(actor=request.user, action=Action.VIEW, record=certification)
        return Response(self.get_serializer(certification).data)

    @extend_schema(
        summary="Send the plan for certification: a signing link by email (a background job) or a fax sending",
        request=SendSerializer,
        responses={200: CertificationSerializer, 400: OpenApiTypes.OBJECT, 409: CONFLICT},
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated, requires("episodes.send_certification")],
    )
    def send(self, request, id=None):
        certification = self.get_object()
        body = SendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        send_for_certification(by=request.user, certification=certification, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=certification.pk)).data)

    @extend_schema(
        summary="Record the plan signed on paper: the scan (PDF, PNG or JPEG) and the signature date",
        request={"multipart/form-data": PaperSerializer},
        responses={200: CertificationSerializer, 400: OpenApiTypes.OBJECT, 409: CONFLICT},
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[parsers.MultiPartParser, JSONParser],
        permission_classes=[IsAuthenticated, requires("episodes.send_certification")],
    )
    def paper(self, request, id=None):
        certification = self.get_object()
        body = PaperSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        record_paper_certification(
            by=request.user,
            certification=certification,
            document=data["document"],
            signed_on=data["signed_on"],
            physician_name=data["physician_name"],
            physician_npi=data["physician_npi"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=certification.pk)).data)


class CaseloadView(APIView):
    """What is due across the caller's open episodes (`who=clinic`: every therapist's, for clinic admins)."""

    permission_classes = [IsAuthenticated, requires("episodes.view_episode")]
    pagination_class = PageNumberPagination

    @extend_schema(
        summary="The caseload: due items, most urgent first (audited)",
        parameters=[CaseloadQuery],
        responses=CaseloadItemSerializer(many=True),
    )
    def get(self, request):
        query = CaseloadQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        blank = {
            name: ["Leave it out, or give one of its values."]
            for name in ("who", "state")
            if request.query_params.get(name) == ""
        }
        if blank:  # DRF reads an empty query value as absent
            return Response(blank, status=status.HTTP_400_BAD_REQUEST)
        who = query.validated_data.get("who", "mine")
        state = query.validated_data.get("state", "")
        if who == "clinic" and not request.user.has_perm("episodes.view_all_episodes"):
            self.permission_denied(request, message="Only clinic admins see every therapist's caseload.")
        rows, _waiting, _drafts = caseload(viewer=request.user, everyone=who == "clinic")
        if state:
            rows = [row for row in rows if row.state == state]
        urgency = {DueState.OVERDUE: 0, DueState.DUE_SOON: 1, DueState.UPCOMING: 2}
        rows.sort(
            key=lambda row: (urgency[row.state], row.item.due_on or row.item.projected_on or row.clock.today)
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self) or []
        record_list_read(
            actor=request.user,
            record_type=Episode._meta.label_lower,
            label="Caseload",
            patient_public_ids=[row.clock.episode.patient.public_id for row in page],
            action=Action.SEARCH,
        )
        return paginator.get_paginated_response(
            [
                {
                    **due_item(row.item, row.state, row.item.days_overdue(row.clock.today)),
                    "episode": row.clock.episode.public_id,
                    "patient": row.clock.episode.patient.public_id,
                    "patient_name": str(row.clock.episode.patient.display_name),
                    "therapist": row.clock.episode.therapist.username,
                }
                for row in page
            ]
        )
