from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kakehashi.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a consistent backup into the empty folder --to: the database (SQLite's online "
        "backup, or pg_dump), the private files on disk, and a manifest of row counts and "
        "checksums."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", required=True, type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(options["to"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Backed up {manifest['database']}: {rows} rows in {len(manifest['rows'])} tables, "
            f"{len(manifest['files'])} files, into {options['to']}"
        )
