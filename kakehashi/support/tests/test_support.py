"""Support plans: opened when the stay begins, delivered by the entrusted support
organization (or the employer), interviews every three months; who sees and records what."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.cases import services as case_services
from kakehashi.cases.tests.helpers import landed_case
from kakehashi.support.models import Interview, SupportPlan
from kakehashi.testing.clients import client_for
from kakehashi.testing.factories import PersonFactory, make_eligible

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def landed(world: Any) -> Any:
    return landed_case(world, family_name="PRIBYLA")


def test_landing_opens_the_plan_with_ten_items_and_the_first_interview(world, landed):
    plan = SupportPlan.objects.get(case=landed)
    assert plan.items.count() == 10
    assert set(plan.items.values_list("deliverer_id", flat=True)) == {world.support.pk}
    assert Interview.objects.get(plan=plan).due_on == plan.starts_on + relativedelta(months=3)


def test_the_support_organization_sees_and_records_its_items(world, landed):
    plan = SupportPlan.objects.get(case=landed)
    sato = client_for(world.sato)
    work = sato.get("/support/")
    assert work.status_code == 200
    assert "PRIBYLA" in work.content.decode()
    refused = sato.post(f"/support/plans/{plan.pk}/items/airport/", {"done_on": TODAY.isoformat()})
    assert refused.status_code == 422  # says what was done
    assert (
        sato.post(
            f"/support/plans/{plan.pk}/items/airport/",
            {"done_on": TODAY.isoformat(), "record": "Met at Narita"},
        ).status_code
        == 302
    )
    assert plan.items.get(key="airport").done_on == TODAY
    # The employer sees the plan but the entrusted organization delivers it.
    hana = client_for(world.hana)
    assert hana.get(f"/support/plans/{plan.pk}/").status_code == 200
    assert (
        hana.post(
            f"/support/plans/{plan.pk}/items/housing_contracts/",
            {"done_on": TODAY.isoformat(), "record": "x"},
        ).status_code
        == 403
    )
    assert plan.items.get(key="housing_contracts").done_on is None
    # Another employer does not see it at all.
    assert client_for(world.ito).get(f"/support/plans/{plan.pk}/").status_code == 404


def test_an_interview_held_schedules_the_next_three_months_later(world, landed):
    plan = SupportPlan.objects.get(case=landed)
    done = client_for(world.sato).post(
        f"/support/plans/{plan.pk}/interviews/",
        {"held_on": TODAY.isoformat(), "in_person": "on", "notes": "All well"},
    )
    assert done.status_code == 302
    due = Interview.objects.filter(plan=plan, held_on__isnull=True).get()
    assert due.due_on == TODAY + relativedelta(months=3)


def test_the_worker_sees_their_support_on_their_page(world, landed):
    from kakehashi.people.workers import worker_account_open, worker_invite

    code = worker_invite(actor=Actor.of(world.hana), person_id=landed.person_id).code
    user = worker_account_open(code=code, username="pribyla", password="Bishkek-Nagaoka-7")
    page = client_for(user).get("/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Pick-up and drop-off at the airport" in page
    assert "next interview" in page


def test_no_plan_before_the_stay_begins(world):
    person = PersonFactory(created_by_organization=world.care_home)
    make_eligible(person, "care")
    case = case_services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="direct",
    ).case
    assert not SupportPlan.objects.filter(case=case).exists()
    assert datetime.date.today()  # nothing opened by case creation alone
