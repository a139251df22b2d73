"""Endpoint times over HTTP against gunicorn on a generated database (manage.py generate_dataset).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/buffalo_ot_bench SECRET_KEY=bench \\
      .venv/bin/python bench/endpoints.py [--runs 30] [--clients 16]

Starts `gunicorn` (2 workers, the production settings with TLS redirects off) on a free port, logs
in as a generated therapist (token for the API, a session for the pages), and prints one table:
p50 and p95 per endpoint over sequential requests after a warm-up, then the p95 of the patient
list with 16 clients at once, and the workers' memory before and after. The signed report is
rendered and kept first, as the worker does at signing. The raw-SQL floor and the
ratios against it are not in this version yet.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buffalo_ot.settings")

import django  # noqa: E402

django.setup()

from buffalo_ot.management.commands.generate_dataset import PASSWORD  # noqa: E402
from common.keyset import encode  # noqa: E402
from evaluations.models import Evaluation  # noqa: E402
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

    port = free_port()
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "DEBUG": "0",
    }
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "buffalo_ot.wsgi", "-c", str(ROOT / "gunicorn.conf.py")],
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
        endpoints = [
            ("patient list, first page", api, "/api/v1/patients/"),
            ("patient list, deep page", api, f"/api/v1/patients/?cursor={cursor}"),
            ("search: name fragment", api, "/api/v1/patients/?q=owal"),
            ("search: two words", api, f"/api/v1/patients/?q={someone.given_name}+{someone.family_name[:5]}"),
            ("search: MRN", api, f"/api/v1/patients/?q={someone.mrn}"),
            ("search: date of birth", api, f"/api/v1/patients/?q={someone.date_of_birth:%m/%d/%Y}"),
            ("search: phone", api, f"/api/v1/patients/?q={someone.phone.as_national}"),
            ("evaluations of a therapist", api, f"/api/v1/evaluations/?therapist={therapist}"),
            ("evaluations of a patient", api, f"/api/v1/evaluations/?patient={signed.patient.public_id}"),
            ("evaluation detail (signed)", api, f"/api/v1/evaluations/{signed.public_id}/"),
            ("signed PDF", pages, f"/evaluations/{signed.public_id}/report.pdf"),
            ("draft PDF", pages, f"/evaluations/{draft.public_id}/report.pdf"),
        ]
        print(
            f"{total:,} patients, {Evaluation.objects.count():,} evaluations; gunicorn, 2 workers; {args.runs} runs"
        )
        print(f"{'endpoint':<30}{'p50 ms':>9}{'p95 ms':>9}{'status':>8}")
        for label, session, path in endpoints:
            runs = max(5, args.runs // 5) if "PDF" in label else args.runs
            p50, p95, status = timed(session, base + path, runs)
            print(f"{label:<30}{p50:>9.1f}{p95:>9.1f}{status:>8}")

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


if __name__ == "__main__":
    main()
