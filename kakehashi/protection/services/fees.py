"""Fees the worker is asked to pay (moc_kg §4(1)(e)): on a case or a job offer, with the
basis of calculation, the amount and the breakdown, and the worker's acknowledgement.
Support costs are never the worker's (ssw_standards_ordinance), and an agency that declares
employers pay everything records no fee to the worker."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import fee_policy_agency, fee_recording_organization, may_manage_offer
from kakehashi.access.visibility import case_visibility, job_offer_visibility
from kakehashi.core import validation
from kakehashi.core.errors import InvalidInput, NotAllowed, NotFound, Problem, RuleRefused
from kakehashi.reference.citations import sourced

from ..models import Currency, Fee, FeeAcknowledgement, FeePolicy, FeePurpose
from ..selectors import employer_pays, fees_visible_to
from .common import day

MAX_AMOUNT = Decimal("9999999999.99")
LANGUAGES = ("ja", "en", "ru", "ky")


def _amount(value: Any, field: str, problems: list[Problem]) -> Decimal | None:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        problems.append(Problem("invalid_number", _("Give an amount, e.g. 12000."), field=field))
        return None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        problems.append(
            Problem(
                "out_of_range",
                _("The amount must be more than 0 and at most %(max)s.")
                % {"max": f"{MAX_AMOUNT:,}"},
                field=field,
            )
        )
        return None
    return amount


def _breakdown(value: Any, total: Decimal | None, problems: list[Problem]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    entries = value if isinstance(value, list) else []
    if not entries:
        problems.append(
            Problem(
                "required",
                _("Break the amount down: each part and what it pays for."),
                field="breakdown",
                **sourced("moc_kg §4(1)(e)"),
            )
        )
        return rows
    for index, entry in enumerate(entries[:50]):
        entry = entry if isinstance(entry, dict) else {}
        label = validation.text_field(
            entry.get("item"), f"breakdown.{index}.item", problems, required=True, max_length=200
        )
        amount = _amount(entry.get("amount"), f"breakdown.{index}.amount", problems)
        if amount is not None:
            rows.append({"item": label, "amount": str(amount)})
    if total is not None and len(rows) == len(entries[:50]):
        parts = sum((Decimal(r["amount"]) for r in rows), Decimal(0))
        if parts != total:
            problems.append(
                Problem(
                    "breakdown_mismatch",
                    _("The parts add up to %(parts)s, not to the amount %(total)s.")
                    % {"parts": f"{parts:,}", "total": f"{total:,}"},
                    field="breakdown",
                )
            )
    return rows


@transaction.atomic
def fee_record(*, actor: Actor, data: dict[str, Any]) -> Fee:
    """Record a fee the worker is asked to pay, on a case (by its sending agency or
    receiving organization) or on a job offer (by its receiving organization)."""
    problems: list[Problem] = []
    case = offer = None
    case_id, offer_id = data.get("case_id"), data.get("job_offer_id")
    if bool(case_id) == bool(offer_id):
        raise InvalidInput(
            [Problem("required", _("Name either the case or the job offer."), field="case_id")]
        )
    if case_id:
        case_model: Any = Fee._meta.get_field("case").related_model
        case = case_model.objects.filter(case_visibility(actor), pk=case_id).first()
        if case is None:
            raise NotFound("case")
        charged_by = fee_recording_organization(actor, case)
        if charged_by is None:
            raise NotAllowed(_("Only the case's sending agency or employer records its fees."))
    else:
        offer_model: Any = Fee._meta.get_field("job_offer").related_model
        offer = offer_model.objects.filter(job_offer_visibility(actor), pk=offer_id).first()
        if offer is None:
            raise NotFound("job offer")
        if not may_manage_offer(actor, offer):
            raise NotAllowed(_("Only the employer records the fees of its job offer."))
        charged_by = actor.acts_for(offer.receiving_organization_id)
    purpose = str(data.get("purpose") or "")
    if purpose not in FeePurpose.values:
        problems.append(
            Problem(
                "invalid_choice",
                _("Choose one of: %(allowed)s.") % {"allowed": ", ".join(FeePurpose.values)},
                field="purpose",
            )
        )
    currency = str(data.get("currency") or "")
    if currency not in Currency.values:
        problems.append(Problem("invalid_choice", _("Choose KGS or JPY."), field="currency"))
    basis = validation.text_field(
        data.get("basis"), "basis", problems, required=True, max_length=1000
    )
    amount = _amount(data.get("amount"), "amount", problems)
    breakdown = _breakdown(data.get("breakdown"), amount, problems)
    if problems:
        raise InvalidInput(problems)
    refusals: list[Problem] = []
    if purpose == FeePurpose.SUPPORT:
        refusals.append(
            Problem(
                "support_cost_to_worker",
                _(
                    "Support costs under the support plan are borne by the receiving "
                    "organization, never by the worker, directly or indirectly."
                ),
                field="purpose",
                **sourced("ssw_standards_ordinance 第2条"),
            )
        )
    if offer is not None and offer.worker_pays_nothing:
        refusals.append(
            Problem(
                "employer_pays",
                _(
                    "This job offer says the worker pays nothing; a fee to the worker "
                    "contradicts it."
                ),
                field="job_offer_id",
                **sourced("ilo_fair_recruitment principle 7"),
            )
        )
    agency_id = getattr(case, "sending_agency_id", None)
    if agency_id and employer_pays(agency_id):
        refusals.append(
            Problem(
                "employer_pays",
                _(
                    "The sending agency declares that employers pay all costs; it charges "
                    "the worker no fee."
                ),
                field="case_id",
                **sourced("ilo_fair_recruitment principle 7"),
            )
        )
    if refusals:
        raise RuleRefused(refusals)
    assert charged_by is not None
    assert amount is not None
    return Fee.objects.create(
        case=case,
        job_offer=offer,
        charged_by=charged_by,
        purpose=purpose,
        basis=basis,
        amount=amount,
        currency=currency,
        breakdown=breakdown,
        recorded_by=actor.required_user,
    )


@transaction.atomic
def fee_acknowledgement_record(
    *, actor: Actor, fee_id: int, acknowledged_on: Any, language: str, document_reference: str
) -> FeeAcknowledgement:
    """Record the worker's signed acknowledgement that they were shown the basis, amount
    and breakdown in their language and understood them (moc_kg §4(1)(e))."""
    fee = fees_visible_to(actor).filter(pk=fee_id).select_related("case").first()
    if fee is None or fee.case is None:
        raise NotFound("fee")
    org = fee_recording_organization(actor, fee.case)
    if org is None:
        raise NotAllowed(_("Only the case's sending agency or employer records this."))
    problems: list[Problem] = []
    acknowledged = day(acknowledged_on, "acknowledged_on", problems, required=True)
    validation.not_in_future(acknowledged, "acknowledged_on", problems, timezone.localdate())
    if language not in LANGUAGES:
        problems.append(
            Problem(
                "invalid_choice",
                _("Choose one of: %(allowed)s.") % {"allowed": ", ".join(LANGUAGES)},
                field="language",
            )
        )
    reference = validation.text_field(
        document_reference, "document_reference", problems, required=True, max_length=100
    )
    if problems:
        raise InvalidInput(problems)
    return FeeAcknowledgement.objects.create(
        fee=fee,
        acknowledged_on=acknowledged,
        language=language,
        document_reference=reference,
        recorded_by=actor.required_user,
        recorded_by_organization=org,
    )


def fee_policy_declare(*, actor: Actor, agency_id: int, employer_pays: bool) -> FeePolicy:
    """A sending agency declares whether employers pay all costs (the worker nothing)."""
    agency = fee_policy_agency(actor, agency_id)
    if agency is None:
        raise NotAllowed(_("Only the agency declares its own fee policy."))
    return FeePolicy.objects.create(
        agency=agency,
        employer_pays=bool(employer_pays),
        declared_on=timezone.localdate(),
        recorded_by=actor.required_user,
    )
