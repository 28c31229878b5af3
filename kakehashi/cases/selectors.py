"""Reads of cases, always through the acting user: one place says who may see what
(docs/access.md). A case the user may not see is reported exactly like a missing one."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.access.visibility import awaiting_visibility, case_visibility
from kakehashi.core.errors import NotFound
from kakehashi.people.selectors import persons_named
from kakehashi.procedures import registry
from kakehashi.procedures.engine import Evaluation, evaluate

from .facts import case_facts
from .models import Case, CaseStatus


def cases_visible_to(actor: Actor) -> QuerySet[Case]:
    return Case.objects.filter(case_visibility(actor))


def case_get_for_user(actor: Actor, case_id: int) -> Case:
    case = (
        cases_visible_to(actor)
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


@dataclass(frozen=True)
class CaseFilters:
    pattern: str | None = None
    step: str | None = None
    field: str | None = None
    status: str | None = None
    search: str | None = None


def case_list(actor: Actor, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """Visible cases, newest first (by id, so pages are stable), with what a list shows."""
    filters = filters or CaseFilters()
    qs = cases_visible_to(actor).select_related(
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
            match = Q(person__in=persons_named(word).values("pk"))
            if any(c.isdigit() for c in word):
                # A reference ("KG-2026-000123") is upper case: found through its trigram
                # index on PostgreSQL (migration 0007).
                match |= Q(reference__contains=word.upper())
            qs = qs.filter(match)
    return qs.order_by("-id")


AWAITING_ROLES = (
    "receiving_organization",
    "sending_agency",
    "sending_contact_point",
    "support_organization",
)


def _steps_for_role(role: str) -> list[str]:
    return sorted({s.key for d in registry.all_definitions() for s in d.steps if role in s.roles})


def cases_awaiting(actor: Actor) -> QuerySet[Case]:
    """Open cases whose current step is one the actor's organization records, nearest
    deadline first (an expiring COE before anything else), then the oldest untouched."""
    roles = {role: _steps_for_role(role) for role in AWAITING_ROLES}
    return (
        Case.objects.filter(awaiting_visibility(actor, roles), status="open")
        .select_related(
            "person", "receiving_organization", "sending_agency", "field", "business_category"
        )
        .order_by(F("next_due").asc(nulls_last=True), "updated_at", "id")
    )


# Steps after the COE (or the change-of-status application): a field suspension does not
# stop these cases, but Japan handles them case by case (moc_kg §8).
PAST_COE_STEPS = (
    "coe_sent",
    "visa_application",
    "visa_decision",
    "landing",
    "change_of_status_decision",
)


def cases_for_suspension_review(actor: Actor, field_id: int) -> QuerySet[Case]:
    """Open cases in a suspended field already past the COE, among those the actor sees."""
    return (
        cases_visible_to(actor)
        .filter(field_id=field_id, status=CaseStatus.OPEN, current_step__in=PAST_COE_STEPS)
        .select_related(
            "person", "receiving_organization", "sending_agency", "field", "business_category"
        )
        .order_by("id")
    )


def case_evaluation(case: Case, today: datetime.date | None = None) -> Evaluation:
    definition = registry.definition_version(case.country, case.procedure_version)
    return evaluate(
        definition, registry.ssw_rules(), case_facts(case, today or timezone.localdate())
    )
