"""Import patients from another system's CSV export:

    manage.py import_patients patients.csv --by clinicadmin [--dry-run]

Prints each row's outcome (create, possible duplicate, invalid: with the reason); without
--dry-run registers the rows that check out, a batch per transaction, audited on the channel
`import`. The clinic admin's page (Patients › Import) does the same in the background worker."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from patients.imports import CsvProblem, check_file, run_import, summary


class Command(BaseCommand):
    help = "Check, then import, patients from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--by", required=True, help="Username of the clinic admin importing.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; create nobody.")

    def handle(self, *args, **options):
        by = User.objects.filter(username=options["by"], is_active=True).first()
        if by is None or not by.has_perm("patients.add_patientimport"):
            raise CommandError(f"{options['by']!r} is not an active user who may import patients.")
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        try:
            job = check_file(text=text, filename=path.name, by=by)
        except CsvProblem as problem:
            raise CommandError(str(problem)) from None
        if not options["dry_run"]:
            job.started_by, job.started_at = by, timezone.now()
            job.save(update_fields=["started_by", "started_at"])
            job = run_import(job.public_id)
        for row in job.report:
            extra = f" MRN {row['mrn']}" if row["mrn"] else ""
            reason = f": {row['reason']}" if row["reason"] else ""
            self.stdout.write(f"row {row['row']}: {row['outcome']} {row['name']}{extra}{reason}")
        counts = ", ".join(f"{count} {outcome}" for outcome, count in sorted(summary(job.report).items()))
        self.stdout.write(f"{job.rows} rows: {counts}.")
