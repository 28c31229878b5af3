"""The one way to change a case (docs/architecture.md, "Writes"): each service checks
permission, validates, writes the change and a CaseEvent in one transaction."""

from .agency_effects import cases_flag_for_agency_decision
from .creation import CarriedStep, CreationResult, case_create
from .steps import CompletionResult, case_complete_step, case_withdraw

__all__ = [
    "CarriedStep",
    "CompletionResult",
    "CreationResult",
    "case_complete_step",
    "case_create",
    "case_withdraw",
    "cases_flag_for_agency_decision",
]
