"""PDF rendering of the report, with a renderer that can read nothing but our own static files.

The report's HTML carries text that people typed (names, narrative). Django escapes it for HTML,
and none of it reaches CSS; on top of that the renderer's URL fetcher is closed: a stylesheet or
image is served only when it is one of the project's static files, and every other URL —
``http(s)://``, ``file://``, ``data:``, another host — is refused without a request being made.
"""

import logging
import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

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
