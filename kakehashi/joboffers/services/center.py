"""The recruitment contract with the Center (isa_kg_flow 2(1)): the first step of pattern 2,
before any job offer is submitted."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import acting_receiving_organization
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.core import validation
from kakehashi.core.errors import InvalidInput, Problem, RuleRefused
from kakehashi.procedures import registry
from kakehashi.reference.citations import sourced

from ..models import CenterRecruitmentContract
from .common import SEED_002


@transaction.atomic
def recruitment_contract_record(
    *,
    actor: Actor,
    signed_on: datetime.date | None,
    contract_number: str = "",
    country: str = "KG",
    receiving_organization_id: int | None = None,
) -> CenterRecruitmentContract:
    """Record that the receiving organization signed a recruitment contract with the
    Center of `country` (isa_kg_flow 2(1)). Job offers to that Center are submitted under
    it."""
    organization = acting_receiving_organization(
        actor,
        receiving_organization_id,
        _("Only staff of a receiving organization can record its contract with the Center."),
        field="receiving_organization_id",
    )
    problems: list[Problem] = []
    if (
        country not in registry.countries()
        or not Organization.objects.filter(
            kind=OrganizationKind.SENDING_CONTACT_POINT, country=country
        ).exists()
    ):
        problems.append(
            Problem(
                "invalid_choice",
                _("There is no Center for this country in Kakehashi."),
                field="country",
            )
        )
    if signed_on is None:
        problems.append(Problem("required", _("This field is required."), field="signed_on"))
    validation.not_in_future(signed_on, "signed_on", problems, timezone.localdate())
    number = validation.text_field(contract_number, "contract_number", problems, max_length=60)
    if problems:
        raise InvalidInput(problems)
    assert signed_on is not None
    return CenterRecruitmentContract.objects.create(
        receiving_organization=organization,
        country=country,
        signed_on=signed_on,
        contract_number=number,
        recorded_by=actor.required_user,
    )


def contract_in_force(
    organization_id: int, country: str, day: datetime.date
) -> CenterRecruitmentContract | None:
    """The organization's latest recruitment contract with the Center signed by `day`."""
    return (
        CenterRecruitmentContract.objects.filter(
            receiving_organization_id=organization_id, country=country, signed_on__lte=day
        )
        .order_by("-signed_on", "-id")
        .first()
    )


def require_contract(
    organization_id: int, country: str, day: datetime.date
) -> CenterRecruitmentContract:
    contract = contract_in_force(organization_id, country, day)
    if contract is None:
        raise RuleRefused(
            [
                Problem(
                    "no_recruitment_contract",
                    _(
                        "Record your recruitment contract with the Center first: a job offer "
                        "is submitted to the Center under that contract."
                    ),
                    **sourced(SEED_002),
                )
            ]
        )
    return contract
