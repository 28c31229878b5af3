"""The MOC registries under /api/v1/registries. Reads are public, like the registries
themselves (MOC §6(1)–(2), §7(2), §7(5)); each write needs the deciding role."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from kakehashi.access import request_actor
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.cases.presenters import case_summary
from kakehashi.cases.selectors import cases_visible_to
from kakehashi.core.errors import InvalidInput, NotFound, Problem

from . import selectors, services
from .models import FieldSuspension, Notice

router = Router(tags=["registries"])


def _on(on: datetime.date | None) -> datetime.date:
    today = timezone.localdate()
    if on is not None and on > today:
        raise InvalidInput(
            [
                Problem(
                    "date_in_future",
                    _("The register cannot be read for a future date."),
                    field="on",
                )
            ]
        )
    return on or today


class DecisionOut(Schema):
    id: int
    action: str
    effective_on: datetime.date
    valid_until: datetime.date | None
    certificate_number: str
    reason: str
    decided_by: str | None
    recorded_at: datetime.datetime

    @staticmethod
    def resolve_decided_by(obj: Any) -> str | None:
        return obj.recorded_by_organization.name_en if obj.recorded_by_organization else None


class AgencyOut(Schema):
    id: int
    name_en: str
    name_local: str
    country: str
    state: str
    since: datetime.date | None
    valid_until: datetime.date | None
    certificate_number: str
    last_changed_on: datetime.date | None


class Register(Schema):
    as_of: datetime.date
    items: list[AgencyOut]


@router.get("/agencies", response=Register, auth=None)
def list_agencies(
    request: HttpRequest, on: datetime.date | None = None, search: str = "", state: str = ""
) -> dict[str, Any]:
    """Every sending agency with its certification for Japan on `on` (default today)."""
    day = _on(on)
    entries = selectors.agency_register(day, search=search, state=state)
    items = [
        {
            "id": e.agency.pk,
            "name_en": e.agency.name_en,
            "name_local": e.agency.name_local,
            "country": e.agency.country,
            "state": e.state,
            "since": e.since,
            "valid_until": e.valid_until,
            "certificate_number": e.certificate_number,
            "last_changed_on": e.last_changed_on,
        }
        for e in entries
    ]
    return {"as_of": day, "items": items}


@router.get("/agencies/{agency_id}/history", response=list[DecisionOut], auth=None)
def agency_history(request: HttpRequest, agency_id: int) -> Any:
    if not Organization.objects.filter(pk=agency_id, kind=OrganizationKind.SENDING_AGENCY).exists():
        raise NotFound("agency")
    return list(selectors.agency_history(agency_id))


class DecisionIn(Schema):
    action: str
    effective_on: datetime.date | None = None
    valid_until: datetime.date | None = None
    certificate_number: str = ""
    reason: str = ""


@router.post("/agencies/{agency_id}/decisions", response={201: DecisionOut})
def record_decision(request: HttpRequest, agency_id: int, payload: DecisionIn) -> Status[Any]:
    """The agency applies (action `applied`); the sending country's ministry decides
    (`certified`, `refused`, `suspended`, `resumed`, `revoked`, `expired`)."""
    decision = services.agency_decision_record(
        actor=request_actor(request),
        agency_id=agency_id,
        **payload.dict(),
    )
    return Status(201, decision)


class RevocationOut(Schema):
    agency_id: int
    agency: str
    effective_on: datetime.date
    reason: str

    @staticmethod
    def resolve_agency(obj: Any) -> str:
        return str(obj.agency.name_en)


@router.get("/revocations", response=list[RevocationOut], auth=None)
def list_revocations(request: HttpRequest, on: datetime.date | None = None) -> Any:
    return list(selectors.revocations(_on(on)))


class OrderOut(Schema):
    id: int
    receiving_organization_id: int
    receiving_organization: str
    order_number: str
    issued_on: datetime.date
    summary: str

    @staticmethod
    def resolve_receiving_organization(obj: Any) -> str:
        return str(obj.receiving_organization.name_en)


class OrderIn(Schema):
    receiving_organization_id: int
    issued_on: datetime.date
    summary: str
    order_number: str = ""


@router.get("/improvement-orders", response=list[OrderOut], auth=None)
def list_orders(request: HttpRequest, on: datetime.date | None = None) -> Any:
    return list(selectors.improvement_orders(_on(on)))


@router.post("/improvement-orders", response={201: OrderOut})
def record_order(request: HttpRequest, payload: OrderIn) -> Status[Any]:
    return Status(
        201, services.improvement_order_record(actor=request_actor(request), **payload.dict())
    )


class SupportOut(Schema):
    id: int
    organization_id: int
    organization: str
    registration_number: str
    registered_on: datetime.date
    valid_until: datetime.date | None
    languages: str
    status: str
    cancelled_on: datetime.date | None

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.organization.name_en)


class SupportIn(Schema):
    organization_id: int
    registration_number: str
    registered_on: datetime.date
    valid_until: datetime.date | None = None
    languages: str = ""


class CancelIn(Schema):
    cancelled_on: datetime.date


@router.get("/support-organizations", response=list[SupportOut], auth=None)
def list_support(request: HttpRequest, on: datetime.date | None = None) -> Any:
    return list(selectors.support_organizations(_on(on)))


@router.post("/support-organizations", response={201: SupportOut})
def record_support(request: HttpRequest, payload: SupportIn) -> Status[Any]:
    return Status(
        201, services.support_registration_record(actor=request_actor(request), **payload.dict())
    )


@router.post("/support-organizations/{registration_id}/cancel", response=SupportOut)
def cancel_support(request: HttpRequest, registration_id: int, payload: CancelIn) -> Any:
    return services.support_registration_cancel(
        actor=request_actor(request),
        registration_id=registration_id,
        cancelled_on=payload.cancelled_on,
    )


class SuspensionOut(Schema):
    id: int
    field: str
    field_name: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    reason: str

    @staticmethod
    def resolve_field(obj: Any) -> str:
        return str(obj.field.code)

    @staticmethod
    def resolve_field_name(obj: Any) -> str:
        return str(obj.field.name_en)


class SuspensionIn(Schema):
    field: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    reason: str


@router.get("/field-suspensions", response=list[SuspensionOut], auth=None)
def list_suspensions(
    request: HttpRequest, on: datetime.date | None = None, include_past: bool = False
) -> Any:
    return list(selectors.field_suspensions(_on(on), include_past=include_past))


@router.post("/field-suspensions", response={201: SuspensionOut})
def record_suspension(request: HttpRequest, payload: SuspensionIn) -> Status[Any]:
    data = payload.dict()
    suspension = services.field_suspension_record(
        actor=request_actor(request),
        field_code=data.pop("field"),
        **data,
    )
    return Status(201, suspension)


@router.get("/field-suspensions/{suspension_id}/cases-to-review", response=list[dict[str, Any]])
def suspension_review(request: HttpRequest, suspension_id: int) -> list[dict[str, Any]]:
    """Open cases in the suspended field already past the COE: handled case by case (MOC §8).
    Each caller sees only the cases it may see."""
    suspension = FieldSuspension.objects.select_related("field").filter(pk=suspension_id).first()
    if suspension is None:
        raise NotFound("field suspension")
    visible = cases_visible_to(request_actor(request)).values("pk")
    cases = selectors.cases_for_suspension_review(suspension).filter(pk__in=visible)
    return [case_summary(c) for c in cases.select_related("person", "field", "business_category")]


class LicenceOut(Schema):
    id: int
    holder_id: int
    holder: str
    licence_number: str
    valid_from: datetime.date
    valid_until: datetime.date | None
    countries: str

    @staticmethod
    def resolve_holder(obj: Any) -> str:
        return str(obj.holder.name_en)


class LicenceIn(Schema):
    holder_id: int
    licence_number: str
    valid_from: datetime.date
    valid_until: datetime.date | None = None
    countries: str = ""


@router.get("/placement-licences", response=list[LicenceOut], auth=None)
def list_licences(request: HttpRequest, on: datetime.date | None = None) -> Any:
    return list(selectors.placement_licences(_on(on)))


@router.post("/placement-licences", response={201: LicenceOut})
def record_licence(request: HttpRequest, payload: LicenceIn) -> Status[Any]:
    return Status(
        201, services.placement_licence_record(actor=request_actor(request), **payload.dict())
    )


class NoticeOut(Schema):
    id: int
    kind: str
    from_organization: str
    subject: str
    payload: dict[str, Any]
    source: str
    created_at: datetime.datetime
    acknowledged_at: datetime.datetime | None

    @staticmethod
    def resolve_from_organization(obj: Notice) -> str:
        return str(obj.from_organization.name_en)


@router.get("/notices", response=list[NoticeOut])
def list_notices(request: HttpRequest, unacknowledged: bool = False) -> Any:
    """Notices sent to the caller's organization by the other side's contact point."""
    qs = selectors.notices_for(request_actor(request))
    if unacknowledged:
        qs = qs.filter(acknowledged_at__isnull=True)
    return list(qs[:200])


@router.post("/notices/{notice_id}/acknowledge", response=NoticeOut)
def acknowledge_notice(request: HttpRequest, notice_id: int) -> Any:
    return services.notice_acknowledge(actor=request_actor(request), notice_id=notice_id)
