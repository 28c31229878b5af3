"""Job offers through the Center (pattern 2): the receiving organization's offers, the
Center's review, candidate contacts and the case opened from one (/api/v1/job-offers), and
the public job board (/api/v1/public/jobs, no sign-in, published offers' public fields only)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from kakehashi.access import request_actor
from kakehashi.core.pagination import page_by_id
from kakehashi.core.schemas import Day, Limit

from . import services
from .models import CandidateContact, JobOffer
from .selectors import (
    board_filters,
    contact_list,
    job_offer_get_for_user,
    job_offer_list,
    published_offer_get,
    published_offers,
    recruitment_contracts_of,
)

router = Router(tags=["job offers"])
public_router = Router(tags=["public job board"], auth=None)


class OrganizationNames(Schema):
    id: int
    name_ja: str
    name_en: str


class CodeName(Schema):
    code: str
    name_ja: str
    name_en: str


def _org(offer: JobOffer) -> dict[str, Any]:
    org = offer.receiving_organization
    return {"id": org.pk, "name_ja": org.name_ja, "name_en": org.name_en}


def _code_name(obj: Any) -> dict[str, str]:
    return {"code": obj.code, "name_ja": obj.name_ja, "name_en": obj.name_en}


class PublicOffer(Schema):
    """What the Center publishes: the offer and the organization's own information. No
    user, no review note, no contact."""

    id: int
    country: str
    receiving_organization: OrganizationNames
    field: CodeName
    business_category: CodeName
    title: str
    description: str
    positions: int
    work_location: str
    monthly_wage_jpy: int
    japanese_level_required: str
    organization_info: str
    how_to_apply: str
    published_at: datetime.datetime | None
    closes_on: datetime.date | None
    worker_pays_nothing: bool

    @staticmethod
    def resolve_receiving_organization(obj: JobOffer) -> dict[str, Any]:
        return _org(obj)

    @staticmethod
    def resolve_field(obj: JobOffer) -> dict[str, str]:
        return _code_name(obj.field)

    @staticmethod
    def resolve_business_category(obj: JobOffer) -> dict[str, str]:
        return _code_name(obj.business_category)


class JobOfferOut(PublicOffer):
    status: str
    submitted_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    review_note: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class JobOfferIn(Schema):
    field: str
    business_category: str
    title: str
    description: str
    positions: int
    work_location: str
    monthly_wage_jpy: int
    japanese_level_required: str
    organization_info: str
    how_to_apply: str
    closes_on: Day | None = None
    worker_pays_nothing: bool = False
    receiving_organization_id: int | None = None


class JobOfferPatch(Schema):
    field: str | None = None
    business_category: str | None = None
    title: str | None = None
    description: str | None = None
    positions: int | None = None
    work_location: str | None = None
    monthly_wage_jpy: int | None = None
    japanese_level_required: str | None = None
    organization_info: str | None = None
    how_to_apply: str | None = None
    closes_on: Day | None = None
    worker_pays_nothing: bool | None = None


class ReviewIn(Schema):
    decision: str  # "publish" or "reject"
    note: str = ""


class WithdrawIn(Schema):
    reason: str = ""


class ContactIn(Schema):
    family_name: str
    given_names: str
    email: str = ""
    phone: str = ""
    message: str = ""
    contacted_on: Day


class ContactOut(Schema):
    id: int
    job_offer_id: int
    family_name: str
    given_names: str
    email: str
    phone: str
    message: str
    contacted_on: datetime.date
    recorded_at: datetime.datetime
    person_id: int | None
    case_id: int | None


class StartCaseIn(Schema):
    date_of_birth: Day


class CaseRef(Schema):
    id: int
    reference: str
    pattern: str
    status: str


class Problem(Schema):
    code: str
    message: str
    field: str | None = None
    source: str | None = None
    source_ref: str | None = None


class ContractIn(Schema):
    signed_on: Day
    contract_number: str = ""
    country: str = "KG"
    receiving_organization_id: int | None = None


class ContractOut(Schema):
    id: int
    receiving_organization_id: int
    country: str
    signed_on: datetime.date
    contract_number: str


class CaseStartedOut(Schema):
    contact: ContactOut
    case: CaseRef
    warnings: list[Problem]
    flags: list[Problem]


class JobOfferPage(Schema):
    items: list[JobOfferOut]
    next_cursor: str | None


class ContactPage(Schema):
    items: list[ContactOut]
    next_cursor: str | None


class PublicOfferPage(Schema):
    items: list[PublicOffer]
    next_cursor: str | None


# --- signed in: /api/v1/job-offers ------------------------------------------------------


@router.post("/recruitment-contracts", response={201: ContractOut})
def record_contract(request: HttpRequest, payload: ContractIn) -> Status[Any]:
    """Record the receiving organization's recruitment contract with the Center, which
    comes before any job offer (ISA procedure for Kyrgyz nationals, 2(1))."""
    contract = services.recruitment_contract_record(actor=request_actor(request), **payload.dict())
    return Status(201, contract)


@router.get("/recruitment-contracts", response=list[ContractOut])
def list_contracts(request: HttpRequest) -> Any:
    """The recruitment contracts with the Center of the caller's organizations."""
    return list(recruitment_contracts_of(request_actor(request)))


@router.get("", response=JobOfferPage)
def list_job_offers(
    request: HttpRequest,
    status: str | None = None,
    limit: Limit = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Offers you may see: your organization's; the Center: its country's once submitted;
    the ISA: every offer."""
    qs = job_offer_list(request_actor(request), status)
    items, next_cursor = page_by_id(qs, limit=limit, cursor=cursor)
    return {"items": items, "next_cursor": next_cursor}


@router.post("", response={201: JobOfferOut})
def create_job_offer(request: HttpRequest, payload: JobOfferIn) -> Status[JobOffer]:
    data = payload.dict()
    organization_id = data.pop("receiving_organization_id")
    offer = services.job_offer_create(
        actor=request_actor(request),
        data=data,
        receiving_organization_id=organization_id,
    )
    return Status(201, offer)


@router.get("/{offer_id}", response=JobOfferOut)
def get_job_offer(request: HttpRequest, offer_id: int) -> JobOffer:
    return job_offer_get_for_user(request_actor(request), offer_id)


@router.patch("/{offer_id}", response=JobOfferOut)
def update_job_offer(request: HttpRequest, offer_id: int, payload: JobOfferPatch) -> JobOffer:
    data = payload.dict(exclude_unset=True)
    return services.job_offer_update(actor=request_actor(request), offer_id=offer_id, data=data)


@router.post("/{offer_id}/submit", response=JobOfferOut)
def submit_job_offer(request: HttpRequest, offer_id: int) -> JobOffer:
    """Submit the draft to the Center (ISA procedure for Kyrgyz nationals, 2(1))."""
    return services.job_offer_submit(actor=request_actor(request), offer_id=offer_id)


@router.post("/{offer_id}/review", response=JobOfferOut)
def review_job_offer(request: HttpRequest, offer_id: int, payload: ReviewIn) -> JobOffer:
    """The Center publishes the offer on its website, or rejects it with the reason."""
    return services.job_offer_review(
        actor=request_actor(request),
        offer_id=offer_id,
        decision=payload.decision,
        note=payload.note,
    )


@router.post("/{offer_id}/withdraw", response=JobOfferOut)
def withdraw_job_offer(request: HttpRequest, offer_id: int, payload: WithdrawIn) -> JobOffer:
    return services.job_offer_withdraw(
        actor=request_actor(request),
        offer_id=offer_id,
        reason=payload.reason,
    )


@router.get("/{offer_id}/contacts", response=ContactPage)
def list_contacts(
    request: HttpRequest, offer_id: int, limit: Limit = 50, cursor: str | None = None
) -> dict[str, Any]:
    """Candidates who contacted the organization: its members only."""
    qs = contact_list(request_actor(request), offer_id)
    items, next_cursor = page_by_id(qs, limit=limit, cursor=cursor)
    return {"items": items, "next_cursor": next_cursor}


@router.post("/{offer_id}/contacts", response={201: ContactOut})
def record_contact(
    request: HttpRequest, offer_id: int, payload: ContactIn
) -> Status[CandidateContact]:
    contact = services.candidate_contact_record(
        actor=request_actor(request),
        offer_id=offer_id,
        data=payload.dict(),
    )
    return Status(201, contact)


@router.post("/{offer_id}/contacts/{contact_id}/start-case", response={201: CaseStartedOut})
def start_case(
    request: HttpRequest, offer_id: int, contact_id: int, payload: StartCaseIn
) -> Status[dict[str, Any]]:
    """Register the candidate as a person and open a pattern-2 (via_center) case."""
    started = services.candidate_contact_start_case(
        actor=request_actor(request),
        offer_id=offer_id,
        contact_id=contact_id,
        date_of_birth=payload.date_of_birth,
    )
    body = {
        "contact": started.contact,
        "case": started.case,
        "warnings": [p.as_dict() for p in started.warnings],
        "flags": [p.as_dict() for p in started.flags],
    }
    return Status(201, body)


# --- public: /api/v1/public/jobs --------------------------------------------------------


@public_router.get("", response=PublicOfferPage)
def list_public_jobs(
    request: HttpRequest,
    field: str | None = None,
    location: str | None = None,
    japanese_level: str | None = None,
    limit: Limit = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """Published offers that have not closed. `japanese_level` is the candidate's level:
    offers asking for that level or less are listed (A2 counts as N4)."""
    filters = board_filters(field=field, location=location, japanese_level=japanese_level)
    items, next_cursor = page_by_id(published_offers(filters), limit=limit, cursor=cursor)
    return {"items": items, "next_cursor": next_cursor}


@public_router.get("/{offer_id}", response=PublicOffer)
def get_public_job(request: HttpRequest, offer_id: int) -> JobOffer:
    return published_offer_get(offer_id)
