"""Checking the audit log: every row's hash against its content, every row's link to the
one before, the numbering without gaps, and every signed head against the chain. Rows are
read in order, a few thousand at a time (constant memory at any length); one row of
look-ahead tells two swapped rows from two changed ones.

What each problem means, by the row it names:
- "row N was changed": its hash is not the hash of its content;
- "row N is missing, or rows were removed between M and K": a gap in the numbering;
- "row N does not follow row M": its prev_hash is not the hash of the row before it
  (rows removed and the rest renumbered, or the row before rewritten with a new hash);
- "rows N and N+1 are out of order": each is intact, but at the other's place;
- "head exported at T (row N) does not match the chain": the row at N is not the one the
  signed head saw: the log was rewritten (even if consistently);
- "head … is beyond the end of the chain": rows were removed from the end (or an older
  backup was restored)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from . import guard
from .chain import COLUMNS, digest
from .heads import Head, read_heads
from .models import GENESIS, AuditEntry

CHUNK = 2000


@dataclass
class Report:
    rows: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    heads_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return f"{self.rows} rows, chain intact, head {self.head_hash}"


def _rows() -> Iterator[dict[str, Any]]:
    return AuditEntry.objects.order_by("seq").values(*COLUMNS, "hash").iterator(CHUNK)


def _consistent_at(row: dict[str, Any], seq: int) -> bool:
    return digest({**row, "seq": seq}) == row["hash"]


def _swapped(before: str, here: dict[str, Any], after: dict[str, Any] | None) -> bool:
    """`here` and `after` are two intact rows in each other's place: each hashes right at
    the other's number, and the links run before → after → here."""
    return (
        after is not None
        and after["seq"] == here["seq"] + 1
        and _consistent_at(here, after["seq"])
        and _consistent_at(after, here["seq"])
        and after["prev_hash"] == before
        and here["prev_hash"] == after["hash"]
    )


def _gap(previous: int, seq: int) -> str:
    first, last = previous + 1, seq - 1
    missing = f"row {first} is missing" if first == last else f"rows {first} to {last} are missing"
    if previous == 0:
        return f"{missing}, or rows were removed before row {seq}"
    return f"{missing}, or rows were removed between {previous} and {seq}"


def _unlinked(previous: int, seq: int) -> str:
    if previous == 0:
        return f"row {seq} does not start the chain: its prev_hash is not the chain's first"
    return (
        f"row {seq} does not follow row {previous}: its prev_hash is not row {previous}'s "
        f"hash (rows were removed between them, or row {previous} was rewritten)"
    )


class _Heads:
    """The signed heads by the row they name, checked as the walk reaches each row."""

    def __init__(self, heads: list[Head]) -> None:
        self.by_seq: dict[int, list[Head]] = {}
        for head in heads:
            self.by_seq.setdefault(head.seq, []).append(head)

    def check(self, seq: int, stored_hash: str, problems: list[str]) -> None:
        for head in self.by_seq.pop(seq, []):
            if head.hash != stored_hash:
                problems.append(
                    f"head exported at {head.exported_at} (row {seq}) does not match the "
                    "chain: the log was rewritten"
                )

    def beyond(self, last: int, problems: list[str]) -> None:
        for seq in sorted(self.by_seq):
            for head in self.by_seq[seq]:
                if seq == 0 and head.hash == GENESIS:
                    continue  # exported while the log was empty
                problems.append(
                    f"head exported at {head.exported_at} (row {seq}) is beyond the end of "
                    f"the chain (row {last}): rows were removed from the end, or an older "
                    "backup was restored"
                )


def verify() -> Report:
    """Walk the chain and the signed heads; the report lists every problem found."""
    report = Report()
    heads, report.problems = read_heads()
    report.heads_checked = len(heads)
    expected = _Heads(heads)
    if guard.table_exists(connection) and not guard.installed(connection):
        report.problems.append(
            "the database does not refuse changes to the audit log: its triggers are "
            "missing (manage.py audit_guard puts them back; find out who removed them)"
        )
    previous_seq, previous_hash = 0, GENESIS
    rows = _rows()
    row = next(rows, None)
    while row is not None:
        after = next(rows, None)
        seq = row["seq"]
        report.rows += 1
        intact = digest(row) == row["hash"]
        if not intact and _swapped(previous_hash, row, after):
            assert after is not None
            report.problems.append(f"rows {seq} and {after['seq']} are out of order")
            report.rows += 1
            expected.check(seq, row["hash"], report.problems)
            expected.check(after["seq"], after["hash"], report.problems)
            # In their true order `after` came first, then `row`: the next row follows `row`.
            previous_seq, previous_hash = after["seq"], row["hash"]
            row = next(rows, None)
            continue
        if not intact:
            report.problems.append(f"row {seq} was changed: its hash does not match its content")
        if seq != previous_seq + 1:
            report.problems.append(_gap(previous_seq, seq))
        elif row["prev_hash"] != previous_hash:
            report.problems.append(_unlinked(previous_seq, seq))
        expected.check(seq, row["hash"], report.problems)
        previous_seq, previous_hash = seq, row["hash"]
        row = after
    expected.beyond(previous_seq, report.problems)
    report.head_seq, report.head_hash = previous_seq, previous_hash
    return report
