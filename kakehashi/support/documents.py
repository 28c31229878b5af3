"""The generated documents of life after landing, as PDF: the support plan (Japanese, with
the worker's language for what the worker reads) and the drafts of the notifications to
immigration (Japanese, the language they are filed in, with a note to the worker in theirs
for an ad-hoc one about them)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone, translation

from kakehashi.core.pdf import render_pdf
from kakehashi.reference.sources import cite

from .models import ImmigrationNotification, NotificationKind, SupportPlan
from .notifications import workers_in_period
from .plan import plan_items
from .stay import TITLES, stay_deadlines

COST_RULE = "ssw_standards_ordinance 第2条"


def _in(language: str, text: Any) -> str:
    with translation.override(language):
        return str(text)


def support_plan_pdf(plan: SupportPlan, language: str, today: datetime.date | None = None) -> bytes:
    today = today or timezone.localdate()
    data = plan_items()
    items = [
        {
            "ja": data.title(i.key, "ja"),
            "worker": data.title(i.key, language),
            "deliverer": i.deliverer.display_name,
            "planned_on": i.planned_on,
            "done_on": i.done_on,
        }
        for i in plan.items.select_related("deliverer")
    ]
    deadlines = [
        {
            "ja": _in("ja", TITLES[d.key]),
            "worker": _in(language, TITLES[d.key]),
            "due_on": d.due_on,
        }
        for d in stay_deadlines(plan.case, today)
    ]
    return render_pdf(
        "support/pdf/plan.html",
        {
            "plan": plan,
            "case": plan.case,
            "person": plan.case.person,
            "items": items,
            "deadlines": deadlines,
            "interviews": plan.interviews.all(),
            "wl": language,
            "source_ja": cite(data.source, "ja"),
            "cost_source_ja": cite(COST_RULE, "ja"),
            "cost_source_worker": cite(COST_RULE, language),
            "today": today,
        },
    )


def notification_pdf(notification: ImmigrationNotification, language: str) -> bytes:
    periodic = notification.kind == NotificationKind.PERIODIC
    workers = []
    if periodic:
        start, end = notification.period_start, notification.period_end
        assert start is not None
        assert end is not None
        for plan in workers_in_period(notification):
            items = list(plan.items.all())
            workers.append(
                {
                    "plan": plan,
                    "items": len(items),
                    "items_done": sum(
                        1 for i in items if i.done_on is not None and i.done_on <= end
                    ),
                    "interviews": plan.interviews.filter(
                        held_on__gte=start, held_on__lte=end
                    ).count(),
                }
            )
    return render_pdf(
        "support/pdf/notification.html",
        {
            "n": notification,
            "periodic": periodic,
            "kind_ja": _in("ja", NotificationKind(notification.kind).label),
            "kind_worker": _in(language, NotificationKind(notification.kind).label),
            "person": notification.case.person if notification.case else None,
            "workers": workers,
            "wl": language,
            "source_ja": cite(notification.source, "ja"),
            "today": timezone.localdate(),
        },
    )
