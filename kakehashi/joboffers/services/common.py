"""What the offer and contact services share: the history row, the parsing of numbers
and dates, and finding the offer the actor manages, locked for the change."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import may_manage_offer
from kakehashi.accounts.models import Organization
from kakehashi.core import validation
from kakehashi.core.errors import NotAllowed, Problem, RuleRefused
from kakehashi.reference.citations import sourced

from ..models import JobOffer, JobOfferEvent, JobOfferEventKind
from ..selectors import job_offer_get_for_user

SEED_002 = "isa_kg_flow 2(1)"  # the pattern via the Center


def record_event(
    offer: JobOffer,
    kind: JobOfferEventKind,
    actor: Actor,
    organization: Organization,
    before: dict[str, Any],
    after: dict[str, Any],
) -> JobOfferEvent:
    return JobOfferEvent.objects.create(
        job_offer=offer,
        kind=kind,
        actor=actor.required_user,
        organization=organization,
        before=before,
        after=after,
    )


def required(name: str) -> Problem:
    return Problem("required", _("This field is required."), field=name)


def as_int(value: Any, name: str, low: int, high: int, problems: list[Problem]) -> int | None:
    if value in (None, ""):
        problems.append(required(name))
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        problems.append(Problem("invalid_number", _("Enter a whole number."), field=name))
        return None
    if not low <= number <= high:
        problems.append(
            Problem(
                "out_of_range",
                _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high},
                field=name,
            )
        )
        return None
    return number


def as_date(value: Any, name: str, problems: list[Problem]) -> datetime.date | None:
    """An optional date, through the one date parser (core.dates)."""
    return validation.date_field(value, name, problems, required=False)


def managed_offer_locked(actor: Actor, offer_id: int, refusal: str) -> JobOffer:
    """The offer, visible (404) and managed by the actor (403), locked for the change.
    Call inside a transaction."""
    offer = job_offer_get_for_user(actor, offer_id)
    if not may_manage_offer(actor, offer):
        raise NotAllowed(refusal)
    locked = JobOffer.objects.select_for_update().get(pk=offer.pk)
    locked.receiving_organization = offer.receiving_organization
    return locked


def not_in_state(code: str, message: str) -> RuleRefused:
    return RuleRefused([Problem(code, message, **sourced(SEED_002))])
