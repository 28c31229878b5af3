from typing import Any

from django.core.management.base import BaseCommand

from kakehashi.core.schedule import daily_tasks, next_run, schedule


class Command(BaseCommand):
    help = "Queue the next run of every daily task (settings.DAILY_TASKS) that has none waiting."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--now", action="store_true", help="run them as soon as the worker is free"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.utils import timezone

        when = timezone.now() if options["now"] else next_run()
        for task in daily_tasks():
            queued = schedule(task, when)
            state = f"queued for {when:%Y-%m-%d %H:%M %Z}" if queued else "already queued"
            self.stdout.write(f"{task.module_path}: {state}")
