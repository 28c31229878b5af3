"""Reads of job offers and candidate contacts, always through the acting user, and of the
public job board (no user). An offer or contact the user may not see is reported exactly
like a missing one (docs/adr/0005)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import may_see_contacts, review_countries
from kakehashi.access.visibility import job_offer_visibility
from kakehashi.core.errors import InvalidInput, NotAllowed, NotFound, Problem
from kakehashi.reference.models import Field
from kakehashi.registries.selectors import fields_closed_on

from .models import (
    CandidateContact,
    CenterRecruitmentContract,
    JapaneseLevel,
    JobOffer,
    JobOfferStatus,
)


def job_offers_visible_to(actor: Actor) -> QuerySet[JobOffer]:
    return (
        JobOffer.objects.filter(job_offer_visibility(actor))
        .select_related("receiving_organization", "field", "business_category")
        .prefetch_related("fees")
    )


def job_offer_list(actor: Actor, status: str | None = None) -> QuerySet[JobOffer]:
    qs = job_offers_visible_to(actor)
    if status:
        if status not in JobOfferStatus.values:
            raise InvalidInput(
                [
                    Problem(
                        "invalid_choice",
                        _("The status must be one of: %(statuses)s.")
                        % {"statuses": ", ".join(JobOfferStatus.values)},
                        field="status",
                    )
                ]
            )
        qs = qs.filter(status=status)
    return qs.order_by("-id")


def job_offer_get_for_user(actor: Actor, offer_id: int) -> JobOffer:
    offer = job_offers_visible_to(actor).filter(pk=offer_id).first()
    if offer is None:
        raise NotFound("job offer")
    return offer


def recruitment_contracts_of(actor: Actor) -> QuerySet[CenterRecruitmentContract]:
    """The recruitment contracts with the Center of the actor's organizations."""
    return CenterRecruitmentContract.objects.filter(
        receiving_organization_id__in=actor.organization_ids
    ).order_by("-signed_on", "-id")


def review_queue(actor: Actor) -> QuerySet[JobOffer]:
    """Submitted offers waiting for the Center of the actor's country, oldest first."""
    return (
        job_offers_visible_to(actor)
        .filter(status=JobOfferStatus.SUBMITTED, country__in=review_countries(actor))
        .order_by("submitted_at", "id")
    )


# --- candidate contacts: the receiving organization only ---------------------------------


def contacts_visible_to(actor: Actor, offer: JobOffer) -> QuerySet[CandidateContact]:
    if not may_see_contacts(actor, offer):
        return CandidateContact.objects.none()
    return (
        CandidateContact.objects.filter(job_offer=offer)
        .select_related("case", "person")
        .order_by("-id")
    )


def contact_list(actor: Actor, offer_id: int) -> QuerySet[CandidateContact]:
    """The offer's contacts: 404 for an offer the actor may not see, 403 for one it sees but
    whose contacts are not its own (the Center, the ISA)."""
    offer = job_offer_get_for_user(actor, offer_id)
    if not may_see_contacts(actor, offer):
        raise NotAllowed(
            _("Only the receiving organization can see who contacted it about its job offer.")
        )
    return contacts_visible_to(actor, offer)


def contact_get_for_user(actor: Actor, offer_id: int, contact_id: int) -> CandidateContact:
    offer = job_offer_get_for_user(actor, offer_id)
    contact = contacts_visible_to(actor, offer).filter(pk=contact_id).first()
    if contact is None:
        raise NotFound("contact")
    contact.job_offer = offer
    return contact


# --- the public job board ----------------------------------------------------------------

# A candidate with a level sees offers asking for that level or less. JFT-Basic A2 and
# JLPT N4 are the same step: either is the SSW (i) minimum (jp_ssw_rules.yaml).
LEVEL_RANK = {
    JapaneseLevel.JFT_BASIC_A2: 1,
    JapaneseLevel.JLPT_N4: 1,
    JapaneseLevel.JLPT_N3: 2,
    JapaneseLevel.JLPT_N2: 3,
    JapaneseLevel.JLPT_N1: 4,
}


def levels_at_or_below(level: str) -> list[str]:
    rank = LEVEL_RANK[JapaneseLevel(level)]
    return [str(code) for code, r in LEVEL_RANK.items() if r <= rank]


@dataclass(frozen=True)
class BoardFilters:
    """Filters of the public board. None of them is personal data, so they go in URLs."""

    field: str = ""
    location: str = ""
    japanese_level: str = ""

    def as_query(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}


def board_filters(
    *, field: str | None = None, location: str | None = None, japanese_level: str | None = None
) -> BoardFilters:
    """Check the filters as given in a URL; an unknown value is an error naming the filter."""
    problems = []
    field = (field or "").strip()
    location = (location or "").strip()[:100]
    japanese_level = (japanese_level or "").strip().upper()
    if field and not Field.objects.filter(code=field).exists():
        problems.append(Problem("invalid_choice", _("No such field."), field="field"))
    if japanese_level and japanese_level not in JapaneseLevel.values:
        problems.append(
            Problem(
                "invalid_choice",
                _("The Japanese level must be one of: %(levels)s.")
                % {"levels": ", ".join(JapaneseLevel.values)},
                field="japanese_level",
            )
        )
    if problems:
        raise InvalidInput(problems)
    return BoardFilters(field=field, location=location, japanese_level=japanese_level)


def published_offers(
    filters: BoardFilters | None = None, today: datetime.date | None = None
) -> QuerySet[JobOffer]:
    """Offers the Center has published, not closed, in a field Japan accepts today; newest
    first."""
    filters = filters or BoardFilters()
    today = today or timezone.localdate()
    qs = (
        JobOffer.objects.filter(status=JobOfferStatus.PUBLISHED)
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
        # While Japan suspends a field (moc_kg §8), or before it opens, its offers are off.
        .exclude(field_id__in=fields_closed_on(today))
    )
    if filters.field:
        qs = qs.filter(field__code=filters.field)
    for word in filters.location.split():
        qs = qs.filter(work_location__icontains=word)
    if filters.japanese_level:
        qs = qs.filter(japanese_level_required__in=levels_at_or_below(filters.japanese_level))
    return (
        qs.select_related("receiving_organization", "field", "business_category")
        .prefetch_related("fees")
        .order_by("-id")
    )


def published_offer_get(offer_id: int) -> JobOffer:
    offer = published_offers().filter(pk=offer_id).first()
    if offer is None:
        raise NotFound("job offer")
    return offer
