"""Front-desk search time at a small and a large register size, reported as ratios."""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buffalo_ot.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django

django.setup()

from django.db import connection  # noqa: E402
from stdnum import luhn  # noqa: E402

GIVEN = [
    "Joan",
    "Maria",
    "Robert",
    "James",
    "Aisha",
    "Khalid",
    "Linda",
    "Tomasz",
    "Mei",
    "Luis",
    "Olena",
    "Samuel",
]
FAMILY_STEMS = [
    "Kowal",
    "Now",
    "Russ",
    "Garc",
    "Nguy",
    "Rahm",
    "Schmi",
    "Murph",
    "Hass",
    "Wisniew",
    "Ortiz",
    "Brown",
]


def populate(count: int, start: int) -> None:
    from accounts.models import User
    from patients.models import Patient

    clerk, _ = User.objects.get_or_create(username="bench-clerk")
    rng = random.Random(start)
    batch = []
    for index in range(start, start + count):
        number = str(2_000_000 + index)
        batch.append(
            Patient(
                mrn=number + luhn.calc_check_digit(number),
                given_name=rng.choice(GIVEN),
                family_name=f"{rng.choice(FAMILY_STEMS)}{rng.choice(['ski', 'ak', 'o', 'ia', 'en', 'an', 'dt', 'y'])}{index % 997}",
                date_of_birth=date(1930, 1, 1) + timedelta(days=rng.randint(0, 80 * 365)),
                phone=f"+1716{index % 10_000_000:07d}",
                registered_by=clerk,
                updated_by=clerk,
            )
        )
        if len(batch) == 10_000:
            Patient.objects.bulk_create(batch)
            batch = []
    if batch:
        Patient.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE patients_patient")


def time_searches(viewer) -> dict[str, float]:
    from patients.selectors import list_patients

    queries = {
        "name fragment": "owal",
        "given + family": "joan kowalski1",
        "mrn": "2000042" + luhn.calc_check_digit("2000042"),
        "local phone": "000-0042",
        "phone": "716-000-0042",
        "date of birth": "03/02/1950",
    }
    timings = {}
    for label, query in queries.items():
        runs = []
        for _ in range(7):
            started = time.perf_counter()
            list(list_patients(viewer=viewer, query=query)[:25])
            runs.append(time.perf_counter() - started)
        timings[label] = statistics.median(runs)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=200_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL.")

    from django.test.utils import setup_databases, teardown_databases

    old = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        from django.contrib.auth.models import Group

        from accounts.models import User

        viewer = User.objects.create(username="bench-desk")
        viewer.groups.add(Group.objects.get(name="Front desk"))
        populate(args.small, 0)
        small = time_searches(User.objects.get(pk=viewer.pk))
        populate(args.large - args.small, args.small)
        large = time_searches(User.objects.get(pk=viewer.pk))
    finally:
        teardown_databases(old, verbosity=0)

    print(f"patient search, {args.small:,} -> {args.large:,} patients (median of 7)")
    print(f"{'search':<16}{'small ms':>10}{'large ms':>10}{'ratio':>8}")
    for label in small:
        ratio = large[label] / small[label]
        print(f"{label:<16}{small[label] * 1000:>10.2f}{large[label] * 1000:>10.2f}{ratio:>8.2f}")


if __name__ == "__main__":
    main()
