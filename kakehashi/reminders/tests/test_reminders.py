"""The daily reminders: with the clock moved forward, the job writes the expected reminders
(an interview due, a certification ending, overdue items, the periodic notification window),
e-mails them once, and a second run writes nothing twice."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from kakehashi.cases.tests.helpers import landed_case
from kakehashi.reminders.models import Reminder
from kakehashi.reminders.services import reminders_run
from kakehashi.testing.factories import certify

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def landed(world: Any) -> Any:
    return landed_case(world)


def test_a_year_later_the_job_writes_the_expected_reminders_once(world, landed):
    world.sato.email = "sato@example.jp"
    world.sato.save()
    # A certification ending 30 days after the day the job runs.
    later = datetime.date(TODAY.year + 1, 4, 15)
    certify(world.rogue_agency, TODAY, later + datetime.timedelta(days=30))
    created = reminders_run(later)
    kinds = {(r.organization_id, r.kind) for r in created}
    assert (world.support.pk, "interview_due") in kinds  # the quarterly interview, overdue by then
    assert (world.rogue_agency.pk, "certification_expiring") in kinds
    assert (world.center.pk, "certification_expiring") in kinds
    assert (world.care_home.pk, "periodic_notification") in kinds  # 1 April – 31 May window
    assert any(m.to == ["sato@example.jp"] for m in mail.outbox)
    sent = len(mail.outbox)
    count = Reminder.objects.count()
    assert reminders_run(later) == []
    assert Reminder.objects.count() == count
    assert len(mail.outbox) == sent


def test_outside_the_window_no_periodic_reminder_and_the_command_reports(world, landed):
    out = StringIO()
    call_command("run_reminders", today=datetime.date(TODAY.year + 1, 7, 1), stdout=out)
    assert "new reminders" in out.getvalue()
    assert not Reminder.objects.filter(kind="periodic_notification").exists()


def test_the_home_page_shows_the_reminders_of_ones_organization_only(world, landed, client):
    reminders_run(datetime.date(TODAY.year + 1, 4, 15))
    client.force_login(world.sato)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The interview with" in page
    client.force_login(world.ito)
    assert "The interview with" not in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
