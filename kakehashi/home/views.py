"""The home page: the work waiting on the user's organization."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from kakehashi.access import request_actor
from kakehashi.access.policy import hub_municipality, sees_moc_exchange
from kakehashi.cases.presenters import case_summary
from kakehashi.cases.selectors import cases_awaiting
from kakehashi.core.pages import address_before_id, list_page
from kakehashi.hub.views import dashboard_context
from kakehashi.protection.selectors import inbox
from kakehashi.reminders.messages import reminder_text
from kakehashi.reminders.services import reminders_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if request_actor(request).is_worker:
        return redirect("portal:me")  # a worker's home is their own page
    page = list_page(
        request,
        cases_awaiting(request_actor(request)),
        order=["next_due", "updated_at", "id"],
        size=25,
    )
    today = timezone.localdate()
    rows = [
        {
            **case_summary(c),
            "next_due": due,
            "overdue": bool(due and due < today),
        }
        for c in page
        for due in [c.next_due]
    ]
    actor = request_actor(request)
    exchange = inbox(actor) if sees_moc_exchange(actor) else None
    reminders = [
        {"reminder": r, "text": reminder_text(r)[1]}
        for r in reminders_for(sorted(actor.organization_ids))[:50]
    ]
    city = hub_municipality(actor)
    hub = dashboard_context(request, city) if city is not None else {}
    return render(
        request,
        "home/home.html",
        {
            "nav": "home",
            "page": page,
            "rows": rows,
            "detail_base": address_before_id("cases:detail"),
            "today": today,
            "exchange": exchange,
            "reminders": reminders,
            **hub,
        },
    )
