"""Reads of cases, always through the acting user: one place says who may see what
(docs/access.md). A case the user may not see is reported exactly like a missing one."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Min, Q, QuerySet
from django.utils import timezone

from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.accounts.selectors import memberships_of
from kakehashi.core.errors import NotFound
from kakehashi.procedures import registry
from kakehashi.procedures.engine import Evaluation, evaluate

from .facts import case_facts
from .models import Case


def case_visibility(user: Any) -> Q:
    """The cases a user's organizations are party to, or oversee by their role:
    - receiving organization, sending agency, support organization: their own cases;
    - municipality: cases of receiving organizations located in the city;
    - sending-country contact point (the Center): every case of its country;
    - Japanese contact point (ISA): every case (MOC §2, oversight)."""
    q = Q(pk__in=[])
    for membership in memberships_of(user):
        org = membership.organization
        if org.kind == OrganizationKind.RECEIVING_ORGANIZATION:
            q |= Q(receiving_organization=org)
        elif org.kind == OrganizationKind.SENDING_AGENCY:
            q |= Q(sending_agency=org)
        elif org.kind == OrganizationKind.SUPPORT_ORGANIZATION:
            q |= Q(support_organization=org)
        elif org.kind == OrganizationKind.MUNICIPALITY:
            q |= Q(receiving_organization__municipality=org)
        elif org.kind == OrganizationKind.SENDING_CONTACT_POINT:
            q |= Q(country=org.country)
        elif org.kind == OrganizationKind.JP_CONTACT_POINT:
            q |= Q(pk__isnull=False)
    return q


def cases_visible_to(user: Any) -> QuerySet[Case]:
    return Case.objects.filter(case_visibility(user))


def case_get_for_user(user: Any, case_id: int) -> Case:
    case = (
        cases_visible_to(user)
        .select_related(
            "person",
            "receiving_organization",
            "sending_agency",
            "support_organization",
            "field",
            "business_category",
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound("case")
    return case


def case_parties_for_user(user: Any, case: Case) -> dict[str, Organization]:
    """The procedure roles the user may act in on this case, each with the organization
    through which they hold it (viewers act in none)."""
    parties: dict[str, Organization] = {}
    for membership in memberships_of(user):
        if not membership.can_act:
            continue
        org = membership.organization
        if org.pk == case.receiving_organization_id:
            parties.setdefault("receiving_organization", org)
        if org.pk == case.sending_agency_id:
            parties.setdefault("sending_agency", org)
        if org.pk == case.support_organization_id:
            parties.setdefault("support_organization", org)
        if org.kind == OrganizationKind.SENDING_CONTACT_POINT and org.country == case.country:
            parties.setdefault("sending_contact_point", org)
    return parties


def case_roles_for_user(user: Any, case: Case) -> frozenset[str]:
    return frozenset(case_parties_for_user(user, case))


@dataclass(frozen=True)
class CaseFilters:
    pattern: str | None = None
    step: str | None = None
    field: str | None = None
    status: str | None = None
    search: str | None = None


def case_list(user: Any, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """Visible cases, newest first (by id, so pages are stable), with what a list shows."""
    filters = filters or CaseFilters()
    qs = cases_visible_to(user).select_related(
        "person", "receiving_organization", "sending_agency", "field", "business_category"
    )
    if filters.pattern:
        qs = qs.filter(pattern=filters.pattern)
    if filters.step:
        qs = qs.filter(current_step=filters.step)
    if filters.field:
        qs = qs.filter(field__code=filters.field)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.search:
        for word in filters.search.split():
            qs = qs.filter(
                Q(person__family_name__icontains=word)
                | Q(person__given_names__icontains=word)
                | Q(person__native_name__icontains=word)
                | Q(reference__icontains=word)
            )
    return qs.order_by("-id")


def _steps_for_role(role: str) -> list[str]:
    return sorted({s.key for d in registry.all_definitions() for s in d.steps if role in s.roles})


def cases_awaiting(user: Any) -> QuerySet[Case]:
    """Open cases whose current step is one the user's organization records, nearest
    deadline first (an expiring COE before anything else), then the oldest untouched."""
    q = Q(pk__in=[])
    for membership in memberships_of(user):
        if not membership.can_act:
            continue
        org = membership.organization
        if org.kind == OrganizationKind.RECEIVING_ORGANIZATION:
            q |= Q(
                receiving_organization=org,
                current_step__in=_steps_for_role("receiving_organization"),
            )
        elif org.kind == OrganizationKind.SENDING_AGENCY:
            q |= Q(sending_agency=org, current_step__in=_steps_for_role("sending_agency"))
        elif org.kind == OrganizationKind.SENDING_CONTACT_POINT:
            q |= Q(country=org.country, current_step__in=_steps_for_role("sending_contact_point"))
        elif org.kind == OrganizationKind.SUPPORT_ORGANIZATION:
            q |= Q(
                support_organization=org, current_step__in=_steps_for_role("support_organization")
            )
    return (
        Case.objects.filter(q, status="open")
        .select_related("person", "receiving_organization", "sending_agency", "field")
        .annotate(next_due=Min("deadlines__due_on", filter=Q(deadlines__met=False)))
        .order_by(F("next_due").asc(nulls_last=True), "updated_at", "id")
    )


def case_evaluation(case: Case, today: datetime.date | None = None) -> Evaluation:
    definition = registry.definition_version(case.country, case.procedure_version)
    return evaluate(
        definition, registry.ssw_rules(), case_facts(case, today or timezone.localdate())
    )
