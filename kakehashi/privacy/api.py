"""Personal data under /api/v1/privacy: a worker's own data (appi 第33条), the export the
registering organization makes on a person's request, and the incidents each organization
records (appi 第26条) with whether a report is required and by when. Someone who may not
see a record gets the same 404 as for one that does not exist."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from kakehashi.access import request_actor
from kakehashi.access.policy import personal_data_organization, sees_incidents
from kakehashi.core.errors import NotAllowed, NotFound
from kakehashi.core.schemas import Day

from .export import person_export, record_export
from .presenters import incident_data
from .selectors import incident_get, incidents_visible_to, own_person, person_for_export
from .services.incidents import MAX_PERSONS, incident_create, incident_update

router = Router(tags=["privacy"])

Text200 = Field(max_length=200)
Text5000 = Field(max_length=5000)


@router.get("/my-data", response=dict[str, Any])
def my_data(request: HttpRequest) -> Any:
    """Everything held about the signed-in worker (their own account only; 404 otherwise)."""
    person = own_person(request_actor(request))
    record_export(person, "api")
    return person_export(person)


@router.get("/persons/{person_id}/export", response=dict[str, Any])
def person_data(request: HttpRequest, person_id: int) -> Any:
    """The same export, made by the organization that registered the person, on their
    request."""
    actor = request_actor(request)
    person = person_for_export(actor, person_id)
    if personal_data_organization(actor, person) is None:
        raise NotAllowed(
            _("Only the organization that registered this person handles their data requests.")
        )
    record_export(person, "api")
    return person_export(person)


class IncidentIn(Schema):
    title: str = Text200
    description: str = Text5000
    kind: str = Field(max_length=24, description="leak, loss, damage or unauthorised_access")
    discovered_on: Day
    sensitive_data: bool
    financial_damage_possible: bool
    unauthorised_act: bool
    strongly_encrypted: bool = False
    persons_affected: int = Field(ge=0, le=MAX_PERSONS)
    person_ids: list[int] = Field(default=[], max_length=200)
    cause: str = Field(default="", max_length=5000)
    measures: str = Field(default="", max_length=5000)
    preliminary_report_on: Day | None = None
    final_report_on: Day | None = None
    persons_notified_on: Day | None = None
    status: str = Field(default="open", max_length=8, description="open or closed")
    organization_id: int | None = None


class IncidentPatch(Schema):
    title: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    kind: str | None = Field(default=None, max_length=24)
    discovered_on: Day | None = None
    sensitive_data: bool | None = None
    financial_damage_possible: bool | None = None
    unauthorised_act: bool | None = None
    strongly_encrypted: bool | None = None
    persons_affected: int | None = Field(default=None, ge=0, le=MAX_PERSONS)
    person_ids: list[int] | None = Field(default=None, max_length=200)
    cause: str | None = Field(default=None, max_length=5000)
    measures: str | None = Field(default=None, max_length=5000)
    preliminary_report_on: Day | None = None
    final_report_on: Day | None = None
    persons_notified_on: Day | None = None
    status: str | None = Field(default=None, max_length=8)


@router.get("/incidents", response=list[dict[str, Any]])
def list_incidents(request: HttpRequest) -> Any:
    """The incidents the caller's organizations recorded (Japan's contact point: all)."""
    actor = request_actor(request)
    if not sees_incidents(actor):
        raise NotFound("incident")
    return [incident_data(i, actor) for i in incidents_visible_to(actor)[:500]]


@router.post("/incidents", response={201: dict[str, Any]})
def create_incident(request: HttpRequest, payload: IncidentIn) -> Any:
    """Record an incident; the answer says whether a report is required, why, and by when."""
    actor = request_actor(request)
    incident = incident_create(actor=actor, data=payload.dict())
    return Status(201, incident_data(incident_get(actor, incident.pk), actor))


@router.get("/incidents/{incident_id}", response=dict[str, Any])
def get_incident(request: HttpRequest, incident_id: int) -> Any:
    actor = request_actor(request)
    return incident_data(incident_get(actor, incident_id), actor)


@router.patch("/incidents/{incident_id}", response=dict[str, Any])
def update_incident(request: HttpRequest, incident_id: int, payload: IncidentPatch) -> Any:
    """Change what is given: the facts as they become known, the reports sent, the status.
    A field sent as null is cleared where it may be (the report dates)."""
    actor = request_actor(request)
    data = payload.dict(exclude_unset=True)
    incident = incident_update(actor=actor, incident_id=incident_id, data=data)
    return incident_data(incident_get(actor, incident.pk), actor)
