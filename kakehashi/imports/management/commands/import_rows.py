"""manage.py import_rows: a CSV or .xlsx file of persons, test results or cases, imported as
a user through the same services as the pages, all or nothing (docs/architecture.md,
"Bulk import")."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from tqdm import tqdm

from kakehashi.access import Actor
from kakehashi.access.policy import IMPORT_KINDS
from kakehashi.accounts.models import User
from kakehashi.audit import log as audit_log
from kakehashi.core.errors import DomainError
from kakehashi.imports.kinds import KINDS
from kakehashi.imports.reader import FileProblem, count_rows
from kakehashi.imports.services import import_rows, importing_organization


def _advance(bar: tqdm[Any], done: int) -> None:
    bar.update(done - bar.n)


class Command(BaseCommand):
    help = (
        "Import persons, test results or cases from a CSV (UTF-8) or .xlsx file as a user, "
        "all or nothing: if any row is refused, nothing is written and every refused row is "
        "listed (row, column, reason); the exit status is then 1. --dry-run checks every "
        "row and writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", required=True, choices=IMPORT_KINDS)
        parser.add_argument("--file", required=True, type=Path)
        parser.add_argument("--as", dest="username", required=True, help="the acting user")
        parser.add_argument(
            "--organization", type=int, default=None, help="for cases: the receiving organization"
        )
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="the language of the messages",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._run(options)

    def _run(self, options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']!r}.")
        actor = Actor.of(user)
        kind = options["kind"]
        try:
            organization = importing_organization(actor, kind, options["organization"])
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        label = "command:import_rows"
        with path.open("rb") as stream, audit_log.bind(user_id=user.pk, label=label):
            try:
                total = count_rows(stream, KINDS[kind].columns)
                bar = tqdm(
                    total=total,
                    unit="row",
                    file=getattr(self.stderr, "_out", sys.stderr),
                    mininterval=0.5,
                )
                with bar:
                    result = import_rows(
                        actor=actor,
                        kind=kind,
                        stream=stream,
                        organization=organization,
                        dry_run=options["dry_run"],
                        progress=lambda done: _advance(bar, done),
                    )
            except FileProblem as problem:
                raise CommandError(problem.message) from problem
        if not result.ok:
            self.stdout.write("row\tcolumn\tmessage")
            for row_error in result.errors:
                self.stdout.write(
                    f"{row_error.row}\t{row_error.column or '-'}\t{row_error.message}"
                )
            if result.error_count > len(result.errors):
                self.stdout.write(f"… {result.error_count - len(result.errors)} more")
            raise CommandError(
                f"{result.error_count} problem(s) in {result.rows} rows: nothing was written."
            )
        if result.dry_run:
            self.stdout.write(f"{result.rows} rows checked, no problem found; nothing written.")
        else:
            self.stdout.write(f"{result.written} rows imported ({kind}).")
