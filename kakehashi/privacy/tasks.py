"""The daily anonymisation of persons whose retention ran out (settings.DAILY_TASKS)."""

from __future__ import annotations

from django_tasks import task

from kakehashi.core.schedule import schedule_next

from .services.erasure import anonymise_expired


@task()
def anonymise_expired_persons() -> int:
    """Anonymise today's expired persons, then queue tomorrow's run."""
    done = anonymise_expired()
    schedule_next(anonymise_expired_persons)
    return len(done)
