"""PDF rendering of the report, with a renderer that can read nothing but our own static files.

The report's HTML carries text that people typed (names, narrative). Django escapes it for HTML,
and none of it reaches CSS; on top of that the renderer's URL fetcher is closed: a stylesheet or
image is served only when it is one of the project's static files, and every other URL —
``http(s)://``, ``file://``, ``data:``, another host — is refused without a request being made.
"""

import hashlib
import logging
import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit
from uuid import UUID

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from evaluations.interpretation import EvaluationRecord
from evaluations.models import Evaluation, SignedReport
from evaluations.presentation.pages import report_context
from evaluations.seal import Seal, SealState, check_seal
from evaluations.selectors import fetch_record

logger = logging.getLogger(__name__)

# The document's own origin while it renders: relative and root-relative URLs resolve here, and
# this origin is never contacted (".invalid" is reserved, RFC 2606).
REPORT_ORIGIN = "https://report.invalid"


class RefusedResource(ValueError):
    """The report asked for something outside the project's static files."""


class StaticFilesOnlyFetcher(weasyprint.urls.URLFetcher):
    """Serves the project's static files from disk; refuses every other URL."""

    def __init__(self):
        super().__init__(allowed_protocols=(), fail_on_errors=False)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        name = static_name(url)
        path = _static_path(name) if name is not None else None
        if path is None:
            self.refused.append(url)
            logger.warning("Report renderer refused %.200s", url)
            raise RefusedResource("only the project's static files are served to the report renderer")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        with open(path, "rb") as file:
            body = file.read()
        return weasyprint.urls.URLFetcherResponse(url, body, {"Content-Type": content_type})


def static_name(url: str) -> str | None:
    """The static file's name for a URL under our report origin's STATIC_URL, or None."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != REPORT_ORIGIN or parts.query or parts.fragment:
        return None
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    if not parts.path.startswith(prefix):
        return None
    name = posixpath.normpath(unquote(parts.path[len(prefix) :]))
    if name.startswith(("..", "/")) or "\\" in name or "\x00" in name or name == ".":
        return None
    return name


def _static_path(name: str) -> str | None:
    """Where the static file lives: the collected (hashed) copy in production, else the app's."""
    try:
        if staticfiles_storage.exists(name):
            return staticfiles_storage.path(name)
    except Exception:  # a name the storage refuses (e.g. suspicious) is simply not ours
        return None
    found = finders.find(name)
    return found if isinstance(found, str) else None


def render_pdf(html: str) -> bytes:
    """The PDF of a report page's HTML. Static URLs in it are served from disk; nothing else loads."""
    return weasyprint.HTML(
        string=html, base_url=REPORT_ORIGIN + "/", url_fetcher=StaticFilesOnlyFetcher()
    ).write_pdf()


# --- The report PDF, and a signed evaluation's stored copy --------------------------------------


def report_pdf(record: EvaluationRecord, seal: Seal, *, request=None) -> bytes:
    """The report of a record loaded with its baseline and history, as a PDF."""
    context = {**report_context(record, seal), "for_pdf": True, "clinic_name": settings.CLINIC_NAME}
    return render_pdf(render_to_string("evaluations/report.html", context, request=request))


def store_signed_report(public_id: UUID | str) -> SignedReport | None:
    """Render a signed evaluation's report once for its current addenda and keep it with its
    SHA-256 (the background job at signing and at each addendum). Idempotent: a report already
    kept for this content and these addenda is returned as it is. Nothing is kept for a draft or
    for content that no longer matches its seal."""
    evaluation = Evaluation.objects.select_related("signed_by").get(public_id=public_id)
    if not evaluation.is_signed or evaluation.signed_by is None:
        return None
    record = fetch_record(viewer=evaluation.signed_by, public_id=public_id, baseline=True, history=True)
    addenda = len(record.evaluation.addenda.all())
    kept = SignedReport.objects.filter(evaluation=evaluation, addenda=addenda).first()
    if kept is not None:
        return kept
    seal = check_seal(record)
    if seal.state != SealState.INTACT:
        logger.warning("Report of evaluation %s not kept: its seal is %s", public_id, seal.state)
        return None
    pdf = report_pdf(record, seal)
    report = SignedReport(
        evaluation=evaluation,
        addenda=addenda,
        content_sha256=evaluation.content_sha256,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
    )
    report.file.save(f"{evaluation.public_id}-{addenda}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # another worker kept it first: keep theirs
        report.file.delete(save=False)
        return SignedReport.objects.get(evaluation=evaluation, addenda=addenda)
    return report


def kept_report(record: EvaluationRecord, seal: Seal) -> bytes | None:
    """The stored PDF of a signed evaluation whose seal holds, when one was kept for exactly this
    content and these addenda and its bytes still match their SHA-256; otherwise None (render it)."""
    evaluation = record.evaluation
    if not evaluation.is_signed or seal.state != SealState.INTACT:
        return None
    addenda = len(evaluation.addenda.all())
    report = SignedReport.objects.filter(
        evaluation=evaluation, addenda=addenda, content_sha256=evaluation.content_sha256
    ).first()
    if report is None:
        return None
    try:
        with report.file.open("rb") as handle:
            pdf = handle.read()
    except OSError:
        logger.error("Kept report %s is missing from storage", report.pk)
        return None
    if hashlib.sha256(pdf).hexdigest() != report.sha256:
        logger.error("Kept report %s does not match its SHA-256: rendered again", report.pk)
        return None
    return pdf
