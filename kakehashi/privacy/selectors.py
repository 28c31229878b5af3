"""Reads of the personal-data records, always through the actor (docs/access.md): a
worker's own correction requests, the requests a registering organization answers, a
person's erasure, and the incidents each organization sees."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from kakehashi.access import Actor
from kakehashi.access.visibility import incident_visibility
from kakehashi.core.errors import NotFound
from kakehashi.people.models import Person
from kakehashi.people.selectors import person_get_for_user

from . import rules
from .models import CorrectionRequest, CorrectionStatus, Erasure, Incident, IncidentStatus


def own_person(actor: Actor) -> Person:
    """The worker's own record (404 for anyone who is not a worker)."""
    if actor.person_id is None:
        raise NotFound("person")
    person = Person.objects.filter(pk=actor.person_id).first()
    if person is None:
        raise NotFound("person")
    return person


def person_for_export(actor: Actor, person_id: int) -> Person:
    """The person the actor sees (404 otherwise); the service decides who may export."""
    return person_get_for_user(actor, person_id)


def corrections_of(person: Person) -> QuerySet[CorrectionRequest]:
    return CorrectionRequest.objects.filter(person=person).select_related("decided_by_organization")


def open_corrections(person: Person) -> QuerySet[CorrectionRequest]:
    return corrections_of(person).filter(status=CorrectionStatus.OPEN).order_by("filed_at", "id")


def erasure_of(person: Person) -> Erasure | None:
    return Erasure.objects.filter(person=person).select_related("by", "organization").first()


def incidents_visible_to(actor: Actor) -> QuerySet[Incident]:
    return (
        Incident.objects.filter(incident_visibility(actor))
        .select_related("organization")
        .prefetch_related("persons")
        .order_by("-discovered_on", "-id")
    )


def incident_get(actor: Actor, incident_id: int) -> Incident:
    incident = incidents_visible_to(actor).filter(pk=incident_id).first()
    if incident is None:
        raise NotFound("incident")
    return incident


def facts_of(incident: Incident) -> rules.IncidentFacts:
    return rules.IncidentFacts(
        sensitive_data=incident.sensitive_data,
        financial_damage_possible=incident.financial_damage_possible,
        unauthorised_act=incident.unauthorised_act,
        persons_affected=incident.persons_affected,
        strongly_encrypted=incident.strongly_encrypted,
    )


def reports_due(today: datetime.date) -> list[dict[str, Any]]:
    """Open incidents whose report to the Commission is required and not yet sent: the
    preliminary and the final report, each with its deadline (for the reminders)."""
    due = []
    open_incidents = Incident.objects.filter(status=IncidentStatus.OPEN).filter(
        Q(preliminary_report_on__isnull=True) | Q(final_report_on__isnull=True)
    )
    for incident in open_incidents.order_by("id"):
        if not rules.report_required(facts_of(incident)):
            continue
        sent = {
            "preliminary": incident.preliminary_report_on,
            "final": incident.final_report_on,
        }
        for deadline in rules.deadlines(incident.discovered_on, incident.unauthorised_act):
            if deadline.key in sent and sent[deadline.key] is None:
                due.append({"incident": incident, "deadline": deadline})
    return due
