"""Candidates who saw a published offer and contacted the receiving organization (isa_kg_flow
2(2): 求人情報等を閲覧したキルギス国籍の方から受入機関に直接連絡), and the pattern-2 case the
organization opens for one of them. Checks in the order of services/offers.py."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import may_manage_offer
from kakehashi.cases.models import Case
from kakehashi.cases.services import CarriedStep, case_create
from kakehashi.core.errors import InvalidInput, NotAllowed, Problem, RuleRefused
from kakehashi.people.inputs import PersonData
from kakehashi.people.models import Person
from kakehashi.people.services import person_create
from kakehashi.reference.citations import sourced

from ..models import CandidateContact, JobOffer, JobOfferEventKind, JobOfferStatus
from ..selectors import contact_get_for_user
from .common import SEED_002, as_date, managed_offer_locked, record_event, required

CONTACT_TEXT = {"family_name": True, "given_names": True, "phone": False, "message": False}
MAX_MESSAGE = 2000


def _max_length(name: str) -> int:
    return getattr(CandidateContact._meta.get_field(name), "max_length", 0) or 0


def _clean_contact(data: dict[str, Any], published_on: datetime.date) -> dict[str, Any]:
    problems: list[Problem] = []
    cleaned: dict[str, Any] = {}
    for name, needed in CONTACT_TEXT.items():
        text = str(data.get(name) or "").strip()
        limit = MAX_MESSAGE if name == "message" else _max_length(name)
        if needed and not text:
            problems.append(required(name))
        elif limit and len(text) > limit:
            problems.append(
                Problem("too_long", _("At most %(max)s characters.") % {"max": limit}, field=name)
            )
        cleaned[name] = text
    email = str(data.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                Problem("invalid_email", _("Enter a valid e-mail address."), field="email")
            )
    cleaned["email"] = email
    if not email and not cleaned["phone"]:
        problems.append(
            Problem(
                "email_or_phone",
                _("Give an e-mail address or a phone number to reach the candidate."),
                field="email",
            )
        )
    contacted_on = as_date(data.get("contacted_on"), "contacted_on", problems)
    if data.get("contacted_on") in (None, ""):
        problems.append(required("contacted_on"))
    elif contacted_on and contacted_on > timezone.localdate():
        problems.append(
            Problem("date_in_future", _("The date cannot be in the future."), field="contacted_on")
        )
    elif contacted_on and contacted_on < published_on:
        problems.append(
            Problem(
                "before_publication",
                _(
                    "The candidate contacted you after seeing the published offer: the date "
                    "cannot be before %(date)s, when it was published."
                )
                % {"date": published_on.isoformat()},
                field="contacted_on",
                **sourced(SEED_002),
            )
        )
    if problems:
        raise InvalidInput(problems)
    cleaned["contacted_on"] = contacted_on
    return cleaned


@transaction.atomic
def candidate_contact_record(
    *, actor: Actor, offer_id: int, data: dict[str, Any]
) -> CandidateContact:
    """Record that a candidate who saw the published offer contacted the receiving
    organization. Only on its own offer while it is published (409 otherwise)."""
    offer = managed_offer_locked(
        actor,
        offer_id,
        _("Only staff of the receiving organization can record contacts on its job offer."),
    )
    if offer.status != JobOfferStatus.PUBLISHED or offer.published_at is None:
        raise RuleRefused(
            [
                Problem(
                    "offer_not_published",
                    _(
                        "Contacts can be recorded only on a published job offer: candidates "
                        "contact you after the Center publishes it."
                    ),
                    **sourced(SEED_002),
                )
            ]
        )
    published_on = timezone.localdate(offer.published_at)
    contact = CandidateContact.objects.create(
        job_offer=offer, recorded_by=actor.required_user, **_clean_contact(data, published_on)
    )
    record_event(
        offer,
        JobOfferEventKind.CONTACT_RECORDED,
        actor,
        offer.receiving_organization,
        {},
        {"contact": contact.pk},
    )
    return contact


def carried_steps(offer: JobOffer, contact: CandidateContact) -> list[CarriedStep]:
    """What pattern 2 has already done when a candidate's contact opens a case: the
    recruitment contract with the Center, the offer's submission and its publication by
    the Center, and the contact itself (isa_kg_flow 2(1)–(2)). Recorded with the case, by
    whoever did each, so that nothing is entered twice and the Center does not publish
    again."""
    contract = offer.recruitment_contract
    published = offer.events.filter(kind=JobOfferEventKind.PUBLISHED).order_by("-id").first()
    submitted = offer.events.filter(kind=JobOfferEventKind.SUBMITTED).order_by("-id").first()
    if contract is None or published is None or submitted is None or offer.published_at is None:
        raise RuleRefused(
            [
                Problem(
                    "offer_not_published",
                    _("Only a job offer the Center published can start a case."),
                    **sourced(SEED_002),
                )
            ]
        )
    receiving = offer.receiving_organization
    submitted_on = timezone.localdate(submitted.at)
    return [
        CarriedStep(
            step_key="center_recruitment_contract",
            role="receiving_organization",
            happened_on=contract.signed_on,
            evidence={
                "signed_on": contract.signed_on,
                "contract_number": contract.contract_number,
            },
            completed_by=contract.recorded_by,
            organization=receiving,
        ),
        CarriedStep(
            step_key="job_offer_submitted",
            role="receiving_organization",
            happened_on=submitted_on,
            evidence={
                "submitted_on": submitted_on,
                "positions": offer.positions,
                "job_title": offer.title,
            },
            completed_by=submitted.actor,
            organization=receiving,
        ),
        CarriedStep(
            step_key="job_offer_published",
            role="sending_contact_point",
            happened_on=timezone.localdate(offer.published_at),
            evidence={
                "published_on": timezone.localdate(offer.published_at),
                "publication_reference": f"/jobs/{offer.pk}/",
            },
            completed_by=published.actor,
            organization=published.organization,
        ),
        CarriedStep(
            step_key="candidate_contact",
            role="receiving_organization",
            happened_on=contact.contacted_on,
            evidence={"contacted_on": contact.contacted_on},
            completed_by=contact.recorded_by,
            organization=receiving,
        ),
    ]


@dataclass
class CaseStarted:
    contact: CandidateContact
    person: Person
    case: Case
    warnings: list[Problem] = field(default_factory=list)
    flags: list[Problem] = field(default_factory=list)


def candidate_contact_start_case(
    *, actor: Actor, offer_id: int, contact_id: int, date_of_birth: datetime.date
) -> CaseStarted:
    """Register the candidate as a person (a national of the offer's country, living there)
    and open a pattern-2 case (via_center) for the offer's field and business category.
    All or nothing: if the case is refused, no person is registered either."""
    contact = contact_get_for_user(actor, offer_id, contact_id)
    offer = contact.job_offer
    if not may_manage_offer(actor, offer):
        raise NotAllowed(
            _("Only staff of the receiving organization can open a case from a contact.")
        )
    with transaction.atomic():
        locked = CandidateContact.objects.select_for_update().get(pk=contact.pk)
        if locked.case_id is not None:
            raise RuleRefused(
                [
                    Problem(
                        "case_already_started",
                        _("A case has already been opened for this contact."),
                    )
                ]
            )
        person = person_create(
            actor=actor,
            data=PersonData(
                family_name=locked.family_name,
                given_names=locked.given_names,
                nationality=offer.country,
                current_country=offer.country,
                date_of_birth=date_of_birth,
                email=locked.email,
                phone=locked.phone,
            ),
        )
        result = case_create(
            actor=actor,
            person_id=person.pk,
            field_code=offer.field.code,
            category_code=offer.business_category.code,
            pattern="via_center",
            country=offer.country,
            receiving_organization_id=offer.receiving_organization_id,
            carried=carried_steps(offer, locked),
        )
        locked.person, locked.case = person, result.case
        locked.save(update_fields=["person", "case"])
        record_event(
            offer,
            JobOfferEventKind.CASE_STARTED,
            actor,
            offer.receiving_organization,
            {},
            {"contact": locked.pk, "person": person.pk, "case": result.case.pk},
        )
    locked.job_offer = offer
    return CaseStarted(
        contact=locked,
        person=person,
        case=result.case,
        warnings=result.warnings,
        flags=result.flags,
    )
