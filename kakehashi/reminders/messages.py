"""Reminder texts, written when read, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

TEXTS: dict[str, Any] = {
    "interview_due": _("The interview with %(person)s is due by %(due)s."),
    "certification_expiring": _("The certification of %(agency)s ends on %(due)s."),
    "item_overdue": _("The MOC item %(reference)s was due on %(due)s."),
    "grievance_overdue": _("A grievance's stage was due to end on %(due)s."),
    "periodic_notification": _(
        "File the periodic notification for April %(year)s to March by %(due)s."
    ),
}


def reminder_text(reminder: Any) -> tuple[str, str]:
    """The subject and body of a reminder."""
    params = {**reminder.params, "due": reminder.due_on.isoformat()}
    body = str(TEXTS.get(reminder.kind, reminder.kind)) % params
    return body[:120], body
