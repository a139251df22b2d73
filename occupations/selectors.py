from occupations.models import CATALOGUES, CatalogueEntry


def list_catalogue(*, kind: str, include_retired: bool = False):
    """Entries of one catalogue, in display order; retired ones only when asked for."""
    model: type[CatalogueEntry] = CATALOGUES[kind]
    entries = model.objects.all()
    return entries if include_retired else entries.active()
