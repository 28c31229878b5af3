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
        "File the periodic notification for %(start)s to %(end)s by %(due)s."
    ),
    "stay_expiring": _(
        "The period of stay of %(person)s ends on %(due)s; apply for an extension before then."
    ),
    "passport_expiring": _("The passport of %(person)s expires on %(due)s."),
    "notification_due": _("The notification to immigration about %(person)s is due by %(due)s."),
    "notification_late": _("A notification to immigration was due on %(due)s and is late."),
    "incident_preliminary_report": _(
        "Send the preliminary report of the incident “%(title)s” to the Personal Information "
        "Protection Commission by %(due)s."
    ),
    "incident_final_report": _(
        "Send the final report of the incident “%(title)s” to the Personal Information "
        "Protection Commission by %(due)s."
    ),
}


def reminder_text(reminder: Any) -> tuple[str, str]:
    """The subject and body of a reminder."""
    params = {**reminder.params, "due": reminder.due_on.isoformat()}
    try:
        body = str(TEXTS.get(reminder.kind, reminder.kind)) % params
    except (KeyError, ValueError):  # a reminder written before its text changed
        body = f"{reminder.kind} ({params['due']})"
    return body[:120], body
