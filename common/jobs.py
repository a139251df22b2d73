"""What the project asks of its background-job backend beyond enqueueing: the two backends it
supports (README, "Background jobs") answer "is a run of this task already waiting?" differently."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone


def uses_redis() -> bool:
    return bool(settings.TASKS_REDIS_URL)


def next_waiting_run(task: Any) -> datetime | None:
    """When the earliest queued, not yet started run of `task` is due, or None when none waits."""
    runs = waiting_runs(task)
    return min(runs) if runs else None


def waiting_runs(task: Any) -> list[datetime]:
    """When each queued, not yet started run of `task` is due (now, for one queued without a time)."""
    if uses_redis():
        return _waiting_runs_rq(task)
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=task.module_path, status="READY")
    return [run_after or timezone.now() for run_after in waiting.values_list("run_after", flat=True)]


def _waiting_runs_rq(task: Any) -> list[datetime]:
    import django_rq
    from rq.job import Job
    from rq.registry import ScheduledJobRegistry

    queue = django_rq.get_queue(task.queue_name)
    registry = ScheduledJobRegistry(queue=queue)
    scheduled = Job.fetch_many(registry.get_job_ids(), connection=queue.connection)
    runs = [
        registry.get_scheduled_time(job)
        for job in scheduled
        if job is not None and job.func_name == task.module_path
    ]
    runs += [timezone.now() for job in queue.get_jobs() if job.func_name == task.module_path]
    return runs
