"""The registries API: public reads, writes only by the deciding role, the same error
conventions as the cases API, and a revocation visible everywhere in one transaction."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.cases import services as case_services
from kakehashi.cases.models import CaseFlag
from kakehashi.registries.models import AgencyCertificationDecision, Notice
from kakehashi.testing.documents import required_uploads
from kakehashi.testing.factories import PersonFactory, make_eligible


def today() -> datetime.date:
    return timezone.localdate()


def state_of(agency_id: int, on: datetime.date | None = None) -> str:
    params = {"on": on.isoformat()} if on else {}
    items = Client().get("/api/v1/registries/agencies", params).json()["items"]
    return next(i["state"] for i in items if i["id"] == agency_id)


def test_the_register_is_public_and_answers_as_of_a_date(world):
    assert state_of(world.agency.pk) == "certified"
    assert state_of(world.rogue_agency.pk) == "none"
    assert state_of(world.agency.pk, datetime.date(2023, 12, 31)) == "none"
    future = Client().get(
        "/api/v1/registries/agencies", {"on": (today() + datetime.timedelta(days=1)).isoformat()}
    )
    assert future.status_code == 422
    assert future.json()["problems"][0]["field"] == "on"


def test_revoking_through_the_api_changes_the_register_and_flags_open_cases_at_once(world, api_as):
    person = PersonFactory(created_by_organization=world.care_home)
    make_eligible(person, "care")
    case = case_services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="via_agency",
        sending_agency_id=world.agency.pk,
    ).case
    response = api_as("aida").post(
        f"/registries/agencies/{world.agency.pk}/decisions",
        {"action": "revoked", "reason": "Collected deposits from candidates (MOC §4(1)(a))"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["decided_by"] == world.center.name_en
    assert state_of(world.agency.pk) == "revoked"
    revocations = Client().get("/api/v1/registries/revocations").json()
    assert [r["agency_id"] for r in revocations] == [world.agency.pk]
    assert (
        CaseFlag.objects.filter(case=case, code="agency_revoked", cleared_at__isnull=True).count()
        == 1
    )
    detail = api_as("hana").get(f"/cases/{case.pk}").json()
    assert [f["code"] for f in detail["flags"]] == ["agency_revoked"]
    assert "deposits" not in detail["flags"][0]["message"]  # the ministry's reason (§3)
    assert "deposits" in api_as("isao").get(f"/cases/{case.pk}").json()["flags"][0]["message"]
    isao = api_as("isao")
    isao.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    notices = isao.get("/registries/notices").json()
    assert [n["kind"] for n in notices] == ["agency_decision"]
    assert notices[0]["title"] == f"{world.agency.name_en}: Revoked"
    assert "revoked the certification" in notices[0]["body"]
    assert "Collected deposits from candidates" in notices[0]["body"]


@pytest.mark.parametrize("persona", ["isao", "hana", "mayu", "bakyt", "sato"])
def test_only_the_ministry_decides_on_an_agency(world, api_as, persona):
    before = AgencyCertificationDecision.objects.count()
    response = api_as(persona).post(
        f"/registries/agencies/{world.agency.pk}/decisions", {"action": "revoked", "reason": "x"}
    )
    assert response.status_code == 403
    assert AgencyCertificationDecision.objects.count() == before
    assert state_of(world.agency.pk) == "certified"


def test_writes_need_a_token(world):
    response = Client().post(
        f"/api/v1/registries/agencies/{world.agency.pk}/decisions",
        {"action": "revoked", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 401


def test_a_transition_the_state_does_not_allow_is_a_conflict(world, api_as):
    response = api_as("aida").post(
        f"/registries/agencies/{world.agency.pk}/decisions", {"action": "resumed"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"


def test_a_revocation_without_reason_names_the_field(world, api_as):
    response = api_as("aida").post(
        f"/registries/agencies/{world.agency.pk}/decisions", {"action": "revoked"}
    )
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == ["reason"]


def test_japan_records_an_improvement_order_and_the_center_is_notified(world, api_as):
    person = PersonFactory(created_by_organization=world.osaka_metal)
    case_services.case_create(
        actor=Actor.of(world.oscar),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="direct",
    )
    response = api_as("isao").post(
        "/registries/improvement-orders",
        {
            "receiving_organization_id": world.osaka_metal.pk,
            "issued_on": today().isoformat(),
            "summary": "Unpaid overtime; support plan not carried out.",
        },
    )
    assert response.status_code == 201, response.json()
    public = Client().get("/api/v1/registries/improvement-orders").json()
    assert [o["receiving_organization"] for o in public] == ["Osaka Metal"]
    aida = api_as("aida")
    aida.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    notice = aida.get("/registries/notices").json()[0]
    assert notice["kind"] == "improvement_order"
    assert notice["country"] == "KG"
    assert notice["body"].startswith("Japan issued an improvement order to Osaka Metal on")
    acknowledged = api_as("aida").post(f"/registries/notices/{notice['id']}/acknowledge", {})
    assert acknowledged.status_code == 200
    assert acknowledged.json()["acknowledged_at"] is not None
    assert (
        api_as("hana").post(f"/registries/notices/{notice['id']}/acknowledge", {}).status_code
        == 404
    )
    assert Notice.objects.get(pk=notice["id"]).acknowledged_by == world.aida


def test_a_field_suspension_lists_cases_past_the_coe_for_review(world, api_as):
    from kakehashi.cases.tests.helpers import evidence_for

    person = PersonFactory(created_by_organization=world.care_home)
    make_eligible(person, "care")
    case = case_services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="direct",
    ).case
    for step in ("employment_contract", "coe_application", "coe_decision"):
        case_services.case_complete_step(
            actor=Actor.of(world.hana),
            case_id=case.pk,
            step_key=step,
            evidence=evidence_for(step),
            documents=required_uploads(case.pk, step),
        )
    response = api_as("isao").post(
        "/registries/field-suspensions",
        {"field": "care", "starts_on": today().isoformat(), "reason": "Shortage filled (MOC §8)"},
    )
    assert response.status_code == 201, response.json()
    suspension_id = response.json()["id"]
    assert [s["field"] for s in Client().get("/api/v1/registries/field-suspensions").json()] == [
        "care"
    ]
    review = (
        api_as("isao").get(f"/registries/field-suspensions/{suspension_id}/cases-to-review").json()
    )
    assert [c["id"] for c in review] == [case.pk]
    assert (
        api_as("ito").get(f"/registries/field-suspensions/{suspension_id}/cases-to-review").json()
        == []
    )
