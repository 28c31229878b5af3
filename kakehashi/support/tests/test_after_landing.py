"""After landing: the period of stay and its extension, leave left out of the five-year
total, events that make a notification to immigration due in 14 days, the notification
going due → drafted → filed, the periodic notification opened once per employer and period,
and the reminders that follow; who may do what, and every bad input named."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.cases.tests.helpers import landed_case
from kakehashi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from kakehashi.protection.models import ReturnCase
from kakehashi.reminders.models import Reminder
from kakehashi.reminders.services import reminders_run
from kakehashi.support import notifications, stay
from kakehashi.support.models import (
    ImmigrationNotification,
    NotificationStatus,
    StayPeriod,
    SupportPlan,
)
from kakehashi.support.rules import ad_hoc_due
from kakehashi.testing.clients import client_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def plan(world: Any) -> SupportPlan:
    case = landed_case(
        world, family_name="TOKTOGULOV", passport_expiry=TODAY + relativedelta(months=5)
    )
    return SupportPlan.objects.get(case=case)


def fields(error: InvalidInput) -> dict[str, str]:
    return {p.field or "": p.code for p in error.problems}


def test_the_period_of_stay_is_recorded_within_the_rule_and_shown_everywhere(world, plan):
    hana = Actor.of(world.hana)
    with pytest.raises(InvalidInput) as too_long:
        stay.stay_period_record(
            actor=hana,
            plan_id=plan.pk,
            granted_on=TODAY.isoformat(),
            expires_on=(TODAY + relativedelta(months=37)).isoformat(),
        )
    problem = too_long.value.problems[0]
    assert (problem.field, problem.code) == ("expires_on", "period_too_long")
    assert problem.source_ref
    assert problem.source_ref.startswith("ssw_operation_guidelines_2025")
    with pytest.raises(InvalidInput) as bad:
        stay.stay_period_record(
            actor=hana, plan_id=plan.pk, granted_on="2026-02-30", expires_on="soon"
        )
    assert set(fields(bad.value)) == {"granted_on", "expires_on"}
    # A stranger gets 404, the Center (which sees the case) may not record it.
    with pytest.raises(NotFound):
        stay.stay_period_record(
            actor=Actor.of(world.ito), plan_id=plan.pk, granted_on=TODAY, expires_on=TODAY
        )
    with pytest.raises(NotAllowed):
        stay.stay_period_record(
            actor=Actor.of(world.aida), plan_id=plan.pk, granted_on=TODAY, expires_on=TODAY
        )
    ends = TODAY + relativedelta(years=1)
    period = stay.stay_period_record(
        actor=Actor.of(world.sato),
        plan_id=plan.pk,
        granted_on=TODAY.isoformat(),
        expires_on=ends.isoformat(),
    )
    assert period.basis == "landing"
    with pytest.raises(Conflict):
        stay.stay_period_record(
            actor=hana, plan_id=plan.pk, granted_on=TODAY.isoformat(), expires_on=ends.isoformat()
        )
    deadlines = {d.key: d for d in stay.stay_deadlines(plan.case)}
    assert deadlines["stay_ends"].due_on == ends
    assert deadlines["extension_opens"].due_on == ends - relativedelta(months=3)
    assert deadlines["total_cap"].due_on == TODAY + relativedelta(years=5) - datetime.timedelta(1)
    assert deadlines["passport"].soon  # within 180 days
    # On the case page, the plan page and the worker's own page.
    for user, url in [
        (world.hana, f"/cases/{plan.case_id}/"),
        (world.sato, f"/support/plans/{plan.pk}/"),
    ]:
        page = client_for(user).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "The period of stay ends" in page, url
        assert ends.isoformat() in page, url


def test_an_extension_pending_gives_the_special_period_and_its_decision_a_new_period(world, plan):
    sato = Actor.of(world.sato)
    with pytest.raises(Conflict):  # no period yet
        stay.extension_apply(actor=sato, plan_id=plan.pk, applied_on=TODAY)
    ends = TODAY + relativedelta(months=6)
    stay.stay_period_record(actor=sato, plan_id=plan.pk, granted_on=TODAY, expires_on=ends)
    with pytest.raises(InvalidInput) as future:
        stay.extension_apply(actor=sato, plan_id=plan.pk, applied_on=TODAY + datetime.timedelta(1))
    assert fields(future.value) == {"applied_on": "date_in_future"}
    stay.extension_apply(actor=sato, plan_id=plan.pk, applied_on=TODAY)
    with pytest.raises(Conflict):
        stay.extension_apply(actor=sato, plan_id=plan.pk, applied_on=TODAY)
    keys = {d.key: d.due_on for d in stay.stay_deadlines(plan.case)}
    assert "stay_ends" not in keys
    assert keys["special_period"] == ends + relativedelta(months=2)
    with pytest.raises(InvalidInput) as not_later:
        stay.extension_decide(
            actor=sato, plan_id=plan.pk, decided_on=TODAY, outcome="granted", expires_on=ends
        )
    assert fields(not_later.value) == {"expires_on": "not_later"}
    with pytest.raises(InvalidInput) as bad_outcome:
        stay.extension_decide(actor=sato, plan_id=plan.pk, decided_on=TODAY, outcome="maybe")
    assert "outcome" in fields(bad_outcome.value)
    new_end = ends + relativedelta(years=3)
    stay.extension_decide(
        actor=sato, plan_id=plan.pk, decided_on=TODAY, outcome="granted", expires_on=new_end
    )
    assert StayPeriod.objects.filter(case=plan.case).count() == 2
    assert {d.key: d.due_on for d in stay.stay_deadlines(plan.case)}["stay_ends"] == new_end


def test_a_refused_extension_opens_return_support(world, plan):
    hana = Actor.of(world.hana)
    stay.stay_period_record(
        actor=hana, plan_id=plan.pk, granted_on=TODAY, expires_on=TODAY + relativedelta(months=4)
    )
    stay.extension_apply(actor=hana, plan_id=plan.pk, applied_on=TODAY)
    stay.extension_decide(actor=hana, plan_id=plan.pk, decided_on=TODAY, outcome="refused")
    assert ReturnCase.objects.get(case=plan.case).reason == "extension_refused"


def test_leave_under_the_rule_moves_the_five_year_date(world, plan):
    sato = Actor.of(world.sato)
    with pytest.raises(InvalidInput) as bad:
        stay.leave_record(
            actor=sato, plan_id=plan.pk, kind="holiday", starts_on=TODAY, ends_on=TODAY
        )
    assert fields(bad.value) == {"kind": "invalid_choice"}
    before = stay.person_total(plan.case.person_id, TODAY)
    stay.leave_record(
        actor=sato,
        plan_id=plan.pk,
        kind="maternity_childcare",
        starts_on=TODAY,
        ends_on=TODAY + datetime.timedelta(days=99),
    )
    after = stay.person_total(plan.case.person_id, TODAY)
    assert before is not None
    assert after is not None
    assert after.reached_on == before.reached_on + datetime.timedelta(days=100)


def test_a_contract_ending_makes_a_notification_due_and_the_job_change_item(world, plan):
    sato = Actor.of(world.sato)
    with pytest.raises(InvalidInput) as bad:
        notifications.event_record(
            actor=sato, plan_id=plan.pk, kind="contract_ended", event_on=TODAY, details="\x07"
        )
    assert set(fields(bad.value)) == {"details", "worker_stays"}
    notification = notifications.event_record(
        actor=sato,
        plan_id=plan.pk,
        kind="contract_ended",
        event_on=TODAY,
        details="The care home closes its night ward; the worker looks for another employer.",
        worker_stays="yes",
    )
    assert notification.organization_id == world.care_home.pk  # the employer's duty
    assert notification.due_on == ad_hoc_due(TODAY)
    assert notification.due_on >= TODAY + datetime.timedelta(days=14)
    assert plan.items.get(key="job_change").planned_on == TODAY
    # The support organization may not file the employer's notification; the employer does.
    with pytest.raises(NotAllowed):
        notifications.notification_draft(actor=sato, notification_id=notification.pk)
    hana = Actor.of(world.hana)
    notifications.notification_draft(actor=hana, notification_id=notification.pk)
    with pytest.raises(InvalidInput) as no_number:
        notifications.notification_file(
            actor=hana, notification_id=notification.pk, filed_on=TODAY, receipt_number=" "
        )
    assert fields(no_number.value) == {"receipt_number": "required"}
    filed = notifications.notification_file(
        actor=hana, notification_id=notification.pk, filed_on=TODAY, receipt_number="R-2026-0042"
    )
    assert filed.status == NotificationStatus.FILED
    assert not filed.is_late(TODAY)
    with pytest.raises(Conflict):
        notifications.notification_draft(actor=hana, notification_id=notification.pk)
    # Nobody outside the case sees it.
    for outsider in (world.ito, world.bakyt, world.nobody):
        assert (
            client_for(outsider).get(f"/support/notifications/{notification.pk}/").status_code
            == 404
        )


def test_the_pages_record_an_event_and_file_it(world, plan):
    sato, hana = client_for(world.sato), client_for(world.hana)
    refused = sato.post(
        f"/support/plans/{plan.pk}/event/",
        {"kind": "support_plan_changed", "event_on": "2026-13-01", "details": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 422
    assert 'name="event_on"' in refused.content.decode()
    done = sato.post(
        f"/support/plans/{plan.pk}/event/",
        {
            "kind": "support_plan_changed",
            "event_on": TODAY.isoformat(),
            "details": "New interpreter",
        },
    )
    assert done.status_code == 302
    notification = ImmigrationNotification.objects.get(case=plan.case)
    url = f"/support/notifications/{notification.pk}/"
    assert hana.post(url + "action/", {"action": "draft"}).status_code == 302
    page = hana.post(
        url + "action/",
        {"action": "file", "filed_on": "", "receipt_number": "R1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 422
    assert "This field is required." in page.content.decode()
    assert (
        hana.post(
            url + "action/",
            {"action": "file", "filed_on": TODAY.isoformat(), "receipt_number": "R1"},
        ).status_code
        == 302
    )
    notification.refresh_from_db()
    assert (notification.status, notification.receipt_number) == ("filed", "R1")
    listing = hana.get("/support/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Support plan changed" in listing
    assert "TOKTOGULOV" in listing


def test_the_daily_job_reminds_of_the_stay_passport_and_notifications_once(world, plan):
    hana = Actor.of(world.hana)
    ends = TODAY + relativedelta(months=2)
    stay.stay_period_record(actor=hana, plan_id=plan.pk, granted_on=TODAY, expires_on=ends)
    late = notifications.event_record(
        actor=hana,
        plan_id=plan.pk,
        kind="standards_not_met",
        event_on=TODAY,
        details="The wage fell below the contract's",
    )
    later = late.due_on + datetime.timedelta(days=1)
    created = reminders_run(later)
    kinds = {(r.organization_id, r.kind) for r in created}
    assert (world.care_home.pk, "stay_expiring") in kinds
    assert (world.support.pk, "stay_expiring") in kinds
    assert (world.support.pk, "passport_expiring") in kinds
    assert (world.care_home.pk, "notification_due") in kinds
    assert (world.care_home.pk, "notification_late") in kinds
    count = Reminder.objects.count()
    assert reminders_run(later) == []
    assert Reminder.objects.count() == count
    page = client_for(world.hana).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "apply for an extension" in page


def test_the_periodic_notification_opens_once_per_employer_and_period(world, plan):
    april = datetime.date(TODAY.year + 1, 4, 2)
    first = notifications.periodic_notifications_open(april)
    assert [n.organization_id for n in first] == [world.care_home.pk]
    assert first[0].period_end == datetime.date(april.year, 3, 31)
    assert notifications.periodic_notifications_open(april) == []
    assert notifications.periodic_notifications_open(april + datetime.timedelta(days=30)) == []
    assert ImmigrationNotification.objects.filter(kind="periodic").count() == 1
    # Outside the filing window, nothing opens.
    assert notifications.periodic_notifications_open(datetime.date(april.year, 7, 1)) == []
