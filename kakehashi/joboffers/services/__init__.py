"""Writes for job offers (offers.py: the receiving organization's offer and the Center's
review) and candidate contacts (contacts.py: contacts and the pattern-2 case)."""

from .center import recruitment_contract_record
from .contacts import CaseStarted, candidate_contact_record, candidate_contact_start_case
from .offers import (
    PUBLISH,
    REJECT,
    job_offer_create,
    job_offer_review,
    job_offer_submit,
    job_offer_update,
    job_offer_withdraw,
)

__all__ = [
    "PUBLISH",
    "REJECT",
    "CaseStarted",
    "candidate_contact_record",
    "candidate_contact_start_case",
    "job_offer_create",
    "job_offer_review",
    "job_offer_submit",
    "job_offer_update",
    "job_offer_withdraw",
    "recruitment_contract_record",
]
