"""Health endpoints for the load balancer and the orchestrator (no sign-in, no cookies,
never cached):

- `/health/live`: the process answers (it reads nothing): restart it if this fails;
- `/health/ready`: it can serve: the database answers and has every migration applied;
  send it traffic only while this is 200 (503 with the reason otherwise). With a read
  replica (docs/scale-out.md) it must answer too, and its lag behind the primary is
  reported (`replica_lag_seconds`: 0 when it has replayed all it received; else the age
  of the last transaction it replayed)."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

# Migrations found applied once stay applied for the life of the process.
_migrated: set[str] = set()


def _answer(http_status: int, **body: Any) -> JsonResponse:
    response = JsonResponse(body, status=http_status)
    add_never_cache_headers(response)
    return response


@require_safe
def live(request: HttpRequest) -> JsonResponse:
    return _answer(200, status="ok")


def _database_problem(alias: str) -> str | None:
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        if alias not in _migrated:
            executor = MigrationExecutor(connection)
            if executor.migration_plan(executor.loader.graph.leaf_nodes()):
                return "migrations not applied"
            _migrated.add(alias)
    except DatabaseError as exc:
        return f"database unreachable ({type(exc).__name__})"
    return None


REPLICA_LAG = """
    SELECT CASE
        WHEN NOT pg_is_in_recovery() THEN NULL
        WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
        ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
    END
"""


def _replica_lag(alias: str) -> float | None:
    """Seconds the replica is behind, None if it is not a standby or does not say."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(REPLICA_LAG)
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return None if row is None or row[0] is None else round(float(row[0]), 3)


@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    problems = {
        alias: problem for alias in connections if (problem := _database_problem(alias)) is not None
    }
    if problems:
        return _answer(503, status="unavailable", problems=problems)
    if "replica" in connections and connections["replica"].vendor == "postgresql":
        return _answer(200, status="ok", replica_lag_seconds=_replica_lag("replica"))
    return _answer(200, status="ok")
