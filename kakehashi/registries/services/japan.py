"""Japan's registries (MOC §6(3), §8): improvement orders, registered support
organizations, field suspensions, job-placement licences."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.core.errors import InvalidInput, Problem, RuleRefused
from kakehashi.procedures.rules import SEED_003
from kakehashi.reference.models import Field

from ..models import (
    FieldSuspension,
    ImprovementOrder,
    NoticeKind,
    PlacementLicence,
    SupportOrganizationRegistration,
    SupportRegistrationStatus,
)
from .common import jp_contact_point, notify, parse_date

# --- Japan's registries (MOC §6(3), §8) ----------------------------------------------------


@transaction.atomic
def improvement_order_record(
    *,
    actor: Actor,
    receiving_organization_id: int,
    issued_on: Any,
    summary: str,
    order_number: str = "",
) -> ImprovementOrder:
    """Record an improvement order (改善命令) and notify Kyrgyzstan (MOC §6(3))."""
    org = jp_contact_point(actor)
    problems: list[Problem] = []
    target = Organization.objects.filter(
        pk=receiving_organization_id, kind=OrganizationKind.RECEIVING_ORGANIZATION
    ).first()
    if target is None:
        problems.append(
            Problem(
                "not_found", _("No such receiving organization."), field="receiving_organization_id"
            )
        )
    day = parse_date(issued_on, "issued_on", problems)
    if day and day > timezone.localdate():
        problems.append(
            Problem("date_in_future", _("The date cannot be in the future."), field="issued_on")
        )
    if not summary.strip():
        problems.append(Problem("required", _("This field is required."), field="summary"))
    if problems:
        raise InvalidInput(problems)
    assert target is not None
    assert day is not None
    order = ImprovementOrder.objects.create(
        receiving_organization=target,
        issued_on=day,
        summary=summary.strip(),
        order_number=order_number.strip(),
        recorded_by=actor.required_user,
    )
    notify(
        NoticeKind.IMPROVEMENT_ORDER,
        org,
        OrganizationKind.SENDING_CONTACT_POINT,
        f"{target.name_en}: improvement order {day.isoformat()}",
        {
            "order_id": order.pk,
            "receiving_organization": target.name_en,
            "issued_on": day.isoformat(),
            "summary": order.summary,
        },
        f"{SEED_003} §6(3)",
    )
    return order


@transaction.atomic
def support_registration_record(
    *,
    actor: Actor,
    organization_id: int,
    registration_number: str,
    registered_on: Any,
    valid_until: Any = None,
    languages: str = "",
) -> SupportOrganizationRegistration:
    """Add a registered support organization to the list shared with Kyrgyzstan (MOC §6(3))."""
    org = jp_contact_point(actor)
    problems: list[Problem] = []
    target = Organization.objects.filter(
        pk=organization_id, kind=OrganizationKind.SUPPORT_ORGANIZATION
    ).first()
    if target is None:
        problems.append(
            Problem("not_found", _("No such support organization."), field="organization_id")
        )
    if not registration_number.strip():
        problems.append(
            Problem("required", _("This field is required."), field="registration_number")
        )
    elif SupportOrganizationRegistration.objects.filter(
        registration_number=registration_number.strip()
    ).exists():
        problems.append(
            Problem(
                "duplicate",
                _("This registration number is already listed."),
                field="registration_number",
            )
        )
    start = parse_date(registered_on, "registered_on", problems)
    end = parse_date(valid_until, "valid_until", problems, required=False)
    if start and end and end <= start:
        problems.append(
            Problem(
                "before_start", _("The validity must end after it starts."), field="valid_until"
            )
        )
    if problems:
        raise InvalidInput(problems)
    assert target is not None
    assert start is not None
    registration = SupportOrganizationRegistration.objects.create(
        organization=target,
        registration_number=registration_number.strip(),
        registered_on=start,
        valid_until=end,
        languages=languages.strip(),
        recorded_by=actor.required_user,
    )
    _share_support_list(org, "registered", registration)
    return registration


@transaction.atomic
def support_registration_cancel(
    *, actor: Actor, registration_id: int, cancelled_on: Any
) -> SupportOrganizationRegistration:
    org = jp_contact_point(actor)
    registration = (
        SupportOrganizationRegistration.objects.select_for_update()
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        raise InvalidInput(
            [Problem("not_found", _("No such registration."), field="registration_id")]
        )
    problems: list[Problem] = []
    day = parse_date(cancelled_on, "cancelled_on", problems)
    if problems:
        raise InvalidInput(problems)
    if registration.status == SupportRegistrationStatus.CANCELLED:
        raise RuleRefused(
            [Problem("already_cancelled", _("This registration is already cancelled."))]
        )
    registration.status = SupportRegistrationStatus.CANCELLED
    registration.cancelled_on = day
    registration.save(update_fields=["status", "cancelled_on", "updated_at"])
    _share_support_list(org, "cancelled", registration)
    return registration


def _share_support_list(
    org: Organization, change: str, registration: SupportOrganizationRegistration
) -> None:
    notify(
        NoticeKind.SUPPORT_ORGANIZATIONS,
        org,
        OrganizationKind.SENDING_CONTACT_POINT,
        f"Support organizations list: {registration.registration_number} {change}",
        {
            "registration_number": registration.registration_number,
            "change": change,
            "organization": registration.organization.name_en,
        },
        f"{SEED_003} §6(3)",
    )


@transaction.atomic
def field_suspension_record(
    *, actor: Actor, field_code: str, starts_on: Any, ends_on: Any = None, reason: str = ""
) -> FieldSuspension:
    """Japan suspends acceptance in a field for a period (MOC §8). COE and change-of-status
    applications in the field are refused while it lasts (rule field_accepting)."""
    org = jp_contact_point(actor)
    problems: list[Problem] = []
    field = Field.objects.filter(code=field_code).first()
    if field is None:
        problems.append(Problem("not_found", _("No such field."), field="field"))
    start = parse_date(starts_on, "starts_on", problems)
    end = parse_date(ends_on, "ends_on", problems, required=False)
    if start and end and end < start:
        problems.append(
            Problem("before_start", _("The end cannot be before the start."), field="ends_on")
        )
    if not reason.strip():
        problems.append(Problem("required", _("This field is required."), field="reason"))
    if problems:
        raise InvalidInput(problems)
    assert field is not None
    assert start is not None
    suspension = FieldSuspension.objects.create(
        field=field,
        starts_on=start,
        ends_on=end,
        reason=reason.strip(),
        recorded_by=actor.required_user,
    )
    notify(
        NoticeKind.FIELD_SUSPENSION,
        org,
        OrganizationKind.SENDING_CONTACT_POINT,
        f"{field.name_en}: acceptance suspended from {start.isoformat()}",
        {
            "field": field.code,
            "starts_on": start.isoformat(),
            "ends_on": end.isoformat() if end else None,
            "reason": suspension.reason,
        },
        f"{SEED_003} §8",
    )
    return suspension


@transaction.atomic
def placement_licence_record(
    *,
    actor: Actor,
    holder_id: int,
    licence_number: str,
    valid_from: Any,
    valid_until: Any = None,
    countries: str = "",
) -> PlacementLicence:
    """Record a Japanese job-placement licence (seed 002 3(2)※; R-P4)."""
    jp_contact_point(actor)
    problems: list[Problem] = []
    holder = Organization.objects.filter(pk=holder_id).first()
    if holder is None:
        problems.append(Problem("not_found", _("No such organization."), field="holder_id"))
    if not licence_number.strip():
        problems.append(Problem("required", _("This field is required."), field="licence_number"))
    start = parse_date(valid_from, "valid_from", problems)
    end = parse_date(valid_until, "valid_until", problems, required=False)
    if start and end and end <= start:
        problems.append(
            Problem(
                "before_start", _("The validity must end after it starts."), field="valid_until"
            )
        )
    if problems:
        raise InvalidInput(problems)
    assert holder is not None
    assert start is not None
    return PlacementLicence.objects.create(
        holder=holder,
        licence_number=licence_number.strip(),
        valid_from=start,
        valid_until=end,
        countries=countries.strip().upper(),
        recorded_by=actor.required_user,
    )
