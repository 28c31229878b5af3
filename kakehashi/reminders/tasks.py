"""The daily reminder job (settings.DAILY_TASKS)."""

from __future__ import annotations

from django_tasks import task

from kakehashi.core.schedule import schedule_next

from .services import reminders_run


@task()
def send_reminders() -> int:
    """Write and e-mail today's new reminders, then queue tomorrow's run."""
    created = reminders_run()
    schedule_next(send_reminders)
    return len(created)
