"""Lists cost a fixed number of queries whatever their length (no N+1): each list is read
with 3 rows, then must cost exactly as much with 30 (shared/STYLE.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kakehashi.cases.models import Case
from kakehashi.joboffers.models import CandidateContact, JobOffer, JobOfferStatus
from kakehashi.testing.factories import PersonFactory

from .helpers import bulk_published, client_for, today


def _get(client: Any, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response


def count(client: Any, url: str) -> int:
    _get(client, url)  # warm: the token's last-used time is written at most once a minute
    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    return len(captured)


def assert_constant(client: Any, url: str, add_more: Any, assert_num: Any) -> Any:
    few = count(client, url)
    add_more()
    with assert_num(few):
        return _get(client, url)


def _api(world: Any, name: str) -> Client:
    from kakehashi.conftest import ApiClient

    return ApiClient(world.user(name)).client


PUBLIC_URLS = [
    reverse("jobs:board"),
    reverse("jobs:board_json"),
    reverse("jobs:board_csv"),
    "/api/v1/public/jobs",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_the_public_board_does_not_grow_with_the_offers(world, url, django_assert_num_queries):
    bulk_published(world, 3)

    response = assert_constant(
        client_for(None), url, lambda: bulk_published(world, 27), django_assert_num_queries
    )

    if url.endswith(".json"):
        assert response.json()["count"] == 30
    if url.startswith("/api/"):
        assert len(response.json()["items"]) == 30


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("hana", "/api/v1/job-offers"),
        ("isao", "/api/v1/job-offers"),
        ("aida", "/api/v1/job-offers"),
    ],
)
def test_the_offer_list_does_not_grow(world, persona, url, django_assert_num_queries):
    bulk_published(world, 3)

    response = assert_constant(
        _api(world, persona), url, lambda: bulk_published(world, 27), django_assert_num_queries
    )

    assert len(response.json()["items"]) == 30


def test_the_offer_list_page_does_not_grow(world, django_assert_num_queries):
    bulk_published(world, 3)

    response = assert_constant(
        client_for(world.hana),
        reverse("joboffers:list"),
        lambda: bulk_published(world, 27),
        django_assert_num_queries,
    )

    assert len(response.context["page"].object_list) == 25


def test_the_review_queue_does_not_grow(world, django_assert_num_queries):
    def submitted(n: int) -> list[JobOffer]:
        return bulk_published(
            world, n, status=JobOfferStatus.SUBMITTED, published_at=None, reviewed_at=None
        )

    submitted(3)

    response = assert_constant(
        client_for(world.aida),
        reverse("joboffers:review_queue"),
        lambda: submitted(22),
        django_assert_num_queries,
    )

    assert len(response.context["rows"]) == 25


def _contacts(offer: JobOffer, world: Any, n: int) -> None:
    """`n` contacts, every other one with its person and case (the page links the case)."""
    first = CandidateContact.objects.count()
    for i in range(first, first + n):
        person = case = None
        if i % 2:
            person = PersonFactory(created_by_organization=world.care_home)
            case = Case.objects.create(
                reference=f"KG-TEST-{i}",
                person=person,
                receiving_organization=world.care_home,
                field=offer.field,
                business_category=offer.business_category,
                country="KG",
                procedure_version="2023-07",
                pattern="via_center",
                created_by=world.hana,
            )
        CandidateContact.objects.create(
            job_offer=offer,
            family_name=f"CANDIDATE{i}",
            given_names="A",
            email=f"c{i}@example.kg",
            contacted_on=today(),
            recorded_by=world.hana,
            person=person,
            case=case,
        )


@pytest.mark.parametrize(
    "url", ["/api/v1/job-offers/{id}/contacts", "/job-offers/{id}/"], ids=["api", "page"]
)
def test_contacts_do_not_grow_the_queries(world, url, django_assert_num_queries):
    offer = bulk_published(world, 1)[0]
    _contacts(offer, world, 3)
    client = _api(world, "hana") if url.startswith("/api/") else client_for(world.hana)

    response = assert_constant(
        client,
        url.format(id=offer.pk),
        lambda: _contacts(offer, world, 27),
        django_assert_num_queries,
    )

    body = response.content.decode()
    assert "CANDIDATE29" in body
    if not url.startswith("/api/"):
        assert "KG-TEST-29" in body  # the case of a contact, linked on the page
