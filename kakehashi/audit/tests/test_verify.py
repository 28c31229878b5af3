"""`audit_verify` finds what someone with the table owner's rights did to the log: a changed
row, a removed row, two swapped rows, each named by its number; a chain rewritten
consistently is caught by a signed head exported before; a forged head is reported."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from kakehashi.audit import guard
from kakehashi.audit.chain import COLUMNS, digest
from kakehashi.audit.models import AuditEntry

from .helpers import owner_rights, verify_problems, write_rows

pytestmark = [pytest.mark.sqlite, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def heads(settings: Any, tmp_path: Path) -> Path:
    """The signed heads of this test only."""
    settings.AUDIT_HEAD_DIR = tmp_path / "heads"
    return Path(settings.AUDIT_HEAD_DIR)


@pytest.fixture
def chain() -> list[int]:
    """30 rows, numbered 1 to 30 (a fresh test database holds none)."""
    seqs = write_rows(30)
    assert seqs == list(range(1, 31))
    return seqs


def verified() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def test_an_intact_chain_verifies(chain):
    head = AuditEntry.objects.get(seq=30).hash
    assert verified().splitlines()[0] == f"30 rows, chain intact, head {head}"


def test_an_empty_log_verifies():
    assert verified().splitlines()[0] == f"0 rows, chain intact, head {'0' * 64}"


def test_a_changed_row_is_named(chain):
    with owner_rights() as sql:
        sql.execute("UPDATE audit_auditentry SET target_pk = '999' WHERE seq = 17")

    assert verify_problems() == ["row 17 was changed: its hash does not match its content"]


def test_a_deleted_row_is_named(chain):
    with owner_rights() as sql:
        sql.execute("DELETE FROM audit_auditentry WHERE seq = 18")

    assert verify_problems() == ["row 18 is missing, or rows were removed between 17 and 19"]


def test_two_swapped_rows_are_named(chain):
    with owner_rights() as sql:
        sql.execute("UPDATE audit_auditentry SET seq = -1 WHERE seq = 21")
        sql.execute("UPDATE audit_auditentry SET seq = 21 WHERE seq = 22")
        sql.execute("UPDATE audit_auditentry SET seq = 22 WHERE seq = -1")

    assert verify_problems() == ["rows 21 and 22 are out of order"]


def test_a_row_rewritten_with_a_new_hash_breaks_the_next_link(chain):
    rewrite_from(12, stop_after=12)

    assert verify_problems() == [
        "row 13 does not follow row 12: its prev_hash is not row 12's hash (rows were "
        "removed between them, or row 12 was rewritten)"
    ]


def test_the_triggers_gone_are_reported(chain):
    guard.remove(connection)

    assert verify_problems() == [
        "the database does not refuse changes to the audit log: its triggers are missing "
        "(manage.py audit_guard puts them back; find out who removed them)"
    ]
    out = StringIO()
    call_command("audit_guard", stdout=out)
    assert "were missing: installed" in out.getvalue()
    assert "chain intact" in verified()


# --- signed heads ------------------------------------------------------------------------


def export() -> dict[str, Any]:
    out = StringIO()
    call_command("audit_export_head", stdout=out)
    path = Path(out.getvalue().split(" to ", 1)[1].strip())
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def rewrite_from(seq: int, stop_after: int | None = None) -> None:
    """Change row `seq` and recompute its hash and every later row's link and hash, as
    someone would who knows how the chain is made (up to `stop_after` only, if given)."""
    with owner_rights() as sql:
        sql.execute("UPDATE audit_auditentry SET target_pk = '999' WHERE seq = %s", [seq])
        rows = AuditEntry.objects.filter(seq__gte=seq).order_by("seq").values(*COLUMNS, "hash")
        previous = AuditEntry.objects.get(seq=seq - 1).hash
        for row in list(rows):
            if stop_after is not None and row["seq"] > stop_after:
                break
            row["prev_hash"] = previous
            previous = digest(row)
            sql.execute(
                "UPDATE audit_auditentry SET prev_hash = %s, hash = %s WHERE seq = %s",
                [row["prev_hash"], previous, row["seq"]],
            )


def test_an_exported_head_verifies(chain, heads):
    head = export()

    assert (head["seq"], head["hash"]) == (30, AuditEntry.objects.get(seq=30).hash)
    write_rows(2)  # the log goes on after the export
    assert verified().splitlines() == [
        f"32 rows, chain intact, head {AuditEntry.objects.get(seq=32).hash}",
        "1 signed heads match the chain.",
    ]
    assert len(list(heads.glob("head-*Z.json"))) == 1


def test_a_chain_rewritten_consistently_is_caught_by_the_exported_head(chain):
    head = export()
    rewrite_from(10)

    assert verify_problems() == [
        f"head exported at {head['exported_at']} (row 30) does not match the chain: "
        "the log was rewritten"
    ]


def test_rows_removed_from_the_end_are_caught_by_the_exported_head(chain):
    head = export()
    with owner_rights() as sql:
        sql.execute("DELETE FROM audit_auditentry WHERE seq > 27")

    assert verify_problems() == [
        f"head exported at {head['exported_at']} (row 30) is beyond the end of the chain "
        "(row 27): rows were removed from the end, or an older backup was restored"
    ]


def test_a_forged_head_is_reported(chain, heads):
    head = export()
    path = next(heads.glob("*.json"))
    forged = {**head, "seq": 29, "hash": AuditEntry.objects.get(seq=29).hash}
    path.write_text(json.dumps(forged))

    assert verify_problems() == [
        f"head exported at {head['exported_at']} ({path.name}): the signature does not "
        "verify with this installation's key: the file was forged or damaged"
    ]


def test_a_head_signed_with_another_key_is_reported(chain, heads, settings):
    settings.AUDIT_SIGNING_KEY = "Jx7LwX1n0m3bB0o2Qq5Vv8Yy1Zz4Aa7Dd0Gg3Jj6Mm8="
    export()
    settings.AUDIT_SIGNING_KEY = ""

    [problem] = verify_problems()
    assert "the signature does not verify" in problem

    # Unless that key is named as a previous key of this installation.
    out = StringIO()
    settings.AUDIT_SIGNING_KEY = "Jx7LwX1n0m3bB0o2Qq5Vv8Yy1Zz4Aa7Dd0Gg3Jj6Mm8="
    call_command("audit_public_key", stdout=out)
    settings.AUDIT_SIGNING_KEY = ""
    settings.AUDIT_PREVIOUS_PUBLIC_KEYS = [out.getvalue().strip()]
    assert "chain intact" in verified()


def test_the_daily_task_exports_a_head(chain, heads):
    from kakehashi.audit.tasks import export_audit_head

    result = export_audit_head.enqueue()

    [path] = heads.glob("*.json")
    assert result.return_value == path.name
    assert json.loads(path.read_text())["seq"] == 30
