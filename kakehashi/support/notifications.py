"""Notifications to immigration, the employer's duty (immigration_act 第19条の18):

- ad hoc: an event recorded after landing (the employment contract changed or ended, the
  support plan changed, acceptance became difficult, a standard is no longer met) makes a
  notification due within 14 days, moved off the holidays of the administrative organs;
- periodic: the daily job opens one per employer for the period whose filing time has begun
  (from April 2025 the year April–March, filed 1 April–31 May; before, each quarter).

Each moves due → drafted → filed (with the receipt number); late when its deadline passes
unfiled, or it was filed after it. A worker whose contract ends and who stays in Japan gets
the job-change item of the support plan."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import notification_filer, stay_recorder
from kakehashi.access.visibility import notification_visibility
from kakehashi.core import validation
from kakehashi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound, Problem
from kakehashi.core.once import create_once

from .models import (
    AD_HOC_KINDS,
    ImmigrationNotification,
    NotificationKind,
    NotificationStatus,
    SupportItem,
    SupportPlan,
)
from .rules import ad_hoc_due, periodic_period, stay_rules
from .selectors import plan_get
from .stay import not_before_stay

JOB_CHANGE_ITEM = "job_change"


def notifications_visible_to(actor: Actor) -> QuerySet[ImmigrationNotification]:
    return (
        ImmigrationNotification.objects.filter(notification_visibility(actor))
        .select_related("organization", "case__person")
        .order_by("status", "due_on", "id")
    )


def notification_get(actor: Actor, notification_id: int) -> ImmigrationNotification:
    found = notifications_visible_to(actor).filter(pk=notification_id).first()
    if found is None:
        raise NotFound("notification")
    return found


@transaction.atomic
def event_record(
    *,
    actor: Actor,
    plan_id: int,
    kind: str,
    event_on: Any,
    details: str,
    worker_stays: Any = None,
    today: datetime.date | None = None,
) -> ImmigrationNotification:
    """An event after landing that the employer must notify: the notification falls due 14
    days after it. A contract that ends with the worker staying in Japan puts the job-change
    support item on the plan, planned for the day the contract ends."""
    today = today or timezone.localdate()
    plan = plan_get(actor, plan_id)
    if stay_recorder(actor, plan.case) is None:
        raise NotAllowed(
            _("Only the employer or the entrusted support organization records these events.")
        )
    problems: list[Problem] = []
    if kind not in AD_HOC_KINDS:
        problems.append(Problem("invalid_choice", _("Choose what happened."), field="kind"))
    day = validation.date_field(event_on, "event_on", problems)
    validation.not_in_future(day, "event_on", problems, today)
    not_before_stay(plan, day, "event_on", problems)
    text = validation.text_field(details, "details", problems, required=True, max_length=3000)
    stays: bool | None = None
    if kind == NotificationKind.CONTRACT_ENDED:
        if worker_stays not in (True, False, "yes", "no"):
            problems.append(
                Problem(
                    "required",
                    _("Say whether the worker stays in Japan to change jobs."),
                    field="worker_stays",
                )
            )
        else:
            stays = worker_stays in (True, "yes")
    if problems:
        raise InvalidInput(problems)
    assert day is not None
    notification = ImmigrationNotification.objects.create(
        organization_id=plan.case.receiving_organization_id,
        case=plan.case,
        kind=kind,
        event_on=day,
        details=text,
        worker_stays=stays,
        due_on=ad_hoc_due(day),
        source=stay_rules().notifications.ad_hoc_source,
        created_by=actor.required_user,
    )
    if stays:
        SupportItem.objects.filter(plan=plan, key=JOB_CHANGE_ITEM, done_on__isnull=True).update(
            planned_on=day
        )
    return notification


def _filing(actor: Actor, notification_id: int) -> ImmigrationNotification:
    found = notification_get(actor, notification_id)
    if notification_filer(actor, found.organization_id) is None:
        raise NotAllowed(_("Only the employer drafts and files its notifications."))
    locked = ImmigrationNotification.objects.select_for_update().get(pk=found.pk)
    if locked.status == NotificationStatus.FILED:
        raise Conflict(_("This notification has been filed."), code="already_filed")
    return locked


@transaction.atomic
def notification_draft(*, actor: Actor, notification_id: int) -> ImmigrationNotification:
    """The employer prepares the draft (the PDF is made from it)."""
    notification = _filing(actor, notification_id)
    notification.status = NotificationStatus.DRAFTED
    notification.drafted_at = timezone.now()
    notification.save(update_fields=["status", "drafted_at"])
    return notification


@transaction.atomic
def notification_file(
    *,
    actor: Actor,
    notification_id: int,
    filed_on: Any,
    receipt_number: str,
    today: datetime.date | None = None,
) -> ImmigrationNotification:
    """Filed with immigration: the day and the receipt number it gave."""
    today = today or timezone.localdate()
    notification = _filing(actor, notification_id)
    problems: list[Problem] = []
    day = validation.date_field(filed_on, "filed_on", problems)
    validation.not_in_future(day, "filed_on", problems, today)
    earliest = notification.event_on or notification.period_end
    if day is not None and earliest is not None and day < earliest:
        problems.append(
            Problem(
                "too_early",
                _("It can be filed from %(day)s.") % {"day": earliest.isoformat()},
                field="filed_on",
            )
        )
    number = validation.text_field(
        receipt_number, "receipt_number", problems, required=True, max_length=40
    )
    if problems:
        raise InvalidInput(problems)
    notification.status = NotificationStatus.FILED
    notification.filed_on = day
    notification.receipt_number = number
    notification.filed_by = actor.required_user
    notification.save(update_fields=["status", "filed_on", "receipt_number", "filed_by"])
    return notification


def periodic_notifications_open(today: datetime.date) -> list[ImmigrationNotification]:
    """The daily job: once the filing time of a period has begun, one periodic notification
    per employer with a worker whose stay began by the end of the period. Idempotent (one
    per employer and period)."""
    period = periodic_period(today)
    if period is None:
        return []
    employers = (
        SupportPlan.objects.filter(starts_on__lte=period.ends_on)
        .values_list("case__receiving_organization_id", flat=True)
        .distinct()
    )
    created = []
    for organization_id in sorted(set(employers)):
        notification = create_once(
            ImmigrationNotification,
            {"period_end": period.ends_on, "due_on": period.due_on, "source": period.source},
            organization_id=organization_id,
            kind=NotificationKind.PERIODIC,
            period_start=period.starts_on,
        )
        if notification is not None:
            created.append(notification)
    return created


def workers_in_period(notification: ImmigrationNotification) -> QuerySet[SupportPlan]:
    """The plans a periodic notification covers: the employer's workers whose stay began by
    the end of the period."""
    assert notification.period_end is not None
    return (
        SupportPlan.objects.filter(
            case__receiving_organization_id=notification.organization_id,
            starts_on__lte=notification.period_end,
        )
        .select_related("case__person")
        .order_by("case__person__family_name", "id")
    )
