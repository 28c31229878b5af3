import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kakehashi.reminders.services import a_year_on, reminders_run


class Command(BaseCommand):
    help = (
        "Run the daily reminders now. --today YYYY-MM-DD runs them as on that day (e.g. the "
        "demo a year later); running twice writes nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)
        parser.add_argument(
            "--later",
            action="store_true",
            help="run as on 15 April next year: the demo's clock a year on, in the filing "
            "window of the periodic notification",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"]
        if options["later"]:
            today = a_year_on(timezone.localdate())
            self.stdout.write(f"As on {today}:")
        created = reminders_run(today)
        self.stdout.write(f"{len(created)} new reminders")
        for reminder in created:
            self.stdout.write(f"  {reminder.organization_id} {reminder.kind} {reminder.due_on}")
