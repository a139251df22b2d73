"""A signed evaluation's report PDF is rendered once, by the background worker, at signing and at
each addendum; kept with its SHA-256; and served from storage after the seal and the file's own
hash are checked. A draft, a report not kept yet, a file that no longer matches its hash, or
content that no longer matches its seal is rendered on the spot instead."""

import hashlib

import pytest

from evaluations.models import Evaluation, SignedReport
from evaluations.services import add_addendum
from tests.episodes.conftest import run_jobs
from tests.evaluations.test_report import pdf_text, signed
from tests.factories import EvaluationFactory

# Committed for real, as in production: the job is queued when the signature commits, and the
# worker (db_worker, as `make run` starts it) runs it from the database.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live_db")]


@pytest.fixture
def kept(therapist, patient):
    evaluation = signed(therapist, patient)
    run_jobs()  # the worker renders it
    return evaluation


def stored_bytes(report: SignedReport) -> bytes:
    with report.file.open("rb") as handle:
        return handle.read()


def test_signing_renders_the_report_once_in_the_worker_and_it_is_served_from_storage(
    page_client, therapist, kept, django_assert_max_num_queries
):
    report = SignedReport.objects.get(evaluation=kept)
    pdf = stored_bytes(report)
    assert (report.addenda, report.size, report.sha256) == (0, len(pdf), hashlib.sha256(pdf).hexdigest())
    assert report.content_sha256 == kept.content_sha256
    client = page_client(therapist)
    served = client.get(f"/evaluations/{kept.public_id}/report.pdf")
    # The very bytes kept: a new rendering would carry a new time and differ.
    assert served.content == pdf
    assert "Rendered" in pdf_text(served)
    with django_assert_max_num_queries(40):  # the sections for the seal, the kept report, the audit
        assert client.get(f"/evaluations/{kept.public_id}/report.pdf").content == pdf
    run_jobs()  # nothing was queued by serving it: still one kept report
    assert SignedReport.objects.count() == 1


def test_an_addendum_renders_a_new_report_and_the_first_stays(page_client, therapist, kept):
    first = stored_bytes(SignedReport.objects.get(evaluation=kept))
    add_addendum(evaluation=kept, by=therapist, text="Late entry: uses a reacher at home.")
    run_jobs()
    assert list(SignedReport.objects.values_list("addenda", flat=True)) == [1, 0]
    newest = SignedReport.objects.get(evaluation=kept, addenda=1)
    served = page_client(therapist).get(f"/evaluations/{kept.public_id}/report.pdf")
    assert served.content == stored_bytes(newest) != first
    assert "Late entry: uses a reacher at home." in pdf_text(served)


def test_a_kept_file_that_no_longer_matches_its_hash_is_not_served(page_client, therapist, kept):
    report = SignedReport.objects.get(evaluation=kept)
    with open(report.file.path, "r+b") as handle:
        handle.seek(200)
        handle.write(b"XXXX")
    served = page_client(therapist).get(f"/evaluations/{kept.public_id}/report.pdf")
    assert served.status_code == 200
    assert served.content != stored_bytes(report)  # rendered again, on the spot
    assert "Rendered" in pdf_text(served)


def test_content_that_fails_its_seal_is_rendered_with_the_warning_not_served_from_storage(
    page_client, therapist, kept
):
    from evaluations.models import PainPoint

    PainPoint.objects.filter(evaluation=kept).update(intensity=1)  # behind the services' back
    served = page_client(therapist).get(f"/evaluations/{kept.public_id}/report.pdf")
    assert served.content != stored_bytes(SignedReport.objects.get(evaluation=kept))
    assert "INTEGRITY WARNING" in pdf_text(served)


def test_a_draft_is_rendered_on_demand_and_never_kept(page_client, therapist, patient):
    draft = EvaluationFactory(therapist=therapist, patient=patient)
    served = page_client(therapist).get(f"/evaluations/{draft.public_id}/report.pdf")
    assert "DRAFT: not signed" in pdf_text(served)
    from evaluations.pdf import store_signed_report

    assert store_signed_report(draft.public_id) is None
    assert not SignedReport.objects.exists()


def test_a_signed_report_not_kept_yet_is_rendered_and_queued(page_client, therapist, patient):
    evaluation = signed(therapist, patient)  # signed; the worker has not run yet
    assert Evaluation.objects.get(pk=evaluation.pk).is_signed and not SignedReport.objects.exists()
    served = page_client(therapist).get(f"/evaluations/{evaluation.public_id}/report.pdf")
    assert "Rendered" in pdf_text(served)
    run_jobs()
    report = SignedReport.objects.get(evaluation=evaluation)
    assert page_client(therapist).get(
        f"/evaluations/{evaluation.public_id}/report.pdf"
    ).content == stored_bytes(report)


@pytest.mark.postgresql
def test_two_workers_rendering_the_same_report_at_once_keep_one(therapist, patient, settings, monkeypatch):
    """Two workers take the same signed evaluation at the same moment (a job retried while the
    first run still renders): both render, one keeps its file, the other's is removed and it
    answers with the kept one. Real threads on their own connections; a barrier holds both after
    rendering so that neither can see the other's report before saving its own."""
    import threading
    from pathlib import Path

    from evaluations import pdf
    from tests.concurrency.test_lost_updates import race

    evaluation = signed(therapist, patient)  # its job is queued, not run
    rendered = threading.Barrier(2)
    render = pdf.report_pdf

    def render_then_wait(*args, **kwargs):
        document = render(*args, **kwargs)
        rendered.wait(timeout=60)
        return document

    monkeypatch.setattr(pdf, "report_pdf", render_then_wait)
    first, second = race(
        lambda: pdf.store_signed_report(evaluation.public_id),
        lambda: pdf.store_signed_report(evaluation.public_id),
    )
    assert isinstance(first, SignedReport) and isinstance(second, SignedReport), (first, second)
    assert first.pk == second.pk
    kept = SignedReport.objects.get(evaluation=evaluation)
    files = [path for path in Path(settings.MEDIA_ROOT).rglob(f"{evaluation.public_id}-0*.pdf")]
    assert [path.name for path in files] == [Path(kept.file.name).name]
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == kept.sha256
