"""The MOC's protective core under /api/v1/protection: each contact point's inbox, the items
the two exchange (misconduct and test-fraud reports, investigations, inquiries,
consultations, return support), their consent and read log (MOC §3), corrective
measures, and the fees the worker is asked to pay. Someone who may not see an item gets the
same 404 as for one that does not exist."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from kakehashi.access import request_actor
from kakehashi.core.errors import InvalidInput, Problem
from kakehashi.core.files import file_download
from kakehashi.core.schemas import Day

from . import selectors
from .presenters import item_data, item_summary
from .services import common, exchange, fees, reports, returns

router = Router(tags=["protection"])


class InboxOut(Schema):
    unacknowledged: int
    open_by_kind: dict[str, int]
    overdue: int
    drafts: int
    actions_due: int
    confirmations: int


@router.get("/inbox", response=InboxOut)
def inbox(request: HttpRequest) -> Any:
    """What awaits the reader's contact point: items not yet acknowledged, open items by
    kind, overdue items, drafts to review, action items it owns."""
    return selectors.inbox(request_actor(request))


@router.get("/items", response=list[dict[str, Any]])
def list_items(request: HttpRequest, kind: str = "", stage: str = "", overdue: bool = False) -> Any:
    items = selectors.item_list(
        request_actor(request), kind=kind[:16], stage=stage[:24], overdue=overdue
    )
    return [item_summary(i) for i in items[:500]]


@router.get("/items/{item_id}", response=dict[str, Any])
def get_item(request: HttpRequest, item_id: int) -> Any:
    """The item, its history, and (for the two contact points) its consents and read log.
    The read is logged."""
    actor = request_actor(request)
    return item_data(actor, selectors.item_get(actor, item_id, via="api"))


def _item(request: HttpRequest, item: Any) -> Any:
    actor = request_actor(request)
    return item_data(actor, selectors.item_get(actor, item.pk))


@router.post("/items/{item_id}/acknowledge", response=dict[str, Any])
def acknowledge(request: HttpRequest, item_id: int) -> Any:
    return _item(request, common.item_acknowledge(actor=request_actor(request), item_id=item_id))


@router.post("/items/{item_id}/file", response=dict[str, Any])
def file_draft(request: HttpRequest, item_id: int) -> Any:
    """File a draft (e.g. one drafted from a contract with a prohibited term)."""
    return _item(request, common.item_file(actor=request_actor(request), item_id=item_id))


class FollowUpIn(Schema):
    stage: str | None = None
    outcome: str = ""
    owner_id: int | None = None
    due_on: Day | None = None
    note: str = ""


@router.post("/items/{item_id}/follow-up", response=dict[str, Any])
def follow_up(request: HttpRequest, item_id: int, payload: FollowUpIn) -> Any:
    """Move the item on (received → under investigation → measures taken → closed), set
    its owner and due date. Closing a report says whether it was founded."""
    item = common.item_follow_up(actor=request_actor(request), item_id=item_id, **payload.dict())
    return _item(request, item)


class ConsentIn(Schema):
    to_organization_id: int
    scope: str
    purpose: str
    consented_on: Day
    document_reference: str


@router.post("/items/{item_id}/consents", response={201: dict[str, Any]})
def record_consent(request: HttpRequest, item_id: int, payload: ConsentIn) -> Any:
    """The originating side's written consent to show the item to a third party (§3)."""
    actor = request_actor(request)
    common.item_consent_record(actor=actor, item_id=item_id, **payload.dict())
    return Status(201, item_data(actor, selectors.item_get(actor, item_id)))


@router.post("/items/{item_id}/attachments", response={201: dict[str, Any]})
def add_attachment(request: HttpRequest, item_id: int, file: File[UploadedFile]) -> Any:
    """Attach a PDF, JPEG or PNG (at most 10 MB; the content is checked)."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if file.size and file.size > limit:
        raise InvalidInput(
            [
                Problem(
                    "too_large",
                    _("A file may have at most %(size)s bytes.") % {"size": f"{limit:,}"},
                    field="file",
                )
            ]
        )
    attachment = common.attachment_add(
        actor=request_actor(request), item_id=item_id, name=file.name or "", content=file.read()
    )
    return Status(201, {"id": attachment.pk, "name": attachment.name, "size": attachment.size})


@router.get("/items/{item_id}/attachments/{attachment_id}")
def download_attachment(request: HttpRequest, item_id: int, attachment_id: int) -> FileResponse:
    attachment = selectors.attachment_get(request_actor(request), item_id, attachment_id)
    return file_download(attachment)


# --- reports -----------------------------------------------------------------------------------


class MisconductIn(Schema):
    country: str
    categories: list[str]
    subject_name: str
    subject_kind: str
    subject_country: str
    subject_organization_id: int | None = None
    facts: str
    occurred_from: Day | None = None
    occurred_until: Day | None = None
    places: str = ""
    person_ids: list[int] = []
    case_ids: list[int] = []
    due_on: Day | None = None
    channel: str = "contact_point"
    channel_organization_id: int | None = None
    channel_note: str = ""


@router.post("/misconduct-reports", response={201: dict[str, Any]})
def file_misconduct(request: HttpRequest, payload: MisconductIn) -> Any:
    """A contact point files a report of conduct under MOC §4(1)(a)–(e), or forwards one
    a party sent; the other contact point sees it at once in its inbox."""
    item = reports.misconduct_report_file(actor=request_actor(request), data=payload.dict())
    return Status(201, _item(request, item))


class TestFraudIn(Schema):
    country: str
    fraud_kind: str
    facts: str
    test_result_ids: list[int]
    due_on: Day | None = None
    channel: str = "contact_point"
    channel_organization_id: int | None = None
    channel_note: str = ""


@router.post("/test-fraud-reports", response={201: dict[str, Any]})
def file_test_fraud(request: HttpRequest, payload: TestFraudIn) -> Any:
    """Impersonation, a forged or altered certificate, or other fraud (MOC §5). While
    the report is open, the results it names do not count."""
    item = reports.test_fraud_report_file(actor=request_actor(request), data=payload.dict())
    return Status(201, _item(request, item))


# --- investigations and measures -----------------------------------------------------------


class InvestigationIn(Schema):
    agency_id: int
    report_ids: list[int]
    due_on: Day | None = None


@router.post("/investigations", response={201: dict[str, Any]})
def open_investigation(request: HttpRequest, payload: InvestigationIn) -> Any:
    item = exchange.investigation_open(actor=request_actor(request), **payload.dict())
    return Status(201, _item(request, item))


class ResultIn(Schema):
    guidance: str = ""
    result: str


@router.post("/investigations/{item_id}/result", response=dict[str, Any])
def report_result(request: HttpRequest, item_id: int, payload: ResultIn) -> Any:
    item = exchange.investigation_report(
        actor=request_actor(request), item_id=item_id, **payload.dict()
    )
    return _item(request, item)


class DecisionIn(Schema):
    action: str
    effective_on: Day | None = None
    reason: str


@router.post("/investigations/{item_id}/decision", response=dict[str, Any])
def decide(request: HttpRequest, item_id: int, payload: DecisionIn) -> Any:
    """Suspend or revoke the agency's certification on the result, through the registry's
    decisions (notice to Japan, public register, flags on open cases), linked here."""
    item = exchange.investigation_decide(
        actor=request_actor(request), item_id=item_id, **payload.dict()
    )
    return _item(request, item)


class MeasureIn(Schema):
    organization_id: int
    kind: str
    description: str
    taken_on: Day
    improvement_order_id: int | None = None
    report_ids: list[int] = []


@router.post("/corrective-measures", response={201: dict[str, Any]})
def record_measure(request: HttpRequest, payload: MeasureIn) -> Any:
    """Japan's corrective measure against a receiving or support organization
    (MOC §4(2)(c)), linked to the reports behind it."""
    measure = exchange.corrective_measure_record(actor=request_actor(request), data=payload.dict())
    return Status(201, {"id": measure.pk, "report_ids": [r.pk for r in measure.reports.all()]})


# --- inquiries and consultations -----------------------------------------------------------


class InquiryIn(Schema):
    country: str
    subject: str
    question: str
    due_on: Day
    case_id: int | None = None
    organization_id: int | None = None


@router.post("/inquiries", response={201: dict[str, Any]})
def send_inquiry(request: HttpRequest, payload: InquiryIn) -> Any:
    item = exchange.inquiry_send(actor=request_actor(request), data=payload.dict())
    return Status(201, _item(request, item))


class AnswerIn(Schema):
    answer: str


@router.post("/inquiries/{item_id}/answer", response=dict[str, Any])
def answer_inquiry(request: HttpRequest, item_id: int, payload: AnswerIn) -> Any:
    item = exchange.inquiry_answer(actor=request_actor(request), item_id=item_id, **payload.dict())
    return _item(request, item)


class AgendaIn(Schema):
    category: str
    title: str


class ConsultationIn(Schema):
    country: str
    consultation_kind: str
    title: str
    meets_on: Day
    place: str = ""
    agenda: list[AgendaIn]
    item_ids: list[int] = []


@router.post("/consultations", response={201: dict[str, Any]})
def plan_consultation(request: HttpRequest, payload: ConsultationIn) -> Any:
    item = exchange.consultation_plan(actor=request_actor(request), data=payload.dict())
    return Status(201, _item(request, item))


class ActionIn(Schema):
    description: str
    owner_organization_id: int
    due_on: Day


class MinutesIn(Schema):
    minutes: str
    actions: list[ActionIn] = []


@router.post("/consultations/{item_id}/minutes", response=dict[str, Any])
def record_minutes(request: HttpRequest, item_id: int, payload: MinutesIn) -> Any:
    data = payload.dict()
    item = exchange.consultation_minutes(
        actor=request_actor(request),
        item_id=item_id,
        minutes=data["minutes"],
        actions=data["actions"],
    )
    return _item(request, item)


class DoneIn(Schema):
    done_on: Day | None = None


@router.post("/action-items/{action_id}/done", response=dict[str, Any])
def action_done(request: HttpRequest, action_id: int, payload: DoneIn) -> Any:
    action = exchange.action_item_done(
        actor=request_actor(request), action_id=action_id, done_on=payload.done_on
    )
    return {"id": action.pk, "done_on": action.done_on}


# --- return support -------------------------------------------------------------------------


class ReturnIn(Schema):
    case_id: int
    reason: str


@router.post("/return-cases", response={201: dict[str, Any]})
def open_return(request: HttpRequest, payload: ReturnIn) -> Any:
    item = returns.return_case_open(actor=request_actor(request), **payload.dict())
    return Status(201, _item(request, item))


class ReturnUpdateIn(Schema):
    temporary_passport_requested_on: Day | None = None
    return_on: Day | None = None
    returned_on: Day | None = None


@router.post("/return-cases/{item_id}", response=dict[str, Any])
def update_return(request: HttpRequest, item_id: int, payload: ReturnUpdateIn) -> Any:
    item = returns.return_case_update(
        actor=request_actor(request), item_id=item_id, **payload.dict()
    )
    return _item(request, item)


# --- fees ------------------------------------------------------------------------------------


class BreakdownIn(Schema):
    item: str
    amount: str


class FeeIn(Schema):
    case_id: int | None = None
    job_offer_id: int | None = None
    purpose: str
    basis: str
    amount: str
    currency: str
    breakdown: list[BreakdownIn]


class FeeOut(Schema):
    id: int
    case_id: int | None
    job_offer_id: int | None
    charged_by_id: int
    purpose: str
    basis: str
    amount: str
    currency: str
    breakdown: list[dict[str, str]]
    acknowledged_on: datetime.date | None

    @staticmethod
    def resolve_amount(obj: Any) -> str:
        return str(obj.amount)

    @staticmethod
    def resolve_acknowledged_on(obj: Any) -> datetime.date | None:
        latest = max((a.acknowledged_on for a in obj.acknowledgements.all()), default=None)
        return latest


@router.post("/fees", response={201: FeeOut})
def record_fee(request: HttpRequest, payload: FeeIn) -> Any:
    """A fee the worker is asked to pay, with basis, amount and breakdown (MOC §4(1)(e)).
    Support costs and fees against an employer-pays declaration are refused."""
    return Status(201, fees.fee_record(actor=request_actor(request), data=payload.dict()))


@router.get("/fees", response=list[FeeOut])
def list_fees(request: HttpRequest, case_id: int) -> Any:
    return list(selectors.fees_of_case(request_actor(request), case_id))


class AcknowledgementIn(Schema):
    acknowledged_on: Day
    language: str
    document_reference: str


@router.post("/fees/{fee_id}/acknowledgements", response={201: FeeOut})
def acknowledge_fee(request: HttpRequest, fee_id: int, payload: AcknowledgementIn) -> Any:
    ack = fees.fee_acknowledgement_record(
        actor=request_actor(request), fee_id=fee_id, **payload.dict()
    )
    return Status(201, ack.fee)


class FeePolicyIn(Schema):
    agency_id: int
    employer_pays: bool


@router.post("/fee-policies", response={201: dict[str, Any]})
def declare_fee_policy(request: HttpRequest, payload: FeePolicyIn) -> Any:
    policy = fees.fee_policy_declare(actor=request_actor(request), **payload.dict())
    return Status(
        201,
        {
            "agency_id": policy.agency_id,
            "employer_pays": policy.employer_pays,
            "declared_on": policy.declared_on,
        },
    )
