"""The report PDF of an evaluation as served to a reader (the page and the API share it).

A signed evaluation's PDF is rendered once by the background worker (at signing, and at each
addendum) and served from storage after its seal and its own SHA-256 are checked; a draft, or a
signed one not yet kept, is rendered on demand. Producing it is an export of health information,
and audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accounts.models import User
from evaluations.choices import EvaluationStatus
from evaluations.interpretation import EvaluationRecord
from evaluations.models import Evaluation
from evaluations.pdf import kept_report, report_pdf
from evaluations.services import record_evaluation_exported, verify_seal
from evaluations.tasks import render_signed_report


def deliver_report(
    *, public_id: Any, by: User, fetch: Callable[..., EvaluationRecord], request: Any = None
) -> tuple[Evaluation, bytes]:
    """The evaluation and its report PDF. `fetch(**loading)` reads the record for the reader
    (selectors.fetch_record with the caller's refusals)."""
    signed = Evaluation.objects.filter(public_id=public_id, status=EvaluationStatus.SIGNED).exists()
    pdf, seal = None, None
    if signed:
        record = fetch()  # every section, for the seal; not the trends
        seal = verify_seal(record=record, by=by)
        pdf = kept_report(record, seal)
        if pdf is None:
            render_signed_report.enqueue(str(record.evaluation.public_id))  # kept for next time
    if pdf is None:
        record = fetch(baseline=True, history=True)
        if seal is None:  # one check (and one alert, if it fails) per request
            seal = verify_seal(record=record, by=by)
        pdf = report_pdf(record, seal, request=request)
    evaluation = record.evaluation
    record_evaluation_exported(evaluation=evaluation, by=by)
    return evaluation, pdf


def report_filename(evaluation: Evaluation) -> str:
    return f"{evaluation.patient.mrn}-{evaluation.date_of_service:%Y%m%d}-{evaluation.kind}.pdf"
