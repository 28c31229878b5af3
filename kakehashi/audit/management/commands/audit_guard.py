from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from kakehashi.audit import guard


class Command(BaseCommand):
    help = (
        "Put back the triggers with which the database refuses to change or remove audit "
        "rows (the migration installs them; audit_verify reports them missing)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        was = guard.installed(connection)
        guard.install(connection)
        self.stdout.write(
            "The audit table's triggers were in place; installed again."
            if was
            else "The audit table's triggers were missing: installed. Find out who removed them."
        )
