"""The worker's stay after landing: the periods of stay granted, applications to extend it
and their decisions, leave not counted in the five-year total, and the deadlines that follow
from them (support/rules.py has the dated rules). The employer or the entrusted support
organization records them (access.policy.stay_recorder)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kakehashi.access import Actor
from kakehashi.access.policy import stay_recorder
from kakehashi.core import validation
from kakehashi.core.errors import Conflict, InvalidInput, NotAllowed, Problem
from kakehashi.protection.services.returns import return_case_open_for_refusal
from kakehashi.reference.citations import sourced

from .models import (
    ExtensionApplication,
    ExtensionOutcome,
    Interview,
    StayBasis,
    StayLeave,
    StayPeriod,
    SupportPlan,
)
from .plan import plan_items
from .rules import (
    Leave,
    TotalStay,
    extension_opens,
    special_period_end,
    stay_rules,
    total_stay,
)
from .selectors import plan_get


def _recording_plan(actor: Actor, plan_id: int) -> SupportPlan:
    plan = plan_get(actor, plan_id)
    if stay_recorder(actor, plan.case) is None:
        raise NotAllowed(
            _("Only the employer or the entrusted support organization records the stay.")
        )
    # Serialise the writes on one worker's stay.
    SupportPlan.objects.select_for_update().filter(pk=plan.pk).first()
    return plan


def not_before_stay(
    plan: SupportPlan, day: datetime.date | None, field: str, problems: list[Problem]
) -> None:
    """A date after landing is not before the day the stay began."""
    if day is not None and day < plan.starts_on:
        problems.append(
            Problem(
                "before_stay",
                _("The stay began on %(day)s.") % {"day": plan.starts_on.isoformat()},
                field=field,
            )
        )


def _check_period_length(
    granted_on: datetime.date, expires_on: datetime.date, problems: list[Problem]
) -> None:
    """The period granted at a time is at most the longest that the rule in force on the
    day of the grant allows (support/data/stay_rules.yaml)."""
    rule = stay_rules().period_rule(granted_on)
    if rule is None:
        problems.append(
            Problem(
                "no_rule",
                _("No period of stay is known for a grant on this day."),
                field="granted_on",
            )
        )
        return
    if expires_on > granted_on + relativedelta(months=rule.max_months):
        problems.append(
            Problem(
                "period_too_long",
                _("A period of stay granted on %(day)s is at most %(months)s months.")
                % {"day": granted_on.isoformat(), "months": rule.max_months},
                field="expires_on",
                **sourced(rule.source),
            )
        )


@transaction.atomic
def stay_period_record(
    *, actor: Actor, plan_id: int, granted_on: Any, expires_on: Any, today: Any = None
) -> StayPeriod:
    """The first period of stay, as on the residence card: granted at landing or with the
    change of status. Later periods come from extension decisions."""
    today = today or timezone.localdate()
    plan = _recording_plan(actor, plan_id)
    if StayPeriod.objects.filter(case=plan.case).exists():
        raise Conflict(
            _("The first period of stay is recorded; a later one comes with an extension."),
            code="already_recorded",
        )
    problems: list[Problem] = []
    granted = validation.date_field(granted_on, "granted_on", problems)
    expires = validation.date_field(expires_on, "expires_on", problems)
    validation.not_in_future(granted, "granted_on", problems, today)
    not_before_stay(plan, granted, "granted_on", problems)
    validation.period(granted, expires, "expires_on", problems)
    if granted is not None and expires is not None and expires > granted:
        _check_period_length(granted, expires, problems)
    if problems:
        raise InvalidInput(problems)
    assert granted is not None
    assert expires is not None
    basis = (
        StayBasis.LANDING
        if plan.case.steps.filter(step_key="landing").exists()
        else StayBasis.CHANGE_OF_STATUS
    )
    return StayPeriod.objects.create(
        case=plan.case,
        basis=basis,
        granted_on=granted,
        expires_on=expires,
        recorded_by=actor.required_user,
    )


def _current(case: Any) -> StayPeriod | None:
    return StayPeriod.objects.filter(case=case).order_by("-granted_on", "-id").first()


@transaction.atomic
def extension_apply(
    *, actor: Actor, plan_id: int, applied_on: Any, today: Any = None
) -> ExtensionApplication:
    """An application to extend the stay, filed on or before the last day of the period."""
    today = today or timezone.localdate()
    plan = _recording_plan(actor, plan_id)
    current = _current(plan.case)
    if current is None:
        raise Conflict(_("Record the period of stay first."), code="no_period")
    if ExtensionApplication.objects.filter(case=plan.case, outcome="").exists():
        raise Conflict(_("An application is already pending."), code="pending")
    problems: list[Problem] = []
    applied = validation.date_field(applied_on, "applied_on", problems)
    validation.not_in_future(applied, "applied_on", problems, today)
    if applied is not None and not current.granted_on <= applied <= current.expires_on:
        problems.append(
            Problem(
                "outside_period",
                _("An extension is applied for during the period of stay (%(start)s to %(end)s).")
                % {"start": current.granted_on.isoformat(), "end": current.expires_on.isoformat()},
                field="applied_on",
            )
        )
    if problems:
        raise InvalidInput(problems)
    assert applied is not None
    return ExtensionApplication.objects.create(
        case=plan.case, applied_on=applied, recorded_by=actor.required_user
    )


@transaction.atomic
def extension_decide(
    *,
    actor: Actor,
    plan_id: int,
    decided_on: Any,
    outcome: str,
    expires_on: Any = None,
    today: Any = None,
) -> ExtensionApplication:
    """The decision on the pending application. Granted: a new period of stay, at most as
    long as the rule in force on the day of the decision allows. Refused: the stay ends, and
    return support opens (moc_kg §8)."""
    today = today or timezone.localdate()
    plan = _recording_plan(actor, plan_id)
    application = ExtensionApplication.objects.filter(case=plan.case, outcome="").first()
    if application is None:
        raise Conflict(_("No application is pending."), code="none_pending")
    problems: list[Problem] = []
    if outcome not in ExtensionOutcome.values:
        problems.append(Problem("invalid_choice", _("Choose an outcome."), field="outcome"))
    decided = validation.date_field(decided_on, "decided_on", problems)
    validation.not_in_future(decided, "decided_on", problems, today)
    if decided is not None and decided < application.applied_on:
        problems.append(
            Problem(
                "before_application",
                _("The application was made on %(day)s.")
                % {"day": application.applied_on.isoformat()},
                field="decided_on",
            )
        )
    current = _current(plan.case)
    assert current is not None  # an application needs a period
    expires = None
    if outcome == ExtensionOutcome.GRANTED:
        expires = validation.date_field(expires_on, "expires_on", problems)
        if expires is not None and expires <= current.expires_on:
            problems.append(
                Problem(
                    "not_later",
                    _("The new period ends after the current one (%(day)s).")
                    % {"day": current.expires_on.isoformat()},
                    field="expires_on",
                )
            )
        elif expires is not None and decided is not None:
            _check_period_length(max(decided, current.expires_on), expires, problems)
    if problems:
        raise InvalidInput(problems)
    assert decided is not None
    application.decided_on, application.outcome = decided, outcome
    application.recorded_by = actor.required_user
    application.save()
    if expires is not None:
        StayPeriod.objects.create(
            case=plan.case,
            basis=StayBasis.EXTENSION,
            granted_on=decided,
            expires_on=expires,
            recorded_by=actor.required_user,
        )
    else:
        return_case_open_for_refusal(actor=actor, case=plan.case, reason="extension_refused")
    return application


@transaction.atomic
def leave_record(
    *, actor: Actor, plan_id: int, kind: str, starts_on: Any, ends_on: Any
) -> StayLeave:
    """Leave of a kind that the rules may leave out of the five-year total."""
    plan = _recording_plan(actor, plan_id)
    problems: list[Problem] = []
    if stay_rules().exclusion(kind) is None:
        problems.append(Problem("invalid_choice", _("Choose a kind of leave."), field="kind"))
    starts = validation.date_field(starts_on, "starts_on", problems)
    ends = validation.date_field(ends_on, "ends_on", problems)
    not_before_stay(plan, starts, "starts_on", problems)
    validation.period(starts, ends, "ends_on", problems, same_day=True)
    if problems:
        raise InvalidInput(problems)
    assert starts is not None
    assert ends is not None
    return StayLeave.objects.create(
        case=plan.case, kind=kind, starts_on=starts, ends_on=ends, recorded_by=actor.required_user
    )


# --- what the stay comes to -----------------------------------------------------------------


@dataclass(frozen=True)
class StayDeadline:
    key: str
    title: str
    due_on: datetime.date
    soon: bool
    passed: bool
    source_ref: str = ""


def person_total(person_id: int, today: datetime.date) -> TotalStay | None:
    """The person's time as an SSW (i) against the five-year total, over all their cases: from
    the first day of their first stay, less the leave the rules exclude."""
    began = SupportPlan.objects.filter(case__person_id=person_id).aggregate(Min("starts_on"))[
        "starts_on__min"
    ]
    if began is None:
        return None
    leave = [
        Leave(kind=x.kind, starts_on=x.starts_on, ends_on=x.ends_on)
        for x in StayLeave.objects.filter(case__person_id=person_id)
    ]
    return total_stay(began, leave, today)


TITLES = {
    "stay_ends": gettext_lazy("The period of stay ends"),
    "special_period": gettext_lazy(
        "Extension pending: the worker may stay until the decision, at most until"
    ),
    "extension_opens": gettext_lazy("Applications to extend the stay are accepted from"),
    "total_cap": gettext_lazy("The five-year total as an SSW (i) is reached"),
    "passport": gettext_lazy("The passport expires"),
    "interview": gettext_lazy("The next interview is due"),
}


def stay_deadlines(case: Any, today: datetime.date | None = None) -> list[StayDeadline]:
    """The deadlines of a worker's stay, soonest first: the end of the period of stay (or of
    the special period while an extension is pending), when an extension can be applied
    for, the five-year total, the passport, the next interview."""
    today = today or timezone.localdate()
    warn = stay_rules().warn
    rows: list[tuple[str, datetime.date, str, int]] = []
    current = _current(case)
    if current is not None:
        pending = ExtensionApplication.objects.filter(case=case, outcome="").exists()
        if pending:
            rows.append(
                (
                    "special_period",
                    special_period_end(current.expires_on),
                    stay_rules().extension.special_period_source,
                    warn.stay_expiring_days,
                )
            )
        else:
            rows.append(("stay_ends", current.expires_on, "", warn.stay_expiring_days))
            opens = extension_opens(current.expires_on)
            if opens > today:
                rows.append(("extension_opens", opens, stay_rules().extension.opens_source, 30))
    total = person_total(case.person_id, today)
    if total is not None:
        rows.append(("total_cap", total.reached_on, total.source, 365))
    if case.person.passport_expiry:
        rows.append(("passport", case.person.passport_expiry, "", warn.passport_expiring_days))
    interview = (
        Interview.objects.filter(plan__case=case, held_on__isnull=True).order_by("due_on").first()
    )
    if interview is not None:
        rows.append(("interview", interview.due_on, plan_items().source, 14))
    return sorted(
        (
            StayDeadline(
                key=key,
                title=str(TITLES[key]),
                due_on=due,
                soon=today <= due <= today + datetime.timedelta(days=within),
                passed=due < today,
                source_ref=source,
            )
            for key, due, source, within in rows
        ),
        key=lambda d: d.due_on,
    )
