"""Daily work of the registries, run by the task worker (core/schedule.py)."""

from __future__ import annotations

from django_tasks import task

from kakehashi.core.schedule import schedule_next

from .services import agency_expiries_record


@task()
def record_certification_expiries() -> int:
    """Record every certification whose validity ended (notices and case flags with it),
    then queue tomorrow's run. Running it twice on a day records nothing twice."""
    recorded = agency_expiries_record()
    schedule_next(record_certification_expiries)
    return len(recorded)
