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
from kakehashi.core.errors import InvalidInput, RuleRefused
from kakehashi.registries import services
from kakehashi.registries.models import FieldSuspension

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
