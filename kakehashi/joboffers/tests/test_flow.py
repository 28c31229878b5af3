"""Pattern 2 from end to end (seed 002 §2; DOMAIN.md R-P1): the receiving organization
writes a job offer and submits it to the Center, the Center publishes it, it appears on
the public board (page, JSON, CSV, public API), a candidate who saw it contacts the
organization, and the organization registers the candidate and opens a via_center case.
Once through the API with real tokens, once through the pages."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse

from kakehashi.cases.models import Case
from kakehashi.joboffers.models import CandidateContact, JobOffer, JobOfferEvent
from kakehashi.people.models import Person

from .helpers import CONTACT_FAMILY_NAME, client_for, contact_data, html, offer_data, today

# Also on SQLite (make test-sqlite): what differs between the two databases.
pytestmark = pytest.mark.sqlite


def test_pattern_2_through_the_api(world, api_as):
    hana, aida, public = api_as("hana"), api_as("aida"), Client()

    created = hana.post("/job-offers", offer_data())
    assert created.status_code == 201, created.json()
    offer = created.json()
    assert offer["status"] == "draft"
    assert offer["receiving_organization"]["name_en"] == "Shinano Care Home"
    assert public.get(f"/api/v1/public/jobs/{offer['id']}").status_code == 404

    # The recruitment contract with the Center comes first (isa_kg_flow 2(1)).
    refused = hana.post(f"/job-offers/{offer['id']}/submit", {})
    assert refused.status_code == 409
    assert refused.json()["code"] == "no_recruitment_contract"
    signed_on = (today() - datetime.timedelta(days=10)).isoformat()
    contract = hana.post(
        "/job-offers/recruitment-contracts", {"signed_on": signed_on, "contract_number": "CE-7"}
    )
    assert contract.status_code == 201, contract.json()

    submitted = hana.post(f"/job-offers/{offer['id']}/submit", {})
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["submitted_at"]

    queue = aida.get("/job-offers", status="submitted").json()["items"]
    assert [o["id"] for o in queue] == [offer["id"]]

    published = aida.post(f"/job-offers/{offer['id']}/review", {"decision": "publish"})
    assert published.status_code == 200, published.json()
    assert published.json()["status"] == "published"
    assert published.json()["published_at"]

    board = public.get("/api/v1/public/jobs").json()
    assert [o["id"] for o in board["items"]] == [offer["id"]]
    assert board["items"][0]["title"] == "Care worker, Nagaoka"
    assert "status" not in board["items"][0]  # public fields only
    page = public.get(reverse("jobs:board"), headers={"accept-language": "en"})
    assert page.status_code == 200
    assert "Care worker, Nagaoka" in html(page)
    json_board = public.get(reverse("jobs:board_json")).json()
    assert [o["id"] for o in json_board["items"]] == [offer["id"]]
    rows = list(
        csv.DictReader(
            io.StringIO(public.get(reverse("jobs:board_csv")).content.decode("utf-8-sig"))
        )
    )
    assert [int(r["id"]) for r in rows] == [offer["id"]]

    contact = hana.post(f"/job-offers/{offer['id']}/contacts", contact_data())
    assert contact.status_code == 201, contact.json()
    assert contact.json()["case_id"] is None
    listed = hana.get(f"/job-offers/{offer['id']}/contacts").json()["items"]
    assert [c["family_name"] for c in listed] == [CONTACT_FAMILY_NAME]

    started = hana.post(
        f"/job-offers/{offer['id']}/contacts/{contact.json()['id']}/start-case",
        {"date_of_birth": "1999-03-04"},
    )
    assert started.status_code == 201, started.json()
    body = started.json()
    assert body["case"]["pattern"] == "via_center"
    assert body["case"]["status"] == "open"

    case = Case.objects.select_related("person", "field", "business_category").get(
        pk=body["case"]["id"]
    )
    assert case.pattern == "via_center"
    assert case.receiving_organization == world.care_home
    assert (case.field.code, case.business_category.code) == ("care", "care")
    assert case.person.family_name == CONTACT_FAMILY_NAME
    assert (case.person.nationality, case.person.current_country) == ("KG", "KG")
    assert case.person.date_of_birth.isoformat() == "1999-03-04"
    assert case.person.created_by_organization == world.care_home
    linked = CandidateContact.objects.get(pk=contact.json()["id"])
    assert (linked.person_id, linked.case_id) == (case.person_id, case.pk)
    assert body["contact"]["case_id"] == case.pk
    # The case is the ordinary case API's too, and it carries what pattern 2 did before it:
    # nothing is entered twice, and the Center does not publish a second time.
    detail = hana.get(f"/cases/{case.pk}").json()
    assert detail["pattern"] == "via_center"
    done = {s["key"]: s["completion"] for s in detail["steps"] if s["completion"]}
    assert list(done) == [
        "center_recruitment_contract",
        "job_offer_submitted",
        "job_offer_published",
        "candidate_contact",
    ]
    assert done["center_recruitment_contract"]["evidence"] == {
        "signed_on": signed_on,
        "contract_number": "CE-7",
        # The prohibited-terms checklist (MOC §4(1)(a), (b)): answered "no" by default.
        "term_deposit": False,
        "term_manages_property": False,
        "term_penalty": False,
        "term_undue_transfer": False,
    }
    assert done["job_offer_submitted"]["evidence"]["job_title"] == "Care worker, Nagaoka"
    assert done["job_offer_published"]["organization"] == world.center.display_name
    assert done["job_offer_published"]["completed_by"] == "aida"
    assert detail["current_step"] == "employment_contract"
    assert [a["step"] for a in detail["next_actions"]] == ["employment_contract"]
    kinds = list(
        JobOfferEvent.objects.filter(job_offer_id=offer["id"]).values_list("kind", flat=True)
    )
    assert kinds == ["created", "submitted", "published", "contact_recorded", "case_started"]


def test_pattern_2_through_the_pages(world):
    hana, aida, anonymous = client_for(world.hana), client_for(world.aida), client_for(None)
    form = {**offer_data(), "closes_on": ""}

    response = hana.post(reverse("joboffers:new"), form)
    assert response.status_code == 302
    offer = JobOffer.objects.get()
    assert response["Location"] == reverse("joboffers:detail", args=[offer.pk])
    assert "Submit to the Center" in html(hana.get(response["Location"]))

    response = hana.post(reverse("joboffers:submit", args=[offer.pk]))
    assert response.status_code == 409  # no recruitment contract with the Center yet
    assert "recruitment contract" in html(response)
    response = hana.post(
        reverse("joboffers:record_contract_with_center"),
        {"signed_on": today().isoformat(), "contract_number": "CE-8"},
    )
    assert response.status_code == 302
    response = hana.post(reverse("joboffers:submit", args=[offer.pk]))
    assert response.status_code == 302
    queue = html(aida.get(reverse("joboffers:review_queue")))
    assert "Care worker, Nagaoka" in queue

    response = aida.post(
        reverse("joboffers:review", args=[offer.pk]),
        {f"review-{offer.pk}-decision": "publish", f"review-{offer.pk}-note": "", "from": "queue"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("joboffers:review_queue")
    assert "No job offers are waiting for review." in html(aida.get(response["Location"]))

    board = html(anonymous.get(reverse("jobs:board")))
    assert reverse("jobs:offer", args=[offer.pk]) in board
    offer_page = html(anonymous.get(reverse("jobs:offer", args=[offer.pk])))
    assert "recruit@shinano-care.example.jp" in offer_page  # how to contact the employer

    contact = {f"contact-{k}": v for k, v in contact_data().items()}
    response = hana.post(reverse("joboffers:record_contact", args=[offer.pk]), contact)
    assert response.status_code == 302
    recorded = CandidateContact.objects.get()
    detail = html(hana.get(reverse("joboffers:detail", args=[offer.pk])))
    assert CONTACT_FAMILY_NAME in detail
    assert reverse("joboffers:start_case", args=[offer.pk, recorded.pk]) in detail

    response = hana.post(
        reverse("joboffers:start_case", args=[offer.pk, recorded.pk]),
        {f"start-{recorded.pk}-date_of_birth": "1998-12-01"},
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.pattern == "via_center"
    assert Person.objects.get().family_name == CONTACT_FAMILY_NAME
    case_page = html(hana.get(response["Location"]))
    assert case.reference in case_page
    assert case.current_step == "employment_contract"
    assert case.steps.count() == 4
    detail = html(hana.get(reverse("joboffers:detail", args=[offer.pk])))
    assert reverse("cases:detail", args=[case.pk]) in detail
    assert reverse("joboffers:start_case", args=[offer.pk, recorded.pk]) not in detail
    assert today().isoformat() in detail
