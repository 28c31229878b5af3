"""What the registry services share: notices to the other contact point, Japan's contact
point as the actor, and acknowledging a notice."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import japan_contact_point
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.core.errors import NotAllowed, NotFound
from kakehashi.procedures import registry

from ..models import Notice


def partner_countries() -> list[str]:
    """The countries Japan has an MOC with here: those with a procedure definition."""
    return registry.countries()


def notify(
    kind: str,
    sender: Organization,
    countries: Iterable[str],
    payload: dict[str, Any],
    source: str,
) -> list[Notice]:
    """Tell the other side: Japan's contact point when the sender is a partner's contact
    point; else the contact point of each partner country concerned, and nobody else
    (moc_kg §3: what is shared under one country's MOC is not another country's)."""
    concerned = sorted(set(countries) & set(partner_countries()))
    if sender.kind == OrganizationKind.SENDING_CONTACT_POINT:
        recipients = [
            (sender.country, org)
            for org in Organization.objects.filter(kind=OrganizationKind.JP_CONTACT_POINT)
        ]
    else:
        recipients = [
            (org.country, org)
            for org in Organization.objects.filter(
                kind=OrganizationKind.SENDING_CONTACT_POINT, country__in=concerned
            ).order_by("country", "id")
        ]
    return [
        Notice.objects.create(
            kind=kind,
            country=country,
            from_organization=sender,
            to_organization=org,
            payload=payload,
            source=source,
        )
        for country, org in recipients
    ]


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
        notice.acknowledged_by = actor.required_user
        notice.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return notice
