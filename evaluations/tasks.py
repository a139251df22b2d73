"""Background jobs of the evaluations app (Django's task framework, django-tasks backport)."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from evaluations.pdf import store_signed_report


@task()
def render_signed_report(public_id: str) -> str:
    """A signed evaluation's report PDF, rendered once in the worker (never in a web process) and
    kept with its SHA-256 (evaluations.pdf.store_signed_report). Idempotent."""
    report = store_signed_report(public_id)
    return f"kept {report.sha256}" if report is not None else "nothing kept"


def on_report_changed(sender, evaluation, **kwargs) -> None:
    """Signed, or an addendum added: render once the change is committed."""
    public_id = str(evaluation.public_id)
    transaction.on_commit(lambda: render_signed_report.enqueue(public_id))
