from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kakehashi.procedures.loader import DefinitionError, load_directory


class Command(BaseCommand):
    help = "Validate every procedure definition file; print each problem with file and step."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir", default=str(settings.PROCEDURE_DEFINITIONS_DIR), help="directory to check"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["dir"])
        try:
            definitions, rules = load_directory(directory)
        except DefinitionError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(exc.problems)} problem(s) in {directory}") from exc
        for d in definitions:
            steps = len(d.steps)
            patterns = ", ".join(p.key for p in d.patterns)
            self.stdout.write(
                f"OK {d.country} {d.version} (from {d.effective_from}): {steps} steps; "
                f"patterns: {patterns}"
            )
        self.stdout.write(f"OK SSW rules {rules.version}")
