"""Reads of read-only requests from a streaming replica; everything else from the primary
(docs/scale-out.md, ADR 0030). Installed only when DATABASE_REPLICA_URL is set
(settings/base.py): without it there is one database and this module is not used.

Where a read goes:

- to the replica only inside a request that `ReplicaRoutingMiddleware` marked read-only: a
  GET, HEAD or OPTIONS from a browser that has not written in the last REPLICA_PIN_SECONDS;
- to the primary inside a transaction on the primary (a service reads what it is about to
  change), after the request wrote something of its own (not the bookkeeping below), and
  for the tables whose every read must be current: sessions, sign-in attempts, the shared
  cache (rate limits), the task queue and the second factor's devices;
- to the primary everywhere else: POST/PUT/PATCH/DELETE requests, the task worker,
  management commands, tests.

Every write goes to the primary, also a write made while serving a GET (the audit log's
read rows, a session, a sign-in attempt). Objects read from either alias may be related
to each other (they are the same database), and migrations run on the primary only."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import connections

PRIMARY = "default"
REPLICA = "replica"

# Apps whose tables are read from the primary even in a read-only request: a replica a
# moment behind must not bring back a signed-out session, miss a failed sign-in or a rate
# limit's count, or hand out a task twice.
PRIMARY_ONLY_APPS = frozenset(
    {"sessions", "axes", "django_cache", "django_tasks_database", "otp_totp", "otp_static"}
)
# Writes that a GET makes as bookkeeping (who read what, when a session was last seen):
# they go to the primary but do not send the rest of the request's reads there.
BOOKKEEPING = frozenset({"audit", "sessions", "axes", "django_cache", "accounts.signedinsession"})


@dataclass
class RequestReads:
    """How the current request reads: from the replica, until it writes."""

    replica: bool
    wrote: bool = False


_reads: ContextVar[RequestReads | None] = ContextVar("kakehashi_request_reads", default=None)


def mark_request(*, replica: bool) -> RequestReads:
    """Called by the middleware at the start of each request."""
    state = RequestReads(replica=replica)
    _reads.set(state)
    return state


def forget_request(**kwargs: Any) -> None:
    """Called when the request's response is closed (also after a streamed response)."""
    _reads.set(None)


def current() -> RequestReads | None:
    return _reads.get()


def _names(model: Any) -> tuple[str, str]:
    return model._meta.app_label, model._meta.label_lower


class PrimaryReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        state = _reads.get()
        if state is None or not state.replica or state.wrote:
            return PRIMARY
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str:
        state = _reads.get()
        if state is not None and not BOOKKEEPING.intersection(_names(model)):
            state.wrote = True  # read the rest of this request from the primary; pin it
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY
