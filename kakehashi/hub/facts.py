"""What the hub adds to the engine's facts about a workplace."""

from __future__ import annotations

from typing import Any

from kakehashi.accounts.models import Organization

from .models import CooperationConfirmation


def cooperation_facts(organization: Organization) -> dict[str, Any]:
    """Only where the employer's city keeps confirmations here (it is a hub) is a missing
    one advised; elsewhere the fact is unknown."""
    if organization.municipality_id is None:
        return {}
    confirmed = CooperationConfirmation.objects.filter(
        receiving_organization=organization,
        municipality_id=organization.municipality_id,
        checked=True,
    ).exists()
    return {"cooperation_confirmed": confirmed}
