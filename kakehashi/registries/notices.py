"""A notice between the contact points, in whole sentences in the reader's language, written
when it is read from its kind and payload (the payload keeps the facts, not the words)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kakehashi.reference.citations import cite

from .models import CertificationAction, Notice, NoticeKind


@dataclass(frozen=True)
class NoticeText:
    title: str
    body: str
    source: str


def _name(payload: dict[str, Any], key: str) -> str:
    """An organization's name: the Japanese one for a Japanese reader when there is one."""
    if (get_language() or "").startswith("ja") and payload.get(f"{key}_ja"):
        return str(payload[f"{key}_ja"])
    return str(payload.get(key, ""))


def _field(code: str) -> str:
    from kakehashi.reference.models import Field

    field = Field.objects.filter(code=code).first()
    return field.display_name if field else code


def _agency_decision(p: dict[str, Any]) -> tuple[str, str]:
    action = str(p.get("action", ""))
    label = (
        str(CertificationAction(action).label) if action in CertificationAction.values else action
    )
    title = _("%(agency)s: %(decision)s") % {"agency": p.get("agency", ""), "decision": label}
    values = {
        "agency": p.get("agency", ""),
        "date": p.get("effective_on", ""),
        "until": p.get("valid_until") or "",
    }
    sentences = {
        "certified": _(
            "The ministry certified %(agency)s as a sending agency for Japan from %(date)s, "
            "valid until %(until)s."
        ),
        "refused": _("The ministry refused to certify %(agency)s on %(date)s."),
        "suspended": _("The ministry suspended the certification of %(agency)s from %(date)s."),
        "resumed": _("The ministry resumed the certification of %(agency)s from %(date)s."),
        "revoked": _("The ministry revoked the certification of %(agency)s on %(date)s."),
        "expired": _("The certification of %(agency)s expired on %(date)s."),
    }
    body = sentences.get(action, _("A decision on %(agency)s took effect on %(date)s.")) % values
    if p.get("reason"):
        body += " " + _("Reason: %(reason)s") % {"reason": p["reason"]}
    return title, body


def _improvement_order(p: dict[str, Any]) -> tuple[str, str]:
    name = _name(p, "receiving_organization")
    title = _("Improvement order to %(organization)s") % {"organization": name}
    body = _("Japan issued an improvement order to %(organization)s on %(date)s: %(summary)s") % {
        "organization": name,
        "date": p.get("issued_on", ""),
        "summary": p.get("summary", ""),
    }
    return title, body


def _support_list(p: dict[str, Any]) -> tuple[str, str]:
    values = {"organization": _name(p, "organization"), "number": p.get("registration_number")}
    title = _("Registered support organizations: %(organization)s") % values
    if p.get("change") == "cancelled":
        body = (
            _(
                "The registration of %(organization)s (No. %(number)s) as a registered support "
                "organization was cancelled."
            )
            % values
        )
    else:
        body = (
            _(
                "%(organization)s was registered as a registered support organization "
                "(No. %(number)s)."
            )
            % values
        )
    return title, body


def _suspension(p: dict[str, Any]) -> tuple[str, str]:
    values = {"field": _field(str(p.get("field", ""))), "from": p.get("starts_on", "")}
    title = _("Acceptance suspended in %(field)s") % values
    if p.get("ends_on"):
        body = _(
            "Japan suspends the acceptance of Specified Skilled Workers in %(field)s from "
            "%(from)s to %(until)s."
        ) % {**values, "until": p["ends_on"]}
    else:
        body = (
            _(
                "Japan suspends the acceptance of Specified Skilled Workers in %(field)s from "
                "%(from)s until further notice."
            )
            % values
        )
    if p.get("reason"):
        body += " " + _("Reason: %(reason)s") % {"reason": p["reason"]}
    return title, body


def _suspension_ended(p: dict[str, Any]) -> tuple[str, str]:
    values = {"field": _field(str(p.get("field", ""))), "until": p.get("ends_on", "")}
    title = _("Suspension ended in %(field)s") % values
    body = (
        _(
            "Japan ends the suspension of acceptance in %(field)s: its last day is %(until)s, "
            "and applications are accepted again from the day after."
        )
        % values
    )
    return title, body


RENDER = {
    NoticeKind.AGENCY_DECISION: _agency_decision,
    NoticeKind.IMPROVEMENT_ORDER: _improvement_order,
    NoticeKind.SUPPORT_ORGANIZATIONS: _support_list,
    NoticeKind.FIELD_SUSPENSION: _suspension,
    NoticeKind.FIELD_SUSPENSION_ENDED: _suspension_ended,
}


def notice_text(notice: Notice) -> NoticeText:
    render = RENDER.get(NoticeKind(notice.kind)) if notice.kind in NoticeKind.values else None
    if render is None:
        title, body = notice.get_kind_display(), ""
    else:
        title, body = render(notice.payload)
    return NoticeText(title=title, body=body, source=cite(notice.source))
