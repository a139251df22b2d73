"""FHIR Patient searches beside the REST patient search, in process, on the benchmark's database:
median and p95 of repeated runs and the queries per request. Run it at two register sizes and
compare (the ratios in bench/README.md).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/buffalo_ot_bench SECRET_KEY=bench
    .venv/bin/python bench/fhir_search.py
"""

import os
import statistics
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buffalo_ot.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.services import issue_api_token  # noqa: E402
from patients.models import Patient  # noqa: E402

RUNS, WARM_UP = 30, 3
SEARCHES = [
    ("FHIR family=kow", "/fhir/r4/Patient", {"family": "kow", "_count": "20"}),
    ("FHIR family=you (last in name order)", "/fhir/r4/Patient", {"family": "you", "_count": "20"}),
    ("FHIR family=zzq (no match)", "/fhir/r4/Patient", {"family": "zzq", "_count": "20"}),
    ("FHIR name=mar", "/fhir/r4/Patient", {"name": "mar", "_count": "20"}),
    (
        "FHIR given=tomasz&family=now",
        "/fhir/r4/Patient",
        {"given": "tomasz", "family": "now", "_count": "20"},
    ),
    ("FHIR birthdate=1950-03-14", "/fhir/r4/Patient", {"birthdate": "1950-03-14", "_count": "20"}),
    ("FHIR first page, no filter", "/fhir/r4/Patient", {"_count": "20"}),
    ("REST q=kow", "/api/v1/patients/", {"q": "kow"}),
    ("REST q=you", "/api/v1/patients/", {"q": "you"}),
]


def main() -> None:
    therapist = User.objects.filter(groups__name="Therapist", is_active=True).order_by("pk").first()
    token = issue_api_token(user=therapist)[1]
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")
    print(f"{Patient.objects.count():,} patients")
    print("| search | p50 ms | p95 ms | queries | entries |")
    print("|---|---|---|---|---|")
    for label, path, params in SEARCHES:
        accept = "application/fhir+json" if path.startswith("/fhir") else "application/json"
        times = []
        for run in range(WARM_UP + RUNS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path, params, secure=True, HTTP_ACCEPT=accept)
                took = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (label, response.status_code, response.content[:300])
            if run >= WARM_UP:
                times.append(took)
        body = response.json()
        entries = len(body.get("entry", body.get("results", [])))
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"| {label} | {statistics.median(times):.1f} | {p95:.1f} | {len(queries)} | {entries} |")


if __name__ == "__main__":
    main()
