"""Sending agency certification (MOC §7(1)–(4), §6(1)–(2)): applications and the
ministry's decisions, their notices, and their effect on open cases."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import agency_deciding_organization
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.cases.messages import CERTIFICATION_STATES
from kakehashi.cases.models import Case, CaseEvent, CaseFlag, CaseStatus, EventKind
from kakehashi.core.errors import InvalidInput, NotAllowed, Problem, RuleRefused
from kakehashi.procedures.facts import CertificationDecision
from kakehashi.procedures.rules import SEED_003, certification_state_on

from ..certification import (
    AGENCY_ACTIONS,
    ALLOWED_FROM,
    CLEARS_FLAGS,
    FLAGS_CASES,
    MINISTRY_ACTIONS,
    NEEDS_REASON,
)
from ..models import (
    AgencyCertificationDecision,
    CertificationAction,
    NoticeKind,
)
from .common import notify, parse_date


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
    agency: Organization, decision: AgencyCertificationDecision, actor: Actor, org: Organization
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
            actor=actor.user,
            organization=org,
            after={"flag": code, **params, "source": source},
        )
    return len(cases)


def _clear_flags(agency: Organization, actor: Actor, org: Organization) -> int:
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
            actor=actor.user,
            organization=org,
            before={"flag": flag.code},
            after={"flag": flag.code, "cleared": True},
        )
    return len(flags)


@transaction.atomic
def agency_decision_record(
    *,
    actor: Actor,
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
        org = actor.require_for(agency.pk, _("Only the agency itself can apply for certification."))
    else:
        deciding = agency_deciding_organization(actor, agency)
        if deciding is None:
            raise NotAllowed(
                _("Only the sending country's ministry decides on an agency's certification.")
            )
        org = deciding
    today = timezone.localdate()
    effective = parse_date(effective_on or today, "effective_on", problems)
    until = parse_date(valid_until, "valid_until", problems, required=action == "certified")
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
        recorded_by=actor.user,
        recorded_by_organization=org,
    )
    if action in FLAGS_CASES:
        _flag_cases(agency, decision, actor, org)
    elif action in CLEARS_FLAGS:
        _clear_flags(agency, actor, org)
    if action in MINISTRY_ACTIONS:
        notify(
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
    *, actor: Actor, today: datetime.date | None = None
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
