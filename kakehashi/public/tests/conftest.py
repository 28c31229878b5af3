"""Helpers for the public registers' tests: an anonymous browser, the pages and feeds, and
the registries' own services to record decisions (as the Center's officer aida and ISA's
officer isao), so that the tests go through the same writes as the application."""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any, cast

import pytest
from django.test import Client

from kakehashi.access import Actor
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.registries import services as registries
from kakehashi.testing.factories import OrganizationFactory

LIST_PAGES = [
    "/public/agencies/",
    "/public/revocations/",
    "/public/improvement-orders/",
    "/public/support-organizations/",
    "/public/field-suspensions/",
]
FEEDS = [
    f"/public/{name}.{fmt}"
    for name in (
        "agencies",
        "revocations",
        "improvement-orders",
        "support-organizations",
        "field-suspensions",
    )
    for fmt in ("json", "csv")
]


def anonymous(language: str = "en") -> Client:
    """A browser with no account (the site's default language is Japanese)."""
    return Client(headers={"accept-language": language})


def text(response: Any) -> str:
    return cast(bytes, response.content).decode("utf-8")


def json_of(response: Any) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return cast(dict[str, Any], json.loads(text(response)))


def csv_of(response: Any) -> list[dict[str, str]]:
    """The CSV rows as dicts; checks the byte-order mark on the way."""
    assert response["Content-Type"].startswith("text/csv"), response["Content-Type"]
    body = text(response)
    assert body.startswith("\ufeff"), "the CSV must start with a UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(body[1:])))


def agency(name_en: str, **fields: Any) -> Organization:
    return cast(
        Organization,
        OrganizationFactory(
            kind=OrganizationKind.SENDING_AGENCY, country="KG", name_en=name_en, **fields
        ),
    )


@pytest.fixture
def decide(world: Any) -> Any:
    """decide(agency, action, date, **more): the Center (aida) records a decision."""

    def record(org: Organization, action: str, on: datetime.date, **more: Any) -> Any:
        if action in ("suspended", "revoked", "refused"):
            more.setdefault("reason", f"{action} for a test")
        return registries.agency_decision_record(
            actor=Actor.of(world.aida), agency_id=org.pk, action=action, effective_on=on, **more
        )

    return record


@pytest.fixture
def publish_reason(world: Any) -> Any:
    """publish_reason(decision): the Center (aida) records its written consent to publish
    the decision's reason (moc_kg §3)."""

    def record(decision: Any) -> Any:
        return registries.reason_disclosure_record(
            actor=Actor.of(world.aida),
            decision_id=decision.pk,
            scope="public",
            consented_on=decision.effective_on,
            consent_reference="MLSM letter 12/2026",
        )

    return record
