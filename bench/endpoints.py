"""Endpoint times over HTTP against gunicorn on a generated database (manage.py generate_dataset).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/buffalo_ot_bench SECRET_KEY=bench \\
      .venv/bin/python bench/endpoints.py [--runs 30] [--clients 16]

Starts `gunicorn` (2 workers, the production settings with TLS redirects off) on a free port, logs
in as a generated therapist (token for the API, a session for the pages), and prints one table:
per endpoint p50 and p95 over sequential requests after a warm-up; the p50 of its raw-SQL +
orjson floors (bench/floor.py), served by the same workers in the same run: "data" runs only the
SELECTs that read the payload, "floor" every statement the endpoint ran (token or session,
permissions, data, the audit event of the read); the ratio floor ÷ endpoint (1.0: nothing above
the floor; target ≥ 0.5); and the queries one request makes. Then the deep page with 16 clients
at once, and the workers' memory before and after. The signed report is rendered and kept first,
as the worker does at signing.

The statements are recorded from one request to each endpoint made here first (Django's test
client, in this process). A draft PDF has no floor: its cost is the rendering.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buffalo_ot.settings")

# The test client below speaks plain HTTP to host "127.0.0.1", as the benchmark's requests do.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from buffalo_ot.management.commands.generate_dataset import PASSWORD  # noqa: E402
from common.keyset import encode  # noqa: E402
from evaluations.models import Evaluation, SignedReport  # noqa: E402
from patients.models import Patient  # noqa: E402
from patients.selectors import PATIENT_LIST_ORDER  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def worker_memory(master: int) -> list[int]:
    """Resident memory (MiB) of the gunicorn workers (the master's children)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        if match:
            sizes.append(int(match.group(1)) // 1024)
    return sizes


# Statements that are not the payload's: who is asking, may they, and the audit event of the read.
NOT_PAYLOAD = re.compile(
    r'^\s*SELECT .*? FROM "(django_session|accounts_\w+|auth_\w+|audit_\w+|django_content_type)"',
    re.DOTALL,
)


def record_plan(path: str, *, token: str, user: User, file: str | None = None) -> dict:
    """One request to the endpoint through the test client: its queries, and the floor's plan."""
    client = Client(HTTP_HOST="127.0.0.1")
    if path.startswith("/api/"):
        headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    else:
        client.force_login(user)
        headers = {}
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **headers)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (path, response.status_code)
    statements = [
        ("data" if sql.lstrip().startswith("SELECT") and not NOT_PAYLOAD.match(sql) else "duty", sql)
        for sql in (query["sql"] for query in captured.captured_queries)
    ]
    queries = sum(sql not in ("BEGIN", "COMMIT") for _kind, sql in statements)
    return {"queries": queries, "statements": statements, "file": file}


def timed(session: requests.Session, url: str, runs: int) -> tuple[float, float, int]:
    for _ in range(3):
        session.get(url)
    times = []
    status = 0
    for _ in range(runs):
        started = time.perf_counter()
        response = session.get(url)
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()

    therapist = "dataset-ot01"
    patients = Patient.objects.active().order_by(*PATIENT_LIST_ORDER)
    total = Patient.objects.count()
    deep = patients[total // 2]
    cursor = encode([deep.family_name, deep.given_name, deep.date_of_birth, deep.mrn], "n")
    someone = patients[total // 3]
    signed = Evaluation.objects.filter(status="signed", therapist__username=therapist).order_by("-id").first()
    draft = Evaluation.objects.filter(status="draft", therapist__username=therapist).order_by("-id").first()
    assert signed is not None and draft is not None, "run manage.py generate_dataset first"
    # What the worker does at signing: the signed report is rendered once and kept.
    from evaluations.pdf import store_signed_report

    store_signed_report(signed.public_id)
    kept = SignedReport.objects.filter(evaluation=signed).order_by("-id").first()
    assert kept is not None

    user = User.objects.get(username=therapist)
    from accounts.services import issue_api_token

    _token, raw_token = issue_api_token(user=user)
    endpoints = [
        ("patient list, first page", "api", "/api/v1/patients/"),
        ("patient list, deep page", "api", f"/api/v1/patients/?cursor={cursor}"),
        ("search: name fragment", "api", "/api/v1/patients/?q=owal"),
        ("search: two words", "api", f"/api/v1/patients/?q={someone.given_name}+{someone.family_name[:5]}"),
        ("search: MRN", "api", f"/api/v1/patients/?q={someone.mrn}"),
        ("search: date of birth", "api", f"/api/v1/patients/?q={someone.date_of_birth:%m/%d/%Y}"),
        ("search: phone", "api", f"/api/v1/patients/?q={quote(someone.phone.as_national)}"),
        ("evaluations of a therapist", "api", f"/api/v1/evaluations/?therapist={therapist}"),
        ("evaluations of a patient", "api", f"/api/v1/evaluations/?patient={signed.patient.public_id}"),
        ("evaluation detail (signed)", "api", f"/api/v1/evaluations/{signed.public_id}/"),
        ("signed PDF", "pages", f"/evaluations/{signed.public_id}/report.pdf"),
        ("draft PDF", "pages", f"/evaluations/{draft.public_id}/report.pdf"),
    ]
    plans = {}
    for number, (label, _session, path) in enumerate(endpoints):
        plans[str(number)] = record_plan(
            path, token=raw_token, user=user, file=kept.file.path if label == "signed PDF" else None
        )
    plan_file = Path(tempfile.mkstemp(prefix="bench-floor-", suffix=".json")[1])
    plan_file.write_text(json.dumps(plans))
    connection.close()

    port = free_port()
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "DEBUG": "0",
        "BENCH_FLOOR_PLANS": str(plan_file),
        "GUNICORN_ACCESS_LOG": "/dev/null",
    }
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "bench.floor:application", "-c", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(f"{base}/healthz", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.2)
        api = requests.Session()
        api.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=args.clients))
        token = api.post(
            f"{base}/api/v1/auth/token/", json={"username": therapist, "password": PASSWORD}
        ).json()
        api.headers["Authorization"] = f"Token {token['token']}"
        pages = requests.Session()
        pages.get(f"{base}/accounts/login/")
        pages.post(
            f"{base}/accounts/login/",
            data={
                "username": therapist,
                "password": PASSWORD,
                "csrfmiddlewaretoken": pages.cookies["csrftoken"],
            },
            headers={"Referer": f"{base}/accounts/login/"},
        )
        memory_before = worker_memory(server.pid)
        sessions = {"api": api, "pages": pages}
        print(
            f"{total:,} patients, {Evaluation.objects.count():,} evaluations; gunicorn, 2 workers; {args.runs} runs"
        )
        print(
            f"{'endpoint':<30}{'p50 ms':>9}{'p95 ms':>9}{'data ms':>9}{'floor ms':>10}{'ratio':>7}{'queries':>9}"
        )
        for number, (label, session_name, path) in enumerate(endpoints):
            session = sessions[session_name]
            runs = max(5, args.runs // 5) if "PDF" in label else args.runs
            p50, p95, status = timed(session, base + path, runs)
            assert status == 200, (label, status)
            plan = plans[str(number)]
            if label == "draft PDF":
                floor_text = f"{'—':>9}{'—':>10}{'—':>7}"
            else:
                data_p50, _p95, data_status = timed(session, f"{base}/__floor__/{number}/data", runs)
                floor_p50, _p95, floor_status = timed(session, f"{base}/__floor__/{number}", runs)
                assert (data_status, floor_status) == (200, 200), (label, data_status, floor_status)
                floor_text = f"{data_p50:>9.1f}{floor_p50:>10.1f}{floor_p50 / p50:>7.2f}"
            print(f"{label:<30}{p50:>9.1f}{p95:>9.1f}{floor_text}{plan['queries']:>9}")

        def one(_):
            started = time.perf_counter()
            api.get(f"{base}/api/v1/patients/?cursor={cursor}")
            return (time.perf_counter() - started) * 1000

        with ThreadPoolExecutor(args.clients) as pool:
            times = sorted(pool.map(one, range(args.clients * 10)))
        print(
            f"{'deep page, ' + str(args.clients) + ' clients':<30}{statistics.median(times):>9.1f}{times[int(len(times) * 0.95) - 1]:>9.1f}"
        )
        print(f"worker memory, MiB: before {memory_before}, after {worker_memory(server.pid)}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        plan_file.unlink()


if __name__ == "__main__":
    main()
