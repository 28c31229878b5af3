"""Life after landing for the employers and registered support organizations: their work
(items not done, interviews due, notifications to immigration), each plan with its items,
interviews and the worker's stay, the notifications, and the plan and notification drafts as
PDF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kakehashi.access import request_actor
from kakehashi.access.policy import notification_filer, stay_recorder, support_deliverer
from kakehashi.core.errors import DomainError
from kakehashi.core.pages import page_refusal
from kakehashi.core.pdf import WORKER_LANGUAGES, pdf_response, worker_language

from . import documents, notifications, selectors, services, stay
from .models import (
    AD_HOC_KINDS,
    ExtensionApplication,
    ImmigrationNotification,
    NotificationKind,
    StayLeave,
    StayPeriod,
    SupportPlan,
)
from .plan import plan_items
from .rules import stay_rules


def _visible(getter: Callable[[Any, int], Any], request: HttpRequest, record_id: int) -> Any:
    """A record through its selector; a page that refuses (404) when it cannot be seen."""
    try:
        return getter(request_actor(request), record_id)
    except DomainError as exc:
        page_refusal(exc)
        raise


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
            "notifications": notifications.notifications_visible_to(actor)
            .exclude(status="filed")
            .filter(organization_id__in=sorted(actor.organization_ids))[:100],
            "today": timezone.localdate(),
        },
    )


def _plan_page(
    request: HttpRequest, plan_id: int, refusal: Any = None, status: int = 200
) -> HttpResponse:
    actor = request_actor(request)
    plan = _visible(selectors.plan_get, request, plan_id)
    items = [
        {
            "item": i,
            "title": _title(i.key),
            "may_record": support_deliverer(actor, i.deliverer_id) is not None,
        }
        for i in plan.items.select_related("deliverer")
    ]
    deliverer = plan.case.support_organization_id or plan.case.receiving_organization_id
    language = get_language() or "en"
    case = plan.case
    return render(
        request,
        "support/plan.html",
        {
            "nav": "support",
            "plan": plan,
            "items": items,
            "interviews": plan.interviews.all(),
            "may_interview": support_deliverer(actor, deliverer) is not None,
            "may_record_stay": stay_recorder(actor, case) is not None,
            "deadlines": stay.stay_deadlines(case),
            "periods": StayPeriod.objects.filter(case=case),
            "applications": ExtensionApplication.objects.filter(case=case),
            "pending": ExtensionApplication.objects.filter(case=case, outcome="").first(),
            "leave": [
                {"leave": x, "title": _kind_title(x.kind, language)}
                for x in StayLeave.objects.filter(case=case)
            ],
            "leave_kinds": [(e.key, e.title.get(language)) for e in stay_rules().exclusions],
            "notifications": ImmigrationNotification.objects.filter(case=case),
            "event_kinds": [(k, NotificationKind(k).label) for k in AD_HOC_KINDS],
            "pdf_languages": WORKER_LANGUAGES,
            "refusal": refusal,
            "source": plan_items().source,
            "today": timezone.localdate(),
        },
        status=status,
    )


def _kind_title(key: str, language: str) -> str:
    exclusion = stay_rules().exclusion(key)
    return exclusion.title.get(language) if exclusion else key


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


# The forms on the plan page: the service each calls, the fields it posts, what to say.
PLAN_WRITES: dict[str, tuple[Callable[..., Any], tuple[str, ...], Any]] = {
    "stay": (
        stay.stay_period_record,
        ("granted_on", "expires_on"),
        gettext_lazy("The period of stay was recorded."),
    ),
    "extension": (
        stay.extension_apply,
        ("applied_on",),
        gettext_lazy("The application was recorded."),
    ),
    "decision": (
        stay.extension_decide,
        ("decided_on", "outcome", "expires_on"),
        gettext_lazy("The decision was recorded."),
    ),
    "leave": (
        stay.leave_record,
        ("kind", "starts_on", "ends_on"),
        gettext_lazy("The leave was recorded."),
    ),
    "event": (
        notifications.event_record,
        ("kind", "event_on", "details", "worker_stays"),
        gettext_lazy("Recorded: the notification to immigration is due within 14 days."),
    ),
}


@login_required
@require_POST
def plan_write_view(request: HttpRequest, plan_id: int, action: str) -> HttpResponse:
    """One write on a plan; its refusal is shown on the plan page with its status."""
    service, names, done = PLAN_WRITES[action]
    values = {name: request.POST.get(name) or None for name in names}
    try:
        service(actor=request_actor(request), plan_id=plan_id, **values)
    except DomainError as exc:
        return _plan_page(request, plan_id, page_refusal(exc), exc.status)
    messages.success(request, str(done))
    return redirect("support:plan", plan_id=plan_id)


@login_required
def plan_pdf_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _visible(selectors.plan_get, request, plan_id)
    language = worker_language(request.GET.get("lang"))
    data = documents.support_plan_pdf(plan, language)
    return pdf_response(data, f"support-plan-{plan.case.reference}-{language}")


# --- notifications to immigration ---------------------------------------------------------


@login_required
def notifications_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    return render(
        request,
        "support/notifications.html",
        {
            "nav": "support",
            "notifications": notifications.notifications_visible_to(actor)[:300],
            "today": timezone.localdate(),
        },
    )


def _notification_page(
    request: HttpRequest, notification_id: int, refusal: Any = None, status: int = 200
) -> HttpResponse:
    actor = request_actor(request)
    notification = _visible(notifications.notification_get, request, notification_id)
    return render(
        request,
        "support/notification.html",
        {
            "nav": "support",
            "n": notification,
            "late": notification.is_late(timezone.localdate()),
            "may_file": notification_filer(actor, notification.organization_id) is not None,
            "plan": SupportPlan.objects.filter(case_id=notification.case_id).first()
            if notification.case_id
            else None,
            "pdf_languages": WORKER_LANGUAGES,
            "refusal": refusal,
        },
        status=status,
    )


@login_required
def notification_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    return _notification_page(request, notification_id)


@login_required
@require_POST
def notification_action_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    actor = request_actor(request)
    post = request.POST
    try:
        if post.get("action") == "file":
            notifications.notification_file(
                actor=actor,
                notification_id=notification_id,
                filed_on=post.get("filed_on") or None,
                receipt_number=post.get("receipt_number", ""),
            )
            messages.success(request, _("Filed."))
        else:
            notifications.notification_draft(actor=actor, notification_id=notification_id)
            messages.success(request, _("The draft is ready: download it as PDF."))
    except DomainError as exc:
        return _notification_page(request, notification_id, page_refusal(exc), exc.status)
    return redirect("support:notification", notification_id=notification_id)


@login_required
def notification_pdf_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = _visible(notifications.notification_get, request, notification_id)
    language = worker_language(request.GET.get("lang"))
    data = documents.notification_pdf(notification, language)
    return pdf_response(data, f"notification-{notification.pk}-{notification.kind}")
