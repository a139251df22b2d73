"""The background-job worker of whichever backend is configured (README, "Background jobs")."""

import argparse

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Runs the background jobs: `db_worker` of the database backend, or an RQ worker when "
        "TASKS_REDIS_URL is set."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run the jobs queued now, then stop")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="database backend: seconds between polls"
        )
        parser.add_argument(
            "--reload",
            action=argparse.BooleanOptionalAction,
            default=settings.DEBUG,
            help="database backend: restart when the code changes (default: with DEBUG)",
        )

    def handle(self, *args, batch: bool, interval: float, reload: bool, verbosity: int, **options):
        if settings.TASKS_REDIS_URL:
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",
                # a batch runs in this process (as the database backend's does); a long-running
                # worker forks a fresh process for each job and runs the scheduled ones when due
                worker_class="rq.SimpleWorker" if batch else None,
                burst=batch,
                with_scheduler=not batch,
                verbosity=verbosity,
            )
        else:
            call_command(
                "db_worker",
                batch=batch,
                interval=interval,
                reload=reload and not batch,
                startup_delay=not batch,
                verbosity=verbosity,
            )
