"""The backup → restore drill, on SQLite and on PostgreSQL: a backup taken while data
exists, changes made after it, a restore: every table has its rows of the backup again and
the private files come back byte for byte, and the audit log's chain verifies; a tampered
backup is refused."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from kakehashi.cases.models import CaseDocument
from kakehashi.cases.tests.helpers import landed_case
from kakehashi.core.backup import private_dir, row_counts
from kakehashi.people.models import Person
from kakehashi.testing.documents import PDF
from kakehashi.testing.factories import PersonFactory

pytestmark = [pytest.mark.sqlite, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def private_files() -> Any:
    """The private storage's folder of this test process (settings/test.py)."""
    location = private_dir()
    assert location is not None
    return location


def test_the_backup_restore_drill(world, private_files, tmp_path, settings):
    settings.AUDIT_HEAD_DIR = tmp_path / "audit-heads"  # the heads of this test only
    landed_case(world, family_name="BACKUPOVA")
    call_command("audit_export_head", stdout=StringIO())  # a signed head, before the backup
    before = row_counts()
    assert before["cases_casedocument"] >= 3  # the COE, the visa, the residence card
    out = StringIO()
    call_command("backup", to=tmp_path / "backup", stdout=out)
    assert "Backed up" in out.getvalue()

    # After the backup: a new person, a document file lost, a case document row gone.
    PersonFactory(created_by_organization=world.care_home, family_name="AFTEROV")
    document = CaseDocument.objects.order_by("id").first()
    assert document is not None
    (private_files / document.file.name).unlink()
    assert row_counts() != before

    with pytest.raises(CommandError):
        call_command("restore", source=tmp_path / "backup")  # asks for --yes
    call_command("restore", source=tmp_path / "backup", yes=True, stdout=out)
    assert "every table's row count matches" in out.getvalue()
    # The chain as it was at the backup, intact (restore runs audit_verify).
    assert f"{before['audit_auditentry']} rows, chain intact, head" in out.getvalue()
    assert before["audit_auditentry"] > 0
    assert "1 signed heads match the chain" in out.getvalue()
    assert row_counts() == before
    assert not Person.objects.filter(family_name="AFTEROV").exists()
    restored = CaseDocument.objects.get(pk=document.pk)
    with restored.file.open("rb") as stream:
        assert stream.read() == PDF


def test_a_tampered_backup_is_refused(world, private_files, tmp_path):
    landed_case(world, family_name="TAMPEROVA")
    call_command("backup", to=tmp_path / "backup", stdout=StringIO())
    dump = next(p for p in (tmp_path / "backup").iterdir() if p.name.startswith("database"))
    dump.write_bytes(dump.read_bytes() + b"x")
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", source=tmp_path / "backup", yes=True)
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", to=tmp_path / "backup")
