"""Issue 7: certification expiries happen by themselves. The daily task records every
expiry (flags on the open cases, a notice to Japan), queues its next run, and running it
again records nothing twice; `manage.py schedule_daily_tasks` queues the first run once,
however often it is run. The database backend and its worker are the real ones."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kakehashi.cases.models import CaseFlag
from kakehashi.core.schedule import DAILY_AT, next_run
from kakehashi.registries.models import AgencyCertificationDecision, Notice
from kakehashi.registries.tasks import record_certification_expiries

from .helpers import day, decide, open_case, sending_agency

pytestmark = [pytest.mark.sqlite, pytest.mark.django_db]

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PATH = record_certification_expiries.module_path


def waiting() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=PATH, status=TaskResultStatus.READY))


def test_the_next_run_is_the_next_ten_past_midnight_in_tokyo() -> None:
    tokyo = timezone.get_current_timezone()
    evening = datetime.datetime(2026, 12, 2, 22, 0, tzinfo=tokyo)
    assert next_run(evening) == datetime.datetime(2026, 12, 3, 0, 10, tzinfo=tokyo)
    early = datetime.datetime(2026, 12, 3, 0, 5, tzinfo=tokyo)
    assert next_run(early) == datetime.datetime(2026, 12, 3, 0, 10, tzinfo=tokyo)
    assert datetime.time(0, 10) == DAILY_AT


@override_settings(TASKS=DATABASE_BACKEND)
def test_scheduling_twice_queues_one_run() -> None:
    out = StringIO()
    call_command("schedule_daily_tasks", stdout=out)
    call_command("schedule_daily_tasks", stdout=out)
    [queued] = waiting()
    assert queued.run_after == next_run()
    assert "already queued" in out.getvalue()


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after each task
@override_settings(TASKS=DATABASE_BACKEND)
def test_the_worker_records_the_expiries_and_queues_tomorrows_run(world: Any) -> None:
    agency = sending_agency("Karakol Link")
    decide(world.aida, agency, "certified", day(-60), valid_until=day(30))
    case = open_case(world, "via_agency", agency)
    AgencyCertificationDecision.objects.filter(agency=agency).update(valid_until=day(-1))
    Notice.objects.all().delete()

    call_command("schedule_daily_tasks", "--now", stdout=StringIO())
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    expiry = AgencyCertificationDecision.objects.get(agency=agency, action="expired")
    assert expiry.effective_on == day(0)
    assert expiry.recorded_by is None
    assert expiry.recorded_by_organization == world.center
    assert CaseFlag.objects.filter(case=case, code="agency_expired").count() == 1
    assert Notice.objects.filter(to_organization=world.isa).count() == 1
    done = DBTaskResult.objects.get(task_path=PATH, status=TaskResultStatus.SUCCESSFUL)
    assert done.return_value == 1
    [tomorrow] = waiting()
    assert tomorrow.run_after == next_run()

    # The next run (made due now) finds nothing more to record.
    DBTaskResult.objects.filter(pk=tomorrow.pk).update(run_after=timezone.now())
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert AgencyCertificationDecision.objects.filter(action="expired").count() == 1
    assert CaseFlag.objects.filter(code="agency_expired").count() == 1
    assert Notice.objects.count() == 1
    assert len(waiting()) == 1


def test_with_the_immediate_backend_of_the_tests_nothing_is_queued(world: Any) -> None:
    call_command("schedule_daily_tasks", stdout=StringIO())
    assert not DBTaskResult.objects.exists()
    assert record_certification_expiries.call() == 0
