"""Japan suspends acceptance in a field (MOC §8): new COE applications in the field are
refused while the suspension lasts (rule field_accepting), other fields go on, and cases
already past the COE are listed for case-by-case review."""

from __future__ import annotations

from typing import Any

import pytest

from kakehashi.access import Actor
from kakehashi.cases import services as case_services
from kakehashi.cases.models import Case, CaseStep
from kakehashi.cases.selectors import cases_for_suspension_review
from kakehashi.cases.tests.helpers import evidence_for
from kakehashi.core.errors import InvalidInput, NotAllowed, RuleRefused
from kakehashi.registries import services
from kakehashi.registries.models import FieldSuspension, Notice, NoticeKind
from kakehashi.testing.documents import required_uploads

from .helpers import complete, counts, day, open_case, today, walk_until

pytestmark = pytest.mark.django_db


def suspend_care(world: Any, starts: int = 0, ends: int | None = None) -> FieldSuspension:
    return services.field_suspension_record(
        actor=Actor.of(world.isao),
        field_code="care",
        starts_on=day(starts),
        ends_on=day(ends) if ends is not None else None,
        reason="The shortage in nursing care is filled",
    )


def apply_for_coe(world: Any, case: Case) -> Any:
    return case_services.case_complete_step(
        actor=Actor.of(world.hana),
        case_id=case.pk,
        step_key="coe_application",
        evidence=evidence_for("coe_application"),
        documents=required_uploads(case.pk, "coe_application"),
    )


def ready_for_coe(world: Any, field: str = "care", pattern: str = "direct") -> Case:
    agency = world.agency if pattern == "via_agency" else None
    case = open_case(world, pattern, agency, field=field)
    return walk_until(world, case, stop_before="coe_application")


@pytest.mark.parametrize("pattern", ["direct", "via_center", "via_agency"])
def test_a_coe_application_in_a_suspended_field_is_refused(world: Any, pattern: str) -> None:
    case = ready_for_coe(world, pattern=pattern)
    suspend_care(world)
    before = counts()

    with pytest.raises(RuleRefused) as refused:
        apply_for_coe(world, case)

    [problem] = [p for p in refused.value.problems if p.code == "field_suspended"]
    assert "§8" in (problem.source or "")
    assert today().isoformat() in problem.message
    assert counts() == before
    assert not CaseStep.objects.filter(case=case, step_key="coe_application").exists()
    case.refresh_from_db()
    assert case.current_step == "coe_application"


def test_other_fields_still_accept_coe_applications(world: Any) -> None:
    cleaning = ready_for_coe(world, field="building_cleaning")
    suspend_care(world)
    result = apply_for_coe(world, cleaning)
    assert result.step.step_key == "coe_application"
    assert result.case.current_step == "coe_decision"


def test_a_suspension_that_has_ended_no_longer_blocks(world: Any) -> None:
    case = ready_for_coe(world)
    suspend_care(world, starts=-30, ends=-1)
    result = apply_for_coe(world, case)
    assert result.case.current_step == "coe_decision"


def test_a_suspension_announced_for_later_does_not_block_today(world: Any) -> None:
    case = ready_for_coe(world)
    suspend_care(world, starts=7)
    result = apply_for_coe(world, case)
    assert result.case.current_step == "coe_decision"


def test_the_last_day_of_a_suspension_still_blocks(world: Any) -> None:
    case = ready_for_coe(world)
    suspend_care(world, starts=-30, ends=0)
    with pytest.raises(RuleRefused) as refused:
        apply_for_coe(world, case)
    assert "field_suspended" in [p.code for p in refused.value.problems]


def test_a_change_of_status_application_in_a_suspended_field_is_refused(world: Any) -> None:
    from .helpers import eligible_person

    person = eligible_person(world, current_country="JP")
    case = case_services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="change_of_status",
    ).case
    complete(world, case, "employment_contract")
    suspend_care(world)
    with pytest.raises(RuleRefused) as refused:
        complete(world, case, "change_of_status_application")
    assert "field_suspended" in [p.code for p in refused.value.problems]


def test_a_suspension_needs_a_known_field_a_reason_and_an_end_after_its_start(
    world: Any,
) -> None:
    before = counts()
    with pytest.raises(InvalidInput) as invalid:
        services.field_suspension_record(
            actor=Actor.of(world.isao),
            field_code="knitting",
            starts_on=day(0),
            ends_on=day(-1),
            reason="  ",
        )
    assert {p.field: p.code for p in invalid.value.problems} == {
        "field": "not_found",
        "reason": "required",
        "ends_on": "before_start",
    }
    assert counts() == before


# --- Cases for review -----------------------------------------------------------------------


@pytest.fixture
def care_cases(world: Any) -> dict[str, Case]:
    """Care cases at each stage, built before the suspension (which would block their COE
    applications), plus a closed one and one in another field."""

    def at(stop_before: str, field: str = "care") -> Case:
        return walk_until(world, open_case(world, "direct", field=field), stop_before)

    withdrawn = at("visa_application")
    case_services.case_withdraw(actor=Actor.of(world.hana), case_id=withdrawn.pk, reason="Declined")
    cases = {
        "new": open_case(world, "direct"),
        "before_coe_application": at("coe_application"),
        "coe_pending": at("coe_decision"),
        "coe_sent": at("coe_sent"),
        "visa_application": at("visa_application"),
        "visa_decision": at("visa_decision"),
        "landing": at("landing"),
        "agency_coe_sent": walk_until(
            world, open_case(world, "via_agency", world.agency), "coe_sent"
        ),
        "withdrawn": withdrawn,
        "landed": walk_until(world, open_case(world, "direct")),
        "other_field": at("visa_application", field="building_cleaning"),
    }
    for case in cases.values():
        case.refresh_from_db()
    return cases


def test_the_cases_are_at_the_steps_their_names_say(care_cases: dict[str, Case]) -> None:
    steps = {name: (c.status, c.current_step) for name, c in care_cases.items()}
    assert steps["new"] == ("open", "employment_contract")
    assert steps["coe_pending"] == ("open", "coe_decision")
    assert steps["landing"] == ("open", "landing")
    assert steps["agency_coe_sent"] == ("open", "coe_sent")
    assert steps["withdrawn"] == ("withdrawn", "visa_application")
    assert steps["landed"][0] == "completed"
    assert steps["other_field"] == ("open", "visa_application")


def test_cases_for_suspension_review_lists_open_care_cases_past_the_coe(
    world: Any, care_cases: dict[str, Case]
) -> None:
    suspension = suspend_care(world)
    listed = list(cases_for_suspension_review(Actor.of(world.isao), suspension.field_id))
    names = {c.pk: n for n, c in care_cases.items()}
    assert sorted(names[c.pk] for c in listed) == sorted(
        ["coe_sent", "visa_application", "visa_decision", "landing", "agency_coe_sent"]
    )
    assert [c.pk for c in listed] == sorted(c.pk for c in listed)


def test_cases_before_the_coe_are_not_listed_but_are_blocked(
    world: Any, care_cases: dict[str, Case]
) -> None:
    suspension = suspend_care(world)
    listed = set(cases_for_suspension_review(Actor.of(world.isao), suspension.field_id))
    for name in ("new", "before_coe_application"):
        assert care_cases[name] not in listed, name
    with pytest.raises(RuleRefused):
        apply_for_coe(world, care_cases["before_coe_application"])


def test_cases_past_the_coe_can_go_on_during_the_suspension(
    world: Any, care_cases: dict[str, Case]
) -> None:
    """Japan handles them case by case (MOC §8): the suspension blocks only new
    applications, not the steps after the COE."""
    suspend_care(world)
    case = complete(world, care_cases["coe_sent"], "coe_sent")
    assert case.current_step == "visa_application"


# --- A suspension is temporary: it ends on a date (issue 7, moc_kg §8 一時的に停止) ------------


def test_japan_ends_a_suspension_on_a_date_and_tells_the_other_side(world: Any) -> None:
    suspension = suspend_care(world, starts=-30)
    ended = services.field_suspension_end(
        actor=Actor.of(world.isao), suspension_id=suspension.pk, ends_on=day(-1)
    )
    assert (ended.ends_on, ended.ended_by) == (day(-1), world.isao)
    notice = Notice.objects.filter(kind=NoticeKind.FIELD_SUSPENSION_ENDED).get()
    assert (notice.to_organization, notice.country) == (world.center, "KG")
    assert notice.payload["ends_on"] == day(-1).isoformat()
    # Acceptance resumes the day after: a COE application in care goes through today.
    case = ready_for_coe(world)
    apply_for_coe(world, case)


def test_a_suspension_ended_in_the_future_blocks_until_its_last_day(world: Any) -> None:
    case = ready_for_coe(world)
    suspension = suspend_care(world, starts=-3)
    services.field_suspension_end(
        actor=Actor.of(world.isao), suspension_id=suspension.pk, ends_on=day(5)
    )
    with pytest.raises(RuleRefused):
        apply_for_coe(world, case)


@pytest.mark.parametrize(
    ("ends_on", "code"),
    [(-40, "before_start"), (-5, "date_in_past"), (None, "required")],
)
def test_an_end_before_the_start_or_in_the_past_is_refused(
    world: Any, ends_on: int | None, code: str
) -> None:
    suspension = suspend_care(world, starts=-30)
    before = counts()
    with pytest.raises(InvalidInput) as invalid:
        services.field_suspension_end(
            actor=Actor.of(world.isao),
            suspension_id=suspension.pk,
            ends_on=day(ends_on) if ends_on is not None else None,
        )
    assert [(p.field, p.code) for p in invalid.value.problems] == [("ends_on", code)]
    assert counts() == before


def test_an_ended_suspension_cannot_be_ended_again_nor_moved_later(world: Any) -> None:
    suspension = suspend_care(world, starts=-30, ends=10)
    with pytest.raises(InvalidInput) as later:
        services.field_suspension_end(
            actor=Actor.of(world.isao), suspension_id=suspension.pk, ends_on=day(20)
        )
    assert later.value.problems[0].code == "after_end"
    FieldSuspension.objects.filter(pk=suspension.pk).update(ends_on=day(-2))
    with pytest.raises(RuleRefused) as ended:
        services.field_suspension_end(
            actor=Actor.of(world.isao), suspension_id=suspension.pk, ends_on=day(0)
        )
    assert ended.value.problems[0].code == "suspension_ended"


@pytest.mark.parametrize("who", ["aida", "hana", "mayu", "bakyt"])
def test_only_japans_contact_point_ends_a_suspension(world: Any, who: str) -> None:
    suspension = suspend_care(world, starts=-3)
    with pytest.raises(NotAllowed):
        services.field_suspension_end(
            actor=Actor.of(world.user(who)), suspension_id=suspension.pk, ends_on=day(0)
        )
    assert FieldSuspension.objects.get(pk=suspension.pk).ends_on is None


@pytest.mark.parametrize(
    ("first", "second", "overlaps"),
    [
        ((-10, None), (0, 30), True),  # open-ended, then another inside it
        ((-10, 10), (5, 20), True),
        ((-10, 10), (-20, -10), True),  # touching the first day
        ((-10, 10), (11, 20), False),  # the day after it ends
        ((5, 20), (-10, 4), False),  # the day before it starts
        ((5, 20), (-10, None), True),  # open-ended over a later one
    ],
)
def test_overlapping_suspensions_of_one_field_are_refused(
    world: Any, first: tuple[int, int | None], second: tuple[int, int | None], overlaps: bool
) -> None:
    suspend_care(world, *first)
    before = counts()
    if overlaps:
        with pytest.raises(RuleRefused) as refused:
            suspend_care(world, *second)
        assert refused.value.problems[0].code == "suspension_overlaps"
        assert refused.value.problems[0].source_ref == "moc_kg §8"
        assert counts() == before
    else:
        suspend_care(world, *second)
        assert FieldSuspension.objects.count() == 2


def test_another_field_may_be_suspended_at_the_same_time(world: Any) -> None:
    suspend_care(world, -10)
    services.field_suspension_record(
        actor=Actor.of(world.isao), field_code="construction", starts_on=day(0), reason="Filled"
    )
    assert FieldSuspension.objects.count() == 2


def test_the_end_is_recorded_in_the_page_and_through_the_api(world: Any, api_as: Any) -> None:
    from django.test import Client

    suspension = suspend_care(world, starts=-30)
    response = api_as("isao").post(
        f"/registries/field-suspensions/{suspension.pk}/end", {"ends_on": day(0).isoformat()}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["ends_on"] == day(0).isoformat()
    refused = api_as("aida").post(
        f"/registries/field-suspensions/{suspension.pk}/end", {"ends_on": day(0).isoformat()}
    )
    assert refused.status_code == 403

    other = services.field_suspension_record(
        actor=Actor.of(world.isao), field_code="fishery", starts_on=day(-3), reason="Filled"
    )
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.isao)
    page = client.get("/registries/japan/").content.decode()
    assert "End this suspension" in page
    posted = client.post(
        "/registries/japan/",
        {"form": "end", "end-suspension_id": other.pk, "end-ends_on": day(1).isoformat()},
    )
    assert posted.status_code == 302
    assert FieldSuspension.objects.get(pk=other.pk).ends_on == day(1)


# --- Job offers while a field is suspended or not open ------------------------------------------


def test_an_offer_in_a_suspended_field_cannot_be_published_and_leaves_the_board(
    world: Any,
) -> None:
    from django.test import Client

    from kakehashi.joboffers import services as offers
    from kakehashi.joboffers.selectors import published_offers
    from kakehashi.joboffers.tests.helpers import make_offer

    on_board = make_offer(world, "published")
    waiting = make_offer(world, "submitted")
    suspension = suspend_care(world, starts=-5)

    assert list(published_offers()) == []
    assert f"/jobs/{on_board.pk}/" not in Client().get("/jobs/").content.decode()
    assert Client().get(f"/jobs/{on_board.pk}/").status_code == 404
    with pytest.raises(RuleRefused) as refused:
        offers.job_offer_review(actor=Actor.of(world.aida), offer_id=waiting.pk, decision="publish")
    assert refused.value.problems[0].code == "field_not_accepting"

    services.field_suspension_end(
        actor=Actor.of(world.isao), suspension_id=suspension.pk, ends_on=day(-1)
    )
    assert list(published_offers()) == [on_board]
    offers.job_offer_review(actor=Actor.of(world.aida), offer_id=waiting.pk, decision="publish")


def test_an_offer_in_a_field_not_yet_open_cannot_be_published(world: Any) -> None:
    from kakehashi.joboffers import services as offers
    from kakehashi.joboffers.tests.helpers import make_offer

    waiting = make_offer(
        world, "submitted", field="resource_recycling", business_category="resource_recycling"
    )
    with pytest.raises(RuleRefused) as refused:
        offers.job_offer_review(actor=Actor.of(world.aida), offer_id=waiting.pk, decision="publish")
    assert refused.value.problems[0].code == "field_not_accepting"
