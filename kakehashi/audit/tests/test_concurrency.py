"""Writers at the same moment, each on its own connection (as web requests and the worker
are): the log stays one chain, numbered without gaps, never forked — on both databases.
A writer that rolls back leaves no row and no gap. A transaction that wrote and then locks
a row does not deadlock with one that locked the row and then writes."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from kakehashi.audit.log import record
from kakehashi.audit.models import Action, AuditEntry
from kakehashi.people.models import Person
from kakehashi.testing.factories import PersonFactory

from .helpers import assert_chained

pytestmark = [pytest.mark.sqlite, pytest.mark.django_db(transaction=True)]

WRITERS = 4
ROWS = 15


def test_concurrent_writers_make_one_unbroken_chain():
    barrier = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            barrier.wait(timeout=30)
            for n in range(ROWS):
                with transaction.atomic():
                    record(Action.UPDATE, model_label="people.person", pk=f"{writer}-{n}")
        except BaseException as exc:  # reported below, whatever it is
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    assert AuditEntry.objects.count() == WRITERS * ROWS
    assert_chained()


@transaction.atomic
def failing_write() -> None:
    record(Action.UPDATE, model_label="people.person", pk=2)
    raise RuntimeError("the write failed")


def test_a_rolled_back_write_leaves_no_row_and_no_gap():
    record(Action.UPDATE, model_label="people.person", pk=1)
    with pytest.raises(RuntimeError):
        failing_write()
    record(Action.UPDATE, model_label="people.person", pk=3)

    assert list(AuditEntry.objects.values_list("seq", "target_pk")) == [(1, "1"), (2, "3")]
    assert_chained()


def test_writing_then_locking_does_not_deadlock_with_locking_then_writing():
    person = PersonFactory()
    wrote = threading.Event()
    failures: list[BaseException] = []

    def write_then_lock() -> None:
        try:
            with transaction.atomic():
                record(Action.UPDATE, model_label="people.person", pk="first")
                wrote.set()
                time.sleep(0.5)  # the other one tries to lock the person meanwhile
                Person.objects.select_for_update().get(pk=person.pk).save()
        except BaseException as exc:  # reported below, whatever it is
            failures.append(exc)
            wrote.set()
        finally:
            connection.close()

    def lock_then_write() -> None:
        try:
            wrote.wait(timeout=30)
            with transaction.atomic():
                Person.objects.select_for_update().get(pk=person.pk).save()
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write_then_lock), threading.Thread(target=lock_then_write)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    assert_chained()
