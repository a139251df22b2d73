"""The production profile: Django's deployment checklist is clean, and gunicorn's access log never
holds a query string (searches carry names, birth dates and phone numbers)."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

BIN = Path(sys.executable).parent


def production_env(**extra) -> dict[str, str]:
    test_only = {"DEBUG", "DATABASE_URL", "BUFFALO_OT_COMMAND", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env.update(SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="ot.example.org,127.0.0.1", **extra)
    return env


def test_the_deployment_checklist_has_no_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_access_log_keeps_paths_but_never_query_strings(tmp_path):
    port = free_port()
    log = tmp_path / "access.log"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "buffalo_ot.wsgi:application", "--config", "gunicorn.conf.py"],
        cwd=settings.BASE_DIR,
        env=production_env(
            GUNICORN_BIND=f"127.0.0.1:{port}",
            GUNICORN_WORKERS="1",
            GUNICORN_ACCESS_LOG=str(log),
            GUNICORN_ERROR_LOG=str(tmp_path / "error.log"),
            SECURE_SSL_REDIRECT="0",
            DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        ),
    )
    url = (
        f"http://127.0.0.1:{port}/api/v1/patients/?q=Joan+Kowalski&date_of_birth=1951-04-12&phone=7165550142"
    )
    try:
        deadline = time.monotonic() + 30
        status = None
        while time.monotonic() < deadline and status is None:
            try:
                status = urllib.request.urlopen(url, timeout=5).status
            except urllib.error.HTTPError as answered:
                status = answered.code
            except OSError:
                time.sleep(0.2)
        assert status == 401, "gunicorn did not answer"
    finally:
        server.terminate()
        server.wait(timeout=30)

    written = log.read_text()
    assert '"GET /api/v1/patients/ HTTP/1.1" 401' in written
    for secret in ("Kowalski", "Joan", "1951", "7165550142", "?"):
        assert secret not in written
