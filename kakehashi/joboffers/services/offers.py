"""The one way to change a job offer and its candidate contacts (pattern 2, isa_kg_flow 2).

Each service checks, in this order, so the status code tells which check failed:
1. the offer (or contact) is visible to the actor (404, as if missing);
2. the actor may do this (403);
3. the offer is in a state that allows it (409);
4. the input is valid (422, each problem naming its field and rule).
The change and a JobOfferEvent are written in one transaction, under a lock on the row."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import acting_receiving_organization, offer_reviewer
from kakehashi.accounts.models import Organization
from kakehashi.core.errors import InvalidInput, NotAllowed, Problem, RuleRefused
from kakehashi.reference.citations import sourced
from kakehashi.reference.models import BusinessCategory, Field
from kakehashi.registries.selectors import fields_closed_on

from ..models import (
    JapaneseLevel,
    JobOffer,
    JobOfferEventKind,
    JobOfferStatus,
)
from ..selectors import job_offer_get_for_user
from .center import require_contract
from .common import (
    as_date,
    as_int,
    managed_offer_locked,
    not_in_state,
    record_event,
    required,
)

# Only Kyrgyzstan has a procedure and a Center today (procedures/definitions/kg-2023.yaml).
PARTNER_COUNTRY = "KG"
MAX_POSITIONS = 500  # as the procedure's job_offer_submitted step (kg-2023.yaml)
MAX_WAGE_JPY = 10_000_000
TEXT_FIELDS = ("title", "description", "work_location", "organization_info", "how_to_apply")
OFFER_FIELDS = (
    "field",
    "business_category",
    *TEXT_FIELDS,
    "positions",
    "monthly_wage_jpy",
    "japanese_level_required",
    "closes_on",
    "worker_pays_nothing",
)
EDITABLE = (JobOfferStatus.DRAFT, JobOfferStatus.REJECTED)
TEXT_LIMITS = {"description": 5000, "organization_info": 5000, "how_to_apply": 1000}


def _max_length(name: str) -> int:
    return TEXT_LIMITS.get(name) or getattr(JobOffer._meta.get_field(name), "max_length", 0) or 0


def _clean_offer(data: dict[str, Any]) -> dict[str, Any]:
    """Every field of an offer, checked: required texts, lengths, numbers in range, a known
    Japanese level, and a business category of the chosen field."""
    problems: list[Problem] = []
    cleaned: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        text = str(data.get(name) or "").strip()
        if not text:
            problems.append(required(name))
        elif len(text) > _max_length(name):
            problems.append(
                Problem(
                    "too_long",
                    _("At most %(max)s characters.") % {"max": _max_length(name)},
                    field=name,
                )
            )
        cleaned[name] = text
    cleaned["positions"] = as_int(data.get("positions"), "positions", 1, MAX_POSITIONS, problems)
    cleaned["monthly_wage_jpy"] = as_int(
        data.get("monthly_wage_jpy"), "monthly_wage_jpy", 1, MAX_WAGE_JPY, problems
    )
    level = str(data.get("japanese_level_required") or "").strip().upper()
    if not level:
        problems.append(required("japanese_level_required"))
    elif level not in JapaneseLevel.values:
        problems.append(
            Problem(
                "invalid_choice",
                _("The Japanese level must be one of: %(levels)s.")
                % {"levels": ", ".join(JapaneseLevel.values)},
                field="japanese_level_required",
            )
        )
    cleaned["japanese_level_required"] = level
    cleaned["closes_on"] = as_date(data.get("closes_on"), "closes_on", problems)
    cleaned["worker_pays_nothing"] = data.get("worker_pays_nothing") in (True, "true", "on", "1")
    if cleaned["closes_on"] and cleaned["closes_on"] < timezone.localdate():
        problems.append(
            Problem(
                "closes_in_past",
                _("The closing date has passed; change it or leave it empty."),
                field="closes_on",
            )
        )

    field_code = str(data.get("field") or "").strip()
    category_code = str(data.get("business_category") or "").strip()
    fld = Field.objects.filter(code=field_code).first() if field_code else None
    category = (
        BusinessCategory.objects.filter(code=category_code).first() if category_code else None
    )
    if not field_code:
        problems.append(required("field"))
    elif fld is None:
        problems.append(Problem("not_found", _("No such field."), field="field"))
    if not category_code:
        problems.append(required("business_category"))
    elif category is None:
        problems.append(
            Problem("not_found", _("No such business category."), field="business_category")
        )
    elif fld is not None and category.field_id != fld.pk:
        problems.append(
            Problem(
                "category_not_in_field",
                _("This business category does not belong to the chosen field."),
                field="business_category",
            )
        )
    if problems:
        raise InvalidInput(problems)
    cleaned["field"], cleaned["business_category"] = fld, category
    return cleaned


def _closing_problems(offer: JobOffer, today: datetime.date) -> list[Problem]:
    if offer.closes_on is not None and offer.closes_on < today:
        return [
            Problem(
                "closes_in_past",
                _("The closing date has passed; change it or leave it empty."),
                field="closes_on",
            )
        ]
    return []


def _acting_receiving_organization(actor: Actor, organization_id: int | None) -> Organization:
    return acting_receiving_organization(
        actor,
        organization_id,
        _("Only staff of a receiving organization can post job offers."),
        field="receiving_organization_id",
    )


# --- The receiving organization's offer ------------------------------------------------


@transaction.atomic
def job_offer_create(
    *, actor: Actor, data: dict[str, Any], receiving_organization_id: int | None = None
) -> JobOffer:
    """A draft job offer of the actor's receiving organization (isa_kg_flow 2(1): 求人情報や
    受入機関に関する情報等). Only its staff may; the Center sees it once submitted."""
    organization = _acting_receiving_organization(actor, receiving_organization_id)
    offer = JobOffer.objects.create(
        receiving_organization=organization,
        country=PARTNER_COUNTRY,
        created_by=actor.required_user,
        **_clean_offer(data),
    )
    record_event(
        offer, JobOfferEventKind.CREATED, actor, organization, {}, {"status": offer.status}
    )
    return offer


@transaction.atomic
def job_offer_update(*, actor: Actor, offer_id: int, data: dict[str, Any]) -> JobOffer:
    """Change a draft, or a rejected offer (which becomes a draft again, to be resubmitted).
    Once submitted or published, the Center has it: it cannot be changed (409)."""
    offer = managed_offer_locked(
        actor, offer_id, _("Only staff of the receiving organization can change its job offer.")
    )
    if offer.status not in EDITABLE:
        raise not_in_state(
            "offer_not_editable",
            _("Only a draft or a rejected job offer can be changed."),
        )
    current = {name: getattr(offer, name) for name in OFFER_FIELDS}
    current["field"], current["business_category"] = offer.field.code, offer.business_category.code
    cleaned = _clean_offer(current | data)
    changed = sorted(name for name, value in cleaned.items() if getattr(offer, name) != value)
    before = {"status": offer.status}
    for name, value in cleaned.items():
        setattr(offer, name, value)
    offer.status = JobOfferStatus.DRAFT
    offer.save()
    record_event(
        offer,
        JobOfferEventKind.CHANGED,
        actor,
        offer.receiving_organization,
        before,
        {"status": offer.status, "fields": changed},
    )
    return offer


@transaction.atomic
def job_offer_submit(*, actor: Actor, offer_id: int) -> JobOffer:
    """Submit a draft to the Center for publication, under the organization's recruitment
    contract with the Center (isa_kg_flow 2(1): センターに対し、求人情報…を提出)."""
    offer = managed_offer_locked(
        actor, offer_id, _("Only staff of the receiving organization can submit its job offer.")
    )
    if offer.status != JobOfferStatus.DRAFT:
        raise not_in_state("offer_not_draft", _("Only a draft job offer can be submitted."))
    today = timezone.localdate()
    contract = require_contract(offer.receiving_organization_id, offer.country, today)
    problems = _closing_problems(offer, today)
    if problems:
        raise InvalidInput(problems)
    before = {"status": offer.status}
    offer.status = JobOfferStatus.SUBMITTED
    offer.recruitment_contract = contract
    offer.submitted_at = timezone.now()
    offer.reviewed_at = None
    offer.reviewed_by = None
    offer.review_note = ""
    offer.save()
    record_event(
        offer,
        JobOfferEventKind.SUBMITTED,
        actor,
        offer.receiving_organization,
        before,
        {"status": offer.status},
    )
    return offer


@transaction.atomic
def job_offer_withdraw(*, actor: Actor, offer_id: int, reason: str = "") -> JobOffer:
    """The receiving organization takes its offer back, in any state (e.g. the positions
    are filled); a published offer leaves the public board at once."""
    offer = managed_offer_locked(
        actor, offer_id, _("Only staff of the receiving organization can withdraw its job offer.")
    )
    if offer.status == JobOfferStatus.WITHDRAWN:
        raise not_in_state("offer_withdrawn", _("This job offer has already been withdrawn."))
    reason = (reason or "").strip()
    if len(reason) > 1000:
        raise InvalidInput(
            [Problem("too_long", _("At most %(max)s characters.") % {"max": 1000}, field="reason")]
        )
    before = {"status": offer.status}
    offer.status = JobOfferStatus.WITHDRAWN
    offer.save()
    record_event(
        offer,
        JobOfferEventKind.WITHDRAWN,
        actor,
        offer.receiving_organization,
        before,
        {"status": offer.status, "reason": reason},
    )
    return offer


# --- The Center's review ------------------------------------------------------------------

PUBLISH, REJECT = "publish", "reject"


@transaction.atomic
def job_offer_review(*, actor: Actor, offer_id: int, decision: str, note: str = "") -> JobOffer:
    """The Center of the offer's country publishes a submitted offer on its website, or
    rejects it giving the reason (isa_kg_flow 2(1): 同センターのホームページで公表). An offer
    in a field Japan does not accept today (suspended or not open) cannot be published."""
    offer = job_offer_get_for_user(actor, offer_id)
    center = offer_reviewer(actor, offer)
    if center is None:
        raise NotAllowed(
            _("Only staff of the Center of the offer's country can publish or reject it."),
            code="not_sending_contact_point",
        )
    offer = JobOffer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != JobOfferStatus.SUBMITTED:
        raise not_in_state(
            "offer_not_submitted", _("Only a submitted job offer can be published or rejected.")
        )
    note = (note or "").strip()
    problems = []
    if decision not in (PUBLISH, REJECT):
        problems.append(Problem("invalid_choice", _("Choose publish or reject."), field="decision"))
    elif decision == REJECT and not note:
        problems.append(
            Problem("required", _("Give the reason for rejecting the job offer."), field="note")
        )
    if len(note) > 2000:
        problems.append(
            Problem("too_long", _("At most %(max)s characters.") % {"max": 2000}, field="note")
        )
    if problems:
        raise InvalidInput(problems)
    today = timezone.localdate()
    if decision == PUBLISH and _closing_problems(offer, today):
        raise not_in_state(
            "offer_closed", _("The closing date of this job offer has passed; reject it instead.")
        )
    if decision == PUBLISH and offer.field_id in fields_closed_on(today):
        raise RuleRefused(
            [
                Problem(
                    "field_not_accepting",
                    _(
                        "Japan accepts no new Specified Skilled Workers in %(field)s today "
                        "(the field is suspended or not yet open): the offer cannot be published."
                    )
                    % {"field": offer.field.display_name},
                    **sourced("moc_kg §8; ssw_basic_policy 分野別運用方針"),
                )
            ]
        )
    now = timezone.now()
    before = {"status": offer.status}
    offer.status = JobOfferStatus.PUBLISHED if decision == PUBLISH else JobOfferStatus.REJECTED
    offer.reviewed_at, offer.reviewed_by, offer.review_note = now, actor.user, note
    if decision == PUBLISH:
        offer.published_at = now
    offer.save()
    kind = JobOfferEventKind.PUBLISHED if decision == PUBLISH else JobOfferEventKind.REJECTED
    record_event(offer, kind, actor, center, before, {"status": offer.status, "note": note})
    return offer
