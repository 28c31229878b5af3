"""Writes to the MOC registries. Each decision is recorded with who made it, tells the other
side's contact point (a Notice) and, for an agency, flags or clears the open cases it is on,
all in one transaction: the public pages and feeds read the same rows, so they change the
moment the decision is committed."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.accounts.models import Organization, OrganizationKind, User
from kakehashi.accounts.selectors import memberships_of
from kakehashi.cases.messages import CERTIFICATION_STATES
from kakehashi.cases.models import Case, CaseEvent, CaseFlag, CaseStatus, EventKind
from kakehashi.core.errors import InvalidInput, NotAllowed, NotFound, Problem, RuleRefused
from kakehashi.procedures.facts import CertificationDecision
from kakehashi.procedures.rules import SEED_003, certification_state_on
from kakehashi.reference.models import Field

from .certification import (
    AGENCY_ACTIONS,
    ALLOWED_FROM,
    CLEARS_FLAGS,
    FLAGS_CASES,
    MINISTRY_ACTIONS,
    NEEDS_REASON,
)
from .models import (
    AgencyCertificationDecision,
    CertificationAction,
    FieldSuspension,
    ImprovementOrder,
    Notice,
    NoticeKind,
    PlacementLicence,
    SupportOrganizationRegistration,
    SupportRegistrationStatus,
)


def _acting_org(actor: User, kind: str, country: str | None = None) -> Organization | None:
    for membership in memberships_of(actor):
        org = membership.organization
        if membership.can_act and org.kind == kind and (country is None or org.country == country):
            return org
    return None


def _require(actor: User, kind: str, message: str, country: str | None = None) -> Organization:
    org = _acting_org(actor, kind, country)
    if org is None:
        raise NotAllowed(message)
    return org


def _date(
    value: Any, name: str, problems: list[Problem], required: bool = True
) -> datetime.date | None:
    if value in (None, ""):
        if required:
            problems.append(Problem("required", _("This field is required."), field=name))
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        problems.append(Problem("invalid_date", _("Not a date; use YYYY-MM-DD."), field=name))
        return None


def _notify(
    kind: str,
    sender: Organization,
    to_kind: str,
    subject: str,
    payload: dict[str, Any],
    source: str,
    country: str | None = None,
) -> list[Notice]:
    recipients = Organization.objects.filter(kind=to_kind)
    if country:
        recipients = recipients.filter(country=country)
    return [
        Notice.objects.create(
            kind=kind,
            from_organization=sender,
            to_organization=org,
            subject=subject,
            payload=payload,
            source=source,
        )
        for org in recipients
    ]


# --- Sending agency certification (MOC §7(1)–(4), §6(1)–(2)) ----------------------------


def agency_state_on(
    agency: Organization, day: datetime.date, destination: str = "JP"
) -> tuple[str, Any]:
    decisions = AgencyCertificationDecision.objects.filter(
        agency=agency, destination_country=destination
    )
    facts = tuple(
        CertificationDecision(
            action=d.action, effective_on=d.effective_on, valid_until=d.valid_until
        )
        for d in decisions
    )
    return certification_state_on(facts, day)


def _flag_cases(
    agency: Organization, decision: AgencyCertificationDecision, actor: User, org: Organization
) -> int:
    """Flag every open case that names the agency (receiving organization and city see it)."""
    code = FLAGS_CASES[decision.action]
    params = {
        "agency": agency.name_en,
        "date": decision.effective_on.isoformat(),
        "reason": decision.reason,
    }
    source = f"{SEED_003} §7(4)" if decision.action == "revoked" else f"{SEED_003} §7(3)"
    cases = list(
        Case.objects.filter(sending_agency=agency, status=CaseStatus.OPEN).select_for_update(
            of=("self",)
        )
    )
    for case in cases:
        CaseFlag.objects.create(case=case, code=code, params=params, source=source)
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.FLAG_RAISED,
            actor=actor,
            organization=org,
            after={"flag": code, **params, "source": source},
        )
    return len(cases)


def _clear_flags(agency: Organization, actor: User, org: Organization) -> int:
    flags = list(
        CaseFlag.objects.filter(
            case__sending_agency=agency, code__in=FLAGS_CASES.values(), cleared_at__isnull=True
        ).select_related("case")
    )
    now = timezone.now()
    for flag in flags:
        flag.cleared_at = now
        flag.save(update_fields=["cleared_at"])
        CaseEvent.objects.create(
            case=flag.case,
            kind=EventKind.FLAG_CLEARED,
            actor=actor,
            organization=org,
            before={"flag": flag.code},
            after={"flag": flag.code, "cleared": True},
        )
    return len(flags)


@transaction.atomic
def agency_decision_record(
    *,
    actor: User,
    agency_id: int,
    action: str,
    effective_on: Any = None,
    valid_until: Any = None,
    certificate_number: str = "",
    reason: str = "",
    destination_country: str = "JP",
) -> AgencyCertificationDecision:
    """Record an agency's application (by the agency) or a decision on it (by the sending
    country's ministry, i.e. its contact point): certify with a validity period, refuse,
    suspend, resume, revoke with a reason, or record expiry. The state must allow the
    action; decisions are recorded in date order and never in the future. Japan's contact
    point is notified (MOC §7(2), §7(4)); open cases with the agency are flagged or cleared."""
    problems: list[Problem] = []
    # Lock the agency: two decisions on one agency are recorded one after the other.
    agency = (
        Organization.objects.select_for_update()
        .filter(pk=agency_id, kind=OrganizationKind.SENDING_AGENCY)
        .first()
    )
    if agency is None:
        raise InvalidInput([Problem("not_found", _("No such sending agency."), field="agency_id")])
    if action not in ALLOWED_FROM:
        raise InvalidInput(
            [
                Problem(
                    "invalid_choice",
                    _("Unknown action: %(action)s.") % {"action": action},
                    field="action",
                )
            ]
        )
    if action in AGENCY_ACTIONS:
        org = next(
            (
                m.organization
                for m in memberships_of(actor)
                if m.can_act and m.organization_id == agency.pk
            ),
            None,
        )
        if org is None:
            raise NotAllowed(_("Only the agency itself can apply for certification."))
    else:
        org = _require(
            actor,
            OrganizationKind.SENDING_CONTACT_POINT,
            _("Only the sending country's ministry decides on an agency's certification."),
            country=agency.country,
        )
    today = timezone.localdate()
    effective = _date(effective_on or today, "effective_on", problems)
    until = _date(valid_until, "valid_until", problems, required=action == "certified")
    if effective and effective > today:
        problems.append(
            Problem(
                "date_in_future",
                _("A decision cannot take effect after today."),
                field="effective_on",
            )
        )
    if effective and until and until <= effective:
        problems.append(
            Problem(
                "before_start", _("The validity must end after it starts."), field="valid_until"
            )
        )
    if action in NEEDS_REASON and not reason.strip():
        problems.append(
            Problem(
                "required",
                _("Give the reason; it is recorded and, for a revocation, published."),
                field="reason",
            )
        )
    if problems:
        raise InvalidInput(problems)
    assert effective is not None
    last = (
        AgencyCertificationDecision.objects.filter(
            agency=agency, destination_country=destination_country
        )
        .order_by("-effective_on", "-id")
        .first()
    )
    if last is not None and effective < last.effective_on:
        raise RuleRefused(
            [
                Problem(
                    "out_of_order",
                    _(
                        "The last decision on this agency took effect on %(date)s; "
                        "a new one cannot take effect earlier."
                    )
                    % {"date": last.effective_on.isoformat()},
                    field="effective_on",
                )
            ]
        )
    state, _decision = agency_state_on(agency, effective, destination_country)
    already_recorded = action == "expired" and last is not None and last.action == "expired"
    if state not in ALLOWED_FROM[action] or already_recorded:
        raise RuleRefused(
            [
                Problem(
                    "transition_not_allowed",
                    _("An agency whose certification is “%(state)s” cannot be “%(action)s”.")
                    % {
                        "state": str(CERTIFICATION_STATES.get(state, state)),
                        "action": str(CertificationAction(action).label),
                    },
                    source=f"{SEED_003} §7(1), §7(4)",
                )
            ]
        )
    decision = AgencyCertificationDecision.objects.create(
        agency=agency,
        destination_country=destination_country,
        action=action,
        effective_on=effective,
        valid_until=until,
        certificate_number=certificate_number.strip(),
        reason=reason.strip(),
        recorded_by=actor,
        recorded_by_organization=org,
    )
    if action in FLAGS_CASES:
        _flag_cases(agency, decision, actor, org)
    elif action in CLEARS_FLAGS:
        _clear_flags(agency, actor, org)
    if action in MINISTRY_ACTIONS:
        _notify(
            NoticeKind.AGENCY_DECISION,
            org,
            OrganizationKind.JP_CONTACT_POINT,
            f"{agency.name_en}: {action} ({effective.isoformat()})",
            {
                "agency_id": agency.pk,
                "agency": agency.name_en,
                "action": action,
                "effective_on": effective.isoformat(),
                "valid_until": until.isoformat() if until else None,
                "reason": decision.reason,
                "decision_id": decision.pk,
            },
            f"{SEED_003} §7(2), §7(4), §6(1)–(2)",
        )
    return decision


def agency_expiries_record(
    *, actor: User, today: datetime.date | None = None
) -> list[AgencyCertificationDecision]:
    """Record the expiry of every certification whose validity has ended (run daily)."""
    today = today or timezone.localdate()
    recorded = []
    for agency in Organization.objects.filter(kind=OrganizationKind.SENDING_AGENCY):
        state, decision = agency_state_on(agency, today)
        if state == "expired" and decision is not None and decision.action != "expired":
            recorded.append(
                agency_decision_record(
                    actor=actor,
                    agency_id=agency.pk,
                    action="expired",
                    effective_on=decision.valid_until + datetime.timedelta(days=1),
                )
            )
    return recorded


# --- Japan's registries (MOC §6(3), §8) ----------------------------------------------------


def _jp(actor: User) -> Organization:
    return _require(
        actor, OrganizationKind.JP_CONTACT_POINT, _("Only Japan's contact point records this.")
    )


@transaction.atomic
def improvement_order_record(
    *,
    actor: User,
    receiving_organization_id: int,
    issued_on: Any,
    summary: str,
    order_number: str = "",
) -> ImprovementOrder:
    """Record an improvement order (改善命令) and notify Kyrgyzstan (MOC §6(3))."""
    org = _jp(actor)
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
    day = _date(issued_on, "issued_on", problems)
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
        recorded_by=actor,
    )
    _notify(
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
    actor: User,
    organization_id: int,
    registration_number: str,
    registered_on: Any,
    valid_until: Any = None,
    languages: str = "",
) -> SupportOrganizationRegistration:
    """Add a registered support organization to the list shared with Kyrgyzstan (MOC §6(3))."""
    org = _jp(actor)
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
    start = _date(registered_on, "registered_on", problems)
    end = _date(valid_until, "valid_until", problems, required=False)
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
        recorded_by=actor,
    )
    _share_support_list(org, "registered", registration)
    return registration


@transaction.atomic
def support_registration_cancel(
    *, actor: User, registration_id: int, cancelled_on: Any
) -> SupportOrganizationRegistration:
    org = _jp(actor)
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
    day = _date(cancelled_on, "cancelled_on", problems)
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
    _notify(
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
    *, actor: User, field_code: str, starts_on: Any, ends_on: Any = None, reason: str = ""
) -> FieldSuspension:
    """Japan suspends acceptance in a field for a period (MOC §8). COE and change-of-status
    applications in the field are refused while it lasts (rule field_accepting)."""
    org = _jp(actor)
    problems: list[Problem] = []
    field = Field.objects.filter(code=field_code).first()
    if field is None:
        problems.append(Problem("not_found", _("No such field."), field="field"))
    start = _date(starts_on, "starts_on", problems)
    end = _date(ends_on, "ends_on", problems, required=False)
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
        field=field, starts_on=start, ends_on=end, reason=reason.strip(), recorded_by=actor
    )
    _notify(
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
    actor: User,
    holder_id: int,
    licence_number: str,
    valid_from: Any,
    valid_until: Any = None,
    countries: str = "",
) -> PlacementLicence:
    """Record a Japanese job-placement licence (seed 002 3(2)※; R-P4)."""
    _jp(actor)
    problems: list[Problem] = []
    holder = Organization.objects.filter(pk=holder_id).first()
    if holder is None:
        problems.append(Problem("not_found", _("No such organization."), field="holder_id"))
    if not licence_number.strip():
        problems.append(Problem("required", _("This field is required."), field="licence_number"))
    start = _date(valid_from, "valid_from", problems)
    end = _date(valid_until, "valid_until", problems, required=False)
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
        recorded_by=actor,
    )


@transaction.atomic
def notice_acknowledge(*, actor: User, notice_id: int) -> Notice:
    """The receiving contact point marks a notice as read (once; later calls change nothing)."""
    org_ids = {m.organization_id for m in memberships_of(actor) if m.can_act}
    notice = (
        Notice.objects.select_for_update()
        .filter(pk=notice_id, to_organization_id__in=org_ids)
        .first()
    )
    if notice is None:
        raise NotFound("notice")
    if notice.acknowledged_at is None:
        notice.acknowledged_at = timezone.now()
        notice.acknowledged_by = actor
        notice.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return notice
