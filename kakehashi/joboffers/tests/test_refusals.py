"""Refusals: each bad input is a 422 naming the field and the rule, each transition out of
order a 409, and a refused write leaves nothing behind. Through the API (real tokens) and
the services; the pages' rendering of the same errors is in test_pages.py."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from kakehashi.access import Actor
from kakehashi.cases.models import Case
from kakehashi.core.errors import InvalidInput, RuleRefused
from kakehashi.joboffers import services
from kakehashi.joboffers.models import CandidateContact, JobOffer, JobOfferEvent, JobOfferStatus
from kakehashi.people.models import Person

from .helpers import (
    contact_data,
    make_offer,
    offer_data,
    record_contact,
    sign_center_contract,
    today,
)


def _problems(response: Any) -> dict[str, str]:
    """field -> code of each problem in an error body."""
    return {p.get("field", ""): p["code"] for p in response.json().get("problems", [])}


def _snapshot() -> dict[str, Any]:
    return {
        "offers": list(JobOffer.objects.order_by("id").values()),
        "events": JobOfferEvent.objects.count(),
        "contacts": list(CandidateContact.objects.order_by("id").values()),
        "persons": Person.objects.count(),
        "cases": Case.objects.count(),
    }


# --- the Center's review ------------------------------------------------------------------


def test_rejecting_needs_the_reason(world, api_as):
    offer = make_offer(world, "submitted")
    aida = api_as("aida")
    before = _snapshot()

    response = aida.post(f"/job-offers/{offer.pk}/review", {"decision": "reject", "note": "  "})

    assert response.status_code == 422
    assert _problems(response) == {"note": "required"}
    assert response.json()["problems"][0]["message"]  # a sentence, in the default language
    assert _snapshot() == before


def test_a_rejection_keeps_its_reason_for_the_organization(world, api_as):
    offer = make_offer(world, "submitted")

    response = api_as("aida").post(
        f"/job-offers/{offer.pk}/review", {"decision": "reject", "note": "Add the overtime rate."}
    )

    assert response.status_code == 200
    seen_by_hana = api_as("hana").get(f"/job-offers/{offer.pk}").json()
    assert seen_by_hana["status"] == "rejected"
    assert seen_by_hana["review_note"] == "Add the overtime rate."


def test_an_unknown_decision_is_refused(world, api_as):
    offer = make_offer(world, "submitted")

    response = api_as("aida").post(f"/job-offers/{offer.pk}/review", {"decision": "maybe"})

    assert response.status_code == 422
    assert _problems(response) == {"decision": "invalid_choice"}


def test_only_the_center_reviews(world, api_as):
    offer = make_offer(world, "submitted")
    before = _snapshot()

    for persona in ("hana", "isao"):  # they see the offer, but are not the Center
        response = api_as(persona).post(f"/job-offers/{offer.pk}/review", {"decision": "publish"})
        assert response.status_code == 403
        assert response.json()["code"] == "not_sending_contact_point"
    assert _snapshot() == before


@pytest.mark.parametrize("status", ["published", "rejected"])
def test_an_offer_is_reviewed_once(world, api_as, status):
    offer = make_offer(world, status)
    before = _snapshot()

    response = api_as("aida").post(f"/job-offers/{offer.pk}/review", {"decision": "publish"})

    assert response.status_code == 409
    assert response.json()["code"] == "offer_not_submitted"
    assert _snapshot() == before


def test_an_offer_past_its_closing_date_cannot_be_published(world, api_as):
    offer = make_offer(world, "submitted")
    JobOffer.objects.filter(pk=offer.pk).update(closes_on=today() - datetime.timedelta(days=1))

    response = api_as("aida").post(f"/job-offers/{offer.pk}/review", {"decision": "publish"})

    assert response.status_code == 409
    assert response.json()["code"] == "offer_closed"
    assert JobOffer.objects.get(pk=offer.pk).status == JobOfferStatus.SUBMITTED


# --- the organization's offer ------------------------------------------------------------


def test_another_employer_cannot_read_the_offer(world, api_as):
    offer = make_offer(world, "published")
    ito = api_as("ito")

    response = ito.get(f"/job-offers/{offer.pk}")

    assert response.status_code == 404
    assert response.json() == ito.get("/job-offers/999999").json()


@pytest.mark.parametrize("status", ["submitted", "published", "withdrawn"])
def test_an_offer_the_center_has_cannot_be_changed(world, api_as, status):
    offer = make_offer(world, status)
    before = _snapshot()

    response = api_as("hana").patch(f"/job-offers/{offer.pk}", {"title": "New title"})

    assert response.status_code == 409
    assert response.json()["code"] == "offer_not_editable"
    assert _snapshot() == before


def test_changing_a_rejected_offer_makes_it_a_draft_to_submit_again(world, api_as):
    offer = make_offer(world, "rejected")
    hana = api_as("hana")

    changed = hana.patch(f"/job-offers/{offer.pk}", {"monthly_wage_jpy": 240000})
    resubmitted = hana.post(f"/job-offers/{offer.pk}/submit", {})

    assert changed.status_code == 200
    assert changed.json()["status"] == "draft"
    assert changed.json()["monthly_wage_jpy"] == 240000
    assert resubmitted.json()["status"] == "submitted"
    assert resubmitted.json()["review_note"] == ""  # the old reason stays in the history
    changed = JobOfferEvent.objects.filter(job_offer=offer, kind="changed").get()
    assert changed.after == {"status": "draft", "fields": ["monthly_wage_jpy"]}
    assert changed.before == {"status": "rejected"}
    assert api_as("aida").get(f"/job-offers/{offer.pk}").status_code == 200


@pytest.mark.parametrize("status", ["submitted", "published", "rejected", "withdrawn"])
def test_only_a_draft_is_submitted(world, api_as, status):
    offer = make_offer(world, status)
    before = _snapshot()

    response = api_as("hana").post(f"/job-offers/{offer.pk}/submit", {})

    assert response.status_code == 409
    assert response.json()["code"] == "offer_not_draft"
    assert _snapshot() == before


def test_a_draft_past_its_closing_date_is_not_submitted(world, api_as):
    offer = make_offer(world)
    sign_center_contract(world)
    JobOffer.objects.filter(pk=offer.pk).update(closes_on=today() - datetime.timedelta(days=1))

    response = api_as("hana").post(f"/job-offers/{offer.pk}/submit", {})

    assert response.status_code == 422
    assert _problems(response) == {"closes_on": "closes_in_past"}


def test_withdrawing_twice_is_refused(world, api_as):
    offer = make_offer(world, "withdrawn")

    response = api_as("hana").post(f"/job-offers/{offer.pk}/withdraw", {})

    assert response.status_code == 409
    assert response.json()["code"] == "offer_withdrawn"


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({"title": " "}, {"title": "required"}),
        ({"title": "x" * 201}, {"title": "too_long"}),
        ({"description": ""}, {"description": "required"}),
        ({"positions": 0}, {"positions": "out_of_range"}),
        ({"positions": 501}, {"positions": "out_of_range"}),
        ({"monthly_wage_jpy": 0}, {"monthly_wage_jpy": "out_of_range"}),
        ({"japanese_level_required": "N5"}, {"japanese_level_required": "invalid_choice"}),
        ({"field": "space_travel"}, {"field": "not_found"}),
        ({"business_category": "nope"}, {"business_category": "not_found"}),
        (
            {"business_category": "building_cleaning"},
            {"business_category": "category_not_in_field"},
        ),
        (
            {"work_location": "", "how_to_apply": ""},
            {"work_location": "required", "how_to_apply": "required"},
        ),
        ({"organization_info": ""}, {"organization_info": "required"}),
        ({"closes_on": "2020-01-01"}, {"closes_on": "closes_in_past"}),
    ],
)
def test_bad_offer_input_names_the_field_and_the_rule(world, api_as, changes, problems):
    before = _snapshot()

    response = api_as("hana").post("/job-offers", offer_data(**changes))

    assert response.status_code == 422
    assert _problems(response) == problems
    assert all(p["message"] for p in response.json()["problems"])
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({"closes_on": "next week"}, {"closes_on": "invalid_date"}),
        ({"positions": "two"}, {"positions": "invalid_number"}),
    ],
)
def test_the_service_names_unparsed_values_too(world, changes, problems):
    """What the pages and the API parse before, the service checks again (for commands)."""
    with pytest.raises(InvalidInput) as refused:
        services.job_offer_create(actor=Actor.of(world.hana), data=offer_data(**changes))

    assert {p.field: p.code for p in refused.value.problems} == problems
    assert not JobOffer.objects.exists()


def test_a_number_that_is_not_a_number_is_a_422_naming_the_field(world, api_as):
    response = api_as("hana").post("/job-offers", offer_data(positions="two"))

    assert response.status_code == 422
    assert "positions" in _problems(response)


def test_an_employer_of_several_organizations_must_choose_one(world, api_as):
    from kakehashi.testing.factories import MembershipFactory

    MembershipFactory(user=world.hana, organization=world.it_firm)
    hana = api_as("hana")

    refused = hana.post("/job-offers", offer_data())
    chosen = hana.post(
        "/job-offers", {**offer_data(), "receiving_organization_id": world.it_firm.pk}
    )

    assert refused.status_code == 422
    assert _problems(refused) == {"receiving_organization_id": "required"}
    assert chosen.status_code == 201
    assert chosen.json()["receiving_organization"]["id"] == world.it_firm.pk


# --- contacts ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected", "withdrawn"])
def test_a_contact_needs_a_published_offer(world, api_as, status):
    offer = make_offer(world, status)
    before = _snapshot()

    response = api_as("hana").post(f"/job-offers/{offer.pk}/contacts", contact_data())

    assert response.status_code == 409
    assert response.json()["code"] == "offer_not_published"
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({"email": "", "phone": ""}, {"email": "email_or_phone"}),
        ({"email": "not-an-address"}, {"email": "invalid_email"}),
        ({"family_name": ""}, {"family_name": "required"}),
        ({"given_names": "x" * 151}, {"given_names": "too_long"}),
        (
            {"contacted_on": (today() + datetime.timedelta(days=1)).isoformat()},
            {"contacted_on": "date_in_future"},
        ),
        (
            {"contacted_on": (today() - datetime.timedelta(days=1)).isoformat()},
            {"contacted_on": "before_publication"},
        ),
    ],
)
def test_bad_contact_input_names_the_field_and_the_rule(world, api_as, changes, problems):
    offer = make_offer(world, "published")
    before = _snapshot()

    response = api_as("hana").post(f"/job-offers/{offer.pk}/contacts", contact_data(**changes))

    assert response.status_code == 422
    assert _problems(response) == problems
    assert _snapshot() == before


def test_a_phone_number_alone_is_enough(world, api_as):
    offer = make_offer(world, "published")

    response = api_as("hana").post(f"/job-offers/{offer.pk}/contacts", contact_data(email=""))

    assert response.status_code == 201
    assert response.json()["phone"] == "+996 555 010203"


def test_a_contact_is_started_as_a_case_once(world, api_as):
    offer = make_offer(world, "published")
    contact = record_contact(world, offer)
    path = f"/job-offers/{offer.pk}/contacts/{contact.pk}/start-case"
    hana = api_as("hana")
    assert hana.post(path, {"date_of_birth": "2000-01-02"}).status_code == 201
    before = _snapshot()

    again = hana.post(path, {"date_of_birth": "2000-01-02"})

    assert again.status_code == 409
    assert again.json()["code"] == "case_already_started"
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("date_of_birth", "code"),
    [
        ("", "invalid_date"),
        ("01/02/2000", "invalid_date"),
        ("2999-01-01", "date_too_late"),
        ("1890-01-01", "date_too_early"),
        ((datetime.date.today() + datetime.timedelta(days=2)).isoformat(), "date_in_future"),
    ],
)
def test_starting_a_case_needs_a_valid_date_of_birth(world, api_as, date_of_birth, code):
    offer = make_offer(world, "published")
    contact = record_contact(world, offer)
    before = _snapshot()

    response = api_as("hana").post(
        f"/job-offers/{offer.pk}/contacts/{contact.pk}/start-case",
        {"date_of_birth": date_of_birth},
    )

    assert response.status_code == 422, response.json()
    assert _problems(response) == {"date_of_birth": code}
    assert _snapshot() == before


def test_a_refused_case_registers_no_person(world, api_as, monkeypatch):
    """The person is written first; when the case is then refused (here: no KG procedure
    in force, as after the MOC ended, MOC §10), the person is rolled back with it."""
    from kakehashi.procedures import registry

    offer = make_offer(world, "published")
    contact = record_contact(world, offer)
    monkeypatch.setattr(registry, "definition_in_force", lambda *a: None)
    before = _snapshot()

    response = api_as("hana").post(
        f"/job-offers/{offer.pk}/contacts/{contact.pk}/start-case", {"date_of_birth": "2000-01-02"}
    )

    assert response.status_code == 422
    assert _problems(response) == {"country": "procedure_not_in_force"}
    assert _snapshot() == before  # no Person, no Case, the contact unlinked, no event


def test_a_case_refused_by_a_rule_registers_no_person(world, monkeypatch):
    """The same for a 409 from the procedure's rules."""
    from kakehashi.core.errors import Problem

    offer = make_offer(world, "published")
    contact = record_contact(world, offer)

    def refuse(**kwargs: Any) -> Any:
        assert Person.objects.filter(family_name=contact.family_name).exists()  # written first
        raise RuleRefused([Problem("field_suspended", "Acceptance is suspended.")])

    monkeypatch.setattr("kakehashi.joboffers.services.contacts.case_create", refuse)
    before = _snapshot()

    with pytest.raises(RuleRefused):
        services.candidate_contact_start_case(
            actor=Actor.of(world.hana),
            offer_id=offer.pk,
            contact_id=contact.pk,
            date_of_birth=datetime.date(2000, 1, 2),
        )

    assert _snapshot() == before


def test_an_unknown_status_filter_is_a_422(world, api_as):
    response = api_as("hana").get("/job-offers", status="open")

    assert response.status_code == 422
    assert _problems(response) == {"status": "invalid_choice"}


def test_the_history_is_append_only(world):
    from kakehashi.joboffers.models import AppendOnlyError

    offer = make_offer(world, "published")
    event = offer.events.first()
    assert event is not None

    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        JobOfferEvent.objects.filter(job_offer=offer).update(kind="changed")
    with pytest.raises(AppendOnlyError):
        JobOfferEvent.objects.filter(job_offer=offer).delete()
    assert offer.events.count() == 3
