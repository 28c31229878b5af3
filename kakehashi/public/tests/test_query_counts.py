"""Each public page and feed costs the same number of queries with 3 rows as with 30 (no
query per row), and the rows are all there."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kakehashi.accounts.models import OrganizationKind
from kakehashi.reference.models import Field
from kakehashi.registries.models import (
    AgencyCertificationDecision,
    FieldSuspension,
    ImprovementOrder,
    SupportOrganizationRegistration,
)
from kakehashi.testing.factories import OrganizationFactory

from .conftest import anonymous

A = datetime.date(2024, 3, 1)
STEPS = [
    ("certified", A, "2029-12-31"),
    ("suspended", A + datetime.timedelta(days=30), None),
    ("resumed", A + datetime.timedelta(days=60), None),
    ("revoked", A + datetime.timedelta(days=90), None),
]


def add_rows(world: Any, count: int) -> None:
    """`count` more agencies with one to four decisions each (recorded by the Center; every
    fourth, the first included, revoked), and
    `count` improvement orders, support registrations and field suspensions."""
    fields = list(Field.objects.all())
    for n in range(count):
        org = OrganizationFactory(kind=OrganizationKind.SENDING_AGENCY, country="KG")
        for action, on, until in STEPS[: len(STEPS) - n % len(STEPS)]:
            AgencyCertificationDecision.objects.create(
                agency=org,
                action=action,
                effective_on=on,
                valid_until=until,
                reason="reason" if action in ("suspended", "revoked") else "",
                recorded_by=world.aida,
                recorded_by_organization=world.center,
            )
        ImprovementOrder.objects.create(
            receiving_organization=OrganizationFactory(),
            issued_on=A,
            summary="summary",
            recorded_by=world.isao,
        )
        SupportOrganizationRegistration.objects.create(
            organization=OrganizationFactory(kind=OrganizationKind.SUPPORT_ORGANIZATION),
            registration_number=f"R-{count}-{n}",
            registered_on=A,
            recorded_by=world.isao,
        )
        FieldSuspension.objects.create(
            field=fields[n % len(fields)],
            starts_on=A,
            ends_on=None if n % 2 else A + datetime.timedelta(days=10),
            reason="filled",
            recorded_by=world.isao,
        )


def queries(url: str) -> int:
    client = anonymous()
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


URLS = [
    "/public/agencies/",
    "/public/agencies.json",
    "/public/agencies.csv",
    "/public/agencies/?state=revoked&q=Organization",
    "/public/revocations/",
    "/public/revocations.json",
    "/public/revocations.csv",
    "/public/improvement-orders/",
    "/public/improvement-orders.json",
    "/public/improvement-orders.csv",
    "/public/support-organizations/",
    "/public/support-organizations.json",
    "/public/support-organizations.csv",
    "/public/field-suspensions/",
    "/public/field-suspensions.json",
    "/public/field-suspensions.csv",
]


@pytest.mark.parametrize("url", URLS)
def test_queries_do_not_grow_with_the_rows(world: Any, url: str) -> None:
    add_rows(world, 3)
    with_3 = queries(url)
    add_rows(world, 27)
    with_30 = queries(url)
    assert with_3 == with_30, f"{url}: {with_3} queries with 3 rows, {with_30} with 30"
    assert with_30 <= 4, f"{url}: {with_30} queries"


def test_an_agency_page_costs_the_same_whatever_its_history(world: Any) -> None:
    add_rows(world, 3)
    agency_ids = list(
        AgencyCertificationDecision.objects.values_list("agency_id", flat=True).distinct()
    )
    counts = {queries(f"/public/agencies/{pk}/") for pk in agency_ids}
    assert len(counts) == 1, counts


def test_the_feeds_list_every_row(world: Any) -> None:
    add_rows(world, 30)
    client = anonymous()
    assert len(client.get("/public/agencies.json").json()["items"]) == 32  # + world's two
    assert len(client.get("/public/revocations.json").json()["items"]) == 8
    assert len(client.get("/public/improvement-orders.json").json()["items"]) == 30
    assert len(client.get("/public/support-organizations.json").json()["items"]) == 30
    assert len(client.get("/public/field-suspensions.json").json()["items"]) == 30
