"""Issue 12: every write and every read of personal data leaves a chained row naming who
acted (the user, or the task or command), from which address and path, and which fields —
never their values."""

from __future__ import annotations

import base64
import sys
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django_tasks import task

from kakehashi.audit import log
from kakehashi.audit.chain import canonical
from kakehashi.audit.log import bind, record
from kakehashi.audit.models import Action, AuditEntry
from kakehashi.audit.receivers import audited_models
from kakehashi.people.models import Person
from kakehashi.testing.factories import PersonFactory

from .helpers import assert_chained

pytestmark = [pytest.mark.sqlite, pytest.mark.django_db]

PASSWORD = "correct horse battery staple"  # the personas' password (testing/factories.py)


def signed_in(user: Any, address: str = "203.0.113.5") -> Client:
    client = Client(headers={"accept-language": "en"}, REMOTE_ADDR=address)
    client.force_login(user)
    return client


@pytest.fixture
def person(world: Any) -> Person:
    return PersonFactory(
        created_by_organization=world.care_home, family_name="ASANOVA", given_names="NURIZA"
    )


def rows_since(seq: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(seq__gt=seq).order_by("seq"))


def last_seq() -> int:
    last = AuditEntry.objects.order_by("-seq").first()
    return last.seq if last else 0


def test_a_change_through_a_page_is_recorded_with_who_from_where(world, person):
    client = signed_in(world.hana)
    start = last_seq()

    response = client.post(
        f"/persons/{person.pk}/edit/",
        {
            "family_name": "ASANOVA",
            "given_names": "NURIZA",
            "native_name": "",
            "nationality": "KG",
            "date_of_birth": person.date_of_birth.isoformat(),
            "passport_number": "",
            "passport_expiry": "",
            "current_country": "KG",
            "current_status_of_residence": "",
            "email": "nuriza@example.kg",
            "phone": "",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    rows = rows_since(start)
    [changed] = [r for r in rows if r.target_model == "people.person"]
    assert changed.action == Action.UPDATE
    assert changed.target_pk == str(person.pk)
    assert changed.actor_user_id == world.hana.pk
    assert changed.actor_label == ""
    assert changed.ip_address == "203.0.113.5"
    assert changed.request == f"POST /persons/{person.pk}/edit/"
    # The history row the service writes with it, in the same request.
    assert "people.personevent" in {r.target_model for r in rows}
    assert {r.actor_user_id for r in rows} == {world.hana.pk}
    assert_chained()
    # Field names only: the new address and the person's name are nowhere in the log.
    everything = b"".join(canonical(vars(r)) for r in AuditEntry.objects.all())
    assert b"nuriza@example.kg" not in everything
    assert b"ASANOVA" not in everything


def test_reading_a_person_page_is_recorded(world, person):
    client = signed_in(world.hana)
    start = last_seq()

    response = client.get(f"/persons/{person.pk}/")

    assert response.status_code == 200
    [read] = rows_since(start)
    assert (read.action, read.target_model, read.target_pk) == (
        Action.READ,
        "people.person",
        str(person.pk),
    )
    assert {"family_name", "date_of_birth", "passport_number"} <= set(read.fields)
    assert read.actor_user_id == world.hana.pk
    assert read.request == f"GET /persons/{person.pk}/"


def test_a_person_the_reader_may_not_see_records_no_read(world, person):
    client = signed_in(world.ito)
    start = last_seq()
    response = client.get(f"/persons/{person.pk}/")
    assert response.status_code == 404
    assert rows_since(start) == []


def test_the_api_records_a_read_by_the_tokens_user(world, person, api_as):
    hana = api_as("hana")
    start = last_seq()

    response = hana.get(f"/persons/{person.pk}")

    assert response.status_code == 200
    [read] = rows_since(start)
    assert read.action == Action.READ
    assert read.actor_user_id == world.hana.pk  # known only once the token is checked
    assert read.request == f"GET /api/v1/persons/{person.pk}"


def test_a_case_page_and_the_workers_own_page_record_reads(world):
    from kakehashi.access import Actor
    from kakehashi.cases.services import case_create
    from kakehashi.people.workers import worker_account_open, worker_invite
    from kakehashi.testing.factories import make_eligible

    person = make_eligible(PersonFactory(created_by_organization=world.care_home), "care")
    case = case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="direct",
    ).case
    client = signed_in(world.hana)
    start = last_seq()
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    [read] = rows_since(start)
    assert (read.action, read.target_model, read.target_pk) == (
        Action.READ,
        "cases.case",
        str(case.pk),
    )

    code = worker_invite(actor=Actor.of(world.hana), person_id=person.pk).code
    worker = worker_account_open(code=code, username="worker.1", password="Bishkek-Nagaoka-7")
    client = signed_in(worker)
    start = last_seq()
    assert client.get("/me/").status_code == 200
    [own] = rows_since(start)
    assert (own.action, own.target_model, own.target_pk, own.actor_user_id) == (
        Action.READ,
        "people.person",
        str(person.pk),
        worker.pk,
    )


def test_sign_in_and_sign_out_are_recorded(world):
    start = last_seq()
    client = Client(REMOTE_ADDR="198.51.100.20")

    response = client.post("/accounts/login/", {"username": "hana", "password": PASSWORD})
    assert response.status_code == 302
    client.post("/accounts/logout/")

    actions = [(r.action, r.target_model, r.actor_user_id) for r in rows_since(start)]
    assert (Action.SIGN_IN, "accounts.user", world.hana.pk) in actions
    assert (Action.SIGN_OUT, "accounts.user", world.hana.pk) in actions
    # Django notes the sign-in time on the user: an update naming that field.
    assert any(r.action == Action.UPDATE and r.fields == ["last_login"] for r in rows_since(start))


def test_creating_and_deleting_are_recorded_with_update_fields():
    start = last_seq()
    person = PersonFactory()
    person.email = "changed@example.kg"
    person.save(update_fields=["email"])
    pk = person.pk
    person.delete()

    mine = [
        (r.action, r.fields)
        for r in rows_since(start)
        if r.target_model == "people.person" and r.target_pk == str(pk)
    ]
    assert mine[0][0] == Action.CREATE
    assert (Action.UPDATE, ["email"]) in mine
    assert mine[-1][0] == Action.DELETE


def test_the_skipped_models_are_not_audited():
    labels = {m._meta.label_lower for m in audited_models()}
    assert {"people.person", "accounts.user", "auth.group"} <= labels
    assert "audit.auditentry" not in labels
    assert "accounts.signedinsession" not in labels
    assert not {"sessions.session", "django_tasks_db.dbtaskresult", "axes.accessattempt"} & labels


@task()
def write_a_row() -> int:
    return record(Action.UPDATE, model_label="people.person", pk=1).seq


def test_a_tasks_rows_carry_its_name():
    result = write_a_row.enqueue()
    row = AuditEntry.objects.get(seq=result.return_value)
    assert row.actor_label == "task:write_a_row"
    assert row.actor_user_id is None
    assert log.current().label != "task:write_a_row"  # unbound again when it ends


def test_a_management_commands_rows_carry_its_name(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["manage.py", "--verbosity=2", "load_demo"])
    log._process_label.cache_clear()
    try:
        assert record(Action.UPDATE, model_label="people.person", pk=1).actor_label == (
            "command:load_demo"
        )
    finally:
        log._process_label.cache_clear()


def test_bind_names_the_actor_and_nests():
    with bind(label="command:restore", ip="2001:DB8::1"):
        with bind(user_id=7):
            inner = record(Action.UPDATE, model_label="people.person", pk=1)
        outer = record(Action.UPDATE, model_label="people.person", pk=2)
    assert (inner.actor_user_id, inner.actor_label, inner.ip_address) == (
        7,
        "command:restore",
        "2001:db8::1",
    )
    assert (outer.actor_user_id, outer.actor_label) == (None, "command:restore")
    with bind(ip="::ffff:192.0.2.1"):
        mapped = record(Action.UPDATE, model_label="people.person", pk=3)
    with bind(ip="not an address"):
        unknown = record(Action.UPDATE, model_label="people.person", pk=4)
    assert (mapped.ip_address, unknown.ip_address) == ("::ffff:192.0.2.1", None)
    # What was hashed is what the database gives back (the IPv6 form included).
    assert_chained()


def test_a_row_costs_two_queries_and_one_per_transaction_on_postgresql(
    django_assert_num_queries,
):
    # The test runs in a transaction: on PostgreSQL, its first row takes the log's lock.
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 2):
        record(Action.UPDATE, model_label="people.person", pk=1)
    with django_assert_num_queries(2):
        record(Action.UPDATE, model_label="people.person", pk=2)


def test_the_public_key_is_printed():
    out = StringIO()
    call_command("audit_public_key", stdout=out)
    assert len(base64.b64decode(out.getvalue().strip(), validate=True)) == 32
