"""Acceptance cases: open, list, read, and complete steps."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from kakehashi.access import request_actor
from kakehashi.audit import log as audit_log
from kakehashi.core.errors import NotFound
from kakehashi.core.files import file_download
from kakehashi.core.pagination import page_by_id
from kakehashi.core.schemas import Limit
from kakehashi.registries.selectors import field_suspension_get

from . import services
from .presenters import case_detail, case_summary
from .selectors import CaseFilters, case_get_for_user, case_list, cases_for_suspension_review
from .services import documents

router = Router(tags=["cases"])
# Mounted at /registries/field-suspensions (kakehashi/api.py): the cases a suspension touches.
suspension_router = Router(tags=["registries"])


class Ref(Schema):
    id: int
    name: str


class PersonRef(Schema):
    id: int
    family_name: str
    given_names: str


class Problem(Schema):
    code: str
    message: str
    field: str | None = None
    source: str | None = None
    source_ref: str | None = None


class CaseSummary(Schema):
    id: int
    reference: str
    country: str
    pattern: str
    status: str
    current_step: str
    current_step_title: str
    person: PersonRef
    receiving_organization: Ref
    sending_agency: Ref | None
    field: str
    business_category: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class Completion(Schema):
    round: int
    happened_on: datetime.date
    evidence: dict[str, Any]
    completed_at: datetime.datetime | None
    completed_by: str | None
    organization: str | None


class StepOut(Schema):
    key: str
    title: str
    description: str
    status: str
    side: str
    side_name: str
    partner_procedure: bool
    roles: list[str]
    performed_by: str
    source: str
    source_ref: str
    redo: bool
    completion: Completion | None
    blockers: list[Problem]
    advice: list[Problem]


class EvidenceChoice(Schema):
    key: str
    label: str


class EvidenceSpec(Schema):
    key: str
    type: str
    label: str
    required: bool
    help: str
    choices: list[EvidenceChoice]
    max_length: int | None
    min: int | None
    max: int | None


class ChecklistDocument(Schema):
    key: str
    title: str
    required: bool  # needed for the step; otherwise accepted
    provided_by: str  # a role, or "person" (the worker)
    provided_by_name: str
    source: str
    source_ref: str
    unless_refused: bool  # not required when the step's outcome is refused
    identity: bool  # an identity document: shown only to the parties that need it


class NextAction(Schema):
    step: str
    title: str
    status: str  # available, redo (may be done again) or blocked (see blockers)
    roles: list[str]
    redo: bool
    can_complete: bool
    blockers: list[Problem]
    evidence: list[EvidenceSpec]
    documents: list[ChecklistDocument]  # the checklist for the step


class DeadlineOut(Schema):
    key: str
    title: str
    set_by: str
    starts_on: datetime.date
    due_on: datetime.date
    met: bool
    expired: bool
    source: str
    source_ref: str


class FlagOut(Schema):
    code: str
    message: str
    source: str
    source_ref: str
    step_key: str
    raised_at: datetime.datetime


class EventOut(Schema):
    id: int
    kind: str
    step_key: str
    actor: str | None
    organization: str | None
    at: datetime.datetime
    before: dict[str, Any]
    after: dict[str, Any]


class Procedure(Schema):
    country: str
    version: str


class CaseDetail(CaseSummary):
    procedure: Procedure
    pattern_title: str
    finished: bool
    your_roles: list[str]
    steps: list[StepOut]
    next_actions: list[NextAction]
    deadlines: list[DeadlineOut]
    flags: list[FlagOut]
    events: list[EventOut]


class CasePage(Schema):
    items: list[CaseSummary]
    next_cursor: str | None


class CaseIn(Schema):
    person_id: int
    field: str
    business_category: str
    pattern: str
    country: str = "KG"
    receiving_organization_id: int | None = None
    sending_agency_id: int | None = None
    support_organization_id: int | None = None


class CaseCreated(Schema):
    case: CaseDetail
    warnings: list[Problem]
    flags: list[Problem]


class CompleteIn(Schema):
    evidence: dict[str, Any]


class CompleteOut(Schema):
    step: str
    round: int
    warnings: list[Problem]
    flags: list[Problem]
    case: CaseDetail


@router.get("", response=CasePage)
def list_cases(
    request: HttpRequest,
    pattern: str | None = None,
    step: str | None = None,
    field: str | None = None,
    status: str | None = None,
    search: str | None = None,
    limit: Limit = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    filters = CaseFilters(pattern=pattern, step=step, field=field, status=status, search=search)
    items, next_cursor = page_by_id(
        case_list(request_actor(request), filters), limit=limit, cursor=cursor
    )
    return {"items": [case_summary(c) for c in items], "next_cursor": next_cursor}


@router.post("", response={201: CaseCreated})
def create_case(request: HttpRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    actor = request_actor(request)
    result = services.case_create(
        actor=actor,
        person_id=payload.person_id,
        field_code=payload.field,
        category_code=payload.business_category,
        pattern=payload.pattern,
        country=payload.country.upper(),
        receiving_organization_id=payload.receiving_organization_id,
        sending_agency_id=payload.sending_agency_id,
        support_organization_id=payload.support_organization_id,
    )
    case = case_get_for_user(actor, result.case.pk)
    body = {
        "case": case_detail(case, actor),
        "warnings": [p.as_dict() for p in result.warnings],
        "flags": [p.as_dict() for p in result.flags],
    }
    return Status(201, body)


@router.get("/{case_id}", response=CaseDetail)
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    actor = request_actor(request)
    case = case_get_for_user(actor, case_id)
    audit_log.record_read(case)
    return case_detail(case, actor)


@router.post("/{case_id}/steps/{step_key}/complete", response=CompleteOut)
def complete_step(
    request: HttpRequest, case_id: int, step_key: str, payload: CompleteIn
) -> dict[str, Any]:
    actor = request_actor(request)
    result = services.case_complete_step(
        actor=actor, case_id=case_id, step_key=step_key, evidence=payload.evidence
    )
    case = case_get_for_user(actor, case_id)
    return {
        "step": result.step.step_key,
        "round": result.step.round,
        "warnings": [p.as_dict() for p in result.warnings],
        "flags": [p.as_dict() for p in result.flags],
        "case": case_detail(case, actor),
    }


class DocumentOut(Schema):
    """A document of a case's step (no file path: download it by its address)."""

    id: int
    step_key: str
    document_key: str
    version: int
    name: str
    content_type: str
    size: int
    sha256: str
    reason: str
    uploaded_by_organization: str
    uploaded_at: datetime.datetime
    review_status: str  # pending, checked or rejected
    review_reason: str
    download: str


def _document_out(document: Any) -> dict[str, Any]:
    return {
        "id": document.pk,
        "step_key": document.step_key,
        "document_key": document.document_key,
        "version": document.version,
        "name": document.name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "reason": document.reason,
        "uploaded_by_organization": document.uploaded_by_organization.display_name,
        "uploaded_at": document.uploaded_at,
        "review_status": document.review_status,
        "review_reason": document.review_reason,
        "download": f"/api/v1/cases/{document.case_id}/documents/{document.pk}",
    }


@router.post("/{case_id}/documents", response={201: DocumentOut})
def upload_document(
    request: HttpRequest,
    case_id: int,
    file: File[UploadedFile],
    step_key: Form[str],
    document_key: Form[str],
    reason: Form[str] = "",
) -> Any:
    """Upload a document of a step (multipart): PDF, JPEG or PNG, at most 10 MB, the content
    checked. Uploading it again adds a version (say why in `reason`); old versions are kept.
    A step whose definition requires a document is refused without it."""
    document = documents.document_upload(
        actor=request_actor(request),
        case_id=case_id,
        step_key=step_key,
        document_key=document_key,
        name=file.name or "",
        content=file.read(settings.ATTACHMENT_MAX_BYTES + 1),
        reason=reason,
    )
    return Status(201, _document_out(document))


@router.get("/{case_id}/documents", response=list[DocumentOut])
def list_documents(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    """Every version of every document of the case the caller may see (identity documents
    only to the worker, the employer, the support organization and Japan's contact point)."""
    actor = request_actor(request)
    case = case_get_for_user(actor, case_id)
    return [_document_out(d) for d in documents.documents_visible(actor, case)]


@router.get("/{case_id}/documents/{document_id}")
def download_document(request: HttpRequest, case_id: int, document_id: int) -> FileResponse:
    """The file, as an attachment; the download is logged."""
    document = documents.document_download(request_actor(request), case_id, document_id)
    return file_download(document)


class ReviewIn(Schema):
    decision: str  # checked or rejected
    reason: str = ""


@router.post("/{case_id}/documents/{document_id}/review", response=DocumentOut)
def review_document(
    request: HttpRequest, case_id: int, document_id: int, payload: ReviewIn
) -> dict[str, Any]:
    """Japan's contact point, or the city for its employers: mark the latest version checked,
    or reject it with a reason (the step is then to do again and the uploader is told)."""
    document = documents.document_review(
        actor=request_actor(request),
        case_id=case_id,
        document_id=document_id,
        decision=payload.decision,
        reason=payload.reason,
    )
    return _document_out(document)


class WithdrawIn(Schema):
    reason: str


@router.post("/{case_id}/withdraw", response=CaseDetail)
def withdraw_case(request: HttpRequest, case_id: int, payload: WithdrawIn) -> dict[str, Any]:
    actor = request_actor(request)
    services.case_withdraw(actor=actor, case_id=case_id, reason=payload.reason)
    return case_detail(case_get_for_user(actor, case_id), actor)


@suspension_router.get("/{suspension_id}/cases-to-review", response=list[CaseSummary])
def suspension_review(request: HttpRequest, suspension_id: int) -> list[dict[str, Any]]:
    """Open cases in the suspended field already past the COE: handled case by case
    (MOC §8). Each caller sees only the cases it may see."""
    suspension = field_suspension_get(suspension_id)
    if suspension is None:
        raise NotFound("field suspension")
    cases = cases_for_suspension_review(request_actor(request), suspension.field_id)
    return [case_summary(c) for c in cases]
