"""Shared by the audit tests: rows written straight through `record`, a chain walk, and
tampering as someone with the table owner's rights would (the guard lifted first)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kakehashi.audit import guard
from kakehashi.audit.chain import COLUMNS, digest
from kakehashi.audit.log import record
from kakehashi.audit.models import GENESIS, Action, AuditEntry


def write_rows(count: int) -> list[int]:
    """`count` rows, as if `count` records had been changed; their seqs."""
    return [
        record(Action.UPDATE, model_label="people.person", pk=n, fields=["email"]).seq
        for n in range(count)
    ]


def assert_chained() -> None:
    """Each row follows the one before: numbered without gaps, linked by hash, intact."""
    previous_seq, previous_hash = 0, GENESIS
    for row in AuditEntry.objects.order_by("seq").values(*COLUMNS, "hash"):
        assert row["seq"] == previous_seq + 1
        assert row["prev_hash"] == previous_hash
        assert digest(row) == row["hash"]
        previous_seq, previous_hash = row["seq"], row["hash"]


@contextmanager
def owner_rights() -> Iterator[Any]:
    """Raw SQL on the audit table with its triggers lifted (and put back afterwards, as a
    careful intruder would)."""
    guard.remove(connection)
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        guard.install(connection)


def verify_problems() -> list[str]:
    """The problems `audit_verify` names (it must fail: a CommandError, which manage.py
    turns into a non-zero exit status)."""
    with pytest.raises(CommandError) as failed:
        call_command("audit_verify")
    assert failed.value.returncode != 0
    return str(failed.value).splitlines()[1:]
