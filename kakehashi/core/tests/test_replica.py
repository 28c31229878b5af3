"""Reads from a streaming replica (core/db_router.py, docs/scale-out.md): the reads of a GET
run on the replica, every write (also one made while serving a GET) and every read of a
POST on the primary; a browser that wrote reads the primary for a few seconds; without
DATABASE_REPLICA_URL there is one database and nothing is routed.

The tests that need a replica run in `make test-replica` (scripts/with-postgres.sh with
WITH_REPLICA=1 makes a real one with pg_basebackup) and skip elsewhere. The tests' database
is created on the primary and reaches the replica by replication; to show what a lagging
replica serves, a test pauses its replay."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kakehashi.accounts.models import MemberRole, OrganizationKind, User
from kakehashi.audit.models import Action, AuditEntry
from kakehashi.core import db_router
from kakehashi.core.middleware import PIN_COOKIE
from kakehashi.core.tests.test_settings import AUDIT_KEY, GOOD_KEY, KEYS
from kakehashi.people.models import Person
from kakehashi.registries.models import AgencyCertificationDecision
from kakehashi.testing.clients import client_for
from kakehashi.testing.factories import (
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    certify,
)

BASE_DIR = Path(__file__).resolve().parents[3]
PASSWORD = "correct horse battery staple"

pytestmark = pytest.mark.replica

needs_replica = pytest.mark.skipif(
    not (os.environ.get("DATABASE_URL") and os.environ.get("DATABASE_REPLICA_URL")),
    reason="needs a PostgreSQL streaming replica (make test-replica)",
)
both_databases = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


def _one(alias: str, sql: str, params: Any = ()) -> Any:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _wait_for_replica(timeout: float = 30.0) -> None:
    """Until the replica has replayed everything the primary has written so far."""
    target = _one("default", "SELECT pg_current_wal_lsn()")
    deadline = time.monotonic() + timeout
    while True:
        try:
            if _one("replica", "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]):
                return
        except OperationalError:  # the tests' database has not reached it yet
            connections["replica"].close()
        if time.monotonic() > deadline:
            raise AssertionError("the replica did not catch up with the primary")
        time.sleep(0.05)


@contextmanager
def _replay_paused() -> Iterator[None]:
    """The replica stops applying what the primary writes (it lags) until the block ends."""
    _one("replica", "SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        _one("replica", "SELECT pg_wal_replay_resume()")


def _tables(queries: CaptureQueriesContext) -> str:
    return "\n".join(query["sql"] for query in queries.captured_queries)


def _writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE")
    ]


# --- with a real replica ------------------------------------------------------------------


@needs_replica
@both_databases
def test_the_replica_alias_is_a_standby_of_the_primary() -> None:
    _wait_for_replica()
    assert _one("replica", "SELECT pg_is_in_recovery()") is True
    assert _one("default", "SELECT pg_is_in_recovery()") is False
    names = {connections[alias].settings_dict["NAME"] for alias in ("default", "replica")}
    assert len(names) == 1  # the tests' database, through replication


@needs_replica
@both_databases
def test_a_get_reads_the_replica_and_a_browser_that_wrote_reads_the_primary() -> None:
    client = Client()
    _wait_for_replica()
    with _replay_paused():
        # Written on the primary while the replica does not apply it: a user it lacks.
        user = UserFactory(username="newcomer")
        assert not User.objects.using("replica").filter(pk=user.pk).exists()

        # A POST reads the primary: the sign-in finds the user; the browser is pinned.
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            response = client.post(
                "/accounts/login/", {"username": "newcomer", "password": PASSWORD}
            )
        assert response.status_code == 302, response.content[:300]
        assert PIN_COOKIE in response.cookies
        assert not on_replica.captured_queries

        # Pinned, the next GET reads the primary too: the user sees their own account.
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            home = client.get("/")
        assert home.status_code == 200
        assert home.wsgi_request.user.pk == user.pk
        assert not on_replica.captured_queries

        # Without the pin the same browser's GET reads the replica, which has no such user
        # yet: the session (read from the primary) names a user the page cannot find.
        del client.cookies[PIN_COOKIE]
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            stale = client.get("/")
        assert stale.status_code == 302
        assert stale["Location"].startswith("/accounts/login/")
        assert '"accounts_user"' in _tables(on_replica)
        assert '"django_session"' not in _tables(on_replica)

    # Once the replica has caught up, it serves the page.
    _wait_for_replica()
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        home = client.get("/")
    assert home.status_code == 200
    assert '"accounts_user"' in _tables(on_replica)


@needs_replica
@both_databases
def test_the_audit_row_of_a_read_is_written_on_the_primary_and_does_not_pin() -> None:
    organization = OrganizationFactory()
    user = UserFactory()
    MembershipFactory(user=user, organization=organization, role=MemberRole.CLERK)
    person = PersonFactory(created_by_organization=organization)
    client = client_for(user)
    _wait_for_replica()
    reads_before = AuditEntry.objects.filter(action=Action.READ, target_pk=str(person.pk)).count()

    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get(f"/persons/{person.pk}/")

    assert response.status_code == 200, "\n\n".join(
        q["sql"][:300] for q in on_replica.captured_queries + on_primary.captured_queries
    )
    assert person.family_name in response.content.decode()
    # The person was read from the replica; the log's row was appended on the primary.
    assert '"people_person"' in _tables(on_replica)
    assert not _writes(on_replica)
    assert any('"audit_auditentry"' in sql for sql in _writes(on_primary))
    assert (
        AuditEntry.objects.filter(action=Action.READ, target_pk=str(person.pk)).count()
        == reads_before + 1
    )
    # Noting a read is bookkeeping, not the user's change: no pin.
    assert PIN_COOKIE not in response.cookies


@needs_replica
@both_databases
def test_a_streamed_feed_reads_the_replica_in_chunks() -> None:
    agency = OrganizationFactory(
        kind=OrganizationKind.SENDING_AGENCY, country="KG", name_en="Issyk-Kul Bridge"
    )
    certify(agency, on=datetime.date(2025, 1, 1))
    _wait_for_replica()
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = Client().get("/public/agencies.csv")
        body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200
    assert "Issyk-Kul Bridge" in body
    assert AgencyCertificationDecision._meta.db_table in _tables(on_replica)
    assert db_router.current() is None  # the mark ends with the response


@needs_replica
@both_databases
def test_ready_reports_the_replica_and_its_lag() -> None:
    _wait_for_replica()
    body = Client().get("/health/ready").json()
    assert body["status"] == "ok"
    assert isinstance(body["replica_lag_seconds"], int | float)


# --- the router's rules, with or without a replica -----------------------------------------


def test_outside_a_request_everything_is_the_primary() -> None:
    router = db_router.PrimaryReplicaRouter()
    assert db_router.current() is None
    assert router.db_for_read(Person) == "default"
    assert router.db_for_write(Person) == "default"


def test_in_a_read_only_request_reads_go_to_the_replica_until_the_request_writes() -> None:
    router = db_router.PrimaryReplicaRouter()
    state = db_router.mark_request(replica=True)
    try:
        assert router.db_for_read(Person) == "replica"
        # Sessions, sign-in attempts and the shared cache are always read where written.
        assert router.db_for_read(Session) == "default"
        # The audit log's row of a read is bookkeeping: the request still reads the replica.
        assert router.db_for_write(AuditEntry) == "default"
        assert not state.wrote
        assert router.db_for_read(Person) == "replica"
        # A write of its own sends the rest of the request to the primary.
        assert router.db_for_write(Person) == "default"
        assert state.wrote
        assert router.db_for_read(Person) == "default"
    finally:
        db_router.forget_request()
    assert db_router.current() is None


def test_a_request_that_may_write_reads_the_primary() -> None:
    router = db_router.PrimaryReplicaRouter()
    db_router.mark_request(replica=False)
    try:
        assert router.db_for_read(Person) == "default"
    finally:
        db_router.forget_request()


def test_relations_across_the_aliases_and_migrations_on_the_primary_only() -> None:
    router = db_router.PrimaryReplicaRouter()
    on_primary, on_replica = Person(), Person()
    on_primary._state.db, on_replica._state.db = "default", "replica"
    assert router.allow_relation(on_primary, on_replica) is True
    assert router.allow_migrate("default", "people") is True
    assert router.allow_migrate("replica", "people") is False


def _settings_with(**environ: str) -> dict[str, Any]:
    """What the production settings make of this environment (in a new process)."""
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'databases': sorted(settings.DATABASES), "
        "'routers': settings.DATABASE_ROUTERS, 'first': settings.MIDDLEWARE[0], "
        "'cache': settings.CACHES['default']['BACKEND']}))"
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "kakehashi.settings.production",
        "SECRET_KEY": GOOD_KEY,
        "DATABASE_URL": "postgres://k:p@127.0.0.1:5432/kakehashi",
        **KEYS,
        **AUDIT_KEY,
        **environ,
    }
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_without_a_replica_there_is_one_database_and_no_router() -> None:
    assert _settings_with() == {
        "databases": ["default"],
        "routers": [],
        "first": "django.middleware.security.SecurityMiddleware",
        "cache": "django.core.cache.backends.db.DatabaseCache",
    }


def test_with_a_replica_reads_are_routed_from_the_first_middleware() -> None:
    settings = _settings_with(DATABASE_REPLICA_URL="postgres://k:p@127.0.0.1:5433/kakehashi")
    assert settings["databases"] == ["default", "replica"]
    assert settings["routers"] == ["kakehashi.core.db_router.PrimaryReplicaRouter"]
    assert settings["first"] == "kakehashi.core.middleware.ReplicaRoutingMiddleware"
