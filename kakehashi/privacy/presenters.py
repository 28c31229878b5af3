"""Incidents and correction requests as plain data for the API and the pages: with an
incident, whether a report to the Commission is required and why (each criterion with its
source) and the deadlines with theirs."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kakehashi.access import Actor
from kakehashi.access.policy import may_update_incident
from kakehashi.core import crypto
from kakehashi.people.forms import field_label
from kakehashi.people.models import Person
from kakehashi.reference.citations import cite

from . import rules
from .models import CorrectionRequest, CorrectionStatus, Incident, IncidentKind, IncidentStatus
from .selectors import facts_of

CRITERIA: dict[str, Any] = {
    "sensitive_data": _("Sensitive personal information is involved."),
    "financial_damage": _("Misuse of the data may cause financial damage."),
    "unauthorised_act": _("It was caused, or possibly caused, by an unauthorised act."),
    "many_persons": _("More than 1,000 persons are affected."),
}
DEADLINES: dict[str, Any] = {
    "preliminary": _("Preliminary report to the Commission"),
    "final": _("Final report to the Commission"),
    "notify_persons": _("Notify the persons affected"),
}
# Shown masked where the record's current value is shown (as on the person page).
MASKED = frozenset({"passport_number"})
SENT_FIELD = {
    "preliminary": "preliminary_report_on",
    "final": "final_report_on",
    "notify_persons": "persons_notified_on",
}


def _state(due: datetime.date | None, done: datetime.date | None, today: datetime.date) -> str:
    """done, done_late, due, overdue, or promptly (no fixed day, not done)."""
    if done is not None:
        return "done_late" if due is not None and done > due else "done"
    if due is None:
        return "promptly"
    return "overdue" if today > due else "due"


def incident_data(
    incident: Incident, actor: Actor | None = None, today: datetime.date | None = None
) -> dict[str, Any]:
    today = today or timezone.localdate()
    facts = facts_of(incident)
    met = rules.criteria_met(facts)
    required = bool(met)
    deadlines = [
        {
            "key": d.key,
            "title": str(DEADLINES[d.key]),
            "due_on": d.due_on,
            "done_on": getattr(incident, SENT_FIELD[d.key]),
            "state": _state(d.due_on, getattr(incident, SENT_FIELD[d.key]), today),
            "source": cite(d.source),
            "source_ref": d.source,
        }
        for d in rules.deadlines(incident.discovered_on, incident.unauthorised_act)
    ]
    exemption = rules.rules().incidents.exemption
    return {
        "id": incident.pk,
        "organization": {
            "id": incident.organization_id,
            "name": incident.organization.display_name,
        },
        "title": incident.title,
        "description": incident.description,
        "kind": incident.kind,
        "kind_label": str(IncidentKind(incident.kind).label),
        "discovered_on": incident.discovered_on,
        "sensitive_data": incident.sensitive_data,
        "financial_damage_possible": incident.financial_damage_possible,
        "unauthorised_act": incident.unauthorised_act,
        "strongly_encrypted": incident.strongly_encrypted,
        "persons_affected": incident.persons_affected,
        "person_ids": sorted(p.pk for p in incident.persons.all()),
        "cause": incident.cause,
        "measures": incident.measures,
        "preliminary_report_on": incident.preliminary_report_on,
        "final_report_on": incident.final_report_on,
        "persons_notified_on": incident.persons_notified_on,
        "status": incident.status,
        "status_label": str(IncidentStatus(incident.status).label),
        "report_required": required,
        "report_source": cite(rules.rules().incidents.report_source),
        "report_source_ref": rules.rules().incidents.report_source,
        "criteria_met": [
            {
                "key": c.key,
                "message": str(CRITERIA.get(c.key, c.key)),
                "source": cite(c.source),
                "source_ref": c.source,
            }
            for c in met
        ],
        "exempt_by_encryption": incident.strongly_encrypted,
        "exemption_source": cite(exemption.source),
        "deadlines": deadlines if required else [],
        "next_deadline": next(
            (d for d in deadlines if required and d["state"] in ("due", "overdue")), None
        ),
        "may_update": actor is not None and may_update_incident(actor, incident),
        "created_at": incident.created_at,
        "updated_at": incident.updated_at,
    }


def correction_data(request: CorrectionRequest) -> dict[str, Any]:
    return {
        "id": request.pk,
        "field": request.field,
        "field_label": str(field_label(Person, request.field)),
        "value": request.clear_value,
        "note": request.note,
        "status": request.status,
        "status_label": str(CorrectionStatus(request.status).label),
        "filed_at": request.filed_at,
        "decided_at": request.decided_at,
        "decided_by": request.decided_by_organization.display_name
        if request.decided_by_organization
        else "",
        "refusal_reason": request.refusal_reason,
        # What the record says now, for whoever answers the request.
        "current": _shown(request.field, getattr(request.person, request.field, "")),
    }


def _shown(name: str, value: Any) -> str:
    """What the record says now, as the person page shows it: identifiers masked."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if name in MASKED:
        return crypto.mask(str(value or ""))
    return str(value or "")
