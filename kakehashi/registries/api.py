"""The MOC registries under /api/v1/registries. The registers Japan and its partner publish
(moc_kg §6(1)–(2), §7(2), §7(5)) are readable without an account: agencies with their
certification and dates, revocations, improvement orders, the support-organization list,
and the fields where acceptance is suspended. A decision's reason is the deciding side's
information (moc_kg §3): it is given to the contact points, and to others only as far as
written consent allows. Each write needs the deciding role."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from kakehashi.access import Actor, request_actor
from kakehashi.access.api_auth import PUBLIC_READ
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.core.errors import InvalidInput, NotFound, Problem
from kakehashi.core.schemas import Day

from . import selectors, services
from .notices import notice_text

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


def _reader(request: HttpRequest) -> Actor | None:
    """The signed-in reader, if any (the public reads need no account)."""
    actor = request_actor(request)
    return actor if actor.is_authenticated else None


class DecisionOut(Schema):
    id: int
    action: str
    effective_on: datetime.date
    valid_until: datetime.date | None
    certificate_number: str
    reason: str
    decided_by: str | None
    recorded_at: datetime.datetime


def _decision_out(decision: Any, reason: str) -> dict[str, Any]:
    recorder = decision.recorded_by_organization
    return {
        "id": decision.pk,
        "action": decision.action,
        "effective_on": decision.effective_on,
        "valid_until": decision.valid_until,
        "certificate_number": decision.certificate_number,
        "reason": reason,
        "decided_by": recorder.name_en if recorder else None,
        "recorded_at": decision.recorded_at,
    }


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


@router.get("/agencies", response=Register, auth=PUBLIC_READ)
def list_agencies(
    request: HttpRequest, on: Day | None = None, search: str = "", state: str = ""
) -> dict[str, Any]:
    """Every sending agency with its certification for Japan on `on` (default today)."""
    day = _on(on)
    entries = selectors.agency_register(day, search=search[:100], state=state)
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


@router.get("/agencies/{agency_id}/history", response=list[DecisionOut], auth=PUBLIC_READ)
def agency_history(request: HttpRequest, agency_id: int) -> Any:
    """The agency's decisions. A reason is given only to the contact points, or as far as
    the ministry's written consent allows."""
    if not Organization.objects.filter(pk=agency_id, kind=OrganizationKind.SENDING_AGENCY).exists():
        raise NotFound("agency")
    history = list(selectors.agency_history(agency_id))
    reasons = selectors.decision_reasons(_reader(request), [d.pk for d in history])
    return [_decision_out(d, reasons.get(d.pk, "")) for d in history]


class DecisionIn(Schema):
    action: str
    effective_on: Day | None = None
    valid_until: Day | None = None
    certificate_number: str = ""
    reason: str = ""


@router.post("/agencies/{agency_id}/decisions", response={201: DecisionOut})
def record_decision(request: HttpRequest, agency_id: int, payload: DecisionIn) -> Status[Any]:
    """The agency applies (action `applied`); the sending country's ministry decides
    (`certified`, `refused`, `suspended`, `resumed`, `revoked`, `expired`)."""
    actor = request_actor(request)
    decision = services.agency_decision_record(actor=actor, agency_id=agency_id, **payload.dict())
    reason = selectors.decision_reasons(actor, [decision.pk]).get(decision.pk, "")
    return Status(201, _decision_out(decision, reason))


class DisclosureIn(Schema):
    scope: str
    consented_on: Day
    consent_reference: str


class DisclosureOut(Schema):
    id: int
    decision_id: int
    scope: str
    consented_on: datetime.date
    consent_reference: str


@router.post("/decisions/{decision_id}/disclosures", response={201: DisclosureOut})
def record_disclosure(request: HttpRequest, decision_id: int, payload: DisclosureIn) -> Status[Any]:
    """The ministry records its written consent to disclose a decision's reason to the
    parties of the cases it concerns (`parties`) or to the public (`public`)."""
    disclosure = services.reason_disclosure_record(
        actor=request_actor(request), decision_id=decision_id, **payload.dict()
    )
    return Status(201, disclosure)


class RevocationOut(Schema):
    agency_id: int
    agency: str
    effective_on: datetime.date
    reason: str


@router.get("/revocations", response=list[RevocationOut], auth=PUBLIC_READ)
def list_revocations(request: HttpRequest, on: Day | None = None) -> Any:
    """Revocations received from the partner's ministry (MOC §6(2)); the reason only
    where its written consent allows."""
    decisions = list(selectors.revocations(_on(on)))
    reasons = selectors.decision_reasons(_reader(request), [d.pk for d in decisions])
    return [
        {
            "agency_id": d.agency_id,
            "agency": d.agency.name_en,
            "effective_on": d.effective_on,
            "reason": reasons.get(d.pk, ""),
        }
        for d in decisions
    ]


class OrderOut(Schema):
    id: int
    receiving_organization_id: int
    receiving_organization: str
    order_number: str
    issued_on: datetime.date
    summary: str
    status: str
    closed_on: datetime.date | None

    @staticmethod
    def resolve_receiving_organization(obj: Any) -> str:
        return str(obj.receiving_organization.name_en)

    @staticmethod
    def resolve_closed_on(obj: Any) -> datetime.date | None:
        # As of the date the register is read for, where the list annotates it.
        return getattr(obj, "closed_as_of", obj.closed_on)

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return "open" if OrderOut.resolve_closed_on(obj) is None else "closed"


class OrderIn(Schema):
    receiving_organization_id: int
    issued_on: Day
    summary: str
    order_number: str = ""


@router.get("/improvement-orders", response=list[OrderOut], auth=PUBLIC_READ)
def list_orders(request: HttpRequest, on: Day | None = None) -> Any:
    return list(selectors.improvement_orders(_on(on)))


@router.post("/improvement-orders", response={201: OrderOut})
def record_order(request: HttpRequest, payload: OrderIn) -> Status[Any]:
    order = services.improvement_order_record(actor=request_actor(request), **payload.dict())
    return Status(201, order)


class OrderCloseIn(Schema):
    closed_on: Day | None = None
    note: str


@router.post("/improvement-orders/{order_id}/close", response=OrderOut)
def close_order(request: HttpRequest, order_id: int, payload: OrderCloseIn) -> Any:
    """Japan's contact point closes an order the organization has complied with."""
    return services.improvement_order_close(
        actor=request_actor(request), order_id=order_id, **payload.dict()
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
    registered_on: Day
    valid_until: Day | None = None
    languages: str = ""


class CancelIn(Schema):
    cancelled_on: Day


@router.get("/support-organizations", response=list[SupportOut], auth=PUBLIC_READ)
def list_support(request: HttpRequest, on: Day | None = None) -> Any:
    return list(selectors.support_organizations(_on(on)))


@router.post("/support-organizations", response={201: SupportOut})
def record_support(request: HttpRequest, payload: SupportIn) -> Status[Any]:
    registration = services.support_registration_record(
        actor=request_actor(request), **payload.dict()
    )
    return Status(201, registration)


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

    @staticmethod
    def resolve_field(obj: Any) -> str:
        return str(obj.field.code)

    @staticmethod
    def resolve_field_name(obj: Any) -> str:
        return str(obj.field.name_en)


class SuspensionIn(Schema):
    field: str
    starts_on: Day
    ends_on: Day | None = None
    reason: str


class SuspensionEndIn(Schema):
    ends_on: Day


@router.get("/field-suspensions", response=list[SuspensionOut], auth=PUBLIC_READ)
def list_suspensions(
    request: HttpRequest, on: Day | None = None, include_past: bool = False
) -> Any:
    """Fields where Japan suspends acceptance (MOC §8): the field and the period."""
    return list(selectors.field_suspensions(_on(on), include_past=include_past))


@router.post("/field-suspensions", response={201: SuspensionOut})
def record_suspension(request: HttpRequest, payload: SuspensionIn) -> Status[Any]:
    data = payload.dict()
    suspension = services.field_suspension_record(
        actor=request_actor(request), field_code=data.pop("field"), **data
    )
    return Status(201, suspension)


@router.post("/field-suspensions/{suspension_id}/end", response=SuspensionOut)
def end_suspension(request: HttpRequest, suspension_id: int, payload: SuspensionEndIn) -> Any:
    """End a suspension: `ends_on` is its last day (MOC §8)."""
    return services.field_suspension_end(
        actor=request_actor(request), suspension_id=suspension_id, ends_on=payload.ends_on
    )


class LicenceOut(Schema):
    id: int
    holder_id: int
    holder: str
    licence_number: str
    valid_from: datetime.date
    valid_until: datetime.date | None
    countries: list[str]

    @staticmethod
    def resolve_holder(obj: Any) -> str:
        return str(obj.holder.name_en)


class LicenceIn(Schema):
    holder_id: int
    licence_number: str
    valid_from: Day
    valid_until: Day | None = None
    countries: list[str]


@router.get("/placement-licences", response=list[LicenceOut])
def list_licences(request: HttpRequest, on: Day | None = None) -> Any:
    """Japanese job-placement licences on record (signed-in users: not a register the MOC
    publishes)."""
    return list(selectors.placement_licences(_on(on)))


@router.post("/placement-licences", response={201: LicenceOut})
def record_licence(request: HttpRequest, payload: LicenceIn) -> Status[Any]:
    licence = services.placement_licence_record(actor=request_actor(request), **payload.dict())
    return Status(201, licence)


class NoticeOut(Schema):
    id: int
    kind: str
    country: str
    from_organization: str
    title: str
    body: str
    source: str
    created_at: datetime.datetime
    acknowledged_at: datetime.datetime | None


def _notice_out(notice: Any) -> dict[str, Any]:
    text = notice_text(notice)
    return {
        "id": notice.pk,
        "kind": notice.kind,
        "country": notice.country,
        "from_organization": notice.from_organization.name_en,
        "title": text.title,
        "body": text.body,
        "source": text.source,
        "created_at": notice.created_at,
        "acknowledged_at": notice.acknowledged_at,
    }


@router.get("/notices", response=list[NoticeOut])
def list_notices(request: HttpRequest, unacknowledged: bool = False) -> Any:
    """Notices sent to the caller's organization by the other side's contact point, in the
    caller's language."""
    qs = selectors.notices_for(request_actor(request))
    if unacknowledged:
        qs = qs.filter(acknowledged_at__isnull=True)
    return [_notice_out(n) for n in qs[:200]]


@router.post("/notices/{notice_id}/acknowledge", response=NoticeOut)
def acknowledge_notice(request: HttpRequest, notice_id: int) -> Any:
    notice = services.notice_acknowledge(actor=request_actor(request), notice_id=notice_id)
    return _notice_out(notice)
