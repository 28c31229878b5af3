"""The personal-data panel of the person page, so that the people app need not import
privacy: `{% load privacy_panel %}{% person_privacy person %}` shows whether and when the
person was anonymised and, to the registering organization, the export, the worker's open
correction requests (to accept or refuse) and the way to erase the data."""

from __future__ import annotations

from typing import Any

from django import template

from kakehashi.access import request_actor
from kakehashi.access.policy import personal_data_organization

from ..forms import PDF_LANGUAGES
from ..presenters import correction_data
from ..selectors import erasure_of, open_corrections

register = template.Library()


@register.inclusion_tag("privacy/_person_panel.html", takes_context=True)
def person_privacy(context: Any, person: Any, full: bool = False) -> dict[str, Any]:
    actor = request_actor(context["request"])
    handles = personal_data_organization(actor, person) is not None
    return {
        "person": person,
        "erasure": erasure_of(person),
        "handles": handles,
        "open": [correction_data(c) for c in open_corrections(person)] if handles else [],
        "languages": PDF_LANGUAGES,
        "full": full,
        "csrf_token": context.get("csrf_token"),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }
