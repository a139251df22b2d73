from django.core.management.base import BaseCommand

from episodes.daily import run_episode_clock


class Command(BaseCommand):
    help = (
        "The daily run of the episode clock: record overdue items in the audit trail (system channel) "
        "and, with DAILY_SUMMARY_EMAILS on, email each therapist their summary. --schedule queues it "
        "in the task worker every morning instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule", action="store_true", help="queue the daily job (once) instead of running now"
        )

    def handle(self, *args, schedule: bool, **options):
        if schedule:
            from episodes.tasks import schedule_daily_clock

            when = schedule_daily_clock()
            self.stdout.write(f"The episode clock runs daily; next run {when:%m/%d/%Y %H:%M}.")
            return
        run = run_episode_clock()
        self.stdout.write(
            f"Episode clock: {run.recorded} overdue item(s) recorded, {run.emailed} summary email(s) sent."
        )
