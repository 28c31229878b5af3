"""Issue 7, item 6: the signed-in HTML lists cost a fixed number of queries whatever their
length (no N+1): the home page, the case list, the person list, the job offers and the
registries. Measured with 3 rows, then checked with 25 (a full page)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kakehashi.access import Actor
from kakehashi.cases import services
from kakehashi.cases.tests.helpers import evidence_for
from kakehashi.joboffers.tests.helpers import bulk_published
from kakehashi.testing.documents import required_uploads
from kakehashi.testing.factories import PersonFactory, make_eligible


def add_cases(world: Any, count: int) -> None:
    """Cases of the care home waiting on it (the employment contract), each its own person."""
    for _ in range(count):
        person = make_eligible(PersonFactory(created_by_organization=world.care_home), "care")
        case = services.case_create(
            actor=Actor.of(world.hana),
            person_id=person.pk,
            field_code="care",
            category_code="care",
            pattern="direct",
        ).case
        services.case_complete_step(
            actor=Actor.of(world.hana),
            case_id=case.pk,
            step_key="employment_contract",
            evidence=evidence_for("employment_contract"),
            documents=required_uploads(case.pk, "employment_contract"),
        )


def queries(client: Client, path: str) -> tuple[int, str]:
    client.get(path)  # warm: session, caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured), response.content.decode()


@pytest.mark.parametrize("path", ["/", "/cases/", "/persons/", "/job-offers/", "/registries/"])
def test_a_signed_in_list_costs_the_same_queries_for_3_and_25_rows(
    world: Any, path: str, django_assert_num_queries: Any
) -> None:
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.hana)
    add_cases(world, 3)
    bulk_published(world, 3)
    few, _page = queries(client, path)
    print(f"GET {path}: {few} queries with 3 rows")

    add_cases(world, 22)
    bulk_published(world, 22)
    client.get(path)
    with django_assert_num_queries(few):
        response = client.get(path)
    assert response.status_code == 200
    assert few <= 30, f"{path} costs {few} queries"
