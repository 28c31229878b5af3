"""The database itself refuses to change or remove audit rows (on both databases); the
test runner's and the operator's `flush` still empties it, and leaves the refusal in
place."""

from __future__ import annotations

import pytest
from django.core.management import call_command, get_commands
from django.db import DatabaseError, connection, transaction

from kakehashi.audit import guard
from kakehashi.audit.models import AuditEntry

from .helpers import write_rows

pytestmark = pytest.mark.sqlite


def refused(sql: str) -> bool:
    """The statement fails with the guard's message (and changes nothing)."""
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    return True


@pytest.mark.django_db
def test_the_database_refuses_update_and_delete_of_audit_rows():
    write_rows(3)
    assert guard.installed(connection)

    assert refused("UPDATE audit_auditentry SET detail = 'nothing happened' WHERE seq = 2")
    assert refused("DELETE FROM audit_auditentry WHERE seq = 2")
    assert refused("DELETE FROM audit_auditentry")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=1).update(detail="")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=1).delete()

    assert AuditEntry.objects.count() == 3
    assert not AuditEntry.objects.filter(detail="nothing happened").exists()


@pytest.mark.django_db
def test_postgresql_also_refuses_truncate():
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's (SQLite has only DELETE)")
    write_rows(2)
    assert refused("TRUNCATE audit_auditentry")
    assert AuditEntry.objects.count() == 2


@pytest.mark.django_db
def test_lifting_the_guard_is_seen_and_putting_it_back_restores_it():
    guard.remove(connection)
    assert not guard.installed(connection)
    guard.install(connection)
    guard.install(connection)  # twice: the same triggers, not two of each
    assert guard.installed(connection)


def test_the_audit_apps_flush_is_the_one_django_runs():
    assert get_commands()["flush"] == "kakehashi.audit"


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_leaves_the_guard_in_place():
    write_rows(3)

    call_command("flush", interactive=False, verbosity=0)

    assert AuditEntry.objects.count() == 0
    assert guard.installed(connection)
    write_rows(1)
    assert refused("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.count() == 1
