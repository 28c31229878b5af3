"""What a registry decision changes in the parts of Kakehashi built on the registries.

An agency's certification decision must reach every open case with the agency in the same
transaction (moc_kg §7(4)). Cases depend on the registries (a case reads the agency's
certification), so the registries cannot call into cases without an import loop; instead
the cases app registers its service here when it starts (cases/apps.py), and the decision
service calls every registered handler inside its transaction. See docs/adr/0011."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kakehashi.access import Actor
from kakehashi.accounts.models import Organization

from .models import AgencyCertificationDecision


@dataclass(frozen=True)
class AgencyDecisionRecorded:
    agency: Organization
    decision: AgencyCertificationDecision
    actor: Actor
    organization: Organization  # for which the decision was recorded (the ministry)


AgencyDecisionHandler = Callable[[AgencyDecisionRecorded], None]
_agency_decision_handlers: dict[str, AgencyDecisionHandler] = {}


def on_agency_decision(name: str, handler: AgencyDecisionHandler) -> None:
    """Register `handler` under `name` (registering a name again replaces it)."""
    _agency_decision_handlers[name] = handler


def agency_decision_recorded(event: AgencyDecisionRecorded) -> None:
    """Run every handler, in the caller's transaction: a failure undoes the decision too."""
    for handler in _agency_decision_handlers.values():
        handler(event)
