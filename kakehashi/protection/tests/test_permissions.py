"""Persona by persona: who may do what with the items, fees and return cases, and what must
not happen after a refusal (the side effect absent)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.cases.models import CaseStatus
from kakehashi.protection.models import (
    Fee,
    FeeAcknowledgement,
    Inquiry,
    ItemConsent,
    ItemEvent,
    ItemRead,
    ReturnCase,
    SharedItem,
    Stage,
)
from kakehashi.protection.services import reports

from .conftest import record

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
OUTSIDERS = ["hana", "vic", "mayu", "bakyt", "rustam", "sato", "erlan", "nobody"]


def _report(world: Any) -> SharedItem:
    return reports.misconduct_report_file(
        actor=Actor.of(world.isao),
        data={
            "country": "KG",
            "categories": ["b"],
            "subject_name": "Broker",
            "subject_kind": "individual",
            "subject_country": "KG",
            "facts": "Penalty contract.",
        },
    )


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_can_do_nothing_to_an_item_and_leave_no_trace(world, api_as, persona):
    item = _report(world)
    client = api_as(persona)
    events_before = ItemEvent.objects.filter(item=item).count()
    attempts = [
        client.post(f"/protection/items/{item.pk}/acknowledge", {}),
        client.post(
            f"/protection/items/{item.pk}/follow-up", {"stage": "closed", "outcome": "founded"}
        ),
        client.post(
            f"/protection/items/{item.pk}/consents",
            {
                "to_organization_id": world.city.pk,
                "scope": "item",
                "purpose": "x",
                "consented_on": TODAY.isoformat(),
                "document_reference": "x",
            },
        ),
    ]
    assert [a.status_code for a in attempts] == [404, 404, 404]
    item.refresh_from_db()
    assert item.stage == Stage.RECEIVED
    assert item.acknowledged_at is None
    assert not ItemConsent.objects.exists()
    assert ItemEvent.objects.filter(item=item).count() == events_before
    assert not ItemRead.objects.filter(item=item).exists()
    assert client.get("/protection/inbox").json()["unacknowledged"] == 0


@pytest.mark.parametrize("persona", ["hana", "mayu", "bakyt", "sato", "erlan", "nobody"])
def test_only_a_contact_point_files_a_report(world, api_as, persona):
    refused = api_as(persona).post(
        "/protection/misconduct-reports",
        {
            "country": "KG",
            "categories": ["c"],
            "subject_name": "X",
            "subject_kind": "individual",
            "subject_country": "KG",
            "facts": "x",
        },
    )
    assert refused.status_code == 403
    assert not SharedItem.objects.exists()


def test_only_the_receiving_side_acknowledges(world, api_as):
    item = _report(world)
    refused = api_as("isao").post(f"/protection/items/{item.pk}/acknowledge", {})
    assert refused.status_code == 403
    item.refresh_from_db()
    assert item.acknowledged_at is None


def test_a_consent_is_recorded_only_for_a_third_party(world, api_as):
    item = _report(world)
    refused = api_as("aida").post(
        f"/protection/items/{item.pk}/consents",
        {
            "to_organization_id": world.isa.pk,
            "scope": "item",
            "purpose": "x",
            "consented_on": TODAY.isoformat(),
            "document_reference": "x",
        },
    )
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["field"] == "to_organization_id"
    assert not ItemConsent.objects.exists()


def test_a_consent_without_attachments_does_not_open_the_files(world, api_as):
    from kakehashi.protection.services.common import attachment_add, item_consent_record

    item = _report(world)
    attachment = attachment_add(
        actor=Actor.of(world.isao),
        item_id=item.pk,
        name="a.png",
        content=b"\x89PNG\r\n\x1a\n" + b"0" * 32,
    )
    item_consent_record(
        actor=Actor.of(world.isao),
        item_id=item.pk,
        to_organization_id=world.city.pk,
        scope="item",
        purpose="x",
        consented_on=TODAY,
        document_reference="x",
    )
    city = api_as("mayu")
    assert city.get(f"/protection/items/{item.pk}").json()["attachments"] == []
    url = f"/protection/items/{item.pk}/attachments/{attachment.pk}"
    assert city.get(url).status_code == 404
    assert api_as("aida").get(url).status_code == 200


def test_an_inquiry_is_answered_by_the_side_asked_and_overdue_shows_to_both(world, api_as):
    sent = api_as("aida").post(
        "/protection/inquiries",
        {
            "country": "KG",
            "subject": "Workers",
            "question": "How many?",
            "due_on": TODAY.isoformat(),
        },
    )
    assert sent.status_code == 201, sent.content
    item_id = sent.json()["id"]
    # The asker cannot answer its own inquiry.
    assert (
        api_as("aida").post(f"/protection/inquiries/{item_id}/answer", {"answer": "x"}).status_code
        == 403
    )
    assert Inquiry.objects.get(pk=item_id).answer == ""
    # Made overdue: both sides see it.
    api_as("aida").post(
        f"/protection/items/{item_id}/follow-up",
        {"due_on": (TODAY - datetime.timedelta(days=2)).isoformat()},
    )
    for who in ("aida", "isao"):
        assert api_as(who).get("/protection/inbox").json()["overdue"] == 1
        assert [i["id"] for i in api_as(who).get("/protection/items", overdue=True).json()] == [
            item_id
        ]
    answered = api_as("isao").post(f"/protection/inquiries/{item_id}/answer", {"answer": "Twelve."})
    assert answered.json()["stage"] == "answered"
    assert api_as("aida").get("/protection/inbox").json()["overdue"] == 0


def test_a_consultation_has_an_agenda_minutes_and_action_items(world, api_as):
    report = _report(world)
    planned = api_as("isao").post(
        "/protection/consultations",
        {
            "country": "KG",
            "consultation_kind": "regular",
            "title": "Half-year",
            "meets_on": TODAY.isoformat(),
            "agenda": [{"category": "b", "title": "Brokers"}, {"category": "z", "title": "x"}],
            "item_ids": [report.pk],
        },
    )
    assert planned.status_code == 422
    assert planned.json()["problems"][0]["field"] == "agenda.1.category"
    planned = api_as("isao").post(
        "/protection/consultations",
        {
            "country": "KG",
            "consultation_kind": "regular",
            "title": "Half-year",
            "meets_on": TODAY.isoformat(),
            "agenda": [{"category": "b", "title": "Brokers"}],
            "item_ids": [report.pk],
        },
    )
    item = planned.json()
    assert item["details"]["agenda"][0]["category"] == "b"
    held = api_as("aida").post(
        f"/protection/consultations/{item['id']}/minutes",
        {
            "minutes": "Agreed to share within a week.",
            "actions": [
                {
                    "description": "List refunds",
                    "owner_organization_id": world.center.pk,
                    "due_on": TODAY.isoformat(),
                }
            ],
        },
    )
    assert held.status_code == 200, held.content
    assert held.json()["stage"] == "held"
    assert api_as("aida").get("/protection/inbox").json()["actions_due"] == 1
    linked = api_as("isao").get(f"/protection/items/{report.pk}").json()["linked"]
    assert [i["id"] for i in linked] == [item["id"]]


def test_a_refused_change_of_status_opens_a_return_case_for_the_center_and_the_embassy(
    world, api_as
):
    from kakehashi.cases import services as case_services
    from kakehashi.testing.factories import PersonFactory, make_eligible

    person = PersonFactory(created_by_organization=world.care_home, current_country="JP")
    make_eligible(person, "care")
    case = case_services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="change_of_status",
    ).case
    record(world, case, "employment_contract")
    record(world, case, "change_of_status_application")
    assert not ReturnCase.objects.exists()
    record(world, case, "change_of_status_decision", outcome="refused")
    case.refresh_from_db()
    assert case.status == CaseStatus.REFUSED
    returning = ReturnCase.objects.get(case=case)
    assert returning.reason == "status_refused"
    assert returning.embassy == world.embassy
    for who in ("aida", "erlan", "isao"):
        assert api_as(who).get(f"/protection/items/{returning.pk}").status_code == 200, who
    for who in ("hana", "mayu", "sato"):
        assert api_as(who).get(f"/protection/items/{returning.pk}").status_code == 404, who
    updated = api_as("erlan").post(
        f"/protection/return-cases/{returning.pk}",
        {"temporary_passport_requested_on": TODAY.isoformat(), "return_on": TODAY.isoformat()},
    )
    assert updated.status_code == 200, updated.content
    assert (
        api_as("hana")
        .post(f"/protection/return-cases/{returning.pk}", {"returned_on": TODAY.isoformat()})
        .status_code
        == 404
    )
    closed = api_as("aida").post(
        f"/protection/return-cases/{returning.pk}", {"returned_on": TODAY.isoformat()}
    )
    assert closed.json()["stage"] == "closed"


def test_a_granted_change_of_status_opens_no_return_case(world):
    from kakehashi.cases import services as case_services
    from kakehashi.testing.factories import PersonFactory, make_eligible

    person = PersonFactory(created_by_organization=world.care_home, current_country="JP")
    make_eligible(person, "care")
    case = case_services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="change_of_status",
    ).case
    for step in (
        "employment_contract",
        "change_of_status_application",
        "change_of_status_decision",
    ):
        record(world, case, step)
    assert not ReturnCase.objects.exists()


# --- fees ---------------------------------------------------------------------------------------

FEE = {
    "purpose": "training",
    "basis": "120 hours of Japanese at 250 som",
    "amount": "30000",
    "currency": "KGS",
    "breakdown": [{"item": "Lessons", "amount": "24000"}, {"item": "Books", "amount": "6000"}],
}


def test_the_agency_records_a_fee_and_the_worker_acknowledgement(world, api_as, agency_case):
    recorded = api_as("bakyt").post("/protection/fees", {**FEE, "case_id": agency_case.pk})
    assert recorded.status_code == 201, recorded.content
    fee = recorded.json()
    assert fee["amount"] == "30000.00"
    assert fee["acknowledged_on"] is None
    ack = api_as("bakyt").post(
        f"/protection/fees/{fee['id']}/acknowledgements",
        {"acknowledged_on": TODAY.isoformat(), "language": "ky", "document_reference": "AT-1"},
    )
    assert ack.status_code == 201, ack.content
    assert ack.json()["acknowledged_on"] == TODAY.isoformat()
    # The employer and the Center see the fee; another employer does not.
    assert len(api_as("hana").get("/protection/fees", case_id=agency_case.pk).json()) == 1
    assert len(api_as("aida").get("/protection/fees", case_id=agency_case.pk).json()) == 1
    assert api_as("ito").get("/protection/fees", case_id=agency_case.pk).json() == []


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"purpose": "support"}, 409, "purpose"),
        ({"breakdown": [{"item": "Lessons", "amount": "100"}]}, 422, "breakdown"),
        ({"breakdown": []}, 422, "breakdown"),
        ({"amount": "-5"}, 422, "amount"),
        ({"amount": "1e400"}, 422, "amount"),
        ({"currency": "USD"}, 422, "currency"),
        ({"basis": "x\u0000y"}, 422, "basis"),
    ],
)
def test_a_bad_or_forbidden_fee_is_refused_and_nothing_is_written(
    world, api_as, agency_case, change, status, field
):
    refused = api_as("bakyt").post("/protection/fees", {**FEE, "case_id": agency_case.pk, **change})
    assert refused.status_code == status, refused.content
    assert field in [p.get("field") for p in refused.json()["problems"]]
    assert not Fee.objects.exists()


def test_an_agency_that_declares_employer_pays_records_no_fee(world, api_as, agency_case):
    declared = api_as("bakyt").post(
        "/protection/fee-policies", {"agency_id": world.agency.pk, "employer_pays": True}
    )
    assert declared.status_code == 201
    refused = api_as("bakyt").post("/protection/fees", {**FEE, "case_id": agency_case.pk})
    assert refused.status_code == 409
    assert refused.json()["problems"][0]["code"] == "employer_pays"
    assert not Fee.objects.exists()
    # Another agency cannot declare for it.
    assert (
        api_as("rustam")
        .post("/protection/fee-policies", {"agency_id": world.agency.pk, "employer_pays": False})
        .status_code
        == 403
    )


@pytest.mark.parametrize("persona", ["ito", "mayu", "sato", "rustam", "aida", "isao"])
def test_only_the_case_agency_or_employer_records_fees(world, api_as, agency_case, persona):
    refused = api_as(persona).post("/protection/fees", {**FEE, "case_id": agency_case.pk})
    assert refused.status_code in (403, 404)
    assert not Fee.objects.exists()
    assert not FeeAcknowledgement.objects.exists()


# --- test results -------------------------------------------------------------------------------


def test_a_result_the_agency_enters_counts_once_a_contact_point_confirms_it(world, api_as):
    from kakehashi.cases import services as case_services
    from kakehashi.core.errors import RuleRefused
    from kakehashi.people.models import TestKind
    from kakehashi.testing.factories import PersonFactory, TestResultFactory

    person = PersonFactory(created_by_organization=world.agency)
    category_code = "care"
    from kakehashi.people.services import person_present

    person_present(
        actor=Actor.of(world.bakyt), person_id=person.pk, organization_id=world.care_home.pk
    )
    for extra in (
        {"test_code": "jlpt", "level": "N4"},
        {"test_code": "care_japanese", "level": ""},
    ):
        TestResultFactory(person=person, kind=TestKind.JAPANESE, **extra)
    entered = api_as("bakyt").post(
        f"/persons/{person.pk}/test-results",
        {
            "kind": "skill",
            "business_category": category_code,
            "passed": True,
            "taken_on": "2026-05-01",
        },
    )
    assert entered.status_code == 201, entered.content
    result = entered.json()
    assert result["verification"] == "pending"
    case = case_services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="via_agency",
        sending_agency_id=world.agency.pk,
    ).case
    record(world, case, "agency_recruitment_contract")
    record(world, case, "candidates_provided", "bakyt")
    record(world, case, "employment_contract")
    with pytest.raises(RuleRefused) as refused:
        record(world, case, "coe_application")
    assert "test_result_unverified" in [p.code for p in refused.value.problems]
    url = f"/persons/{person.pk}/test-results/{result['id']}/confirmation"
    assert api_as("bakyt").post(url, {"basis": "self"}).status_code == 403
    assert api_as("hana").post(url, {"basis": "x"}).status_code == 403
    confirmed = api_as("aida").post(url, {"basis": "Confirmed with the test body, ref. 42"})
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["verification"] == "confirmed"
    record(world, case, "coe_application")
