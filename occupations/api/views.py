from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated

from common.api import PageNumberPagination, query_flag
from occupations.api.serializers import catalogue_serializer
from occupations.models import CATALOGUES
from occupations.selectors import list_catalogue


class CataloguePagination(PageNumberPagination):
    page_size = 100


def catalogue_viewset(kind: str) -> type[viewsets.GenericViewSet]:
    """Read-only endpoints for one catalogue. Catalogues hold no patient data: any signed-in user may read them."""
    model = CATALOGUES[kind]
    name = model._meta.verbose_name_plural

    @extend_schema_view(
        list=extend_schema(
            summary=f"List {name}",
            tags=["catalogues"],
            parameters=[OpenApiParameter("include_retired", bool, description="Also list retired entries.")],
        ),
        retrieve=extend_schema(summary=f"Read one of the {name}", tags=["catalogues"]),
    )
    class CatalogueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
        serializer_class = catalogue_serializer(model)
        permission_classes = [IsAuthenticated]
        pagination_class = CataloguePagination
        filter_backends: list = []
        lookup_field = "code"
        lookup_value_converter = "slug"

        def get_queryset(self):
            include_retired = self.action != "list" or query_flag(self.request, "include_retired")
            return list_catalogue(kind=kind, include_retired=include_retired)

    CatalogueViewSet.__name__ = f"{model.__name__}ViewSet"
    CatalogueViewSet.__qualname__ = CatalogueViewSet.__name__
    return CatalogueViewSet


CATALOGUE_VIEWSETS = {kind: catalogue_viewset(kind) for kind in CATALOGUES}
