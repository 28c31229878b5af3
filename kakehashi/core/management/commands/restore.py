from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kakehashi.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore the backup in --from over the current database and private files (stop the "
        "web server and the task worker first), then compare every table's row count with "
        "the backup's manifest, and check the audit log's chain (audit_verify)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", required=True, type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask before replacing")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("A restore replaces all current data: run again with --yes.")
        try:
            differences = restore(options["source"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if differences:
            lines = [
                f"{t}: {want} in the backup, {got} now" for t, (want, got) in differences.items()
            ]
            raise CommandError("Row counts differ after the restore:\n" + "\n".join(lines))
        self.stdout.write(f"Restored from {options['source']}: every table's row count matches.")
        # Called by name: core does not import the audit app.
        report = StringIO()
        try:
            call_command("audit_verify", stdout=report)
        except CommandError as exc:
            raise CommandError(f"Restored, but the audit log does not verify. {exc}") from exc
        self.stdout.write(f"Audit log: {report.getvalue().strip()}")
