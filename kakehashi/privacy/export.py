"""Everything Kakehashi holds about one person, as plain data (appi 第33条, disclosure): the
JSON export and the PDF are made from it. Keys are stable English words, dates ISO 8601,
kinds and statuses their codes (the PDF shows them in words).

Left out: other people's personal data (who among the staff did something: only their
organization is named), files (a document's metadata only), and what the two governments'
contact points exchange about the person under the MOC (moc_kg §3: misconduct and
test-fraud reports, inquiries, return support), which the worker does not see either."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kakehashi.audit.log import record
from kakehashi.audit.models import Action
from kakehashi.cases.models import Case
from kakehashi.core import crypto
from kakehashi.hub.models import PoolCandidate
from kakehashi.joboffers.models import CandidateContact
from kakehashi.people.models import Person
from kakehashi.protection.models import Fee, Grievance
from kakehashi.support.models import ImmigrationNotification, SupportPlan

from .models import CORRECTABLE_FIELDS, CorrectionRequest, Erasure, Incident

FORMAT = "kakehashi-personal-data/1"
# The person's record in the export: what they may ask to correct, and their contacts.
PERSON_KEYS = (*CORRECTABLE_FIELDS, "email", "phone")


def _v(value: Any) -> Any:
    """A value as JSON: dates and times in ISO 8601, amounts as text (exact)."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _clear(evidence: Any) -> Any:
    """A step's evidence as the person gave it: identifiers kept encrypted (core.crypto,
    "sealed") are the person's own data, shown to them in clear."""
    if not isinstance(evidence, dict):
        return evidence
    return {k: crypto.unseal(v) if crypto.is_sealed(v) else v for k, v in evidence.items()}


def _org(organization: Any) -> str | None:
    return organization.name_en if organization is not None else None


def _person(person: Person) -> dict[str, Any]:
    data = {key: _v(getattr(person, key)) for key in PERSON_KEYS}
    data["registered_by"] = _org(person.created_by_organization)
    data["registered_at"] = _v(person.created_at)
    return data


def _history(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "at": _v(e.at),
            "kind": e.kind,
            "organization": _org(e.organization),
            "changes": e.changes,
        }
        for e in person.events.select_related("organization").order_by("at", "id")
    ]


def _tests(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "kind": t.kind,
            "test": t.test_code,
            "business_category": t.business_category.code if t.business_category else None,
            "level": t.level,
            "passed": t.passed,
            "taken_on": _v(t.taken_on),
            "certificate_number": t.certificate_number,
            "verification": t.verification,
            "entered_by": _org(t.entered_by_organization),
        }
        for t in person.test_results.select_related(
            "business_category", "entered_by_organization"
        ).order_by("taken_on", "id")
    ]


def _exemptions(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "kind": e.kind,
            "field": e.field.code,
            "evidence": e.evidence,
            "recorded_on": _v(e.recorded_on),
        }
        for e in person.exemptions.select_related("field").order_by("recorded_on", "id")
    ]


def _presentations(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "organization": _org(p.organization),
            "presented_by": _org(p.presented_by_organization),
            "presented_at": _v(p.presented_at),
        }
        for p in person.presentations.select_related(
            "organization", "presented_by_organization"
        ).order_by("presented_at", "id")
    ]


def _plan(case: Case) -> dict[str, Any] | None:
    plan = SupportPlan.objects.filter(case=case).first()
    if plan is None:
        return None
    return {
        "starts_on": _v(plan.starts_on),
        "items": [
            {
                "item": i.key,
                "delivered_by": _org(i.deliverer),
                "planned_on": _v(i.planned_on),
                "done_on": _v(i.done_on),
                "record": i.record,
            }
            for i in plan.items.select_related("deliverer")
        ],
        "interviews": [
            {
                "due_on": _v(i.due_on),
                "held_on": _v(i.held_on),
                "in_person": i.in_person,
                "notes": i.notes,
            }
            for i in plan.interviews.all()
        ],
    }


def _fees(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "charged_by": _org(f.charged_by),
            "purpose": f.purpose,
            "basis": f.basis,
            "amount": _v(f.amount),
            "currency": f.currency,
            "breakdown": f.breakdown,
            "recorded_at": _v(f.recorded_at),
            "acknowledgements": [
                {"acknowledged_on": _v(a.acknowledged_on), "by_worker": a.by_worker}
                for a in f.acknowledgements.all()
            ],
        }
        for f in Fee.objects.filter(case=case)
        .select_related("charged_by")
        .prefetch_related("acknowledgements")
    ]


def _case(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "status": case.status,
        "country": case.country,
        "procedure_version": case.procedure_version,
        "pattern": case.pattern,
        "field": case.field.code,
        "business_category": case.business_category.code,
        "receiving_organization": _org(case.receiving_organization),
        "sending_agency": _org(case.sending_agency),
        "support_organization": _org(case.support_organization),
        "current_step": case.current_step,
        "opened_at": _v(case.created_at),
        "closed_at": _v(case.closed_at),
        "steps": [
            {
                "step": s.step_key,
                "round": s.round,
                "happened_on": _v(s.happened_on),
                "evidence": _clear(s.evidence),
                "recorded_by": _org(s.organization),
                "set_aside_at": _v(s.voided_at),
            }
            for s in case.steps.select_related("organization").order_by("id")
        ],
        "events": [
            {
                "at": _v(e.at),
                "kind": e.kind,
                "step": e.step_key,
                "organization": _org(e.organization),
                "before": e.before,
                "after": e.after,
            }
            for e in case.events.select_related("organization").order_by("id")
        ],
        "documents": [
            {
                "step": d.step_key,
                "document": d.document_key,
                "version": d.version,
                "name": d.name,
                "content_type": d.content_type,
                "size": d.size,
                "uploaded_at": _v(d.uploaded_at),
                "uploaded_by": _org(d.uploaded_by_organization),
                "review": d.review_status,
                "review_reason": d.review_reason,
                "file_erased": not d.file,
            }
            for d in case.documents.select_related("uploaded_by_organization")
        ],
        "support_plan": _plan(case),
        "stay_periods": [
            {"basis": p.basis, "granted_on": _v(p.granted_on), "expires_on": _v(p.expires_on)}
            for p in case.stay_periods.all()
        ],
        "extension_applications": [
            {
                "applied_on": _v(a.applied_on),
                "decided_on": _v(a.decided_on),
                "outcome": a.outcome,
            }
            for a in case.extension_applications.all()
        ],
        "leave": [
            {"kind": x.kind, "starts_on": _v(x.starts_on), "ends_on": _v(x.ends_on)}
            for x in case.stay_leave.all()
        ],
        "notifications_to_immigration": [
            {
                "kind": n.kind,
                "event_on": _v(n.event_on),
                "details": n.details,
                "due_on": _v(n.due_on),
                "status": n.status,
                "filed_on": _v(n.filed_on),
            }
            for n in ImmigrationNotification.objects.filter(case=case)
        ],
        "fees": _fees(case),
    }


def _grievances(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "categories": g.categories,
            "description": g.description,
            "case": g.case.reference if g.case else None,
            "handled_by": _org(g.owner_organization),
            "stage": g.stage,
            "filed_at": _v(g.created_at),
            "due_on": _v(g.due_on),
            "messages": [
                {"at": _v(m.at), "from_worker": m.from_worker, "text": m.text}
                for m in g.messages.all()
            ],
        }
        for g in Grievance.objects.filter(person=person)
        .select_related("owner_organization", "case")
        .prefetch_related("messages")
        .order_by("created_at", "id")
    ]


def _consents(person: Person) -> list[dict[str, Any]]:
    entry = (
        PoolCandidate.objects.filter(person=person).select_related("institution", "field").first()
    )
    if entry is None:
        return []
    return [
        {
            "kind": "presentation_to_employers",
            "institution": _org(entry.institution),
            "field": entry.field.code,
            "japanese_level": entry.japanese_level,
            "available_from": _v(entry.available_from),
            "consented_at": _v(entry.consented_at),
            "signed_consent": entry.consent_reference,
        }
    ]


def _contacts(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "job_offer": c.job_offer.title,
            "employer": _org(c.job_offer.receiving_organization),
            "contacted_on": _v(c.contacted_on),
            "email": c.email,
            "phone": c.phone,
            "message": c.message,
        }
        for c in CandidateContact.objects.filter(person=person).select_related(
            "job_offer__receiving_organization"
        )
    ]


def _corrections(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "field": c.field,
            "value": c.clear_value,
            "note": c.note,
            "status": c.status,
            "filed_at": _v(c.filed_at),
            "answered_at": _v(c.decided_at),
            "answered_by": _org(c.decided_by_organization),
            "refusal_reason": c.refusal_reason,
        }
        for c in CorrectionRequest.objects.filter(person=person)
        .select_related("decided_by_organization")
        .order_by("filed_at", "id")
    ]


def _incidents(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "organization": _org(i.organization),
            "kind": i.kind,
            "discovered_on": _v(i.discovered_on),
            "persons_notified_on": _v(i.persons_notified_on),
        }
        for i in Incident.objects.filter(persons=person).select_related("organization")
    ]


def _account(person: Person) -> dict[str, Any] | None:
    account = getattr(person, "worker_account", None)
    if account is None:
        return None
    user = account.user
    return {
        "sign_in_name": user.get_username(),
        "opened_at": _v(account.created_at),
        "last_sign_in": _v(user.last_login),
        "active": user.is_active,
    }


def _erasure(person: Person) -> dict[str, Any] | None:
    erasure = Erasure.objects.filter(person=person).select_related("organization").first()
    if erasure is None:
        return None
    return {"at": _v(erasure.at), "rule": erasure.rule, "by": _org(erasure.organization)}


def person_export(person: Person) -> dict[str, Any]:
    """The person's data, all of it that concerns them (see the module's note on what is
    left out)."""
    cases = (
        Case.objects.filter(person=person)
        .select_related(
            "field",
            "business_category",
            "receiving_organization",
            "sending_agency",
            "support_organization",
        )
        .order_by("created_at", "id")
    )
    return {
        "format": FORMAT,
        "generated_at": _v(timezone.now()),
        "person": _person(person),
        "anonymised": _erasure(person),
        "account": _account(person),
        "record_history": _history(person),
        "test_results": _tests(person),
        "exemptions": _exemptions(person),
        "presentations": _presentations(person),
        "cases": [_case(c) for c in cases],
        "grievances": _grievances(person),
        "consents": _consents(person),
        "job_offer_contacts": _contacts(person),
        "correction_requests": _corrections(person),
        "incidents": _incidents(person),
    }


def record_export(person: Person, form: str) -> None:
    """The export is a read of everything about the person: the audit log says who made
    it, when, and in which form ("json", "pdf", "api")."""
    record(Action.EXPORT, person, detail=f"personal data export ({form})")
