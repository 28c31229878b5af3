"""Incidents: a leak, loss or damage of personal data an organization records, with its
reports to the Personal Information Protection Commission and the notice to the persons
(appi 第26条). Whether a report is required and by when is privacy/rules.py's; here the
record is checked and written. Staff of the recording organization write it; Japan's
contact point reads every incident (access.visibility.incident_visibility)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import incident_recording_organizations, may_update_incident
from kakehashi.accounts.models import Organization
from kakehashi.core import validation
from kakehashi.core.errors import InvalidInput, NotAllowed, Problem
from kakehashi.people.models import Person
from kakehashi.people.selectors import persons_visible_to

from ..models import Incident, IncidentKind, IncidentStatus
from ..selectors import incident_get

TEXTS = {
    "title": (True, 200),
    "description": (True, 5000),
    "cause": (False, 5000),
    "measures": (False, 5000),
}
BOOLEANS = ("sensitive_data", "financial_damage_possible", "unauthorised_act", "strongly_encrypted")
REPORT_DATES = ("preliminary_report_on", "final_report_on", "persons_notified_on")
MAX_PERSONS = 100_000_000
MAX_LINKED = 200
YES = ("yes", "true", "on", "1")
NO = ("no", "false", "off", "0", "")


def _boolean(value: Any, name: str, problems: list[Problem]) -> bool:
    """True or False, or the words a form or a query sends for them."""
    if isinstance(value, bool):
        return value
    if value is None or (isinstance(value, str) and value.strip().lower() in NO):
        return False
    if isinstance(value, str) and value.strip().lower() in YES:
        return True
    problems.append(Problem("invalid_boolean", _("Answer yes or no."), field=name))
    return False


def _count(value: Any, problems: list[Problem]) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        problems.append(
            Problem("invalid_number", _("Enter a whole number."), field="persons_affected")
        )
        return 0
    if not 0 <= number <= MAX_PERSONS:
        problems.append(
            Problem(
                "out_of_range",
                _("Enter a number from 0 to %(max)s.") % {"max": f"{MAX_PERSONS:,}"},
                field="persons_affected",
            )
        )
    return number


def _persons(actor: Actor, ids: Any, problems: list[Problem]) -> list[Person]:
    """The persons named, each one the actor sees (one they do not see is refused like a
    missing one)."""
    if ids in (None, ""):
        return []
    try:
        wanted = sorted({int(i) for i in ids})
    except (TypeError, ValueError):
        problems.append(
            Problem("invalid_person", _("Choose persons from the list."), field="person_ids")
        )
        return []
    if len(wanted) > MAX_LINKED:
        problems.append(
            Problem(
                "too_many",
                _("Name at most %(max)s persons; give the number for the others.")
                % {"max": MAX_LINKED},
                field="person_ids",
            )
        )
        return []
    found = list(persons_visible_to(actor).filter(pk__in=wanted))
    if len(found) != len(wanted):
        problems.append(
            Problem("invalid_person", _("Choose persons from the list."), field="person_ids")
        )
    return found


def _clean(
    actor: Actor, data: Mapping[str, Any], current: Incident | None, today: datetime.date
) -> tuple[dict[str, Any], list[Person] | None]:
    """Every field, checked against the record as it would be: given values over the
    current ones. Raises InvalidInput with every problem at once."""

    def given(name: str) -> Any:
        if name in data:
            return data[name]
        return getattr(current, name) if current is not None else None

    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for name, (required, limit) in TEXTS.items():
        values[name] = validation.text_field(
            given(name), name, problems, required=required, max_length=limit
        )
    kind = given("kind")
    if kind not in IncidentKind.values:
        problems.append(Problem("invalid_choice", _("Choose what happened."), field="kind"))
    values["kind"] = kind
    status = given("status") or IncidentStatus.OPEN
    if status not in IncidentStatus.values:
        problems.append(Problem("invalid_choice", _("Choose open or closed."), field="status"))
    values["status"] = status
    for name in BOOLEANS:
        values[name] = _boolean(given(name), name, problems)
    values["persons_affected"] = _count(given("persons_affected"), problems)
    discovered = validation.date_field(given("discovered_on"), "discovered_on", problems)
    validation.not_in_future(discovered, "discovered_on", problems, today)
    values["discovered_on"] = discovered
    for name in REPORT_DATES:
        day = validation.date_field(given(name), name, problems, required=False)
        validation.not_in_future(day, name, problems, today)
        if day is not None and discovered is not None and day < discovered:
            problems.append(
                Problem(
                    "before_discovery",
                    _("This cannot be before the incident was discovered (%(day)s).")
                    % {"day": discovered.isoformat()},
                    field=name,
                )
            )
        values[name] = day
    persons = _persons(actor, data["person_ids"], problems) if "person_ids" in data else None
    if persons is not None and len(persons) > values["persons_affected"]:
        problems.append(
            Problem(
                "fewer_than_named",
                _("At least as many persons are affected as are named (%(n)s).")
                % {"n": len(persons)},
                field="persons_affected",
            )
        )
    if problems:
        raise InvalidInput(problems)
    return values, persons


def _organization(actor: Actor, organization_id: Any) -> Organization:
    candidates = list(incident_recording_organizations(actor))
    if organization_id not in (None, ""):
        candidates = [o for o in candidates if str(o.pk) == str(organization_id)]
    if not candidates:
        raise NotAllowed(_("Only staff of an organization record its incidents."))
    if len(candidates) > 1:
        raise InvalidInput(
            [
                Problem(
                    "required",
                    _("Choose the organization the incident concerns."),
                    field="organization_id",
                )
            ]
        )
    return candidates[0]


@transaction.atomic
def incident_create(
    *, actor: Actor, data: Mapping[str, Any], today: datetime.date | None = None
) -> Incident:
    """Record an incident for the actor's organization."""
    organization = _organization(actor, data.get("organization_id"))
    values, persons = _clean(actor, data, None, today or timezone.localdate())
    incident = Incident.objects.create(
        organization=organization, recorded_by=actor.required_user, **values
    )
    if persons:
        incident.persons.set(persons)
    return incident


@transaction.atomic
def incident_update(
    *,
    actor: Actor,
    incident_id: int,
    data: Mapping[str, Any],
    today: datetime.date | None = None,
) -> Incident:
    """Change an incident: the facts as they become known, the cause and measures, the
    reports sent and the persons notified, its status."""
    found = incident_get(actor, incident_id)
    if not may_update_incident(actor, found):
        raise NotAllowed(_("Only staff of the organization that recorded it change an incident."))
    incident = Incident.objects.select_for_update().get(pk=found.pk)
    values, persons = _clean(actor, data, incident, today or timezone.localdate())
    for name, value in values.items():
        setattr(incident, name, value)
    incident.save()
    if persons is not None:
        incident.persons.set(persons)
    return incident
