"""The health endpoints: live without reading anything, ready when the database answers
and is migrated, 503 naming the reason otherwise; never cached, open without sign-in."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from kakehashi.core import health

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def test_live_and_ready_answer_without_sign_in() -> None:
    client = Client()
    live = client.get("/health/live")
    assert live.status_code == 200
    assert live.json() == {"status": "ok"}
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok"}
    assert "no-cache" in ready["Cache-Control"]
    assert "sessionid" not in ready.cookies


def test_ready_is_503_when_the_database_does_not_answer(monkeypatch: Any) -> None:
    class Broken:
        def cursor(self) -> Any:
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connections", {"default": Broken()})
    response = Client().get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "problems": {"default": "database unreachable (OperationalError)"},
    }
    assert Client().get("/health/live").status_code == 200


def test_ready_is_503_while_migrations_are_missing(monkeypatch: Any) -> None:
    class Plan:
        def __init__(self, connection: Any) -> None:
            self.loader = type("L", (), {"graph": type("G", (), {"leaf_nodes": lambda s: []})()})

        def migration_plan(self, targets: Any) -> list[Any]:
            return [("people", "0099_future")]

    monkeypatch.setattr(health, "MigrationExecutor", Plan)
    monkeypatch.setattr(health, "_migrated", set())
    response = Client().get("/health/ready")
    assert response.status_code == 503
    assert response.json()["problems"] == {"default": "migrations not applied"}


def test_only_get_and_head() -> None:
    assert Client().post("/health/ready").status_code == 405
