from rest_framework import serializers

from occupations.models import CatalogueEntry

BASE_FIELDS = ["code", "label", "description", "display_order", "is_active"]
EXTRA_FIELDS = [
    "category",
    "is_core_iadl",
    "lawton_item",
    "region",
    "min_degrees",
    "max_degrees",
    "domain",
    "unit",
    "is_sided",
    "lower_is_better",
    "max_value",
]


def catalogue_serializer(model: type[CatalogueEntry]) -> type[serializers.ModelSerializer]:
    """A read-only serializer for one catalogue: the common fields plus the model's own."""
    own = [name for name in EXTRA_FIELDS if any(f.name == name for f in model._meta.fields)]
    meta = type(
        "Meta", (), {"model": model, "fields": [*BASE_FIELDS, *own], "read_only_fields": [*BASE_FIELDS, *own]}
    )
    return type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), {"Meta": meta})
