"""Health endpoints for the load balancer and the orchestrator (no sign-in, no cookies,
never cached):

- `/health/live`: the process answers (it reads nothing): restart it if this fails;
- `/health/ready`: it can serve: the database answers and has every migration applied;
  send it traffic only while this is 200 (503 with the reason otherwise)."""

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


@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    problems = {
        alias: problem for alias in connections if (problem := _database_problem(alias)) is not None
    }
    if problems:
        return _answer(503, status="unavailable", problems=problems)
    return _answer(200, status="ok")
