import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kakehashi.reminders.services import reminders_run


class Command(BaseCommand):
    help = (
        "Run the daily reminders now. --today YYYY-MM-DD runs them as on that day (e.g. the "
        "demo a year later); running twice writes nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        created = reminders_run(options["today"])
        self.stdout.write(f"{len(created)} new reminders")
        for reminder in created:
            self.stdout.write(f"  {reminder.organization_id} {reminder.kind} {reminder.due_on}")
