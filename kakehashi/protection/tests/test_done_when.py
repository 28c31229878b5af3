"""The four flows the issue names, end to end through the API and the services."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.cases.models import Case, CaseFlag
from kakehashi.core.errors import RuleRefused
from kakehashi.people.models import TestKind
from kakehashi.protection.models import ItemRead, MisconductReport, Stage

from .conftest import record, up_to_coe

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate().isoformat()

CATEGORY_A = {
    "country": "KG",
    "categories": ["a"],
    "subject_name": "Fast Visa KG",
    "subject_kind": "legal_entity",
    "subject_country": "KG",
    "facts": "Took a deposit of 50,000 som from three candidates and kept their passports.",
    "occurred_from": "2026-01-10",
    "places": "Bishkek",
}


def test_a_category_a_report_reaches_the_center_and_nobody_else(world, api_as):
    filed = api_as("isao").post("/protection/misconduct-reports", CATEGORY_A)
    assert filed.status_code == 201, filed.content
    item = filed.json()
    assert item["stage"] == "received"
    assert item["details"]["categories"][0]["code"] == "a"
    assert "保証金" in item["details"]["categories"][0]["text"]  # the MOC's wording

    center = api_as("aida")
    assert center.get("/protection/inbox").json()["unacknowledged"] == 1
    assert [i["id"] for i in center.get("/protection/items").json()] == [item["id"]]
    acknowledged = center.post(f"/protection/items/{item['id']}/acknowledge", {})
    assert acknowledged.status_code == 200
    assert center.get("/protection/inbox").json()["unacknowledged"] == 0

    for outsider in ("hana", "mayu", "bakyt", "rustam", "sato", "erlan", "nobody"):
        client = api_as(outsider)
        assert client.get(f"/protection/items/{item['id']}").status_code == 404, outsider
        assert client.get("/protection/items/999999").status_code == 404
        assert client.get("/protection/items").json() == []

    # Japan's contact point names the city in a written consent of the originating side.
    consent = api_as("isao").post(
        f"/protection/items/{item['id']}/consents",
        {
            "to_organization_id": world.city.pk,
            "scope": "item",
            "purpose": "Warn the city's employers about the broker",
            "consented_on": TODAY,
            "document_reference": "ISA-2026-117",
        },
    )
    assert consent.status_code == 201, consent.content
    city = api_as("mayu").get(f"/protection/items/{item['id']}")
    assert city.status_code == 200
    assert city.json()["details"]["facts"].startswith("Took a deposit")
    assert city.json()["reads"] == []  # the log is the contact points'
    assert ItemRead.objects.filter(item_id=item["id"], user=world.mayu).count() == 1
    log = api_as("isao").get(f"/protection/items/{item['id']}").json()["reads"]
    assert any(r["user"] == "mayu" for r in log)
    # Still nobody else.
    assert api_as("hana").get(f"/protection/items/{item['id']}").status_code == 404


def test_a_deposit_clause_refuses_the_coe_application_and_drafts_a_report(world, agency_case):
    up_to_coe(world, agency_case, term_deposit=True)
    draft = MisconductReport.objects.get(cases=agency_case)
    assert draft.stage == Stage.DRAFT
    assert draft.categories == ["a"]
    assert draft.subject_organization == world.agency

    with pytest.raises(RuleRefused) as refused:
        record(world, agency_case, "coe_application")
    problem = next(p for p in refused.value.problems if p.code == "prohibited_contract_term")
    assert problem.source_ref == "moc_kg §4(1)(a)"
    assert "保証金" in problem.message
    assert not agency_case.steps.filter(step_key="coe_application").exists()

    # The draft is Japan's to review: the Center does not see it until it is filed.
    assert not MisconductReport.objects.filter(stage=Stage.RECEIVED).exists()
    from kakehashi.protection.selectors import items_visible_to

    assert not items_visible_to(Actor.of(world.aida)).filter(pk=draft.pk).exists()
    assert items_visible_to(Actor.of(world.isao)).filter(pk=draft.pk).exists()


def test_a_clean_contract_files_the_coe_application(world, agency_case):
    up_to_coe(world, agency_case, term_deposit=False)
    record(world, agency_case, "coe_application")
    assert not MisconductReport.objects.exists()


def _skill_result(case: Case) -> Any:
    return case.person.test_results.get(kind=TestKind.SKILL)


def test_a_fraud_report_holds_the_test_result_until_closed_as_unfounded(world, agency_case, api_as):
    up_to_coe(world, agency_case)
    result = _skill_result(agency_case)
    filed = api_as("isao").post(
        "/protection/test-fraud-reports",
        {
            "country": "KG",
            "fraud_kind": "impersonation",
            "facts": "The photo on the admission ticket is of another person.",
            "test_result_ids": [result.pk],
        },
    )
    assert filed.status_code == 201, filed.content
    item_id = filed.json()["id"]

    refused = api_as("hana").post(
        f"/cases/{agency_case.pk}/steps/coe_application/complete",
        {"evidence": {"filed_on": TODAY, "bureau": "Niigata"}},
    )
    assert refused.status_code == 409, refused.content
    problems = refused.json()["problems"]
    held = next(p for p in problems if p["code"] == "test_result_held")
    assert held["source_ref"] == "moc_kg §5"
    # Shown on the case as what blocks the next step.
    page = api_as("hana").get(f"/cases/{agency_case.pk}").json()
    assert "test_result_held" in str(page)

    closed = api_as("aida").post(
        f"/protection/items/{item_id}/follow-up", {"stage": "closed", "outcome": "unfounded"}
    )
    assert closed.status_code == 200, closed.content
    accepted = api_as("hana").post(
        f"/cases/{agency_case.pk}/steps/coe_application/complete",
        {"evidence": {"filed_on": TODAY, "bureau": "Niigata"}},
    )
    assert accepted.status_code in (200, 201), accepted.content


def test_a_result_found_fraudulent_never_counts_again(world, agency_case, api_as):
    up_to_coe(world, agency_case)
    result = _skill_result(agency_case)
    item_id = (
        api_as("aida")
        .post(
            "/protection/test-fraud-reports",
            {
                "country": "KG",
                "fraud_kind": "forged",
                "facts": "Forged.",
                "test_result_ids": [result.pk],
            },
        )
        .json()["id"]
    )
    api_as("isao").post(
        f"/protection/items/{item_id}/follow-up", {"stage": "closed", "outcome": "founded"}
    )
    with pytest.raises(RuleRefused) as refused:
        record(world, agency_case, "coe_application")
    assert "test_result_fraudulent" in [p.code for p in refused.value.problems]


def test_an_investigation_ending_in_revocation_reaches_the_register_and_the_cases(
    world, agency_case, api_as, client
):
    report = (
        api_as("isao")
        .post(
            "/protection/misconduct-reports",
            {
                **CATEGORY_A,
                "subject_name": "Ala-Too Bridge",
                "subject_organization_id": world.agency.pk,
                "case_ids": [agency_case.pk],
            },
        )
        .json()
    )
    opened = api_as("aida").post(
        "/protection/investigations", {"agency_id": world.agency.pk, "report_ids": [report["id"]]}
    )
    assert opened.status_code == 201, opened.content
    investigation = opened.json()
    assert investigation["stage"] == "under_investigation"
    # Japan's contact point sees the investigation linked from its report.
    linked = api_as("isao").get(f"/protection/items/{report['id']}").json()["linked"]
    assert [i["id"] for i in linked] == [investigation["id"]]

    reported = api_as("aida").post(
        f"/protection/investigations/{investigation['id']}/result",
        {"guidance": "Ordered to return deposits.", "result": "Deposits confirmed; revoked."},
    )
    assert reported.json()["stage"] == "result_reported"
    decided = api_as("aida").post(
        f"/protection/investigations/{investigation['id']}/decision",
        {"action": "revoked", "reason": "Collected deposits (MOC §4(1)(a))."},
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["details"]["decisions"][0]["action"] == "revoked"

    register = client.get("/api/v1/registries/agencies").json()["items"]
    assert next(a for a in register if a["id"] == world.agency.pk)["state"] == "revoked"
    assert CaseFlag.objects.filter(case=agency_case, code="agency_revoked").exists()
    # Only the ministry investigates: Japan and the agency itself cannot.
    for who in ("isao", "bakyt", "hana"):
        denied = api_as(who).post(
            "/protection/investigations",
            {"agency_id": world.agency.pk, "report_ids": [report["id"]]},
        )
        assert denied.status_code in (403, 404), who
