"""Writing the audit log: `record` appends one row, chained to the last, in the caller's
transaction; `record_read` and `record_reveal` are what views call when someone reads
personal data or a confidential MOC item. Who acts comes from `bind` (the request's user,
address and path, set by the middleware; a task's or command's label), never from the
caller, so that a row cannot be written in someone else's name by mistake.

One chain, one writer at a time: on PostgreSQL a transaction-level advisory lock
(released at commit or rollback) is held before the last row is read; SQLite already
serialises writers (`transaction_mode="IMMEDIATE"` takes the write lock at BEGIN,
settings/base.py). Since that lock is then held until the transaction ends, it must come
before any row lock, or two transactions could each wait for the other (one locked a case
and wants to write, the other wrote and wants the case): on PostgreSQL a transaction takes
it before its first write statement of any kind (`lock_before_writing`, installed on each
connection by the app). Cost per row: two queries (the last row, the insert), and on
PostgreSQL one more per transaction (the lock)."""

from __future__ import annotations

import datetime
import ipaddress
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Model
from django.utils import timezone

from .chain import COLUMNS, digest
from .models import GENESIS, Action, AuditEntry

# The key of pg_advisory_xact_lock that serialises appends ("kakehashi audit").
LOCK_KEY = 0x6B616B65_61756469

UserId = int | None | Callable[[], int | None]


@dataclass(frozen=True)
class Acting:
    """Who acts: a user id (or a function giving it when a row is written: the API knows its
    caller only after authenticating), a label when no user acts, the client's address and
    the request's method and path."""

    user_id: UserId = None
    label: str = ""
    ip: str | None = None
    path: str = ""

    def resolved_user_id(self) -> int | None:
        return self.user_id() if callable(self.user_id) else self.user_id


_acting: ContextVar[Acting | None] = ContextVar("kakehashi_audit_acting", default=None)


@cache
def _process_label() -> str:
    """The label of rows written outside a request or a task when this process is
    `manage.py <name>` (or django-admin): "command:<name>" (the demo loader, a shell…)."""
    if not sys.argv:
        return ""
    program = Path(sys.argv[0])
    if program.name not in ("manage.py", "django-admin") and program.parts[-2:] != (
        "django",
        "__main__.py",
    ):
        return ""
    name = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), "")
    return f"command:{name}"[:100] if name else ""


def current() -> Acting:
    """Who acts now; unbound: nobody, labelled with the management command if any."""
    acting = _acting.get()
    return acting if acting is not None else Acting(label=_process_label())


def _address(ip: str | None) -> str | None:
    """The address as the database gives it back (Django's IPv6 form, e.g.
    "::ffff:192.0.2.1"), since that is what is hashed; None if it is not an address."""
    if not ip:
        return None
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        return None
    value: str = AuditEntry._meta.get_field("ip_address").to_python(ip)
    return value


@contextmanager
def bind(
    user_id: UserId = None, label: str = "", ip: str | None = None, path: str = ""
) -> Iterator[Acting]:
    """Who acts inside the block (or the decorated function: `@bind(label="command:x")`).
    What is not given is kept from an enclosing bind."""
    outer = _acting.get() or Acting()
    acting = Acting(
        user_id=user_id if user_id is not None else outer.user_id,
        label=(label or outer.label)[:100],
        ip=_address(ip) or outer.ip,
        path=(path or outer.path)[:200],
    )
    token = _acting.set(acting)
    try:
        yield acting
    finally:
        _acting.reset(token)


def push(acting: Acting) -> Any:
    """For signal pairs (a task's start and end) that cannot use a with-block."""
    return _acting.set(acting)


def pop(token: Any) -> None:
    _acting.reset(token)


def _lock_held() -> None:
    """Registered on commit when the lock is taken: while it waits in the connection's
    list, this transaction (or savepoint) holds the lock; a commit or a rollback, which
    release the lock, also remove it."""


def hold_lock(connection: Any) -> None:
    """PostgreSQL: take the log's lock for the current transaction, unless it has it."""
    if any(entry[1] is _lock_held for entry in connection.run_on_commit):
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    transaction.on_commit(_lock_held, using=connection.alias)


_LOCKING = (" FOR UPDATE", " FOR NO KEY UPDATE", " FOR SHARE", " FOR KEY SHARE")


def _writes(sql: str) -> bool:
    return sql.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE") or any(
        clause in sql for clause in _LOCKING
    )


def lock_before_writing(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    """A PostgreSQL execute wrapper: the log's lock before a transaction's first write or
    row lock, so that the lock is always taken first (no deadlock with row locks)."""
    connection = context["connection"]
    if connection.in_atomic_block and _writes(sql):
        hold_lock(connection)
    return execute(sql, params, many, context)


def _last(using: str) -> tuple[int, str]:
    connection = connections[using]
    if connection.vendor == "postgresql":
        hold_lock(connection)
    last = AuditEntry.objects.using(using).order_by("-seq").values_list("seq", "hash").first()
    return last if last is not None else (0, GENESIS)


def record(
    action: str,
    target: Model | None = None,
    *,
    model_label: str | None = None,
    pk: Any = None,
    fields: Iterable[str] = (),
    detail: str = "",
    using: str | None = None,
) -> AuditEntry:
    """Append one row for `action` on `target` (or on `model_label` and `pk`), naming the
    `fields` concerned — never their values — and a short `detail` with no personal data.
    In the caller's transaction if there is one (a failed write leaves no row, a failed
    row fails the write), else in a transaction of its own."""
    if target is not None:
        model_label = model_label or target._meta.label_lower
        pk = target.pk if pk is None else pk
    db = using or router.db_for_write(AuditEntry)
    acting = current()
    user_id = acting.resolved_user_id()  # before the lock: it may read the session
    with transaction.atomic(using=db, savepoint=False):
        seq, prev_hash = _last(db)
        entry = AuditEntry(
            seq=seq + 1,
            at=timezone.now(),
            actor_user_id=user_id,
            actor_label=acting.label,
            ip_address=acting.ip,
            request=acting.path,
            action=str(action),
            target_model=model_label or "",
            target_pk="" if pk is None else str(pk)[:64],
            fields=sorted({str(name) for name in fields}),
            detail=detail[:200],
            prev_hash=prev_hash,
        )
        entry.hash = digest({name: getattr(entry, name) for name in COLUMNS})
        entry.save(using=db, force_insert=True)
    return entry


def record_read(target: Model, fields: Iterable[str] = (), detail: str = "") -> AuditEntry:
    """Someone read `target` (a person, a case, a confidential MOC item…): the `fields`
    shown, if they are worth naming."""
    return record(Action.READ, target, fields=fields, detail=detail)


def record_reveal(target: Model, field: str) -> AuditEntry:
    """Someone asked to see a masked field of `target` in clear (a passport number)."""
    return record(Action.REVEAL, target, fields=(field,))


WRITES = (Action.CREATE, Action.UPDATE, Action.DELETE)


def last_change(labels: Iterable[str]) -> tuple[int, datetime.datetime] | None:
    """The log's newest write to any of these kinds of record ("app.model"): its number
    and time, or None if none was ever written. Public feeds derive their ETag and
    Last-Modified from it (core/feeds.py), so that a cache revalidates for the cost of one
    indexed lookup."""
    row = (
        AuditEntry.objects.filter(target_model__in=list(labels), action__in=WRITES)
        .order_by("-seq")
        .values_list("seq", "at")
        .first()
    )
    return (int(row[0]), row[1]) if row else None
