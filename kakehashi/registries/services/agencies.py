"""Sending agency certification (moc_kg §7(1)–(4), §6(1)–(2)): applications and the
ministry's decisions, their notices, their effect on open cases, the expiry run, and the
ministry's consent to disclose a decision's reason (moc_kg §3)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import agency_deciding_organization
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.core import validation
from kakehashi.core.errors import InvalidInput, NotAllowed, Problem, RuleRefused
from kakehashi.procedures.facts import CertificationDecision
from kakehashi.procedures.rules import MOC, certification_state_on
from kakehashi.reference.citations import sourced

from ..certification import AGENCY_ACTIONS, ALLOWED_FROM, MINISTRY_ACTIONS, NEEDS_REASON
from ..effects import AgencyDecisionRecorded, agency_decision_recorded
from ..messages import CERTIFICATION_STATES
from ..models import (
    AgencyCertificationDecision,
    CertificationAction,
    DisclosureScope,
    NoticeKind,
    ReasonDisclosure,
)
from .common import notify

MAX_REASON = 2000


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


def _deciding_organization(actor: Actor, agency: Organization, action: str) -> Organization:
    if action in AGENCY_ACTIONS:
        return actor.require_for(
            agency.pk, _("Only the agency itself can apply for certification.")
        )
    deciding = agency_deciding_organization(actor, agency)
    if deciding is None:
        raise NotAllowed(
            _("Only the sending country's ministry decides on an agency's certification.")
        )
    return deciding


def _decision_problems(
    action: str,
    effective: datetime.date | None,
    until: datetime.date | None,
    reason: str,
    today: datetime.date,
) -> list[Problem]:
    problems: list[Problem] = []
    validation.not_in_future(effective, "effective_on", problems, today)
    validation.period(effective, until, "valid_until", problems)
    if action == "certified" and until is None:
        problems.append(Problem("required", _("This field is required."), field="valid_until"))
    if action in NEEDS_REASON and not reason:
        problems.append(
            Problem(
                "required",
                _(
                    "Give the reason. It is shared with Japan's contact point only, unless "
                    "you record written consent to disclose it."
                ),
                field="reason",
            )
        )
    return problems


@transaction.atomic
def agency_decision_record(
    *,
    actor: Actor,
    agency_id: int,
    action: str,
    effective_on: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    certificate_number: str = "",
    reason: str = "",
    destination_country: str = "JP",
) -> AgencyCertificationDecision:
    """Record an agency's application (by the agency) or a decision on it (by the sending
    country's ministry, i.e. its contact point): certify with a validity period, refuse,
    suspend, resume, revoke with a reason, or record expiry. The state must allow the
    action; decisions are recorded in date order and never in the future. Japan's contact
    point is notified (moc_kg §7(2), §7(4)); open cases with the agency are flagged or
    cleared (registries/effects.py), all in this transaction, with the agency row locked."""
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
                    _("Unknown decision: %(action)s.") % {"action": action[:40]},
                    field="action",
                )
            ]
        )
    org = _deciding_organization(actor, agency, action)
    problems: list[Problem] = []
    today = timezone.localdate()
    effective = effective_on or today
    reason = validation.text_field(reason, "reason", problems, max_length=MAX_REASON)
    number = validation.text_field(
        certificate_number, "certificate_number", problems, max_length=60
    )
    problems += _decision_problems(action, effective, valid_until, reason, today)
    if problems:
        raise InvalidInput(problems)
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
                    **sourced(f"{MOC} §7(1), §7(4)"),
                )
            ]
        )
    decision = AgencyCertificationDecision.objects.create(
        agency=agency,
        destination_country=destination_country,
        action=action,
        effective_on=effective,
        valid_until=valid_until,
        certificate_number=number,
        reason=reason,
        recorded_by=actor.user,
        recorded_by_organization=org,
    )
    agency_decision_recorded(
        AgencyDecisionRecorded(agency=agency, decision=decision, actor=actor, organization=org)
    )
    if action in MINISTRY_ACTIONS:
        notify(
            NoticeKind.AGENCY_DECISION,
            org,
            [agency.country],
            {
                "agency_id": agency.pk,
                "agency": agency.name_en,
                "action": action,
                "effective_on": effective.isoformat(),
                "valid_until": valid_until.isoformat() if valid_until else None,
                "reason": decision.reason,
                "decision_id": decision.pk,
            },
            f"{MOC} §7(2), §7(4), §6(1)–(2)",
        )
    return decision


def agency_expiries_record(
    *, today: datetime.date | None = None
) -> list[AgencyCertificationDecision]:
    """Record the expiry of every certification whose validity has ended, for the ministry
    of the agency's country (run daily by the task worker; running it twice records
    nothing twice). Each expiry notifies Japan and flags the agency's open cases."""
    today = today or timezone.localdate()
    recorded = []
    for agency in Organization.objects.filter(kind=OrganizationKind.SENDING_AGENCY):
        state, decision = agency_state_on(agency, today)
        if state != "expired" or decision is None or decision.action == "expired":
            continue
        ministry = (
            Organization.objects.filter(
                kind=OrganizationKind.SENDING_CONTACT_POINT, country=agency.country
            )
            .order_by("id")
            .first()
        )
        if ministry is None:
            continue
        recorded.append(
            agency_decision_record(
                actor=Actor.for_system(ministry),
                agency_id=agency.pk,
                action="expired",
                effective_on=decision.valid_until + datetime.timedelta(days=1),
            )
        )
    return recorded


@transaction.atomic
def reason_disclosure_record(
    *,
    actor: Actor,
    decision_id: int,
    scope: str,
    consented_on: datetime.date,
    consent_reference: str,
) -> ReasonDisclosure:
    """The ministry that made a decision records its written consent to disclose the
    reason to the parties of the cases it concerns, or to the public (moc_kg §3)."""
    decision = (
        AgencyCertificationDecision.objects.select_related("agency")
        .filter(pk=decision_id, action__in=NEEDS_REASON)
        .first()
    )
    if decision is None:
        raise InvalidInput(
            [Problem("not_found", _("No such decision with a reason."), field="decision_id")]
        )
    org = agency_deciding_organization(actor, decision.agency)
    if org is None:
        raise NotAllowed(_("Only the ministry that decided can consent to disclose its reason."))
    problems: list[Problem] = []
    if scope not in DisclosureScope.values:
        problems.append(
            Problem("invalid_choice", _("Choose who may read the reason."), field="scope")
        )
    validation.not_in_future(consented_on, "consented_on", problems, timezone.localdate())
    reference = validation.text_field(
        consent_reference, "consent_reference", problems, required=True, max_length=100
    )
    if problems:
        raise InvalidInput(problems)
    return ReasonDisclosure.objects.create(
        decision=decision,
        scope=scope,
        consented_on=consented_on,
        consent_reference=reference,
        recorded_by=actor.required_user,
        recorded_by_organization=org,
    )
