"""A case as its readers see it: the evaluation, history, flags and deadlines put into
plain data in the reader's language. Shared by the API and the pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import document_reviewer
from kakehashi.procedures import registry
from kakehashi.procedures.engine import Evaluation, StepState
from kakehashi.procedures.labels import role_name, side_name
from kakehashi.procedures.rules import Finding
from kakehashi.procedures.schema import DocumentSpec, EvidenceField, Text
from kakehashi.reference.citations import cite
from kakehashi.registries.selectors import decision_reasons

from . import identifiers, messages
from .models import Case, CaseStatus, CaseStep, EventKind
from .selectors import case_evaluation
from .services.documents import documents_visible, latest_documents


def _t(text: Text | None) -> str:
    return text.get(get_language() or "en") if text else ""


def evidence_spec(field: EvidenceField) -> dict[str, Any]:
    return {
        "key": field.key,
        "type": field.type,
        "label": _t(field.label),
        "required": field.required,
        "help": _t(field.help),
        "choices": [{"key": c.key, "label": _t(c.label)} for c in field.choices],
        "max_length": field.max_length if field.type == "text" else None,
        "min": field.min,
        "max": field.max,
    }


def document_spec(document: DocumentSpec) -> dict[str, Any]:
    """A document of the next step's checklist, with who provides it and its source."""
    return {
        "key": document.key,
        "title": _t(document.title),
        "required": document.required,
        "unless_refused": document.required_unless is not None,
        "identity": document.identity,
        "provided_by": document.provided_by,
        "provided_by_name": role_name(document.provided_by),
        "source": cite(document.source.cite()),
        "source_ref": document.source.cite(),
    }


def _step_data(state: StepState, rows: dict[int, CaseStep]) -> dict[str, Any]:
    completion = None
    if state.completion is not None:
        row = rows.get(state.completion.seq)
        completion = {
            "round": state.completion.round,
            "happened_on": state.completion.happened_on,
            "evidence": identifiers.masked(state.step, state.completion.evidence),
            "completed_at": row.completed_at if row else None,
            "completed_by": row.completed_by.username if row else None,
            "organization": row.organization.display_name if row and row.organization else None,
        }
    step = state.step
    return {
        "key": state.key,
        "title": _t(step.title),
        "description": _t(step.description),
        "status": state.status,
        "side": step.side or "",
        "side_name": side_name(step.side),
        "partner_procedure": step.partner_procedure,
        "roles": list(step.roles),
        "performed_by": _t(step.performed_by),
        "source": cite(state.source),
        "source_ref": state.source,
        "redo": state.redo,
        "completion": completion,
        "blockers": messages.as_dicts(state.blockers),
        "advice": messages.as_dicts(state.advice),
    }


def case_detail(case: Case, actor: Actor, evaluation: Evaluation | None = None) -> dict[str, Any]:
    evaluation = evaluation or case_evaluation(case)
    roles = actor.case_roles(case)
    rows = {s.pk: s for s in case.steps.select_related("completed_by", "organization")}
    steps = [_step_data(s, rows) for s in evaluation.steps]
    # What can be done next: available steps, steps that may be done again, and blocked
    # steps (with why): a rule judged today may still allow a step dated earlier.
    next_actions = [
        {
            "step": s.key,
            "title": _t(s.step.title),
            "status": "redo" if s.redo else s.status,
            "roles": list(s.step.roles),
            "redo": s.redo,
            "can_complete": bool(roles & set(s.step.roles)),
            "blockers": messages.as_dicts(s.blockers),
            "evidence": [evidence_spec(f) for f in s.step.evidence],
            "documents": [document_spec(d) for d in s.step.documents],
        }
        for s in evaluation.steps
        if (s.actionable or s.status == "blocked") and case.status == "open"
    ]
    deadlines = [
        {
            "key": d.key,
            "title": _t(d.deadline.title),
            "set_by": d.set_by,
            "starts_on": d.starts_on,
            "due_on": d.due_on,
            "met": d.met,
            "expired": d.expired,
            "source": cite(d.source),
            "source_ref": d.source,
        }
        for d in evaluation.deadlines
    ]
    flags = _flags(case, actor)
    titles = {s.key: _t(s.step.title) for s in evaluation.steps}
    events = [
        {
            "id": e.pk,
            "kind": e.kind,
            "kind_label": str(EventKind(e.kind).label) if e.kind in EventKind.values else e.kind,
            "step_title": titles.get(e.step_key, e.step_key),
            "step_key": e.step_key,
            "actor": e.actor.username if e.actor else None,
            "organization": e.organization.display_name if e.organization else None,
            "at": e.at,
            "before": e.before,
            "after": _event_after(e.kind, e.after),
        }
        for e in case.events.select_related("actor", "organization")
    ]
    return {
        **case_summary(case, evaluation),
        "procedure": {"country": case.country, "version": case.procedure_version},
        "pattern_title": _t(evaluation.pattern.title),
        "finished": evaluation.finished,
        "your_roles": sorted(roles),
        "steps": steps,
        "next_actions": next_actions,
        "deadlines": deadlines,
        "flags": flags,
        "events": events,
    }


# Written into flag events before the ministry's reasons were kept to the contact points
# (moc_kg §3): never shown from the history; the flag itself shows a reason to those who
# may read it.
_UNSHOWN_FLAG_KEYS = frozenset({"reason", "message"})


def _event_after(kind: str, after: dict[str, Any]) -> dict[str, Any]:
    if kind != EventKind.FLAG_RAISED:
        return after
    return {k: v for k, v in after.items() if k not in _UNSHOWN_FLAG_KEYS}


def _flags(case: Case, actor: Actor) -> list[dict[str, Any]]:
    """The open flags, each in words. A flag for an agency decision adds the ministry's
    reason for the readers the MOC lets see it (moc_kg §3: the contact points, or others
    as far as the ministry's written consent allows)."""
    rows = list(case.flags.filter(cleared_at__isnull=True))
    decision_ids = [int(f.params["decision"]) for f in rows if f.params.get("decision")]
    reasons = decision_reasons(actor, decision_ids) if decision_ids else {}
    flags = []
    for f in rows:
        message = messages.render(Finding(f.code, f.source, f.params))
        reason = reasons.get(int(f.params.get("decision") or 0), "")
        if reason:
            message += " " + _("The ministry's reason: %(reason)s") % {"reason": reason}
        flags.append(
            {
                "code": f.code,
                "message": message,
                "source": cite(f.source),
                "source_ref": f.source,
                "step_key": f.step_key,
                "raised_at": f.raised_at,
            }
        )
    return flags


def case_summary(case: Case, evaluation: Evaluation | None = None) -> dict[str, Any]:
    from kakehashi.procedures import registry

    definition = (
        evaluation.definition
        if evaluation
        else registry.definition_version(case.country, case.procedure_version)
    )
    title = ""
    if case.current_step:
        title = _t(definition.step(case.current_step).title)
    return {
        "id": case.pk,
        "reference": case.reference,
        "country": case.country,
        "pattern": case.pattern,
        "status": case.status,
        "status_label": str(CaseStatus(case.status).label),
        "current_step": case.current_step,
        "current_step_title": title,
        "person": {
            "id": case.person_id,
            "family_name": case.person.family_name,
            "given_names": case.person.given_names,
        },
        "receiving_organization": {
            "id": case.receiving_organization_id,
            "name": case.receiving_organization.display_name,
        },
        "sending_agency": (
            {"id": case.sending_agency_id, "name": case.sending_agency.display_name}
            if case.sending_agency
            else None
        ),
        "field": case.field.code,
        "field_name": case.field.display_name,
        "business_category": case.business_category.code,
        "business_category_name": case.business_category.display_name,
        "created_at": case.created_at,
        "updated_at": case.updated_at,
    }


def document_checklist(
    actor: Actor, case: Case, next_actions: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The next steps' documents with what is on file: missing, or its latest version and
    review (an identity document the actor may not see shows only that it is on file)."""
    latest = latest_documents(case)
    visible = set(documents_visible(actor, case).values_list("pk", flat=True))
    reviewer = document_reviewer(actor, case) is not None
    checklist = []
    for action in next_actions:
        if not action["documents"]:
            continue
        rows = []
        for spec in action["documents"]:
            on_file = latest.get((action["step"], spec["key"]))
            rows.append(
                {
                    **spec,
                    "on_file": on_file if on_file is not None and on_file.pk in visible else None,
                    "hidden": on_file is not None and on_file.pk not in visible,
                    "status": on_file.review_status if on_file is not None else "missing",
                }
            )
        checklist.append(
            {
                **action,
                "documents": rows,
                "may_upload": action["can_complete"],
                "may_review": reviewer,
            }
        )
    return checklist


def case_documents(actor: Actor, case: Case) -> dict[str, Any]:
    """Every document of the case the actor may see, all versions, each with its step's and
    its own title, and whether the actor reviews them."""
    definition = registry.definition_version(case.country, case.procedure_version)
    titles = {
        (step.key, d.key): (_t(step.title), _t(d.title))
        for step in definition.steps
        for d in step.documents
    }
    rows = documents_visible(actor, case).order_by("step_key", "document_key", "-version")
    return {
        "rows": [
            {
                "document": d,
                "step_title": titles.get((d.step_key, d.document_key), ("", ""))[0],
                "title": titles.get((d.step_key, d.document_key), ("", d.name))[1],
            }
            for d in rows
        ],
        "may_review": document_reviewer(actor, case) is not None,
    }
