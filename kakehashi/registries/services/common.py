"""Helpers of the registry services: who acts, dates, notices to the other contact point."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import japan_contact_point
from kakehashi.accounts.models import Organization
from kakehashi.core.errors import NotAllowed, NotFound, Problem

from ..models import Notice


def parse_date(
    value: Any, name: str, problems: list[Problem], required: bool = True
) -> datetime.date | None:
    if value in (None, ""):
        if required:
            problems.append(Problem("required", _("This field is required."), field=name))
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        problems.append(Problem("invalid_date", _("Not a date; use YYYY-MM-DD."), field=name))
        return None


def notify(
    kind: str,
    sender: Organization,
    to_kind: str,
    subject: str,
    payload: dict[str, Any],
    source: str,
    country: str | None = None,
) -> list[Notice]:
    recipients = Organization.objects.filter(kind=to_kind)
    if country:
        recipients = recipients.filter(country=country)
    return [
        Notice.objects.create(
            kind=kind,
            from_organization=sender,
            to_organization=org,
            subject=subject,
            payload=payload,
            source=source,
        )
        for org in recipients
    ]


# --- Sending agency certification (MOC §7(1)–(4), §6(1)–(2)) ----------------------------


def jp_contact_point(actor: Actor) -> Organization:
    org = japan_contact_point(actor)
    if org is None:
        raise NotAllowed(_("Only Japan's contact point records this."))
    return org


@transaction.atomic
def notice_acknowledge(*, actor: Actor, notice_id: int) -> Notice:
    """The receiving contact point marks a notice as read (once; later calls change nothing)."""
    org_ids = {o.pk for o in actor.acting_organizations}
    notice = (
        Notice.objects.select_for_update()
        .filter(pk=notice_id, to_organization_id__in=org_ids)
        .first()
    )
    if notice is None:
        raise NotFound("notice")
    if notice.acknowledged_at is None:
        notice.acknowledged_at = timezone.now()
        notice.acknowledged_by = actor.user
        notice.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return notice
