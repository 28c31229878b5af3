"""Shared pieces for the registries' tests: dates relative to today (decisions cannot be in
the future), the decision service called the way a person would, a count of every row a
registry write could leave behind (to prove that a refused write left none), and cases
built through the case services."""

from __future__ import annotations

import datetime
from typing import Any, cast

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.accounts.models import MemberRole, Organization, OrganizationKind, User
from kakehashi.cases import services as case_services
from kakehashi.cases.models import Case, CaseEvent, CaseFlag
from kakehashi.cases.tests.helpers import PATTERN_STEPS, actor_for, evidence_for
from kakehashi.people.models import Person
from kakehashi.registries import services
from kakehashi.registries.models import (
    AgencyCertificationDecision,
    FieldSuspension,
    ImprovementOrder,
    Notice,
    PlacementLicence,
    SupportOrganizationRegistration,
)
from kakehashi.testing.documents import required_uploads
from kakehashi.testing.factories import (
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    certify,
    make_eligible,
)


def today() -> datetime.date:
    return timezone.localdate()


def day(offset: int) -> datetime.date:
    """Today plus `offset` days (negative: in the past)."""
    return today() + datetime.timedelta(days=offset)


# --- Who wrote what -----------------------------------------------------------------------

WRITTEN = {
    "decisions": AgencyCertificationDecision,
    "notices": Notice,
    "case_flags": CaseFlag,
    "case_events": CaseEvent,
    "cases": Case,
    "improvement_orders": ImprovementOrder,
    "support_registrations": SupportOrganizationRegistration,
    "field_suspensions": FieldSuspension,
    "placement_licences": PlacementLicence,
}


def counts() -> dict[str, int]:
    """How many rows of each kind a registry write touches; equal before and after a
    refused write means nothing was written."""
    return {name: model.objects.count() for name, model in WRITTEN.items()}


# --- People and organizations beyond the world ----------------------------------------------


def member(username: str, org: Organization, role: str = MemberRole.CLERK) -> User:
    user = cast(User, UserFactory(username=username))
    MembershipFactory(user=user, organization=org, role=role)
    return user


def sending_agency(name: str, country: str = "KG", certified_on: Any = None) -> Organization:
    """Another sending agency; certified from `certified_on` (until 2099) when given."""
    agency = cast(
        Organization,
        OrganizationFactory(kind=OrganizationKind.SENDING_AGENCY, country=country, name_en=name),
    )
    if certified_on is not None:
        certify(agency, certified_on, datetime.date(2099, 12, 31))
    return agency


# --- Decisions on agencies ------------------------------------------------------------------


def decide(
    actor: User, agency: Organization, action: str, on: datetime.date | None = None, **fields: Any
) -> AgencyCertificationDecision:
    """One decision through the service, with a reason where the action needs one and a
    validity period for a certification, unless the test gives its own."""
    if action in ("refused", "suspended", "revoked"):
        fields.setdefault("reason", f"{action}: criteria of MOC §7 not met")
    if action == "certified":
        fields.setdefault("valid_until", (on or today()) + relativedelta(years=3))
    return services.agency_decision_record(
        actor=Actor.of(actor), agency_id=agency.pk, action=action, effective_on=on, **fields
    )


def state_of(agency: Organization, on: datetime.date | None = None) -> str:
    state, _decision = services.agency_state_on(agency, on or today())
    return state


# --- Cases ----------------------------------------------------------------------------------


def eligible_person(world: Any, category: str = "care", **fields: Any) -> Person:
    """A person registered by the care home, eligible for `category`, with test results two
    years old so that they predate every step."""
    person = cast(Person, PersonFactory(created_by_organization=world.care_home, **fields))
    make_eligible(person, category)
    person.test_results.update(taken_on=today() - relativedelta(years=2))
    return person


def open_case(
    world: Any,
    pattern: str = "direct",
    agency: Organization | None = None,
    field: str = "care",
    category: str | None = None,
) -> Case:
    category = category or field
    person = eligible_person(world, category)
    return case_services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code=field,
        category_code=category,
        pattern=pattern,
        sending_agency_id=agency.pk if agency else None,
    ).case


def complete(world: Any, case: Case, step: str) -> Case:
    return case_services.case_complete_step(
        actor=Actor.of(world.user(actor_for(step))),
        case_id=case.pk,
        step_key=step,
        evidence=evidence_for(step),
        documents=required_uploads(case.pk, step),
    ).case


def walk_until(world: Any, case: Case, stop_before: str | None = None) -> Case:
    """Complete the pattern's steps in order up to (not including) `stop_before`; all of
    them when it is None."""
    for step in PATTERN_STEPS[case.pattern]:
        if step == stop_before:
            break
        case = complete(world, case, step)
    case.refresh_from_db()
    return case
