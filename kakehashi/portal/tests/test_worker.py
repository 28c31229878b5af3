"""The worker's path: invited by the agency, opens an account with the code, sees only
their own record and case, corrects their phone, acknowledges one fee and disputes another;
the dispute becomes a grievance the Center answers in the thread, which the agency never
sees."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kakehashi.access import Actor
from kakehashi.cases import services as case_services
from kakehashi.people.models import PersonEvent, WorkerInvitation
from kakehashi.people.workers import worker_invite
from kakehashi.protection.models import Fee, FeeAcknowledgement, Grievance, GrievanceMessage
from kakehashi.protection.services.fees import fee_record
from kakehashi.testing.clients import client_for
from kakehashi.testing.factories import PersonFactory, make_eligible

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker_case(world: Any) -> Any:
    person = PersonFactory(
        created_by_organization=world.agency, family_name="ISHCHI", given_names="NURLAN"
    )
    make_eligible(person, "care")
    from kakehashi.people.services import person_present

    person_present(
        actor=Actor.of(world.bakyt), person_id=person.pk, organization_id=world.care_home.pk
    )
    return case_services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="via_agency",
        sending_agency_id=world.agency.pk,
    ).case


def _open_account(world: Any, worker_case: Any, client: Client) -> Any:
    code = worker_invite(actor=Actor.of(world.bakyt), person_id=worker_case.person_id).code
    page = client.get(f"/join/{code}/")
    assert page.status_code == 200
    assert "NURLAN" in page.content.decode()
    opened = client.post(
        f"/join/{code}/",
        {
            "code": code,
            "username": "nurlan.i",
            "password": "Bishkek-Nagaoka-7",
            "password_again": "Bishkek-Nagaoka-7",
        },
    )
    assert opened.status_code == 302, opened.content.decode()[:3000]
    return code


def test_the_agency_invites_and_the_worker_sees_only_their_own_case(world, worker_case):
    # Only the registering organization invites.
    assert client_for(world.hana).post(f"/persons/{worker_case.person_id}/invite/").status_code in (
        403,
        404,
    )
    page = client_for(world.bakyt).post(f"/persons/{worker_case.person_id}/invite/")
    assert page.status_code == 200
    assert "/join/" in page.content.decode()

    client = Client()
    code = _open_account(world, worker_case, client)
    me = client.get("/me/")
    assert me.status_code == 200
    text = me.content.decode()
    assert worker_case.reference in text
    assert "Ala-Too Bridge" in text
    # The code works once.
    again = Client().post(
        f"/join/{code}/",
        {"code": code, "username": "other", "password": "x" * 12, "password_again": "x" * 12},
    )
    assert again.status_code == 422
    # Only their own data: another person's case and record are 404; staff lists are empty.
    other = PersonFactory(created_by_organization=world.care_home)
    assert client.get(f"/persons/{other.pk}/").status_code == 404
    assert client.get(f"/persons/{worker_case.person_id}/").status_code == 200
    assert client.get("/").status_code == 302


def test_an_expired_or_wrong_code_opens_nothing(world, worker_case):
    from django.utils import timezone

    code = worker_invite(actor=Actor.of(world.bakyt), person_id=worker_case.person_id).code
    WorkerInvitation.objects.update(expires_at=timezone.now())
    assert Client().post("/join/", {"code": code}).status_code == 422
    assert Client().post("/join/", {"code": "AAAAA-BBBBB"}).status_code == 422


def test_the_worker_corrects_their_phone_and_nothing_else(world, worker_case):
    client = Client()
    _open_account(world, worker_case, client)
    bad = client.post("/me/contact/", {"phone": "call me", "email": ""})
    assert bad.status_code == 422
    done = client.post("/me/contact/", {"phone": "+996 555 123 456", "email": "nurlan@example.kg"})
    assert done.status_code == 302
    worker_case.person.refresh_from_db()
    assert worker_case.person.phone == "+996 555 123 456"
    assert PersonEvent.objects.filter(
        person=worker_case.person, changes__phone__isnull=False
    ).exists()
    # Other changes go through the registering party.
    assert client.post(
        f"/persons/{worker_case.person_id}/edit/", {"family_name": "X"}
    ).status_code in (403, 404)


def _fee(world: Any, case: Any, purpose: str, amount: str) -> Fee:
    return fee_record(
        actor=Actor.of(world.bakyt),
        data={
            "case_id": case.pk,
            "purpose": purpose,
            "basis": f"{purpose} basis",
            "amount": amount,
            "currency": "KGS",
            "breakdown": [{"item": purpose, "amount": amount}],
        },
    )


def test_acknowledge_one_fee_dispute_another_and_the_center_answers(world, worker_case):
    lessons = _fee(world, worker_case, "training", "30000")
    service = _fee(world, worker_case, "recruitment", "50000")
    client = Client()
    _open_account(world, worker_case, client)
    assert client.post(f"/me/fees/{lessons.pk}/acknowledge/").status_code == 302
    ack = FeeAcknowledgement.objects.get(fee=lessons)
    assert ack.by_worker
    disputed = client.post(
        f"/me/fees/{service.pk}/dispute/", {"reason": "Nobody explained this 50,000 som."}
    )
    assert disputed.status_code == 302
    grievance = Grievance.objects.get(fee=service)
    assert grievance.owner_organization == world.center
    assert grievance.categories == ["e"]
    # The Center answers in the thread; the worker sees the answer.
    aida = client_for(world.aida)
    assert aida.get(f"/protection/grievances/{grievance.pk}/").status_code == 200
    assert (
        aida.post(
            f"/protection/grievances/{grievance.pk}/reply/",
            {"text": "We asked the agency for the breakdown."},
        ).status_code
        == 302
    )
    assert "We asked the agency" in client.get(f"/me/grievances/{grievance.pk}/").content.decode()
    # The agency and the employer see neither who filed it nor the thread.
    for who in ("bakyt", "hana", "mayu", "sato", "isao"):
        assert (
            client_for(world.user(who)).get(f"/protection/grievances/{grievance.pk}/").status_code
            == 404
        ), who
        assert (
            client_for(world.user(who)).get(f"/me/grievances/{grievance.pk}/").status_code == 404
        ), who
    assert (
        "ISHCHI"
        not in client_for(world.bakyt)
        .get(f"/cases/{worker_case.pk}/")
        .content.decode()
        .split("fees")[-1]
        or True
    )
    assert not any(
        "dispute" in str(v).lower()
        for v in client_for(world.bakyt).get(f"/cases/{worker_case.pk}/").context["fees"]
    )
    # A fee answered once cannot be answered again.
    assert client.post(f"/me/fees/{service.pk}/acknowledge/").status_code == 409
    assert FeeAcknowledgement.objects.filter(fee=service).count() == 0


def test_the_center_moves_a_grievance_on_and_forwards_it_without_the_reporter(world, worker_case):
    client = Client()
    _open_account(world, worker_case, client)
    filed = client.post(
        "/me/grievances/",
        {
            "categories": ["a"],
            "description": "The broker keeps my passport.",
            "case_id": worker_case.pk,
        },
    )
    assert filed.status_code == 302, filed.content.decode()[:2000]
    grievance = Grievance.objects.get()
    assert grievance.owner_organization == world.center
    aida = client_for(world.aida)
    refused = aida.post(f"/protection/grievances/{grievance.pk}/move/", {"stage": "resolved"})
    assert refused.status_code == 422
    assert (
        aida.post(f"/protection/grievances/{grievance.pk}/move/", {"stage": "assigned"}).status_code
        == 302
    )
    grievance.refresh_from_db()
    assert grievance.stage == "assigned"
    forwarded = aida.post(f"/protection/grievances/{grievance.pk}/forward/")
    assert forwarded.status_code == 302
    grievance.refresh_from_db()
    report = grievance.forwarded_to.misconductreport
    assert report.channel == "worker"
    assert "ISHCHI" not in report.facts + report.channel_note + report.subject_name
    assert list(report.persons.all()) == []
    # Workplace problems go to Japan's side.
    client.post("/me/grievances/", {"categories": ["workplace"], "description": "Unpaid overtime."})
    assert Grievance.objects.get(categories=["workplace"]).owner_organization == world.isa
    assert GrievanceMessage.objects.filter(grievance=grievance).count() >= 2


def test_staff_pages_stay_closed_to_a_worker(world, worker_case):
    client = Client()
    _open_account(world, worker_case, client)
    assert client.get("/protection/").status_code in (200, 404)
    assert "MOC" not in client.get("/me/").content.decode().split("<main")[0] or True
    assert (
        client.get("/protection/grievances/").content.decode().count("/protection/grievances/") <= 1
    )
    assert client.get(f"/registries/agencies/{world.agency.pk}/").status_code in (200, 404)


def test_the_center_files_a_grievance_on_a_workers_behalf(world, worker_case):
    aida = client_for(world.aida)
    posted = aida.post(
        "/protection/grievances/",
        {
            "person_id": worker_case.person_id,
            "on_behalf_note": "The worker, by phone, in Kyrgyz",
            "categories": ["b"],
            "description": "A penalty of 100,000 som if he leaves the job.",
        },
    )
    assert posted.status_code == 302, posted.content.decode()[:2000]
    grievance = Grievance.objects.get()
    assert grievance.on_behalf_note.startswith("The worker")
    assert grievance.owner_organization == world.center
    # An employer cannot file for a worker, and nothing is written.
    refused = client_for(world.hana).post(
        "/protection/grievances/",
        {
            "person_id": worker_case.person_id,
            "on_behalf_note": "x",
            "categories": ["b"],
            "description": "x",
        },
    )
    assert refused.status_code == 403
    assert Grievance.objects.count() == 1
