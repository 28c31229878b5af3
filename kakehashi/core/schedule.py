"""Daily work for the task worker (django-tasks with its database backend): each task in
settings.DAILY_TASKS runs once a day at DAILY_AT (local time) and, when it is done, puts its
next run in the queue. `manage.py schedule_daily_tasks` puts in the first run of each; it is
safe to run again (a task already waiting is not queued twice). `make demo` runs it and
starts the worker; docs/deployment.md says how to run the worker in production."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus

DAILY_AT = datetime.time(0, 10)


def next_run(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next DAILY_AT in the site's time zone after `now`."""
    now = timezone.localtime(now)
    today = now.replace(hour=DAILY_AT.hour, minute=DAILY_AT.minute, second=0, microsecond=0)
    return today if today > now else today + datetime.timedelta(days=1)


def _waiting(task: Any) -> bool:
    """A run of `task` already queued (the database backend only; others queue no runs)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=task.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).exists()


def schedule(task: Any, when: datetime.datetime | None = None) -> bool:
    """Queue the next run of a daily task unless one is waiting. False when the backend
    cannot run tasks later (the test backend runs them at once: nothing is queued)."""
    backend = task.get_backend()
    if not backend.supports_defer:
        return False
    if _waiting(task):
        return False
    task.using(run_after=when or next_run()).enqueue()
    return True


def schedule_next(task: Any) -> None:
    """Called by a daily task at the end of its run (it is itself RUNNING then)."""
    backend = task.get_backend()
    if not backend.supports_defer:
        return
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY)
    if not ready.exists():
        task.using(run_after=next_run()).enqueue()


def daily_tasks() -> list[Any]:
    return [import_string(path) for path in settings.DAILY_TASKS]
