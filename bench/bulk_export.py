"""The clinic-wide bulk export (FHIR $export's job) on the benchmark's database: time, resources
written and memory, measured in process (the job as the worker runs it). Memory is read after
every checkpoint, so a job whose memory grows with the number of patients shows it.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/buffalo_ot_bench SECRET_KEY=bench
    .venv/bin/python manage.py generate_dataset --patients 100000 --evaluations 300000
    .venv/bin/python bench/bulk_export.py
"""

import os
import resource
import sys
import threading
import time

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buffalo_ot.settings")
django.setup()

from accounts.models import User  # noqa: E402
from fhir_r4 import export  # noqa: E402
from fhir_r4.models import BulkExport  # noqa: E402


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    by = User.objects.filter(is_superuser=False, is_active=True).order_by("pk").first()
    job = BulkExport.objects.create(
        requested_by=by,
        request_url="http://127.0.0.1:8000/fhir/r4/$export",
        level="system",
        types=list(export.EXPORT_TYPES),
    )
    samples: list[tuple[float, float]] = []  # (seconds, MiB), every half second while it runs
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            samples.append((time.perf_counter() - started, rss_mib()))

    started = time.perf_counter()
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    job = export.run_export(job.public_id)
    took = time.perf_counter() - started
    done.set()
    sampler.join()
    files = job.checkpoint["files"]
    lines = sum(count for _size, count in files.values())
    size = sum(size for size, _count in files.values()) / (1024 * 1024)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    early = [mib for at, mib in samples if at <= took * 0.1] or [samples[0][1]]
    late = [mib for at, mib in samples if at >= took * 0.9] or [samples[-1][1]]
    print(
        f"patients {job.patients_total}: {took:.0f} s, {lines} resources ({lines / took:.0f}/s), {size:.0f} MiB"
    )
    print(
        f"memory: {max(early):.0f} MiB in the first tenth, {max(late):.0f} MiB in the last, peak {peak:.0f} MiB"
    )
    for kind, (size_bytes, count) in files.items():
        print(f"  {kind}: {count} ({size_bytes / (1024 * 1024):.1f} MiB)")
    export.remove_files(job)


if __name__ == "__main__":
    main()
