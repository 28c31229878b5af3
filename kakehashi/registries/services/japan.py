"""Japan's registries (moc_kg §6(3), §8): improvement orders, registered support
organizations, field suspensions and their end, job-placement licences. Each notice goes
only to the contact point of the partner country concerned."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.core import validation
from kakehashi.core.errors import InvalidInput, Problem, RuleRefused
from kakehashi.procedures.rules import KG_FLOW, MOC
from kakehashi.reference.citations import sourced
from kakehashi.reference.countries import country_problems
from kakehashi.reference.models import Field

from ..models import (
    FieldSuspension,
    ImprovementOrder,
    NoticeKind,
    PlacementLicence,
    SupportOrganizationRegistration,
    SupportRegistrationStatus,
)
from .common import jp_contact_point, notify, partner_countries

# --- Improvement orders (moc_kg §6(3)) ------------------------------------------------------


@transaction.atomic
def improvement_order_close(
    *, actor: Actor, order_id: int, closed_on: datetime.date | None, note: str
) -> ImprovementOrder:
    """Japan's contact point closes an improvement order the organization has complied
    with, on a date no earlier than its issue; the register shows it closed."""
    jp_contact_point(actor)
    order = ImprovementOrder.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        raise InvalidInput(
            [Problem("not_found", _("No such improvement order."), field="order_id")]
        )
    problems: list[Problem] = []
    day = closed_on or timezone.localdate()
    validation.not_in_future(day, "closed_on", problems, timezone.localdate())
    validation.period(order.issued_on, day, "closed_on", problems, same_day=True)
    text = validation.text_field(note, "note", problems, required=True, max_length=500)
    if problems:
        raise InvalidInput(problems)
    if order.closed_on is not None:
        raise RuleRefused(
            [Problem("already_closed", _("This order is already closed."), field="order_id")]
        )
    order.closed_on, order.closing_note = day, text
    order.save(update_fields=["closed_on", "closing_note"])
    return order


def _countries_of_workers(organization: Organization) -> list[str]:
    """The partner countries whose nationals the organization receives (its cases')."""
    return sorted(set(organization.received_cases.values_list("country", flat=True)))


@transaction.atomic
def improvement_order_record(
    *,
    actor: Actor,
    receiving_organization_id: int,
    issued_on: datetime.date | None,
    summary: str,
    order_number: str = "",
) -> ImprovementOrder:
    """Record an improvement order (改善命令) and notify the partner countries whose
    nationals the organization receives (moc_kg §6(3)); their contact points publish it
    (§7(5)). A country with no national there is not told."""
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
    if issued_on is None:
        problems.append(Problem("required", _("This field is required."), field="issued_on"))
    validation.not_in_future(issued_on, "issued_on", problems, timezone.localdate())
    summary = validation.text_field(summary, "summary", problems, required=True, max_length=2000)
    number = validation.text_field(order_number, "order_number", problems, max_length=60)
    if problems:
        raise InvalidInput(problems)
    assert target is not None
    assert issued_on is not None
    order = ImprovementOrder.objects.create(
        receiving_organization=target,
        issued_on=issued_on,
        summary=summary,
        order_number=number,
        recorded_by=actor.required_user,
    )
    notify(
        NoticeKind.IMPROVEMENT_ORDER,
        org,
        _countries_of_workers(target),
        {
            "order_id": order.pk,
            "receiving_organization": target.name_en,
            "receiving_organization_ja": target.name_ja,
            "issued_on": issued_on.isoformat(),
            "summary": order.summary,
        },
        f"{MOC} §6(3)",
    )
    return order


# --- The registered support organizations list (moc_kg §6(3)) ------------------------------


@transaction.atomic
def support_registration_record(
    *,
    actor: Actor,
    organization_id: int,
    registration_number: str,
    registered_on: datetime.date | None,
    valid_until: datetime.date | None = None,
    languages: str = "",
) -> SupportOrganizationRegistration:
    """Add a registered support organization to the list shared with each MOC partner
    (moc_kg §6(3))."""
    org = jp_contact_point(actor)
    problems: list[Problem] = []
    target = Organization.objects.filter(
        pk=organization_id, kind=OrganizationKind.SUPPORT_ORGANIZATION
    ).first()
    if target is None:
        problems.append(
            Problem("not_found", _("No such support organization."), field="organization_id")
        )
    number = validation.text_field(
        registration_number, "registration_number", problems, required=True, max_length=40
    )
    if (
        number
        and SupportOrganizationRegistration.objects.filter(registration_number=number).exists()
    ):
        problems.append(
            Problem(
                "duplicate",
                _("This registration number is already listed."),
                field="registration_number",
            )
        )
    if registered_on is None:
        problems.append(Problem("required", _("This field is required."), field="registered_on"))
    validation.not_in_future(registered_on, "registered_on", problems, timezone.localdate())
    validation.period(registered_on, valid_until, "valid_until", problems)
    languages = validation.text_field(languages, "languages", problems, max_length=200)
    if problems:
        raise InvalidInput(problems)
    assert target is not None
    assert registered_on is not None
    registration = SupportOrganizationRegistration.objects.create(
        organization=target,
        registration_number=number,
        registered_on=registered_on,
        valid_until=valid_until,
        languages=languages,
        recorded_by=actor.required_user,
    )
    _share_support_list(org, "registered", registration)
    return registration


@transaction.atomic
def support_registration_cancel(
    *, actor: Actor, registration_id: int, cancelled_on: datetime.date | None
) -> SupportOrganizationRegistration:
    org = jp_contact_point(actor)
    registration = (
        SupportOrganizationRegistration.objects.select_for_update()
        .select_related("organization")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        raise InvalidInput(
            [Problem("not_found", _("No such registration."), field="registration_id")]
        )
    problems: list[Problem] = []
    if cancelled_on is None:
        problems.append(Problem("required", _("This field is required."), field="cancelled_on"))
    validation.not_in_future(cancelled_on, "cancelled_on", problems, timezone.localdate())
    validation.period(
        registration.registered_on, cancelled_on, "cancelled_on", problems, same_day=True
    )
    if problems:
        raise InvalidInput(problems)
    if registration.status == SupportRegistrationStatus.CANCELLED:
        raise RuleRefused(
            [Problem("already_cancelled", _("This registration is already cancelled."))]
        )
    registration.status = SupportRegistrationStatus.CANCELLED
    registration.cancelled_on = cancelled_on
    registration.save(update_fields=["status", "cancelled_on", "updated_at"])
    _share_support_list(org, "cancelled", registration)
    return registration


def _share_support_list(
    org: Organization, change: str, registration: SupportOrganizationRegistration
) -> None:
    notify(
        NoticeKind.SUPPORT_ORGANIZATIONS,
        org,
        partner_countries(),
        {
            "registration_number": registration.registration_number,
            "change": change,
            "organization": registration.organization.name_en,
            "organization_ja": registration.organization.name_ja,
        },
        f"{MOC} §6(3)",
    )


# --- Field suspensions (moc_kg §8: 一時的に停止) ---------------------------------------------


def _overlapping(
    field: Field, starts_on: datetime.date, ends_on: datetime.date | None, exclude: int | None
) -> FieldSuspension | None:
    """A suspension of the field whose period shares a day with starts_on..ends_on."""
    qs = FieldSuspension.objects.filter(field=field).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    )
    if ends_on is not None:
        qs = qs.filter(starts_on__lte=ends_on)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.order_by("starts_on").first()


def _overlap_refusal(other: FieldSuspension) -> RuleRefused:
    until = other.ends_on.isoformat() if other.ends_on else _("until further notice")
    return RuleRefused(
        [
            Problem(
                "suspension_overlaps",
                _(
                    "This field is already suspended from %(from)s to %(until)s; end that "
                    "suspension or choose dates outside it."
                )
                % {"from": other.starts_on.isoformat(), "until": until},
                field="starts_on",
                **sourced(f"{MOC} §8"),
            )
        ]
    )


@transaction.atomic
def field_suspension_record(
    *,
    actor: Actor,
    field_code: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None = None,
    reason: str = "",
) -> FieldSuspension:
    """Japan suspends acceptance in a field for a period (moc_kg §8). While it lasts, COE
    and change-of-status applications in the field are refused (rule field_accepting) and
    its job offers leave the public board. Two suspensions of one field may not overlap."""
    org = jp_contact_point(actor)
    problems: list[Problem] = []
    field = Field.objects.filter(code=field_code).first()
    if field is None:
        problems.append(Problem("not_found", _("No such field."), field="field"))
    if starts_on is None:
        problems.append(Problem("required", _("This field is required."), field="starts_on"))
    validation.period(starts_on, ends_on, "ends_on", problems, same_day=True)
    reason = validation.text_field(reason, "reason", problems, required=True, max_length=2000)
    if problems:
        raise InvalidInput(problems)
    assert field is not None
    assert starts_on is not None
    # One suspension at a time per field: lock the field so two clerks cannot both pass.
    Field.objects.select_for_update().filter(pk=field.pk).first()
    other = _overlapping(field, starts_on, ends_on, exclude=None)
    if other is not None:
        raise _overlap_refusal(other)
    suspension = FieldSuspension.objects.create(
        field=field,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        recorded_by=actor.required_user,
    )
    notify(
        NoticeKind.FIELD_SUSPENSION,
        org,
        partner_countries(),
        {
            "suspension_id": suspension.pk,
            "field": field.code,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
            "reason": suspension.reason,
        },
        f"{MOC} §8",
    )
    return suspension


@transaction.atomic
def field_suspension_end(
    *, actor: Actor, suspension_id: int, ends_on: datetime.date | None
) -> FieldSuspension:
    """End a suspension on a date (its last day): acceptance in the field resumes the day
    after. The partner countries are told (moc_kg §8). A suspension that has already ended
    cannot be ended again; the end cannot be before the start nor move past an end set."""
    org = jp_contact_point(actor)
    suspension = (
        FieldSuspension.objects.select_for_update()
        .select_related("field")
        .filter(pk=suspension_id)
        .first()
    )
    if suspension is None:
        raise InvalidInput(
            [Problem("not_found", _("No such field suspension."), field="suspension_id")]
        )
    today = timezone.localdate()
    if suspension.ends_on is not None and suspension.ends_on < today:
        raise RuleRefused(
            [
                Problem(
                    "suspension_ended",
                    _("This suspension ended on %(date)s.")
                    % {"date": suspension.ends_on.isoformat()},
                )
            ]
        )
    problems: list[Problem] = []
    if ends_on is None:
        problems.append(Problem("required", _("This field is required."), field="ends_on"))
    validation.period(suspension.starts_on, ends_on, "ends_on", problems, same_day=True)
    if not problems and ends_on is not None and ends_on < today - datetime.timedelta(days=1):
        problems.append(
            Problem(
                "date_in_past",
                _(
                    "A suspension can be ended from today on: its last day is yesterday at "
                    "the earliest."
                ),
                field="ends_on",
            )
        )
    if suspension.ends_on is not None and ends_on is not None and ends_on > suspension.ends_on:
        problems.append(
            Problem(
                "after_end",
                _("The suspension already ends on %(date)s; it can only be ended earlier.")
                % {"date": suspension.ends_on.isoformat()},
                field="ends_on",
            )
        )
    if problems:
        raise InvalidInput(problems)
    assert ends_on is not None
    suspension.ends_on = ends_on
    suspension.ended_by = actor.required_user
    suspension.ended_at = timezone.now()
    suspension.save(update_fields=["ends_on", "ended_by", "ended_at"])
    notify(
        NoticeKind.FIELD_SUSPENSION_ENDED,
        org,
        partner_countries(),
        {
            "suspension_id": suspension.pk,
            "field": suspension.field.code,
            "starts_on": suspension.starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        },
        f"{MOC} §8",
    )
    return suspension


# --- Job-placement licences (isa_kg_flow 3(2)※; R-P4) -------------------------------------


@transaction.atomic
def placement_licence_record(
    *,
    actor: Actor,
    holder_id: int,
    licence_number: str,
    valid_from: datetime.date | None,
    valid_until: datetime.date | None = None,
    countries: list[str] | None = None,
) -> PlacementLicence:
    """Record a Japanese job-placement licence and the countries it covers: an agency's
    selection of candidates from a country its licence does not cover is flagged."""
    jp_contact_point(actor)
    problems: list[Problem] = []
    holder = Organization.objects.filter(pk=holder_id).first()
    if holder is None:
        problems.append(Problem("not_found", _("No such organization."), field="holder_id"))
    number = validation.text_field(
        licence_number, "licence_number", problems, required=True, max_length=40
    )
    if valid_from is None:
        problems.append(Problem("required", _("This field is required."), field="valid_from"))
    validation.period(valid_from, valid_until, "valid_until", problems)
    codes = sorted({c.strip().upper() for c in countries or [] if c.strip()})
    if not codes:
        problems.append(
            Problem(
                "required",
                _("Name the countries the licence covers."),
                field="countries",
                **sourced(f"{KG_FLOW} 3(2)※"),
            )
        )
    problems += country_problems(codes, "countries")
    if problems:
        raise InvalidInput(problems)
    assert holder is not None
    assert valid_from is not None
    return PlacementLicence.objects.create(
        holder=holder,
        licence_number=number,
        valid_from=valid_from,
        valid_until=valid_until,
        countries=codes,
        recorded_by=actor.required_user,
    )
