"""Support plans for the employers and registered support organizations that deliver them:
their work (items not done, interviews due), and each plan with its items and interviews."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kakehashi.access import request_actor
from kakehashi.access.policy import support_deliverer
from kakehashi.core.errors import DomainError
from kakehashi.core.pages import page_refusal

from . import selectors, services
from .plan import plan_items


def _title(key: str) -> str:
    return plan_items().title(key, get_language() or "en")


@login_required
def work_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    items = [{"item": i, "title": _title(i.key)} for i in selectors.items_due(actor)[:300]]
    return render(
        request,
        "support/work.html",
        {
            "nav": "support",
            "plans": selectors.plans_visible_to(actor)[:300],
            "items": items,
            "interviews": selectors.interviews_due(actor)[:300],
            "today": timezone.localdate(),
        },
    )


def _plan_page(
    request: HttpRequest, plan_id: int, refusal: Any = None, status: int = 200
) -> HttpResponse:
    actor = request_actor(request)
    try:
        plan = selectors.plan_get(actor, plan_id)
    except DomainError as exc:
        page_refusal(exc)
        raise
    items = [
        {
            "item": i,
            "title": _title(i.key),
            "may_record": support_deliverer(actor, i.deliverer_id) is not None,
        }
        for i in plan.items.select_related("deliverer")
    ]
    deliverer = plan.case.support_organization_id or plan.case.receiving_organization_id
    return render(
        request,
        "support/plan.html",
        {
            "nav": "support",
            "plan": plan,
            "items": items,
            "interviews": plan.interviews.all(),
            "may_interview": support_deliverer(actor, deliverer) is not None,
            "refusal": refusal,
            "source": plan_items().source,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def plan_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _plan_page(request, plan_id)


@login_required
@require_POST
def item_view(request: HttpRequest, plan_id: int, key: str) -> HttpResponse:
    try:
        services.support_item_record(
            actor=request_actor(request),
            plan_id=plan_id,
            key=key,
            planned_on=request.POST.get("planned_on") or None,
            done_on=request.POST.get("done_on") or None,
            record=request.POST.get("record", ""),
        )
    except DomainError as exc:
        return _plan_page(request, plan_id, page_refusal(exc), exc.status)
    messages.success(request, _("Recorded."))
    return redirect("support:plan", plan_id=plan_id)


@login_required
@require_POST
def interview_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    try:
        services.interview_record(
            actor=request_actor(request),
            plan_id=plan_id,
            held_on=request.POST.get("held_on") or None,
            in_person=request.POST.get("in_person") == "on",
            notes=request.POST.get("notes", ""),
        )
    except DomainError as exc:
        return _plan_page(request, plan_id, page_refusal(exc), exc.status)
    messages.success(request, _("The interview was recorded; the next one is due in three months."))
    return redirect("support:plan", plan_id=plan_id)
