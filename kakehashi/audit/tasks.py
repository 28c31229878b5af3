"""The daily export of the audit log's signed head (settings.DAILY_TASKS)."""

from __future__ import annotations

from django_tasks import task

from kakehashi.core.schedule import schedule_next

from .heads import export_head


@task()
def export_audit_head() -> str:
    """Sign today's head into AUDIT_HEAD_DIR, then queue tomorrow's run."""
    path = export_head()
    schedule_next(export_audit_head)
    return path.name
