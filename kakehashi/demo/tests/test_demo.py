"""The demo is the product's front door: it loads, loads again without duplicating, and
shows what it promises (every pattern at different steps, an expired COE, a placement
flag, a blocked candidate, a revoked agency, one demo account per role)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from kakehashi.accounts.models import User
from kakehashi.cases.models import Case, CaseFlag
from kakehashi.cases.selectors import case_evaluation
from kakehashi.people.models import Person
from kakehashi.registries.selectors import agency_register

# Also on SQLite (make test-sqlite): what differs between the two databases.
pytestmark = pytest.mark.sqlite


@pytest.fixture
def demo(demo_loaded, db):
    """The demo (loaded once for this module, kakehashi/conftest.py) and what it printed."""
    return demo_loaded


def test_the_demo_prints_every_account_and_how_to_get_a_token(demo):
    for username in ("mayu", "hana", "ito", "kenji", "isao", "aida", "bakyt", "rustam", "sato"):
        assert f"  {username} " in demo
        assert User.objects.get(username=username).check_password("kakehashi-demo")
    assert "issue_api_token" in demo
    assert "/api/v1/docs" in demo


def test_loading_twice_changes_nothing(demo):
    counts = (Case.objects.count(), Person.objects.count(), User.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Case.objects.count(), Person.objects.count(), User.objects.count()) == counts


def test_every_pattern_is_shown_at_different_steps(demo):
    assert set(Case.objects.values_list("pattern", flat=True)) == {
        "direct",
        "via_center",
        "via_agency",
        "change_of_status",
    }
    assert Case.objects.filter(status="completed").count() == 2  # landed, and a change of status
    assert Case.objects.filter(status="open").values("current_step").distinct().count() >= 5


def test_the_demo_shows_an_expired_coe_a_flag_and_a_blocked_candidate(demo):
    expired = [
        c
        for c in Case.objects.filter(status="open")
        if any(d.expired for d in case_evaluation(c).deadlines)
    ]
    assert len(expired) == 1
    assert CaseFlag.objects.filter(code="unlicensed_placement").count() == 1
    blocked = Case.objects.get(person__family_name="NEPOLNOV")
    state = case_evaluation(blocked).state("coe_application")
    assert state.status == "blocked"
    assert "japanese_test_missing" in [f.code for f in state.blockers]


def test_the_registers_show_a_certified_a_revoked_and_an_applying_agency(demo):
    states = {e.agency.name_en: e.state for e in agency_register(timezone.localdate())}
    assert states["Ala-Too Bridge Recruitment (fictional)"] == "certified"
    assert states["Issyk-Kul Workforce (fictional)"] == "revoked"
    assert states["Fast Visa Bishkek (fictional, not certified)"] == "applied"


def test_the_board_shows_the_published_offer_and_the_center_has_one_to_review(demo):
    from kakehashi.joboffers.models import JobOffer

    assert list(JobOffer.objects.values_list("status", flat=True).order_by("status")) == [
        "published",
        "submitted",
    ]


def test_the_demo_shows_the_moc_exchange_at_different_stages(demo):
    """One of each kind the contact points exchange, at different stages, and the fees."""
    from kakehashi.people.models import TestResult, Verification
    from kakehashi.protection.models import Fee, ItemConsent, SharedItem

    stages = set(SharedItem.objects.values_list("kind", "stage"))
    assert {kind for kind, _stage in stages} == {
        "misconduct",
        "test_fraud",
        "investigation",
        "inquiry",
        "consultation",
        "return",
    }
    assert {("misconduct", "draft"), ("misconduct", "under_investigation")} <= stages
    assert {("inquiry", "open"), ("inquiry", "answered")} <= stages
    assert {("consultation", "planned"), ("consultation", "held")} <= stages
    assert ItemConsent.objects.exists()
    assert Fee.objects.filter(acknowledgements__isnull=False).exists()
    assert TestResult.objects.filter(verification=Verification.PENDING).exists()
    assert User.objects.filter(username="erlan").exists()


def test_the_demo_shows_the_city_as_hub(demo):
    """The 2023 Bishkek delegation, the visits before it, a programme year in mid-cycle, a
    need with a consenting candidate, and a cooperation confirmation."""
    from kakehashi.hub.models import (
        CooperationConfirmation,
        CourtesyVisit,
        Delegation,
        EmployerNeed,
        PoolCandidate,
        ProgrammeYear,
    )
    from kakehashi.hub.views import _programme_rows

    delegation = Delegation.objects.get()
    assert delegation.participants_count == 16
    assert (delegation.starts_on.isoformat(), delegation.ends_on.isoformat()) == (
        "2023-10-09",
        "2023-10-13",
    )
    legs = [(leg.origin, leg.destination) for leg in delegation.legs.all()]
    assert legs[0] == ("Haneda", "Incheon")
    assert legs[-1] == ("Tashkent", "Narita")
    assert delegation.visits.filter(partner__isnull=False).count() == 4
    assert CourtesyVisit.objects.count() == 4
    rows = _programme_rows(ProgrammeYear.objects.get())
    assert rows["current"] is not None or rows["next"] is not None
    assert any(s["state"] == "done" for s in rows["stages"]) or rows["current"]
    assert EmployerNeed.objects.exists()
    assert PoolCandidate.objects.filter(consented_at__isnull=False).count() == 1
    assert CooperationConfirmation.objects.filter(checked=True).exists()


def test_the_demo_worker_who_landed_has_a_support_plan_for_the_support_organization(demo):
    from kakehashi.support.models import SupportPlan

    plan = SupportPlan.objects.get(case__person__family_name="FIKTIVOV")
    assert plan.items.count() == 10
    assert plan.case.support_organization.name_en.startswith("Niigata Registered Support")


def test_a_year_on_the_daily_job_reminds_of_the_stay_the_interview_and_the_filing_window(demo):
    """The Done-when of life after landing: with the demo's clock a year on (`run_reminders
    --later`), the job writes a stay ending, an interview due and the periodic notification,
    and nothing twice."""
    from django.test import Client

    from kakehashi.accounts.models import Organization
    from kakehashi.reminders.models import Reminder

    out = StringIO()
    call_command("run_reminders", later=True, stdout=out)
    care = Organization.objects.get(name_en__startswith="Shinano-no-Sato Care")
    support = Organization.objects.get(name_en__startswith="Niigata Registered Support")
    written = set(Reminder.objects.values_list("organization_id", "kind"))
    assert (care.pk, "stay_expiring") in written
    assert (support.pk, "stay_expiring") in written
    assert (support.pk, "interview_due") in written
    assert (care.pk, "periodic_notification") in written
    assert (support.pk, "passport_expiring") in written
    count = Reminder.objects.count()
    again = StringIO()
    call_command("run_reminders", later=True, stdout=again)
    assert "0 new reminders" in again.getvalue()
    assert Reminder.objects.count() == count
    # The support organization signs in and sees its workers' plan items.
    client = Client()
    client.force_login(User.objects.get(username="sato"))
    work = client.get("/support/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "FIKTIVOV" in work
    assert "PRIMEROVA" in work
    assert "Exchange with Japanese people" in work
