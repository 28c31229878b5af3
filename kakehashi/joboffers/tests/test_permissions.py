"""Who may see and do what with job offers, persona by persona, through /api/v1 with real
bearer tokens. A refused write is checked twice: its status and body (a 404 is the same
body as for a missing id, ADR 0005), and that nothing was written (no new offer, event,
contact, person or case; the offer unchanged).

Rules under test: kakehashi/joboffers/selectors.py (job_offer_visibility, may_*) and
kakehashi/joboffers/services/."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kakehashi.accounts.models import OrganizationKind
from kakehashi.cases.models import Case
from kakehashi.conftest import ApiClient
from kakehashi.joboffers.models import CandidateContact, JobOffer, JobOfferEvent, JobOfferStatus
from kakehashi.people.models import Person
from kakehashi.testing.factories import MembershipFactory, OrganizationFactory

from .helpers import (
    MISSING_ID,
    PERSONAS,
    contact_data,
    make_offer,
    offer_data,
    record_contact,
    sign_center_contract,
)


def _rows(expected: dict[str, int]) -> list[Any]:
    assert set(expected) == set(PERSONAS), "every persona has a row"
    return [pytest.param(p, expected[p], id=f"{p}-{expected[p]}") for p in PERSONAS]


def _state() -> dict[str, Any]:
    """Everything a refused write must leave as it was."""
    return {
        "offers": list(JobOffer.objects.order_by("id").values()),
        "events": JobOfferEvent.objects.count(),
        "contacts": list(CandidateContact.objects.order_by("id").values()),
        "persons": Person.objects.count(),
        "cases": Case.objects.count(),
    }


def _not_found_body(api: Any, path: str) -> Any:
    response = api.get(path)
    assert response.status_code == 404
    return response.json()


def _assert_refused(
    api: Any, response: Any, status: int, before: dict[str, Any], missing: Any = None
) -> None:
    """`missing`: the response for a missing id, when it is not a missing offer's."""
    assert response.status_code == status, response.json()
    if status == 404:
        expected = missing.json() if missing else _not_found_body(api, f"/job-offers/{MISSING_ID}")
        assert response.json() == expected
    else:
        assert response.json()["code"] != "not_found"
    assert _state() == before, "a refused write must not change anything"


# --- Reading ------------------------------------------------------------------------------

# What each persona lists among the care home's draft, submitted and published offers.
LISTS = {
    "hana": {"draft", "submitted", "published"},  # its own, every status
    "vic": {"draft", "submitted", "published"},  # viewer of the same organization
    "ito": set(),  # another employer in the same city
    "oscar": set(),
    "mayu": set(),  # the city does not see the employers' offers
    "isao": {"draft", "submitted", "published"},  # ISA: every offer
    "aida": {"submitted", "published"},  # the Center: once submitted to it
    "bakyt": set(),
    "rustam": set(),
    "sato": set(),
    "nobody": set(),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_and_read_offers(world, api_as, persona):
    offers = {s: make_offer(world, s) for s in ("draft", "submitted", "published")}
    api = api_as(persona)

    listed = api.get("/job-offers")

    assert listed.status_code == 200
    seen = {o["status"] for o in listed.json()["items"]}
    assert seen == LISTS[persona]
    for status, offer in offers.items():
        response = api.get(f"/job-offers/{offer.pk}")
        if status in LISTS[persona]:
            assert response.status_code == 200
            assert response.json()["id"] == offer.pk
        else:
            assert response.status_code == 404
            assert response.json() == _not_found_body(api, f"/job-offers/{MISSING_ID}")


def test_unauthenticated_calls_get_401_but_the_public_board_does_not(world):
    offer = make_offer(world, "published")
    anonymous = Client()

    assert anonymous.get("/api/v1/job-offers").status_code == 401
    assert anonymous.get(f"/api/v1/job-offers/{offer.pk}").status_code == 401
    bad_token = Client(HTTP_AUTHORIZATION="Bearer nope")
    assert (
        bad_token.post("/api/v1/job-offers", {}, content_type="application/json").status_code == 401
    )
    assert anonymous.get("/api/v1/public/jobs").status_code == 200
    assert anonymous.get(f"/api/v1/public/jobs/{offer.pk}").status_code == 200


# --- Writing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    _rows(
        {
            "hana": 201,
            "ito": 201,  # every receiving organization posts its own offers
            "oscar": 201,
            "vic": 403,  # viewer
            "mayu": 403,
            "isao": 403,
            "aida": 403,
            "bakyt": 403,
            "rustam": 403,
            "sato": 403,
            "nobody": 403,
        }
    ),
)
def test_create(world, api_as, persona, status):
    api = api_as(persona)
    before = _state()

    response = api.post("/job-offers", offer_data())

    if status == 201:
        assert response.status_code == 201, response.json()
        offer = JobOffer.objects.get(pk=response.json()["id"])
        assert offer.receiving_organization.memberships.filter(user__username=persona).exists()
        assert offer.status == JobOfferStatus.DRAFT
        assert offer.events.get().kind == "created"
    else:
        _assert_refused(api, response, status, before)
        assert response.json()["code"] == "not_receiving_organization"


MANAGE_DRAFT = {
    "hana": 200,
    "vic": 403,  # sees it, may not act
    "isao": 403,  # sees every offer, acts on none
    "aida": 404,  # the Center does not see drafts
    "ito": 404,
    "oscar": 404,
    "mayu": 404,
    "bakyt": 404,
    "rustam": 404,
    "sato": 404,
    "nobody": 404,
}


@pytest.mark.parametrize(("persona", "status"), _rows(MANAGE_DRAFT))
def test_update_a_draft(world, api_as, persona, status):
    offer = make_offer(world)
    api = api_as(persona)
    before = _state()

    response = api.patch(f"/job-offers/{offer.pk}", {"title": "Changed title"})

    if status == 200:
        assert response.status_code == 200, response.json()
        assert JobOffer.objects.get(pk=offer.pk).title == "Changed title"
    else:
        _assert_refused(api, response, status, before)


@pytest.mark.parametrize(("persona", "status"), _rows(MANAGE_DRAFT))
def test_submit_a_draft(world, api_as, persona, status):
    offer = make_offer(world)
    sign_center_contract(world)
    api = api_as(persona)
    before = _state()

    response = api.post(f"/job-offers/{offer.pk}/submit", {})

    if status == 200:
        assert response.status_code == 200, response.json()
        assert JobOffer.objects.get(pk=offer.pk).status == JobOfferStatus.SUBMITTED
    else:
        _assert_refused(api, response, status, before)


@pytest.mark.parametrize(
    ("persona", "status"),
    _rows(
        {
            "aida": 200,  # the Center of the offer's country
            "hana": 403,  # the organization does not publish its own offer
            "vic": 403,
            "isao": 403,  # the Japanese contact point does not publish either
            "ito": 404,
            "oscar": 404,
            "mayu": 404,
            "bakyt": 404,
            "rustam": 404,
            "sato": 404,
            "nobody": 404,
        }
    ),
)
def test_review_a_submitted_offer(world, api_as, persona, status):
    offer = make_offer(world, "submitted")
    api = api_as(persona)
    before = _state()

    response = api.post(f"/job-offers/{offer.pk}/review", {"decision": "publish"})

    if status == 200:
        assert response.status_code == 200, response.json()
        offer.refresh_from_db()
        assert offer.status == JobOfferStatus.PUBLISHED
        assert offer.reviewed_by == world.aida
    else:
        _assert_refused(api, response, status, before)


def test_the_center_of_another_country_does_not_see_or_review_a_kg_offer(world):
    uz_center = OrganizationFactory(kind=OrganizationKind.SENDING_CONTACT_POINT, country="UZ")
    umid = MembershipFactory(user__username="umid", organization=uz_center).user
    offer = make_offer(world, "submitted")
    api = ApiClient(umid)
    before = _state()

    response = api.post(f"/job-offers/{offer.pk}/review", {"decision": "publish"})

    _assert_refused(api, response, 404, before)
    assert api.get("/job-offers").json()["items"] == []


MANAGE_PUBLISHED = {
    "hana": 200,
    "vic": 403,
    "isao": 403,
    "aida": 403,  # the Center sees the published offer, but it is the employer's to withdraw
    "ito": 404,
    "oscar": 404,
    "mayu": 404,
    "bakyt": 404,
    "rustam": 404,
    "sato": 404,
    "nobody": 404,
}


@pytest.mark.parametrize(("persona", "status"), _rows(MANAGE_PUBLISHED))
def test_withdraw_a_published_offer(world, api_as, persona, status):
    offer = make_offer(world, "published")
    api = api_as(persona)
    before = _state()

    response = api.post(f"/job-offers/{offer.pk}/withdraw", {"reason": "Filled."})

    if status == 200:
        assert response.status_code == 200, response.json()
        assert JobOffer.objects.get(pk=offer.pk).status == JobOfferStatus.WITHDRAWN
    else:
        _assert_refused(api, response, status, before)


# --- Contacts: personal data of the receiving organization --------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    _rows(
        {
            "hana": 200,
            "vic": 200,  # viewers read their organization's contacts
            "isao": 403,  # sees the offer, not who contacted the employer
            "aida": 403,
            "ito": 404,
            "oscar": 404,
            "mayu": 404,
            "bakyt": 404,
            "rustam": 404,
            "sato": 404,
            "nobody": 404,
        }
    ),
)
def test_list_contacts(world, api_as, persona, status):
    offer = make_offer(world, "published")
    record_contact(world, offer)
    api = api_as(persona)

    response = api.get(f"/job-offers/{offer.pk}/contacts")

    assert response.status_code == status
    if status == 200:
        assert [c["family_name"] for c in response.json()["items"]] == ["ZHEENBEKOVA"]
    else:
        assert "ZHEENBEKOVA" not in response.content.decode()
    if status == 404:
        assert response.json() == _not_found_body(api, f"/job-offers/{MISSING_ID}")


@pytest.mark.parametrize(("persona", "status"), _rows({**MANAGE_PUBLISHED, "hana": 201}))
def test_record_a_contact(world, api_as, persona, status):
    offer = make_offer(world, "published")
    api = api_as(persona)
    before = _state()

    response = api.post(f"/job-offers/{offer.pk}/contacts", contact_data())

    if status == 201:
        assert response.status_code == 201, response.json()
        assert CandidateContact.objects.get().recorded_by == world.hana
    else:
        _assert_refused(api, response, status, before)


@pytest.mark.parametrize(
    ("persona", "status"),
    _rows(
        {
            "hana": 201,
            "vic": 403,
            "isao": 404,  # the contact is not visible to the ISA or the Center
            "aida": 404,
            "ito": 404,
            "oscar": 404,
            "mayu": 404,
            "bakyt": 404,
            "rustam": 404,
            "sato": 404,
            "nobody": 404,
        }
    ),
)
def test_start_a_case_from_a_contact(world, api_as, persona, status):
    offer = make_offer(world, "published")
    contact = record_contact(world, offer)
    api = api_as(persona)
    before = _state()

    path = f"/job-offers/{offer.pk}/contacts/%s/start-case"
    response = api.post(path % contact.pk, {"date_of_birth": "2000-01-02"})

    if status == 201:
        assert response.status_code == 201, response.json()
        assert Case.objects.get().pattern == "via_center"
    else:
        # A contact the persona may not see answers like a missing one.
        missing = api.post(path % MISSING_ID, {"date_of_birth": "2000-01-02"})
        _assert_refused(api, response, status, before, missing)
