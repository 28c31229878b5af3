"""The documents of a case's steps: uploading (a new version keeps the old ones), checking
what a step requires before it is recorded, reviewing (a rejection sets the step aside to be
done again and tells the uploader), and downloading (each download logged). Who uploads,
reviews and sees identity documents is the access policy's to say."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import (
    document_reviewer,
    document_uploader,
    sees_identity_documents,
)
from kakehashi.accounts.models import Organization
from kakehashi.audit import log as audit_log
from kakehashi.core import validation
from kakehashi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound, Problem
from kakehashi.core.files import checked_upload
from kakehashi.procedures import registry
from kakehashi.procedures.engine import evaluate
from kakehashi.procedures.schema import DocumentSpec, Step
from kakehashi.reference.citations import sourced

from ..facts import case_facts
from ..models import (
    Case,
    CaseDocument,
    CaseStatus,
    CaseStep,
    DocumentDownload,
    EventKind,
    ReviewStatus,
)
from ..selectors import case_get_for_user
from .common import record_event, sync_derived

# An upload: the file's name and its content.
Upload = tuple[str, bytes]


def field_name(document_key: str) -> str:
    """The name of a document's file input, and of the field its problems name."""
    return f"document_{document_key}"


def document_spec(case: Case, step_key: str, document_key: str) -> tuple[Step, DocumentSpec]:
    definition = registry.definition_version(case.country, case.procedure_version)
    step = next((s for s in definition.steps if s.key == step_key), None)
    spec = next((d for d in step.documents if d.key == document_key), None) if step else None
    if step is None or spec is None:
        raise NotFound("document")
    return step, spec


def latest_documents(case: Case) -> dict[tuple[str, str], CaseDocument]:
    """The latest version of each document of the case, by (step, document)."""
    latest: dict[tuple[str, str], CaseDocument] = {}
    for document in CaseDocument.objects.filter(case=case).order_by("version"):
        latest[(document.step_key, document.document_key)] = document
    return latest


def _save(
    actor: Actor,
    case: Case,
    step_key: str,
    spec: DocumentSpec,
    organization: Organization,
    upload: Upload,
    reason: str,
    problems: list[Problem],
    field: str,
) -> CaseDocument | None:
    """Check one upload (problems named on `field`) and, if all is well, store it as the
    next version."""
    checked = checked_upload(upload[0], upload[1], field, problems)
    previous = (
        CaseDocument.objects.filter(case=case, step_key=step_key, document_key=spec.key)
        .order_by("-version")
        .first()
    )
    if previous is not None and not reason:
        problems.append(Problem("required", _("Say why the document is replaced."), field="reason"))
    if problems or checked is None:
        return None
    label, mime = checked
    content = upload[1]
    document = CaseDocument(
        case=case,
        step_key=step_key,
        document_key=spec.key,
        version=(previous.version + 1) if previous else 1,
        name=label,
        content_type=mime,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        reason=reason,
        uploaded_by=actor.required_user,
        uploaded_by_organization=organization,
    )
    document.file.save("upload", ContentFile(content), save=False)
    document.save()
    record_event(
        case,
        EventKind.DOCUMENT_UPLOADED,
        actor,
        organization,
        {},
        {"step": step_key, "document": spec.key, "version": document.version, "name": label},
        step_key=step_key,
    )
    return document


@transaction.atomic
def document_upload(
    *,
    actor: Actor,
    case_id: int,
    step_key: str,
    document_key: str,
    name: str,
    content: bytes,
    reason: str = "",
) -> CaseDocument:
    """A document of a step, uploaded by a party acting in one of the step's roles: PDF, JPEG
    or PNG (sniffed), at most ATTACHMENT_MAX_BYTES. A second upload of the same document is
    its next version and says why; the old versions are kept."""
    visible = case_get_for_user(actor, case_id)
    case = Case.objects.select_for_update(of=("self",)).get(pk=visible.pk)
    step, spec = document_spec(case, step_key, document_key)
    if case.status in (CaseStatus.REFUSED, CaseStatus.WITHDRAWN):
        raise Conflict(_("This case is closed."), code="case_closed")
    organization = document_uploader(actor, case, step.roles)
    if organization is None:
        raise NotAllowed(_("Only a party that records this step uploads its documents."))
    problems: list[Problem] = []
    why = validation.text_field(reason, "reason", problems, max_length=1000)
    document = _save(
        actor, case, step_key, spec, organization, (name, content), why, problems, "file"
    )
    if document is None:
        raise InvalidInput(problems)
    return document


def check_step_documents(
    case: Case,
    step: Step,
    evidence: Mapping[str, Any],
    uploads: Mapping[str, Upload],
) -> tuple[list[Problem], list[Problem]]:
    """Before a step is recorded: (bad input, missing documents). Every upload names a
    document of the step; every document the step requires with this evidence is uploaded
    now or already on the case and not rejected."""
    known = {d.key: d for d in step.documents}
    invalid = [
        Problem("unknown_document", _("This step has no such document."), field=field_name(key))
        for key in uploads
        if key not in known
    ]
    latest = latest_documents(case)
    missing = []
    for spec in step.documents:
        on_file = latest.get((step.key, spec.key))
        present = spec.key in uploads or (
            on_file is not None and on_file.review_status != ReviewStatus.REJECTED
        )
        if spec.required_for(evidence) and not present:
            title = spec.title.get((get_language() or "en")[:2])
            missing.append(
                Problem(
                    "document_missing",
                    _("Upload the %(document)s first: this step cannot be recorded without it.")
                    % {"document": title},
                    field=field_name(spec.key),
                    **sourced(spec.source.cite()),
                )
            )
    return invalid, missing


def save_step_documents(
    actor: Actor,
    case: Case,
    step: Step,
    organization: Organization,
    uploads: Mapping[str, Upload],
) -> None:
    """Store the documents sent with a step's form (in the step's transaction); refuses
    them all, each problem named, if one is bad."""
    problems: list[Problem] = []
    known = {d.key: d for d in step.documents}
    for key, upload in uploads.items():
        _save(
            actor, case, step.key, known[key], organization, upload, "", problems, field_name(key)
        )
    if problems:
        raise InvalidInput(problems)


# --- reading ------------------------------------------------------------------------------


def documents_visible(actor: Actor, case: Case) -> QuerySet[CaseDocument]:
    """The documents of a case the actor sees (the case is visible to it): all, less the
    identity documents unless the policy lets it see them."""
    documents = CaseDocument.objects.filter(case=case).select_related(
        "uploaded_by", "uploaded_by_organization", "reviewed_by_organization"
    )
    if sees_identity_documents(actor, case):
        return documents
    hidden = _identity_keys(case)
    for step_key, document_key in hidden:
        documents = documents.exclude(step_key=step_key, document_key=document_key)
    return documents


def _identity_keys(case: Case) -> list[tuple[str, str]]:
    definition = registry.definition_version(case.country, case.procedure_version)
    return [(s.key, d.key) for s in definition.steps for d in s.documents if d.identity]


def document_get(actor: Actor, case_id: int, document_id: int) -> CaseDocument:
    case = case_get_for_user(actor, case_id)
    document = documents_visible(actor, case).filter(pk=document_id).first()
    if document is None:
        raise NotFound("document")
    return document


def document_download(actor: Actor, case_id: int, document_id: int) -> CaseDocument:
    """The document to send, after logging who downloads it."""
    document = document_get(actor, case_id, document_id)
    case = document.case
    parties = {
        case.receiving_organization_id,
        case.sending_agency_id,
        case.support_organization_id,
    }
    organization = next(
        (o for o in actor.organizations if o.pk in parties), next(iter(actor.organizations), None)
    )
    with transaction.atomic():
        DocumentDownload.objects.create(
            document=document, user=actor.required_user, organization=organization
        )
        audit_log.record_read(document, fields=("file",), detail="download")
    return document


# --- review -------------------------------------------------------------------------------


@transaction.atomic
def document_review(
    *, actor: Actor, case_id: int, document_id: int, decision: str, reason: str = ""
) -> CaseDocument:
    """Japan's contact point, or the city for its employers, marks the latest version of a
    document checked, or rejects it with a reason. A rejection sets aside the step's
    completion (the step is to do again; a completed case reopens) and e-mails the uploader."""
    found = document_get(actor, case_id, document_id)
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("receiving_organization")
        .get(pk=found.case_id)
    )
    reviewer = document_reviewer(actor, case)
    if reviewer is None:
        raise NotAllowed(_("Japan's contact point, or the city for its employers, reviews."))
    document = CaseDocument.objects.select_for_update().get(pk=found.pk)
    newer = CaseDocument.objects.filter(
        case=case,
        step_key=document.step_key,
        document_key=document.document_key,
        version__gt=document.version,
    )
    if newer.exists():
        raise Conflict(_("A newer version of this document was uploaded."), code="not_latest")
    problems: list[Problem] = []
    if decision not in (ReviewStatus.CHECKED, ReviewStatus.REJECTED):
        problems.append(
            Problem("invalid_choice", _("Choose checked or rejected."), field="decision")
        )
    text = validation.text_field(
        reason, "reason", problems, required=decision == ReviewStatus.REJECTED, max_length=1000
    )
    if problems:
        raise InvalidInput(problems)
    document.review_status = decision
    document.review_reason = text
    document.reviewed_by = actor.required_user
    document.reviewed_by_organization = reviewer
    document.reviewed_at = timezone.now()
    document.save()
    rejected = decision == ReviewStatus.REJECTED
    kind = EventKind.DOCUMENT_REJECTED if rejected else EventKind.DOCUMENT_CHECKED
    after = {"document": document.document_key, "version": document.version, "reason": text}
    record_event(case, kind, actor, reviewer, {}, after, step_key=document.step_key)
    if rejected:
        _set_aside(actor, case, document, reviewer, text)
    return document


def _set_aside(
    actor: Actor, case: Case, document: CaseDocument, reviewer: Organization, reason: str
) -> None:
    completion = (
        CaseStep.objects.filter(case=case, step_key=document.step_key, voided_at__isnull=True)
        .order_by("-id")
        .first()
    )
    if completion is not None:
        completion.voided_at = timezone.now()
        completion.voided_reason = reason
        completion.save(update_fields=["voided_at", "voided_reason"])
    if case.status == CaseStatus.COMPLETED:
        before = {"status": case.status}
        case.status, case.closed_at = CaseStatus.OPEN, None
        record_event(case, EventKind.STATUS_CHANGED, actor, reviewer, before, {"status": "open"})
    definition = registry.definition_version(case.country, case.procedure_version)
    sync_derived(
        case, evaluate(definition, registry.ssw_rules(), case_facts(case, timezone.localdate()))
    )
    case.save()
    address = document.uploaded_by.email
    if address:
        send_mail(
            _("A document of case %(reference)s was rejected") % {"reference": case.reference},
            _("%(name)s was rejected: %(reason)s. Upload it again and record the step again.")
            % {"name": document.name, "reason": reason},
            None,
            [address],
            fail_silently=True,
        )
