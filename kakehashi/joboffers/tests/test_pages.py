"""The job offer pages for signed-in users (kakehashi/joboffers/views.py), persona by
persona: the page or the redirect for who may, 404 for an offer they cannot see, 403 for
one they see but may not act on; signed-out users go to sign in. Service errors are shown
next to their field (422) or above the form (409), and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kakehashi.cases.models import Case
from kakehashi.joboffers.models import CandidateContact, JobOffer, JobOfferEvent, JobOfferStatus
from kakehashi.people.models import Person

from .helpers import (
    CONTACT_FAMILY_NAME,
    PERSONAS,
    client_for,
    contact_data,
    html,
    make_offer,
    offer_data,
    record_contact,
)


def _state() -> dict[str, Any]:
    return {
        "offers": list(JobOffer.objects.order_by("id").values()),
        "events": JobOfferEvent.objects.count(),
        "contacts": list(CandidateContact.objects.order_by("id").values()),
        "persons": Person.objects.count(),
        "cases": Case.objects.count(),
    }


def _rows(expected: dict[str, int]) -> list[Any]:
    assert set(expected) == set(PERSONAS)
    return [pytest.param(p, expected[p], id=f"{p}-{expected[p]}") for p in PERSONAS]


def _form(prefix: str, data: dict[str, Any]) -> dict[str, Any]:
    return {f"{prefix}-{k}": v for k, v in data.items()}


@pytest.fixture
def offers(world: Any) -> dict[str, JobOffer]:
    """The care home's offers: a draft, a submitted one, a published one with a contact."""
    published = make_offer(world, "published", title="Published offer")
    record_contact(world, published)
    return {
        "draft": make_offer(world, "draft", title="Draft offer"),
        "submitted": make_offer(world, "submitted", title="Submitted offer"),
        "published": published,
    }


# --- signed out ---------------------------------------------------------------------------

PAGES = [
    ("get", "joboffers:list", ()),
    ("get", "joboffers:new", ()),
    ("get", "joboffers:review_queue", ()),
    ("get", "joboffers:detail", ("draft",)),
    ("get", "joboffers:edit", ("draft",)),
    ("post", "joboffers:submit", ("draft",)),
    ("post", "joboffers:withdraw", ("draft",)),
    ("post", "joboffers:review", ("submitted",)),
    ("post", "joboffers:record_contact", ("published",)),
    ("post", "joboffers:start_case", ("published", "contact")),
]


@pytest.mark.parametrize(("method", "name", "args"), PAGES)
def test_signed_out_users_are_sent_to_sign_in(offers, method, name, args):
    ids = [CandidateContact.objects.get().pk if a == "contact" else offers[a].pk for a in args]
    url = reverse(name, args=ids)
    before = _state()

    response = getattr(Client(), method)(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    assert _state() == before


# --- reading --------------------------------------------------------------------------------

SEES = {  # which of the care home's offers each persona's list and detail pages show
    "hana": {"draft", "submitted", "published"},
    "vic": {"draft", "submitted", "published"},
    "isao": {"draft", "submitted", "published"},
    "aida": {"submitted", "published"},
    "ito": set(),
    "oscar": set(),
    "mayu": set(),
    "bakyt": set(),
    "rustam": set(),
    "sato": set(),
    "nobody": set(),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_and_detail_pages(world, offers, persona):
    client = client_for(world.user(persona))

    listing = client.get(reverse("joboffers:list"))

    assert listing.status_code == 200
    assert {o.title.split()[0].lower() for o in listing.context["page"]} == SEES[persona]
    for status, offer in offers.items():
        detail = client.get(reverse("joboffers:detail", args=[offer.pk]))
        assert detail.status_code == (200 if status in SEES[persona] else 404)
    shows_button = persona in ("hana", "ito", "oscar")
    assert (reverse("joboffers:new") in html(listing)) is shows_button


@pytest.mark.parametrize("persona", ["hana", "vic", "isao", "aida"])
def test_contacts_are_shown_to_the_receiving_organization_only(world, offers, persona):
    page = html(
        client_for(world.user(persona)).get(
            reverse("joboffers:detail", args=[offers["published"].pk])
        )
    )

    assert (CONTACT_FAMILY_NAME in page) is (persona in ("hana", "vic"))
    assert ("contact-family_name" in page) is (persona == "hana")  # the record form
    assert ("start-case" in page) is (persona == "hana")


@pytest.mark.parametrize(
    ("persona", "status"),
    _rows({**dict.fromkeys(PERSONAS, 403), "hana": 200, "ito": 200, "oscar": 200}),
)
def test_new_offer_page(world, persona, status):
    assert client_for(world.user(persona)).get(reverse("joboffers:new")).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"), _rows({**dict.fromkeys(PERSONAS, 403), "aida": 200})
)
def test_review_queue_is_the_centers(world, offers, persona, status):
    response = client_for(world.user(persona)).get(reverse("joboffers:review_queue"))

    assert response.status_code == status
    if status == 200:
        assert [r["offer"].pk for r in response.context["rows"]] == [offers["submitted"].pk]
        assert "Draft offer" not in html(response)


# --- writing, persona by persona -------------------------------------------------------------

DRAFT_WRITE = {
    "hana": 302,
    "vic": 403,
    "isao": 403,
    "aida": 404,
    "ito": 404,
    "oscar": 404,
    "mayu": 404,
    "bakyt": 404,
    "rustam": 404,
    "sato": 404,
    "nobody": 404,
}


@pytest.mark.parametrize(("persona", "status"), _rows(DRAFT_WRITE))
def test_edit_a_draft(world, offers, persona, status):
    url = reverse("joboffers:edit", args=[offers["draft"].pk])
    client = client_for(world.user(persona))
    before = _state()

    shown = client.get(url)
    response = client.post(url, {**offer_data(title="Renamed"), "closes_on": ""})

    assert shown.status_code == (200 if status == 302 else status)
    assert response.status_code == status
    if status == 302:
        assert JobOffer.objects.get(pk=offers["draft"].pk).title == "Renamed"
    else:
        assert _state() == before


@pytest.mark.parametrize(("persona", "status"), _rows(DRAFT_WRITE))
def test_submit_a_draft(world, offers, persona, status):
    before = _state()

    response = client_for(world.user(persona)).post(
        reverse("joboffers:submit", args=[offers["draft"].pk])
    )

    assert response.status_code == status
    if status == 302:
        assert JobOffer.objects.get(pk=offers["draft"].pk).status == JobOfferStatus.SUBMITTED
    else:
        assert _state() == before


@pytest.mark.parametrize(("persona", "status"), _rows(DRAFT_WRITE))
def test_withdraw_a_draft(world, offers, persona, status):
    before = _state()

    response = client_for(world.user(persona)).post(
        reverse("joboffers:withdraw", args=[offers["draft"].pk]), {"withdraw-reason": ""}
    )

    assert response.status_code == status
    if status == 302:
        assert JobOffer.objects.get(pk=offers["draft"].pk).status == JobOfferStatus.WITHDRAWN
    else:
        assert _state() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    _rows({**DRAFT_WRITE, "hana": 403, "aida": 302}),
)
def test_review_a_submitted_offer(world, offers, persona, status):
    offer = offers["submitted"]
    before = _state()

    response = client_for(world.user(persona)).post(
        reverse("joboffers:review", args=[offer.pk]),
        _form(f"review-{offer.pk}", {"decision": "publish", "note": ""}),
    )

    assert response.status_code == status
    if status == 302:
        assert JobOffer.objects.get(pk=offer.pk).status == JobOfferStatus.PUBLISHED
    else:
        assert _state() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    _rows({**DRAFT_WRITE, "aida": 403}),  # the Center sees the published offer
)
def test_record_a_contact(world, offers, persona, status):
    before = _state()

    response = client_for(world.user(persona)).post(
        reverse("joboffers:record_contact", args=[offers["published"].pk]),
        _form("contact", contact_data(family_name="OSMONOVA")),
    )

    assert response.status_code == status
    if status == 302:
        assert CandidateContact.objects.filter(family_name="OSMONOVA").exists()
    else:
        assert _state() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    _rows({**DRAFT_WRITE, "isao": 404}),  # the ISA and the Center do not see contacts
)
def test_start_a_case(world, offers, persona, status):
    contact = CandidateContact.objects.get()
    before = _state()

    response = client_for(world.user(persona)).post(
        reverse("joboffers:start_case", args=[offers["published"].pk, contact.pk]),
        _form(f"start-{contact.pk}", {"date_of_birth": "2000-02-03"}),
    )

    assert response.status_code == status
    if status == 302:
        assert Case.objects.get().pattern == "via_center"
    else:
        assert _state() == before


# --- errors on the page ----------------------------------------------------------------------


def test_rejecting_without_a_reason_shows_the_error_at_the_note(world, offers):
    offer = offers["submitted"]
    before = _state()

    response = client_for(world.aida).post(
        reverse("joboffers:review", args=[offer.pk]),
        _form(f"review-{offer.pk}", {"decision": "reject", "note": ""}),
    )

    assert response.status_code == 422
    page = html(response)
    assert f'id="id_review-{offer.pk}-note_error"' in page
    assert "Give the reason for rejecting the job offer." in page
    assert 'aria-invalid="true"' in page
    assert _state() == before


def test_rejecting_with_a_reason_from_the_queue(world, offers):
    offer = offers["submitted"]
    aida = client_for(world.aida)

    response = aida.post(
        reverse("joboffers:review", args=[offer.pk]),
        {
            **_form(f"review-{offer.pk}", {"decision": "reject", "note": "No wage."}),
            "from": "queue",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("joboffers:review_queue")
    hana_page = html(client_for(world.hana).get(reverse("joboffers:detail", args=[offer.pk])))
    assert "No wage." in hana_page
    assert reverse("joboffers:edit", args=[offer.pk]) in hana_page


def test_editing_a_published_offer_is_refused_on_the_page(world, offers):
    url = reverse("joboffers:edit", args=[offers["published"].pk])
    before = _state()

    response = client_for(world.hana).post(url, {**offer_data(), "closes_on": ""})

    assert response.status_code == 409
    assert "Only a draft or a rejected job offer can be changed." in html(response)
    assert _state() == before


def test_bad_offer_input_is_shown_next_to_the_field(world):
    before = _state()

    response = client_for(world.hana).post(
        reverse("joboffers:new"),
        {**offer_data(business_category="building_cleaning"), "closes_on": ""},
    )

    assert response.status_code == 422
    page = html(response)
    assert 'id="id_business_category_error"' in page
    assert "This business category does not belong to the chosen field." in page
    assert _state() == before


def test_a_contact_without_email_or_phone_is_shown_at_the_email_field(world, offers):
    before = _state()

    response = client_for(world.hana).post(
        reverse("joboffers:record_contact", args=[offers["published"].pk]),
        _form("contact", contact_data(email="", phone="")),
    )

    assert response.status_code == 422
    page = html(response)
    assert 'id="id_contact-email_error"' in page
    assert "Give an e-mail address or a phone number to reach the candidate." in page
    assert _state() == before


def test_a_contact_on_an_unpublished_offer_is_refused_on_the_page(world, offers):
    before = _state()

    response = client_for(world.hana).post(
        reverse("joboffers:record_contact", args=[offers["submitted"].pk]),
        _form("contact", contact_data()),
    )

    assert response.status_code == 409
    assert "Contacts can be recorded only on a published job offer" in html(response)
    assert _state() == before


def test_a_missing_date_of_birth_is_shown_at_the_contact(world, offers):
    contact = CandidateContact.objects.get()
    before = _state()

    response = client_for(world.hana).post(
        reverse("joboffers:start_case", args=[offers["published"].pk, contact.pk]),
        _form(f"start-{contact.pk}", {"date_of_birth": ""}),
    )

    assert response.status_code == 422
    assert f'id="id_start-{contact.pk}-date_of_birth_error"' in html(response)
    assert _state() == before


def test_no_candidate_name_goes_into_a_url_or_a_flash_message(world, offers):
    client = client_for(world.hana)
    contact = CandidateContact.objects.get()

    response = client.post(
        reverse("joboffers:start_case", args=[offers["published"].pk, contact.pk]),
        _form(f"start-{contact.pk}", {"date_of_birth": "2000-02-03"}),
    )

    assert CONTACT_FAMILY_NAME.lower() not in response["Location"].lower()
    flashed = [str(m) for m in response.wsgi_request._messages]
    assert flashed
    assert all(CONTACT_FAMILY_NAME not in m for m in flashed)


@pytest.mark.parametrize("persona", ["hana", "vic", "isao", "aida"])
def test_the_history_tells_of_contacts_only_to_the_organization(world, offers, persona):
    response = client_for(world.user(persona)).get(
        reverse("joboffers:detail", args=[offers["published"].pk])
    )

    kinds = [event.kind for event in response.context["events"]]
    assert "published" in kinds
    assert ("contact_recorded" in kinds) is (persona in ("hana", "vic"))
