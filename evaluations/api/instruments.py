"""The standardized instruments as the registry describes them: items, options with their points,
scoring rule, range, bands, change threshold, LOINC codes, licence and sources. No patient data:
any signed-in user may read it."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from evaluations.instruments import registry


class OptionSerializer(serializers.Serializer):
    value = serializers.IntegerField(
        help_text="What is recorded for the item (the form's code, or the points)."
    )
    score = serializers.IntegerField(help_text="The points it adds to the total.")
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label


class ItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    options = OptionSerializer(many=True)


class InstrumentSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The `instrument` value of a screen or scale row.")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["performance", "screen", "patient-reported"])
    range = serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2)
    step = serializers.IntegerField()
    rule = serializers.CharField()
    item_entry = serializers.BooleanField(help_text="False: recorded as a total only (items_note says why).")
    items_note = serializers.CharField()
    items = ItemSerializer(many=True)
    uses_education_years = serializers.BooleanField()
    bands = serializers.CharField()
    change_threshold = serializers.CharField(
        help_text="What a change must reach to be called improved or declined."
    )
    loinc_panel = serializers.CharField(allow_null=True)
    loinc_total = serializers.CharField(allow_null=True)
    licence = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField())


@extend_schema_view(
    list=extend_schema(summary="List the standardized instruments", tags=["catalogues"]),
    retrieve=extend_schema(summary="Read one standardized instrument", tags=["catalogues"]),
)
class InstrumentViewSet(viewsets.ViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = InstrumentSerializer
    lookup_field = "key"
    lookup_value_converter = "slug"

    def list(self, request):
        data = [registry.describe(instrument) for instrument in registry.instruments().values()]
        return Response(InstrumentSerializer(data, many=True).data)

    def retrieve(self, request, key=None):
        instrument = registry.instruments().get(key or "")
        if instrument is None:
            raise NotFound("No such instrument.")
        return Response(InstrumentSerializer(registry.describe(instrument)).data)
