"""Typed text never becomes CSS, and the PDF renderer fetches nothing but our own static files."""

import io
import socket
import threading

import pytest
from django.db import models
from django.utils import timezone
from pypdf import PdfReader

from evaluations.pdf import REPORT_ORIGIN, StaticFilesOnlyFetcher, render_pdf
from evaluations.sections import SECTIONS
from evaluations.services import save_sections, sign_evaluation
from tests.evaluations.content import as_sections, full_content
from tests.evaluations.records import record_of
from tests.factories import EvaluationFactory, PatientFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it receives."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                connection, _address = self.socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            connection.close()

    def close(self):
        self._stop.set()
        self._thread.join(timeout=2)
        self.socket.close()


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.close()


def hostile(port: int, length: int = 10_000, tag: int = 0) -> str:
    """A form feed ends a CSS string; what follows would restyle the report and fetch a URL."""
    text = (
        f"{tag} Zed\f}}}} body{{background:url(http://127.0.0.1:{port}/x)}} h2{{display:none}} "
        f'@import "http://127.0.0.1:{port}/i.css"; x{{ <img src="http://127.0.0.1:{port}/img"> '
        f"<link rel=stylesheet href=http://127.0.0.1:{port}/l.css>"
    )
    return text[:length]


def free_text_fields(model, names):
    for name in names:
        field = model._meta.get_field(name)
        if isinstance(field, models.CharField | models.TextField) and not field.choices:
            yield name, field.max_length or 10_000


def hostile_evaluation(therapist, front_desk, port):
    """A signed evaluation with hostile text in the patient's names and every free-text field."""
    patient = PatientFactory(
        given_name=hostile(port, 100),
        family_name=hostile(port, 100),
        preferred_name=hostile(port, 100),
        registered_by=front_desk,
    )
    evaluation = EvaluationFactory(therapist=therapist, patient=patient, date_of_service=timezone.localdate())
    content = full_content(evaluation.date_of_service)
    from evaluations.models import Evaluation, OccupationalProfile

    filled = 0
    for section in SECTIONS:
        values = content.setdefault(section.api_key.replace("-", "_"), {})
        for model, names in (
            (Evaluation, section.evaluation_fields),
            (OccupationalProfile, section.profile_fields),
        ):
            for name, length in free_text_fields(model, names):
                filled += 1
                values[name] = hostile(port, length, filled)
        for rows in section.rows:
            for row in values.get(rows.key, []):
                for name, length in free_text_fields(rows.model, rows.fields):
                    if name in row or name == "notes":
                        filled += 1
                        row[name] = hostile(port, length, filled)
    assert filled > 20  # the walk really reached the narrative and the row notes
    save_sections(record=record_of(evaluation, therapist), by=therapist, contents=as_sections(content))
    return sign_evaluation(
        record=record_of(evaluation, therapist), by=therapist, password=PASSWORD
    ).evaluation


def test_hostile_text_cannot_restyle_the_pdf_or_make_the_renderer_fetch(
    page_client, therapist, front_desk, listener
):
    evaluation = hostile_evaluation(therapist, front_desk, listener.port)

    response = page_client(therapist).get(f"/evaluations/{evaluation.public_id}/report.pdf")

    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    # pypdf spells text set in the fallback glyph (the form feed has none) as UTF-16; fold it back.
    text = "\n".join(page.extract_text() for page in pages).replace("\x00", "")
    for section in SECTIONS:
        assert f"{section.number}. {section.title}" in text, section.title
    assert "Zed" in text  # the text is printed, as text
    assert listener.connections == 0


def test_the_report_page_keeps_typed_text_out_of_its_styles(page_client, therapist, front_desk, listener):
    evaluation = hostile_evaluation(therapist, front_desk, listener.port)

    page = page_client(therapist).get(f"/evaluations/{evaluation.public_id}/report/").content.decode()

    assert "<style" not in page  # styles come from a static file only
    assert " style=" not in page
    assert "h2{display:none}" in page  # printed as escaped text...
    assert '<img src="http://127.0.0.1' not in page  # ...never as markup
    assert "&lt;img src=&quot;http://127.0.0.1" in page


def test_the_running_footer_is_an_escaped_element_of_the_document(page_client, therapist, front_desk):
    patient = PatientFactory(given_name="Frank", family_name="O'Brien <Smith>", registered_by=front_desk)
    evaluation = EvaluationFactory(therapist=therapist, patient=patient)

    response = page_client(therapist).get(f"/evaluations/{evaluation.public_id}/report.pdf")

    pages = PdfReader(io.BytesIO(response.content)).pages
    assert all(f"O'Brien <Smith>, Frank · MRN {patient.mrn}" in page.extract_text() for page in pages)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x",
        "https://example.org/a.css",
        "file:///etc/passwd",
        "data:text/css,h2{display:none}",
        f"{REPORT_ORIGIN}/static/../../settings.py",
        f"{REPORT_ORIGIN}/static/%2e%2e/%2e%2e/manage.py",
        f"{REPORT_ORIGIN}/media/anything",
        f"{REPORT_ORIGIN}/static/evaluations/report.css?x=1",
        "https://report.invalid.example.org/static/evaluations/report.css",
        f"{REPORT_ORIGIN}/static/no/such/file.css",
    ],
)
def test_the_renderer_refuses_everything_but_our_static_files(url):
    fetcher = StaticFilesOnlyFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_renderer_serves_our_own_stylesheet():
    fetcher = StaticFilesOnlyFetcher()
    response = fetcher.fetch(f"{REPORT_ORIGIN}/static/evaluations/report.css")
    assert b"running(report-footer)" in response.read()
    assert response.content_type == "text/css"


def test_a_data_url_in_the_html_is_not_loaded(listener):
    html = (
        '<html><body><h2>Heading</h2><img src="data:image/svg+xml,<svg xmlns=%22http://www.w3.org/2000/svg%22>'
        f'<image href=%22http://127.0.0.1:{listener.port}/d%22/></svg>">'
        f'<img src="http://127.0.0.1:{listener.port}/direct"></body></html>'
    )
    pdf = render_pdf(html)
    assert "Heading" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert listener.connections == 0
