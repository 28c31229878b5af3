"""Anonymise the persons whose retention ran out (settings.PERSONAL_DATA_RETENTION_YEARS;
docs/privacy.md), as the daily job does. `--dry-run` only lists them. Persons are listed by
their record number and registering organization, never by name."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from kakehashi.core.dates import DateProblem, parse_date
from kakehashi.privacy.services.erasure import anonymise_expired


class Command(BaseCommand):
    help = "Anonymise the persons whose retention period ended (--dry-run: only list them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list, change nothing")
        parser.add_argument("--on", default="", help="as on this day (YYYY-MM-DD), for a drill")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["on"]:
            try:
                today = parse_date(options["on"])
            except DateProblem as problem:
                self.stderr.write(f"--on: not a date ({problem.code}); write YYYY-MM-DD.")
                raise SystemExit(2) from problem
        dry_run = bool(options["dry_run"])
        states = anonymise_expired(today, dry_run=dry_run)
        years = settings.PERSONAL_DATA_RETENTION_YEARS
        verb = "would be anonymised" if dry_run else "anonymised"
        for state in states:
            person = state.person
            basis = "last case ended" if state.basis == "cases" else "record last used"
            self.stdout.write(
                f"person {person.pk} ({person.created_by_organization.name_en}): "
                f"{basis} {state.last_end}, {years} years on {state.expires_on}"
            )
        self.stdout.write(f"{len(states)} {verb}.")
