"""Background jobs of the FHIR API: the bulk export."""

from django_tasks import task

from fhir_r4.export import run_export


@task()
def bulk_export(public_id: str) -> str:
    """Restartable and idempotent (fhir_r4.export): a retry continues from the last checkpoint."""
    return run_export(public_id).state
