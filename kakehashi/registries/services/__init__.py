"""Writes to the MOC registries. Each decision is recorded with who made it, tells the other
side's contact point (a Notice) and, for an agency, flags or clears the open cases it is on
(registries/effects.py), all in one transaction: the public pages and feeds read the same
rows, so they change the moment the decision is committed."""

from .agencies import (
    agency_decision_record,
    agency_expiries_record,
    agency_state_on,
    reason_disclosure_record,
)
from .common import notice_acknowledge
from .japan import (
    field_suspension_end,
    field_suspension_record,
    improvement_order_close,
    improvement_order_record,
    placement_licence_record,
    support_registration_cancel,
    support_registration_record,
)

__all__ = [
    "agency_decision_record",
    "agency_expiries_record",
    "agency_state_on",
    "field_suspension_end",
    "field_suspension_record",
    "improvement_order_close",
    "improvement_order_record",
    "notice_acknowledge",
    "placement_licence_record",
    "reason_disclosure_record",
    "support_registration_cancel",
    "support_registration_record",
]
