"""Job offers in every state, for the tests. Offers reach a state through the services
(the same path as the API and the pages), except `bulk_published`, which writes rows
directly so that the query-count tests can make many quickly."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.joboffers import services
from kakehashi.joboffers.models import (
    CandidateContact,
    CenterRecruitmentContract,
    JobOffer,
    JobOfferStatus,
)
from kakehashi.reference.models import BusinessCategory, Field

MISSING_ID = 999_999
CONTACT_FAMILY_NAME = "ZHEENBEKOVA"  # must never appear on a public page
CONTACT_EMAIL = "aizada.zh@example.kg"
CONTACT_PHONE = "+996 555 010203"

PERSONAS = [
    "hana",
    "vic",
    "ito",
    "oscar",
    "mayu",
    "isao",
    "aida",
    "bakyt",
    "rustam",
    "sato",
    "nobody",
]


def today() -> datetime.date:
    return timezone.localdate()


def offer_data(**changes: Any) -> dict[str, Any]:
    data = {
        "field": "care",
        "business_category": "care",
        "title": "Care worker, Nagaoka",
        "description": "Daily care of residents in a nursing home; day and night shifts.",
        "positions": 2,
        "work_location": "Niigata, Nagaoka",
        "monthly_wage_jpy": 230000,
        "japanese_level_required": "N4",
        "organization_info": "Shinano Care Home runs a 90-bed nursing home in Nagaoka.",
        "how_to_apply": "E-mail recruit@shinano-care.example.jp (Japanese, English, Russian).",
        "closes_on": (today() + datetime.timedelta(days=60)).isoformat(),
    }
    return {**data, **changes}


def contact_data(**changes: Any) -> dict[str, Any]:
    data = {
        "family_name": CONTACT_FAMILY_NAME,
        "given_names": "AIZADA",
        "email": CONTACT_EMAIL,
        "phone": CONTACT_PHONE,
        "message": "I saw the offer on the Center's website; I have JLPT N4.",
        "contacted_on": today().isoformat(),
    }
    return {**data, **changes}


def make_offer(world: Any, status: str = JobOfferStatus.DRAFT, **changes: Any) -> JobOffer:
    """An offer of the care home (hana's organization), taken to `status` by the services."""
    offer = services.job_offer_create(actor=Actor.of(world.hana), data=offer_data(**changes))
    if status == JobOfferStatus.DRAFT:
        return offer
    if status == JobOfferStatus.WITHDRAWN:
        return services.job_offer_withdraw(actor=Actor.of(world.hana), offer_id=offer.pk)
    sign_center_contract(world)
    services.job_offer_submit(actor=Actor.of(world.hana), offer_id=offer.pk)
    if status == JobOfferStatus.SUBMITTED:
        return JobOffer.objects.get(pk=offer.pk)
    decision = services.REJECT if status == JobOfferStatus.REJECTED else services.PUBLISH
    return services.job_offer_review(
        actor=Actor.of(world.aida),
        offer_id=offer.pk,
        decision=decision,
        note="Wage missing overtime rate.",
    )


def sign_center_contract(world: Any, signed_on: datetime.date | None = None) -> None:
    """The care home's recruitment contract with the Center (isa_kg_flow 2(1)), once."""
    if not CenterRecruitmentContract.objects.filter(
        receiving_organization=world.care_home
    ).exists():
        services.recruitment_contract_record(
            actor=Actor.of(world.hana),
            signed_on=signed_on or today() - datetime.timedelta(days=30),
            contract_number="CE-2026-001",
        )


def record_contact(world: Any, offer: JobOffer, **changes: Any) -> CandidateContact:
    return services.candidate_contact_record(
        actor=Actor.of(world.hana), offer_id=offer.pk, data=contact_data(**changes)
    )


def bulk_published(world: Any, count: int, **changes: Any) -> list[JobOffer]:
    """`count` published offers of the care home, written directly (fast)."""
    field = Field.objects.get(code="care")
    category = BusinessCategory.objects.get(code="care")
    now = timezone.now()
    fields: dict[str, Any] = {
        "receiving_organization": world.care_home,
        "field": field,
        "business_category": category,
        "title": "Care worker",
        "description": "Care.",
        "positions": 1,
        "work_location": "Niigata, Nagaoka",
        "monthly_wage_jpy": 220000,
        "japanese_level_required": "N4",
        "organization_info": "A care home.",
        "how_to_apply": "recruit@example.jp",
        "status": JobOfferStatus.PUBLISHED,
        "submitted_at": now,
        "reviewed_at": now,
        "reviewed_by": world.aida,
        "published_at": now,
        "created_by": world.hana,
        **changes,
    }
    return [JobOffer.objects.create(**fields) for _ in range(count)]


def client_for(user: Any, language: str = "en") -> Client:
    """A browser asking for English pages (the site's default language is Japanese)."""
    client = Client(headers={"accept-language": language})
    if user is not None:
        client.force_login(user)
    return client


def html(response: Any) -> str:
    return response.content.decode()
