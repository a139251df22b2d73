"""Patient import: 10,000 rows checked (the dry run), then imported, on a fresh database of the
settings' kind (SQLite by default). The issue's target: the import of 10k rows in under a minute
on SQLite. Prints seconds, rows per second and peak memory.

    DATABASE_URL=sqlite:////tmp/import-bench.sqlite3 SECRET_KEY=x DEBUG=1 \\
        .venv/bin/python manage.py migrate && .venv/bin/python bench/patient_import.py [rows]
"""

import csv
import io
import os
import resource
import sys
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buffalo_ot.settings")
django.setup()

from accounts.models import User  # noqa: E402
from patients.imports import check_file, run_import  # noqa: E402


def main(rows: int) -> None:
    by = User.objects.filter(groups__name="Clinic admin").first() or User.objects.create(
        username=f"bench-import-{time.time_ns()}", is_staff=True
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Last Name", "First Name", "DOB", "Gender", "Phone", "Zip", "Diagnoses"])
    stamp = time.time_ns() % 100_000
    for i in range(rows):
        born = f"{1 + i % 12:02d}/{1 + i % 28:02d}/{1930 + i % 75}"
        phone = f"716555{i % 10000:04d}" if i % 4 == 0 else ""
        writer.writerow(
            [f"Bench{stamp}x{i}", f"Given{i}", born, "FM"[i % 2], phone, "14201", "M25.551" if i % 3 else ""]
        )
    started = time.perf_counter()
    job = check_file(text=buffer.getvalue(), filename="bench.csv", by=by)
    checked = time.perf_counter() - started
    started = time.perf_counter()
    job = run_import(job.public_id)
    imported = time.perf_counter() - started
    created = sum(1 for row in job.report if row["outcome"] == "created")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"rows {rows}: check {checked:.1f} s ({rows / checked:.0f}/s), import {imported:.1f} s "
        f"({created / imported:.0f}/s, {created} created), peak memory {peak:.0f} MiB"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
