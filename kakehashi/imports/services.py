"""Bulk import: rows of a file written through the same services as single records, all or
nothing (docs/adr/0031-bulk-import-all-or-nothing.md).

One transaction holds the whole file; each row runs in a savepoint of its own, so that a
refused row is undone alone and the next rows are still checked: every row's errors are
collected. If any row fails (or on a dry run), the transaction is rolled back and nothing
is written; else it commits. Who may import is the policy's (`access.policy.may_import`);
each row's service checks the actor again, as it does for a single record."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.files.base import File
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import IMPORT_KINDS, import_organizations
from kakehashi.accounts.models import Organization
from kakehashi.audit import log as audit_log
from kakehashi.core import files
from kakehashi.core.errors import InvalidInput, NotAllowed, Problem
from kakehashi.core.text import forbidden_character

from .kinds import KINDS, RowError, RowInvalid, context_for
from .models import ImportJob, ImportStatus
from .reader import MAX_ROWS, FileProblem, count_rows, read_rows

logger = logging.getLogger(__name__)

# The errors kept and shown (the first ones, in row order); the rest are only counted.
MAX_ERRORS = 1000

Progress = Callable[[int], None]


@dataclass
class ImportResult:
    kind: str
    rows: int = 0  # rows read (blank rows not counted)
    written: int = 0  # rows written: all of them, or none
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0


def importing_organization(actor: Actor, kind: str, organization_id: int | None) -> Organization:
    """The organization the rows are imported for: the one named, or the actor's only one.
    403 if the policy lets the actor import no such rows (for that organization)."""
    if kind not in IMPORT_KINDS:
        raise InvalidInput([Problem("invalid_choice", _("Choose what to import."), field="kind")])
    candidates = list(import_organizations(actor, kind))
    if organization_id is not None:
        candidates = [o for o in candidates if o.pk == organization_id]
    if not candidates:
        raise NotAllowed(_("Your organization cannot import these rows."), code="not_allowed")
    if len(candidates) > 1:
        raise InvalidInput(
            [Problem("required", _("Choose the organization."), field="organization")]
        )
    return candidates[0]


def _row_problems(number: int, values: dict[str, str], extra: bool) -> list[RowError]:
    """What no field takes, in any column: control characters, and values beyond the
    named columns."""
    errors = []
    for column, value in values.items():
        character = forbidden_character(value)
        if character is not None:
            errors.append(
                RowError(
                    number,
                    column,
                    _("This text contains a control character (%(character)s); remove it.")
                    % {"character": character},
                )
            )
    if extra:
        errors.append(RowError(number, "", _("This row has more values than there are columns.")))
    return errors


def import_rows(
    *,
    actor: Actor,
    kind: str,
    stream: IO[bytes],
    organization: Organization,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import every row of `stream` (CSV or .xlsx) as `kind`, all or nothing. Raises
    FileProblem for a file that cannot be read (nothing written)."""
    spec = KINDS[kind]
    _header, rows = read_rows(stream, spec.columns)
    result = ImportResult(kind=kind, dry_run=dry_run)
    context = context_for(actor, organization)

    def fail(errors: list[RowError]) -> None:
        result.error_count += len(errors)
        room = MAX_ERRORS - len(result.errors)
        if room > 0:
            result.errors += errors[:room]

    with transaction.atomic():
        for row in rows:
            result.rows += 1
            if result.rows > MAX_ROWS:
                raise FileProblem(
                    _("The file has more than %(limit)s rows; split it into smaller files.")
                    % {"limit": f"{MAX_ROWS:,}"},
                    code="too_many_rows",
                )
            problems = _row_problems(row.number, row.values, row.extra)
            if problems:
                fail(problems)
            else:
                try:
                    with transaction.atomic():  # a savepoint: a refused row is undone alone
                        spec.write(context, row.values)
                except RowInvalid as invalid:
                    fail([RowError(row.number, col, msg) for col, msg in invalid.errors])
            if progress is not None:
                progress(result.rows)
        if result.error_count or dry_run:
            transaction.set_rollback(True)
        else:
            result.written = result.rows
    return result


# --- jobs: an import uploaded on the page, run by the task worker ---------------------------


def job_create(
    *, actor: Actor, kind: str, organization_id: int | None, upload: Any, language: str
) -> ImportJob:
    """Check the file (readable, its columns, at most MAX_ROWS rows), keep it in private
    storage and record the job, queued. The caller queues the task once this commits.
    Raises InvalidInput naming the file for a file that cannot be imported."""
    organization = importing_organization(actor, kind, organization_id)
    name = str(getattr(upload, "name", "") or "")[:200]
    try:
        upload.seek(0)
        total = count_rows(upload, KINDS[kind].columns)
    except FileProblem as problem:
        raise InvalidInput([Problem(problem.code, problem.message, field="file")]) from problem
    upload.seek(0)
    stored = files.private_storage().save(files.random_name("imports"), File(upload))
    try:
        with transaction.atomic():
            return ImportJob.objects.create(
                created_by=actor.required_user,
                organization=organization,
                kind=kind,
                file_name=name,
                stored_file=stored,
                language=language[:8],
                rows_total=total,
            )
    except Exception:
        files.private_storage().delete(stored)
        raise


class _ProgressWriter:
    """Publishes a running job's progress while its rows are inside an uncommitted
    transaction: through a second connection, in autocommit (a plain UPDATE, no signal),
    on PostgreSQL. SQLite has one writer at a time, and the import holds it: there the
    page shows the job running, without a count, until it ends."""

    EVERY = 200  # rows between two writes

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.side: Any = None
        if connection.vendor == "postgresql":
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, done: int) -> None:
        if self.side is None or done % self.EVERY:
            return
        table = ImportJob._meta.db_table
        try:
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET rows_done = %s WHERE id = %s",
                    [done, self.job_id],
                )
        except Exception:  # progress is a courtesy: never fail the import for it
            logger.warning("import %s: progress not written", self.job_id, exc_info=True)
            self.close()

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


def job_run(job_id: int) -> ImportJob:
    """Run a queued job: import its file as its creator, record the result, delete the file."""
    job = ImportJob.objects.select_related("created_by", "organization").get(pk=job_id)
    if job.status != ImportStatus.QUEUED:
        return job
    job.status = ImportStatus.RUNNING
    job.save(update_fields=["status"])
    storage = files.private_storage()
    stored = job.stored_file
    writer = _ProgressWriter(job.pk)
    # The rows' audit entries name the user who uploaded the file.
    with translation.override(job.language), audit_log.bind(user_id=job.created_by_id):
        try:
            actor = Actor.of(job.created_by)
            organization = importing_organization(actor, job.kind, job.organization_id)
            with storage.open(stored, "rb") as stream:
                result = import_rows(
                    actor=actor,
                    kind=job.kind,
                    stream=stream,
                    organization=organization,
                    progress=writer,
                )
        except FileProblem as problem:
            _finish(job, ImportStatus.FAILED, message=problem.message)
        except (NotAllowed, InvalidInput) as refusal:
            _finish(job, ImportStatus.FAILED, message=str(refusal.message))
        except Exception:
            logger.exception("import %s failed", job.pk)
            _finish(job, ImportStatus.FAILED, message=_("The import stopped: nothing was saved."))
            raise
        else:
            job.rows_done = result.rows
            job.errors = [e.as_dict() for e in result.errors]
            job.error_count = result.error_count
            _finish(job, ImportStatus.DONE if result.ok else ImportStatus.FAILED)
        finally:
            writer.close()
            if stored:
                storage.delete(stored)
    return job


def _finish(job: ImportJob, status: str, message: str = "") -> None:
    job.status = status
    job.message = message
    job.stored_file = ""
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "message",
            "stored_file",
            "finished_at",
            "rows_done",
            "errors",
            "error_count",
        ]
    )
