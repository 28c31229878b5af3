"""Case lists shown on other apps' pages, so that those apps need not import cases: the
person page includes the person's cases with `{% load case_lists %}{% cases_of_person p %}`."""

from __future__ import annotations

from typing import Any

from django import template

from kakehashi.access import request_actor

from ..presenters import case_summary
from ..selectors import cases_visible_to

register = template.Library()


@register.inclusion_tag("cases/_person_cases.html", takes_context=True)
def cases_of_person(context: Any, person: Any) -> dict[str, Any]:
    """The person's cases that the reader may see, newest first."""
    actor = request_actor(context["request"])
    cases = (
        cases_visible_to(actor)
        .filter(person=person)
        .select_related(
            "person", "receiving_organization", "sending_agency", "field", "business_category"
        )
        .order_by("-id")
    )
    return {"cases": [case_summary(c) for c in cases]}
