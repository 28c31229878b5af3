"""What the public pages and feeds show of each registry row: plain values under stable keys,
the same for the HTML page, the JSON feed and the CSV feed.

This is the only list of what leaves the system here. It carries what the MOC says to
publish (moc_kg §6(1)–(2), §7(2), §7(5)) and the fields Japan suspends (§8), and nothing
else: every row is about an organization or a field, never a person; who recorded a
decision is given only as the organization; and a decision's reason is the deciding side's
information (§3), published only where its written consent says so (`public_reason`). A key
added here appears in the feeds, so adding one is a change to a published format."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kakehashi.registries.certification import NEEDS_REASON
from kakehashi.registries.models import (
    AgencyCertificationDecision,
    FieldSuspension,
    ImprovementOrder,
    SupportOrganizationRegistration,
)
from kakehashi.registries.selectors import AgencyEntry, reason_for

Row = dict[str, Any]

# Column order of the CSV feeds and key order of the JSON items.
AGENCY_COLUMNS = (
    "id",
    "name_en",
    "name_ja",
    "name_local",
    "country",
    "state",
    "since",
    "valid_until",
    "certificate_number",
    "last_changed_on",
    "url",
)
REVOCATION_COLUMNS = (
    "agency_id",
    "agency_name_en",
    "agency_name_ja",
    "agency_name_local",
    "revoked_on",
    "reason",
    "agency_url",
)
IMPROVEMENT_ORDER_COLUMNS = (
    "id",
    "order_number",
    "issued_on",
    "organization_name_en",
    "organization_name_ja",
    "summary",
    "closed_on",
)
SUPPORT_ORGANIZATION_COLUMNS = (
    "registration_number",
    "organization_name_en",
    "organization_name_ja",
    "registered_on",
    "valid_until",
    "languages",
)
FIELD_SUSPENSION_COLUMNS = (
    "id",
    "field_code",
    "field_name_en",
    "field_name_ja",
    "starts_on",
    "ends_on",
    "in_force",
)
HISTORY_COLUMNS = (
    "action",
    "effective_on",
    "valid_until",
    "certificate_number",
    "reason",
    "recorded_by_organization_en",
    "recorded_by_organization_ja",
)

# The certification states in words (kakehashi.procedures.rules.certification_state_on),
# and the badge each is shown with: the word carries the meaning, the colour repeats it.
STATE_LABELS = {
    "certified": pgettext_lazy("certification state", "Certified"),
    "suspended": pgettext_lazy("certification state", "Suspended"),
    "revoked": pgettext_lazy("certification state", "Revoked"),
    "expired": pgettext_lazy("certification state", "Expired"),
    "applied": pgettext_lazy("certification state", "Applied"),
    "refused": pgettext_lazy("certification state", "Refused"),
    "none": _("Not certified"),
}
STATE_BADGES = {
    "certified": "done",
    "suspended": "blocked",
    "revoked": "blocked",
    "expired": "expired",
    "applied": "waiting",
    "refused": "refused",
    "none": "closed",
}


def iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def agency_row(entry: AgencyEntry, url: str) -> Row:
    agency = entry.agency
    return {
        "id": agency.pk,
        "name_en": agency.name_en,
        "name_ja": agency.name_ja,
        "name_local": agency.name_local,
        "country": agency.country,
        "state": entry.state,
        "since": iso(entry.since),
        "valid_until": iso(entry.valid_until),
        "certificate_number": entry.certificate_number,
        "last_changed_on": iso(entry.last_changed_on),
        "url": url,
    }


def public_reason(decision: AgencyCertificationDecision) -> str:
    """The reason, where the ministry consented in writing to publish it; else empty."""
    return reason_for(None, decision) if decision.action in NEEDS_REASON else ""


def history_row(decision: AgencyCertificationDecision) -> Row:
    """One decision on an agency, with its reason only where published by consent."""
    recorder = decision.recorded_by_organization
    return {
        "action": decision.action,
        "effective_on": iso(decision.effective_on),
        "valid_until": iso(decision.valid_until),
        "certificate_number": decision.certificate_number,
        "reason": public_reason(decision),
        "recorded_by_organization_en": recorder.name_en if recorder else "",
        "recorded_by_organization_ja": recorder.name_ja if recorder else "",
    }


def revocation_row(decision: AgencyCertificationDecision, agency_url: str) -> Row:
    agency = decision.agency
    return {
        "agency_id": agency.pk,
        "agency_name_en": agency.name_en,
        "agency_name_ja": agency.name_ja,
        "agency_name_local": agency.name_local,
        "revoked_on": iso(decision.effective_on),
        "reason": public_reason(decision),
        "agency_url": agency_url,
    }


def improvement_order_row(order: ImprovementOrder) -> Row:
    organization = order.receiving_organization
    return {
        "id": order.pk,
        "order_number": order.order_number,
        "issued_on": iso(order.issued_on),
        "organization_name_en": organization.name_en,
        "organization_name_ja": organization.name_ja,
        "summary": order.summary,
        # Closed by the date the register is read for (registries.selectors annotates it).
        "closed_on": iso(getattr(order, "closed_as_of", None)),
    }


def support_organization_row(registration: SupportOrganizationRegistration) -> Row:
    organization = registration.organization
    return {
        "registration_number": registration.registration_number,
        "organization_name_en": organization.name_en,
        "organization_name_ja": organization.name_ja,
        "registered_on": iso(registration.registered_on),
        "valid_until": iso(registration.valid_until),
        "languages": registration.languages,
    }


def field_suspension_row(suspension: FieldSuspension, *, in_force: bool) -> Row:
    field = suspension.field
    return {
        "id": suspension.pk,
        "field_code": field.code,
        "field_name_en": field.name_en,
        "field_name_ja": field.name_ja,
        "starts_on": iso(suspension.starts_on),
        "ends_on": iso(suspension.ends_on),
        "in_force": in_force,
    }
