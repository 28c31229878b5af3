"""Issue 12, identifiers: passport numbers are encrypted at rest with keys from the
settings, found by a keyed hash (duplicate check, search), masked by default, shown in
full only to the parties who need them, and each full view is written to the audit log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from kakehashi.audit.models import AuditEntry
from kakehashi.core import crypto
from kakehashi.people.models import Person, PersonEvent
from kakehashi.testing.clients import client_for
from kakehashi.testing.factories import PersonFactory

NUMBER = "AC7301946"

pytestmark = pytest.mark.django_db


def registered(api_as: Any, who: str = "hana") -> Person:
    response = api_as(who, "en").post(
        "/persons",
        {
            "family_name": "TESTOVA",
            "given_names": "AIZADA",
            "nationality": "KG",
            "date_of_birth": "2000-01-01",
            "current_country": "KG",
            "passport_number": NUMBER,
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["passport_number"] == "••••••946"  # masked in the answer too
    return Person.objects.get(pk=response.json()["id"])


def raw_column(person: Person) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT passport_number FROM people_person WHERE id = %s", [person.pk])
        return cursor.fetchone()[0]


def test_the_number_is_stored_encrypted_and_read_back_plain(world, api_as):
    person = registered(api_as)
    stored = raw_column(person)
    assert NUMBER not in stored
    assert crypto.decrypt(stored) == NUMBER
    assert Person.objects.get(pk=person.pk).passport_number == NUMBER
    # Nor does the history keep it: the event shows it masked.
    event = PersonEvent.objects.get(person=person)
    assert event.changes["passport_number"] == [None, "••••••946"]


def _database_files() -> list[Path]:
    """The files the database keeps its data in: SQLite's file and write-ahead log; on
    PostgreSQL the table's heap file and the write-ahead log segments (after a checkpoint,
    read directly from the cluster's directory)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(FULL)")
        name = Path(connection.settings_dict["NAME"])
        return [p for p in (name, Path(f"{name}-wal")) if p.exists()]
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")
        cursor.execute("SHOW data_directory")
        base = Path(cursor.fetchone()[0])
        cursor.execute("SELECT pg_relation_filepath('people_person')")
        heap = base / cursor.fetchone()[0]
    return [heap, *sorted((base / "pg_wal").glob("0*"))]


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_no_passport_number_appears_in_the_raw_database_file(world, api_as):
    """The bytes the database wrote to disk hold the ciphertext, never the number."""
    registered(api_as)
    PersonFactory(passport_number="ID5546372")
    try:
        data = b"".join(p.read_bytes() for p in _database_files())
    except PermissionError:
        pytest.skip("the database's files are not readable by this user")
    assert len(data) > 50_000
    for number in (NUMBER, "ID5546372"):
        assert number.encode() not in data
        assert number.encode("utf-16-le") not in data
    # What is there is the ciphertext, which the key opens.
    with connection.cursor() as cursor:
        cursor.execute("SELECT passport_number FROM people_person WHERE passport_number <> ''")
        tokens = [t for (t,) in cursor.fetchall()]
    assert all(t.encode() in data for t in tokens)
    assert sorted(crypto.decrypt(t) for t in tokens) == sorted([NUMBER, "ID5546372"])


def test_the_duplicate_check_and_search_find_it_by_its_keyed_hash(world, api_as):
    person = registered(api_as)
    assert person.passport_digest == crypto.digest("passport", "ac 730-1946")
    again = api_as("hana", "en").post(
        "/persons",
        {
            "family_name": "OTHER",
            "given_names": "NAME",
            "nationality": "KG",
            "date_of_birth": "1999-02-02",
            "current_country": "KG",
            "passport_number": "ac7301946",
        },
    )
    assert again.status_code == 409
    found = api_as("hana", "en").get(f"/persons?search={NUMBER}").json()["items"]
    assert [p["id"] for p in found] == [person.pk]
    assert api_as("hana", "en").get("/persons?search=AC7301947").json()["items"] == []


def test_the_page_masks_it_and_shows_it_in_full_on_request_with_a_log_entry(world, api_as):
    person = registered(api_as)
    client = client_for(world.user("hana"))
    page = client.get(f"/persons/{person.pk}/").content.decode()
    assert NUMBER not in page
    assert "••••••946" in page
    assert "Show in full" in page or "全体を表示" in page
    before = AuditEntry.objects.filter(action="reveal").count()
    shown = client.post(f"/persons/{person.pk}/reveal/passport_number/")
    assert shown.status_code == 200
    assert NUMBER in shown.content.decode()
    entry = AuditEntry.objects.filter(action="reveal").order_by("-seq").first()
    assert AuditEntry.objects.filter(action="reveal").count() == before + 1
    assert entry.actor_user_id == world.user("hana").pk
    assert entry.target_pk == str(person.pk)
    assert entry.fields == ["passport_number"]


def test_who_sees_it_in_full(world, api_as):
    """The registering employer and Japan's contact point see it; the city sees the person
    (through the case list) but only masked, and gets 404 for the full number."""
    person = registered(api_as)
    assert api_as("hana", "en").get(f"/persons/{person.pk}/identifiers").json() == {
        "passport_number": NUMBER
    }
    assert api_as("isao", "en").get(f"/persons/{person.pk}/identifiers").status_code == 200
    for outsider in ("ito", "bakyt"):
        assert api_as(outsider, "en").get(f"/persons/{person.pk}/identifiers").status_code == 404
    city = client_for(world.user("mayu"))
    assert city.post(f"/persons/{person.pk}/reveal/passport_number/").status_code == 404


def test_key_rotation_reencrypts_with_the_new_key_and_drops_nothing(world, api_as, settings):
    person = registered(api_as)
    old = list(settings.FIELD_ENCRYPTION_KEYS)
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, *old]
    call_command("rotate_field_keys", verbosity=0)
    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key dropped
    assert Person.objects.get(pk=person.pk).passport_number == NUMBER
    settings.FIELD_ENCRYPTION_KEYS = old  # only the old key: the value cannot be opened
    with pytest.raises(crypto.DecryptionFailed):
        Person.objects.get(pk=person.pk)
