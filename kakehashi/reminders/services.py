"""The daily reminders (issue 11, "Reminders"): deadlines within REMINDER_DAYS, interviews
due, certification expiries, overdue MOC items and grievances, and the periodic notification
window. Idempotent: each reminder has a key per organization, and only new ones are written
and e-mailed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from kakehashi.access.policy import member_addresses
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.protection.models import DONE_STAGES, Grievance, GrievanceStage, SharedItem, Stage
from kakehashi.registries.models import AgencyCertificationDecision, CertificationAction
from kakehashi.support.models import Interview, SupportPlan

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


def _periodic_window(today: datetime.date) -> list[Due]:
    """From 1 April to 31 May, every employer with a worker whose stay began before April
    files the periodic notification for the year April–March (source:
    ssw_operation_guidelines, marked unconfirmed in the list of sources)."""
    if not datetime.date(today.year, 4, 1) <= today <= datetime.date(today.year, 5, 31):
        return []
    employers = set(
        SupportPlan.objects.filter(starts_on__lt=datetime.date(today.year, 4, 1)).values_list(
            "case__receiving_organization_id", flat=True
        )
    )
    closes = datetime.date(today.year, 5, 31)
    return [
        Due(
            org_id,
            "periodic_notification",
            f"periodic:{today.year}",
            closes,
            {"year": today.year - 1},
        )
        for org_id in employers
    ]


def reminders_due(today: datetime.date) -> list[Due]:
    return (
        _interviews(today)
        + _certifications(today)
        + _overdue_items(today)
        + _periodic_window(today)
    )


def reminders_run(today: datetime.date | None = None) -> list[Reminder]:
    """Write every reminder due on `today` that is not yet written, and e-mail each new one
    to the members of its organization who have an address. Running twice writes nothing
    twice."""
    today = today or timezone.localdate()
    created = []
    for due in reminders_due(today):
        try:
            with transaction.atomic():
                reminder, new = Reminder.objects.get_or_create(
                    organization_id=due.organization_id,
                    key=due.key,
                    defaults={
                        "kind": due.kind,
                        "due_on": due.due_on,
                        "params": due.params,
                        "link": due.link,
                        "created_on": today,
                    },
                )
        except IntegrityError:
            continue
        if new:
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
