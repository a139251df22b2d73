"""Background jobs of the patients app: a patient import runs in the worker, batch by batch."""

from django_tasks import task

from patients.imports import run_import


@task()
def import_patients(public_id: str) -> str:
    """Idempotent and resumable (patients.imports.run_import): a retry continues where it stopped."""
    job = run_import(public_id)
    created = sum(1 for row in job.report if row["outcome"] == "created")
    return f"{created} patients created"
