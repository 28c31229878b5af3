"""How long a person's data is kept, and whether it may be anonymised now (docs/privacy.md,
"Erasure and retention"). Reads only.

- While the person has an open case, nothing is erased.
- An SSW employment (a case whose stay began: it has a support plan) ends on the day the
  employer recorded the contract's end, or else when the last period of stay ran out with
  no extension pending; until then it may still be going on. The employer keeps its
  records for a year after it ends (ssw_standards_ordinance 第2条第1項): no anonymisation
  before.
- A case that ended without a stay (refused, withdrawn) ended on the day it was closed.
- The retention (settings.PERSONAL_DATA_RETENTION_YEARS, appi 第22条) runs from the end of
  the person's last case, or, for a person with no case, from the last use of their record."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.cases.models import Case, CaseStatus
from kakehashi.people.models import Person
from kakehashi.support.models import (
    ExtensionApplication,
    ImmigrationNotification,
    NotificationKind,
    StayPeriod,
    SupportPlan,
)

from . import rules


@dataclass(frozen=True)
class Blocker:
    """Why a person cannot be anonymised now."""

    code: str  # open_case, employment_ongoing, legal_retention
    message: str
    source: str = ""
    until: datetime.date | None = None


@dataclass(frozen=True)
class CaseEnd:
    case: Case
    ended_on: datetime.date | None  # None: open, or the employment may still go on
    employed: bool  # an SSW stay began: the employer's records duty applies


@dataclass
class RetentionState:
    person: Person
    blockers: list[Blocker] = field(default_factory=list)
    # The end of the last case, or (without a case) the last use of the record.
    last_end: datetime.date | None = None
    basis: str = "cases"  # or "activity"
    # From this day the daily job anonymises the person.
    expires_on: datetime.date | None = None

    @property
    def may_anonymise(self) -> bool:
        return not self.blockers


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def case_end(case: Case, today: datetime.date) -> CaseEnd:
    if case.status == CaseStatus.OPEN:
        return CaseEnd(case, None, False)
    if not SupportPlan.objects.filter(case=case).exists():
        return CaseEnd(case, _day(case.closed_at or case.updated_at), False)
    ended = (
        ImmigrationNotification.objects.filter(
            case=case, kind=NotificationKind.CONTRACT_ENDED, event_on__isnull=False
        )
        .aggregate(day=Max("event_on"))
        .get("day")
    )
    if ended is not None:
        return CaseEnd(case, ended, True)
    last = StayPeriod.objects.filter(case=case).order_by("-granted_on", "-id").first()
    pending = ExtensionApplication.objects.filter(case=case, outcome="").exists()
    if last is not None and last.expires_on < today and not pending:
        return CaseEnd(case, last.expires_on, True)
    return CaseEnd(case, None, True)


def _last_activity(person: Person) -> datetime.date:
    """The last use of a record with no case: its changes, presentations, test results,
    the worker's last sign-in."""
    moments: list[Any] = [person.created_at, person.updated_at]
    moments.append(person.events.aggregate(m=Max("at"))["m"])
    moments.append(person.presentations.aggregate(m=Max("presented_at"))["m"])
    moments.append(person.test_results.aggregate(m=Max("entered_at"))["m"])
    account = getattr(person, "worker_account", None)
    if account is not None:
        moments.append(account.user.last_login)
    return max(timezone.localdate(m) for m in moments if m is not None)


def retention_state(
    person: Person, today: datetime.date | None = None, years: int | None = None
) -> RetentionState:
    """Whether the person may be anonymised on `today`, and from when the retention of
    `years` (settings.PERSONAL_DATA_RETENTION_YEARS) has them anonymised."""
    today = today or timezone.localdate()
    years = settings.PERSONAL_DATA_RETENTION_YEARS if years is None else years
    state = RetentionState(person)
    ends = [case_end(c, today) for c in Case.objects.filter(person=person).order_by("id")]
    open_cases = [e.case.reference for e in ends if e.case.status == CaseStatus.OPEN]
    if open_cases:
        state.blockers.append(
            Blocker(
                "open_case",
                _("The person has an open case (%(cases)s): close it first.")
                % {"cases": ", ".join(open_cases)},
            )
        )
    ongoing = [e.case.reference for e in ends if e.employed and e.ended_on is None]
    if ongoing:
        state.blockers.append(
            Blocker(
                "employment_ongoing",
                _(
                    "The employment of case %(cases)s may still go on: the employer records "
                    "the end of the contract first (on the support plan)."
                )
                % {"cases": ", ".join(ongoing)},
            )
        )
    employed = [e.ended_on for e in ends if e.employed and e.ended_on is not None]
    if employed:
        until = rules.employer_records_until(max(employed))
        if today <= until:
            source = rules.rules().retention.employer_records.source
            state.blockers.append(
                Blocker(
                    "legal_retention",
                    _(
                        "The employer must keep the records of this person's employment until "
                        "%(until)s (one year after the contract ended)."
                    )
                    % {"until": until.isoformat()},
                    source,
                    until,
                )
            )
    if ends:
        closed = [e.ended_on for e in ends if e.ended_on is not None]
        state.last_end = max(closed) if len(closed) == len(ends) else None
    else:
        state.basis = "activity"
        state.last_end = _last_activity(person)
    if state.last_end is not None:
        expires = rules.retention_ends(state.last_end, years)
        legal = [b.until for b in state.blockers if b.until is not None]
        state.expires_on = max([expires, *(u + datetime.timedelta(days=1) for u in legal)])
    return state


def expired(today: datetime.date | None = None, years: int | None = None) -> list[RetentionState]:
    """The persons the retention has run out for on `today`: not yet anonymised, no case
    open, every case ended (or the record unused) at least `years` ago, and nothing that
    the law keeps longer."""
    today = today or timezone.localdate()
    years = settings.PERSONAL_DATA_RETENTION_YEARS if years is None else years
    cutoff = rules.retention_ends(today, -years)
    start = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    cases = Case.objects.filter(person_id=OuterRef("pk"))
    recent = cases.filter(Q(status=CaseStatus.OPEN) | Q(closed_at__gte=start))
    candidates: QuerySet[Person] = (
        Person.objects.filter(erasure__isnull=True)
        .exclude(Exists(recent))
        .filter(Exists(cases) | Q(updated_at__lt=start, created_at__lt=start))
        .order_by("id")
    )
    found = []
    for person in candidates.iterator():
        state = retention_state(person, today, years)
        if state.may_anonymise and state.expires_on is not None and state.expires_on <= today:
            found.append(state)
    return found
