"""The daily reminders: interviews due within REMINDER_DAYS, certification expiries, overdue
MOC items and grievances, periods of stay and passports ending, notifications to
immigration due or late (the job first opens the periodic notifications whose filing time
has begun), and the reports of a personal-data incident due to the Commission.
Idempotent: each reminder has a key per organization, and only new ones are written and
e-mailed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from kakehashi.access.policy import member_addresses
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.core.once import create_once
from kakehashi.privacy.selectors import reports_due
from kakehashi.protection.models import DONE_STAGES, Grievance, GrievanceStage, SharedItem, Stage
from kakehashi.registries.models import AgencyCertificationDecision, CertificationAction
from kakehashi.support.models import (
    ExtensionApplication,
    ImmigrationNotification,
    Interview,
    NotificationKind,
    NotificationStatus,
    StayPeriod,
    SupportPlan,
)
from kakehashi.support.notifications import periodic_notifications_open
from kakehashi.support.rules import stay_rules

from .messages import reminder_text
from .models import Reminder

REMINDER_DAYS = 14
CERTIFICATION_DAYS = 60


@dataclass(frozen=True)
class Due:
    organization_id: int
    kind: str
    key: str
    due_on: datetime.date
    params: dict[str, Any]
    link: str = ""


def _interviews(today: datetime.date) -> list[Due]:
    rows = []
    for interview in Interview.objects.filter(
        held_on__isnull=True, due_on__lte=today + datetime.timedelta(days=REMINDER_DAYS)
    ).select_related("plan__case__person"):
        case = interview.plan.case
        deliverer = case.support_organization_id or case.receiving_organization_id
        rows.append(
            Due(
                deliverer,
                "interview_due",
                f"interview:{interview.pk}",
                interview.due_on,
                {"person": case.person.full_name},
                f"/support/plans/{interview.plan_id}/",
            )
        )
    return rows


def _certifications(today: datetime.date) -> list[Due]:
    rows = []
    limit = today + datetime.timedelta(days=CERTIFICATION_DAYS)
    centers = {
        o.country: o.pk
        for o in Organization.objects.filter(kind=OrganizationKind.SENDING_CONTACT_POINT)
    }
    # The last decision on each agency only: a later one (a renewal, a revocation) replaces it.
    later = AgencyCertificationDecision.objects.filter(
        agency_id=OuterRef("agency_id"), effective_on__gt=OuterRef("effective_on")
    )
    decisions = (
        AgencyCertificationDecision.objects.filter(
            action__in=[CertificationAction.CERTIFIED, CertificationAction.RESUMED],
            valid_until__gte=today,
            valid_until__lte=limit,
        )
        .exclude(Exists(later))
        .select_related("agency")
    )
    for decision in decisions:
        params = {"agency": decision.agency.name_en}
        assert decision.valid_until is not None
        recipients = {decision.agency_id, centers.get(decision.agency.country)}
        for org_id in (o for o in recipients if o is not None):
            rows.append(
                Due(
                    org_id,
                    "certification_expiring",
                    f"certification:{decision.pk}",
                    decision.valid_until,
                    params,
                    f"/registries/agencies/{decision.agency_id}/",
                )
            )
    return rows


def _overdue_items(today: datetime.date) -> list[Due]:
    rows = []
    for item in SharedItem.objects.filter(due_on__lt=today, due_on__isnull=False).exclude(
        stage__in=[*DONE_STAGES, Stage.DRAFT]
    ):
        assert item.due_on is not None
        for org_id in (item.from_organization_id, item.to_organization_id):
            rows.append(
                Due(
                    org_id,
                    "item_overdue",
                    f"item:{item.pk}:{item.due_on}",
                    item.due_on,
                    {"reference": item.reference},
                    f"/protection/items/{item.pk}/",
                )
            )
    for grievance in Grievance.objects.filter(due_on__lt=today).exclude(
        stage=GrievanceStage.CLOSED
    ):
        rows.append(
            Due(
                grievance.owner_organization_id,
                "grievance_overdue",
                f"grievance:{grievance.pk}:{grievance.stage}",
                grievance.due_on,
                {},
                f"/protection/grievances/{grievance.pk}/",
            )
        )
    return rows


def _stays(today: datetime.date) -> list[Due]:
    """The period of stay in force ends within the warning time, and no extension is
    pending: to the employer and the entrusted support organization."""
    warn = stay_rules().warn
    later = StayPeriod.objects.filter(
        case_id=OuterRef("case_id"), granted_on__gt=OuterRef("granted_on")
    )
    pending = ExtensionApplication.objects.filter(case_id=OuterRef("case_id"), outcome="")
    periods = (
        StayPeriod.objects.filter(
            expires_on__gte=today,
            expires_on__lte=today + datetime.timedelta(days=warn.stay_expiring_days),
        )
        .exclude(Exists(later))
        .exclude(Exists(pending))
        .select_related("case__person")
    )
    plans = dict(
        SupportPlan.objects.filter(case_id__in=[p.case_id for p in periods]).values_list(
            "case_id", "pk"
        )
    )
    rows = []
    for period in periods:
        case = period.case
        recipients = {case.receiving_organization_id, case.support_organization_id}
        for org_id in sorted(o for o in recipients if o is not None):
            rows.append(
                Due(
                    org_id,
                    "stay_expiring",
                    f"stay:{period.pk}",
                    period.expires_on,
                    {"person": case.person.full_name},
                    f"/support/plans/{plans.get(case.pk, '')}/",
                )
            )
    return rows


def _passports(today: datetime.date) -> list[Due]:
    """A landed worker's passport expires within the warning time: to whoever delivers the
    support plan."""
    limit = today + datetime.timedelta(days=stay_rules().warn.passport_expiring_days)
    rows = []
    for plan in SupportPlan.objects.filter(
        case__person__passport_expiry__gte=today, case__person__passport_expiry__lte=limit
    ).select_related("case__person"):
        case, person = plan.case, plan.case.person
        assert person.passport_expiry is not None
        rows.append(
            Due(
                case.support_organization_id or case.receiving_organization_id,
                "passport_expiring",
                f"passport:{person.pk}:{person.passport_expiry}",
                person.passport_expiry,
                {"person": person.full_name},
                f"/support/plans/{plan.pk}/",
            )
        )
    return rows


def _notifications(today: datetime.date) -> list[Due]:
    """Notifications to immigration not filed: due within REMINDER_DAYS (a periodic one as
    soon as its filing time opens), and once more when late."""
    rows = []
    for notification in (
        ImmigrationNotification.objects.exclude(status=NotificationStatus.FILED)
        .filter(
            Q(kind=NotificationKind.PERIODIC)
            | Q(due_on__lte=today + datetime.timedelta(days=REMINDER_DAYS))
        )
        .select_related("case__person")
    ):
        periodic = notification.kind == NotificationKind.PERIODIC
        params: dict[str, Any] = (
            {
                "start": notification.period_start.isoformat() if notification.period_start else "",
                "end": notification.period_end.isoformat() if notification.period_end else "",
            }
            if periodic
            else {"person": notification.case.person.full_name if notification.case else ""}
        )
        link = f"/support/notifications/{notification.pk}/"
        kind = "periodic_notification" if periodic else "notification_due"
        rows.append(
            Due(
                notification.organization_id,
                kind,
                f"notification:{notification.pk}",
                notification.due_on,
                params,
                link,
            )
        )
        if notification.due_on < today:
            rows.append(
                Due(
                    notification.organization_id,
                    "notification_late",
                    f"notification-late:{notification.pk}",
                    notification.due_on,
                    params,
                    link,
                )
            )
    return rows


def _incident_reports(today: datetime.date) -> list[Due]:
    """A leak's report to the Personal Information Protection Commission is required and
    not yet sent (appi 第26条): the preliminary one at once, the final one within
    REMINDER_DAYS of its deadline; to the organization that recorded the incident."""
    rows = []
    for row in reports_due(today):
        incident, deadline = row["incident"], row["deadline"]
        if deadline.due_on is None or deadline.due_on > today + datetime.timedelta(
            days=REMINDER_DAYS
        ):
            continue
        rows.append(
            Due(
                incident.organization_id,
                f"incident_{deadline.key}_report",
                f"incident:{incident.pk}:{deadline.key}:{deadline.due_on}",
                deadline.due_on,
                {"title": incident.title[:80]},
                f"/privacy/incidents/{incident.pk}/",
            )
        )
    return rows


def a_year_on(today: datetime.date) -> datetime.date:
    """The demo's clock a year on: 15 April of next year, with the periodic notification's
    filing window open (`run_reminders --later`)."""
    return datetime.date(today.year + 1, 4, 15)


def reminders_due(today: datetime.date) -> list[Due]:
    return (
        _interviews(today)
        + _certifications(today)
        + _overdue_items(today)
        + _stays(today)
        + _passports(today)
        + _notifications(today)
        + _incident_reports(today)
    )


def reminders_run(today: datetime.date | None = None) -> list[Reminder]:
    """Write every reminder due on `today` that is not yet written, and e-mail each new one
    to the members of its organization who have an address. Running twice writes nothing
    twice."""
    today = today or timezone.localdate()
    periodic_notifications_open(today)
    created = []
    for due in reminders_due(today):
        reminder = create_once(
            Reminder,
            {
                "kind": due.kind,
                "due_on": due.due_on,
                "params": due.params,
                "link": due.link,
                "created_on": today,
            },
            organization_id=due.organization_id,
            key=due.key,
        )
        if reminder is not None:
            created.append(reminder)
    _mail(created)
    return created


def _mail(reminders: list[Reminder]) -> None:
    messages = []
    for reminder in reminders:
        addresses = member_addresses(reminder.organization_id)
        if addresses:
            subject, body = reminder_text(reminder)
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, addresses))
    if messages:
        send_mass_mail(messages, fail_silently=True)


def reminders_for(organization_ids: list[int]) -> Any:
    return Reminder.objects.filter(
        organization_id__in=organization_ids, read_at__isnull=True
    ).filter(Q(due_on__gte=timezone.localdate() - datetime.timedelta(days=90)))


def reminders_erase_person(event: Any) -> int:
    """The reminders about an anonymised person (their interviews, stay, passport,
    notifications) name them no more."""
    person = event.person
    keys = Q(key__startswith=f"passport:{person.pk}:")
    interviews = Interview.objects.filter(plan__case__person=person).values_list("pk", flat=True)
    keys |= Q(key__in=[f"interview:{pk}" for pk in interviews])
    stays = StayPeriod.objects.filter(case__person=person).values_list("pk", flat=True)
    keys |= Q(key__in=[f"stay:{pk}" for pk in stays])
    notifications = ImmigrationNotification.objects.filter(case__person=person).values_list(
        "pk", flat=True
    )
    keys |= Q(key__in=[f"notification:{pk}" for pk in notifications])
    keys |= Q(key__in=[f"notification-late:{pk}" for pk in notifications])
    rows = [r for r in Reminder.objects.filter(keys) if "person" in (r.params or {})]
    for reminder in rows:
        reminder.params = {**reminder.params, "person": person.full_name.strip()}
        reminder.save(update_fields=["params"])
    return len(rows)
