"""Writes of support plans: opening one when the stay begins (called by the case service in
the step's transaction), recording an item, recording an interview (which schedules the
next one three months later)."""

from __future__ import annotations

from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import support_deliverer
from kakehashi.core import validation
from kakehashi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound, Problem

from .models import Interview, SupportItem, SupportPlan
from .plan import plan_items
from .selectors import plan_get


def support_plan_open(*, case: Any, starts_on: Any) -> SupportPlan | None:
    """The stay began: a plan with every mandatory item, delivered by the entrusted support
    organization or else the employer, and the first interview due three months on. Once
    per case."""
    if SupportPlan.objects.filter(case=case).exists():
        return None
    deliverer = case.support_organization or case.receiving_organization
    plan = SupportPlan.objects.create(case=case, starts_on=starts_on)
    data = plan_items()
    SupportItem.objects.bulk_create(
        SupportItem(plan=plan, key=item.key, deliverer=deliverer) for item in data.items
    )
    Interview.objects.create(
        plan=plan, due_on=starts_on + relativedelta(months=data.interview_every_months)
    )
    return plan


@transaction.atomic
def support_item_record(
    *,
    actor: Actor,
    plan_id: int,
    key: str,
    planned_on: Any = None,
    done_on: Any = None,
    record: str = "",
) -> SupportItem:
    plan = plan_get(actor, plan_id)
    item = SupportItem.objects.select_for_update().filter(plan=plan, key=key).first()
    if item is None:
        raise NotFound("support item")
    if support_deliverer(actor, item.deliverer_id) is None:
        raise NotAllowed(_("Only the organization that delivers this item records it."))
    problems: list[Problem] = []
    planned = validation.date_field(planned_on, "planned_on", problems, required=False)
    done = validation.date_field(done_on, "done_on", problems, required=False)
    validation.not_in_future(done, "done_on", problems, timezone.localdate())
    text = validation.text_field(record, "record", problems, max_length=3000)
    if done is not None and not text:
        problems.append(Problem("required", _("Say what was done."), field="record"))
    if problems:
        raise InvalidInput(problems)
    if planned is not None:
        item.planned_on = planned
    if done is not None:
        item.done_on = done
    if text:
        item.record = text
    item.updated_by = actor.required_user
    item.save()
    return item


@transaction.atomic
def interview_record(
    *, actor: Actor, plan_id: int, held_on: Any, in_person: bool, notes: str
) -> Interview:
    """Record the interview due; the next one falls due three months after it."""
    plan = plan_get(actor, plan_id)
    deliverer = plan.case.support_organization_id or plan.case.receiving_organization_id
    if support_deliverer(actor, deliverer) is None:
        raise NotAllowed(_("Only the organization that delivers the plan records interviews."))
    interview = (
        Interview.objects.select_for_update()
        .filter(plan=plan, held_on__isnull=True)
        .order_by("due_on")
        .first()
    )
    if interview is None:
        raise Conflict(_("No interview is due."), code="none_due")
    problems: list[Problem] = []
    held = validation.date_field(held_on, "held_on", problems)
    validation.not_in_future(held, "held_on", problems, timezone.localdate())
    text = validation.text_field(notes, "notes", problems, required=True, max_length=3000)
    if problems:
        raise InvalidInput(problems)
    assert held is not None
    interview.held_on, interview.in_person, interview.notes = held, bool(in_person), text
    interview.recorded_by = actor.required_user
    interview.save()
    Interview.objects.create(
        plan=plan, due_on=held + relativedelta(months=plan_items().interview_every_months)
    )
    return interview
