"""Reads of support plans through the one access policy: whoever sees the case sees its plan
(the worker too); an organization's work is the items it delivers and the interviews due."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.access.visibility import case_visibility
from kakehashi.core.errors import NotFound

from .models import Interview, SupportItem, SupportPlan


def plans_visible_to(actor: Actor) -> QuerySet[SupportPlan]:
    return SupportPlan.objects.filter(case_visibility(actor, prefix="case__")).select_related(
        "case__person", "case__receiving_organization", "case__support_organization"
    )


def plan_get(actor: Actor, plan_id: int) -> SupportPlan:
    plan = plans_visible_to(actor).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound("support plan")
    return plan


def plan_of_case(actor: Actor, case_id: int) -> SupportPlan | None:
    return plans_visible_to(actor).filter(case_id=case_id).first()


def items_due(actor: Actor) -> QuerySet[SupportItem]:
    """Items the actor's organizations deliver and have not done."""
    ids = sorted(o.pk for o in actor.acting_organizations)
    return (
        SupportItem.objects.filter(deliverer_id__in=ids, done_on__isnull=True)
        .select_related("plan__case__person")
        .order_by("planned_on", "id")
    )


def interviews_due(
    actor: Actor, within_days: int = 30, today: datetime.date | None = None
) -> QuerySet[Interview]:
    """Interviews not held, due within `within_days` (or overdue), of plans the actor's
    organizations deliver."""
    today = today or timezone.localdate()
    ids = sorted(o.pk for o in actor.acting_organizations)
    delivers = Q(plan__case__support_organization_id__in=ids) | Q(
        plan__case__support_organization__isnull=True, plan__case__receiving_organization_id__in=ids
    )
    return (
        Interview.objects.filter(
            delivers, held_on__isnull=True, due_on__lte=today + datetime.timedelta(days=within_days)
        )
        .select_related("plan__case__person")
        .order_by("due_on")
    )
