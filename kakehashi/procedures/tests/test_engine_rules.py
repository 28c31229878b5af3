"""Each reason the engine refuses (or flags) a step, at its boundary: order, roles,
eligibility (DOMAIN.md §6), fields, agency certification (MOC §7), placement (seed 002
3(2)※), the COE's 3-month validity, outcomes that close a case, and evidence."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from typing import Any

import pytest

from kakehashi.procedures.engine import (
    check_completion,
    clean_evidence,
    due_date,
    evaluate,
)
from kakehashi.procedures.facts import AgencyFacts, CaseFacts, Licence, PersonFacts
from kakehashi.procedures.rules import certification_state_on
from kakehashi.procedures.schema import Definition, SswRules

from .builders import (
    TODAY,
    agency,
    attempt,
    care_field,
    care_japanese,
    certified,
    codes,
    d,
    decision,
    facts,
    field,
    jft,
    jlpt,
    period,
    person,
    skill,
    technical_intern_ii,
)

CONTRACT = ("employment_contract", "2026-09-01")
VIA_AGENCY_START = [
    ("agency_recruitment_contract", "2026-08-01"),
    ("candidates_provided", "2026-08-10"),
    ("employment_contract", "2026-09-01"),
]


# --- Order -------------------------------------------------------------------------------


def test_completing_a_waiting_step_is_refused_naming_the_missing_step(
    kg: Definition, ssw: SswRules
) -> None:
    case = facts("direct", [CONTRACT])
    check = attempt(kg, ssw, case, "coe_decision", "2026-11-01")
    assert not check.ok
    assert codes(check.refusals) == ["prerequisite_missing"]
    assert check.refusals[0].params["step_key"] == "coe_application"
    assert check.refusals[0].params["step"].en.startswith("Certificate of Eligibility")


def test_waiting_step_lists_its_missing_prerequisite_as_blocker(
    kg: Definition, ssw: SswRules
) -> None:
    state = evaluate(kg, ssw, facts("direct", [CONTRACT])).state("coe_sent")
    assert state.status == "waiting"
    assert [b.params["step_key"] for b in state.blockers] == ["coe_decision"]


def test_the_step_after_the_last_done_one_is_accepted(kg: Definition, ssw: SswRules) -> None:
    assert attempt(kg, ssw, facts("direct", [CONTRACT]), "coe_application", "2026-09-02").ok


def test_step_that_is_not_in_the_pattern_is_not_accepted(kg: Definition, ssw: SswRules) -> None:
    check = attempt(kg, ssw, facts("direct"), "center_registration", "2026-09-01")
    assert check.step is None
    assert not check.ok


# --- Roles -------------------------------------------------------------------------------


def test_actor_without_the_steps_role_is_refused(kg: Definition, ssw: SswRules) -> None:
    check = attempt(
        kg, ssw, facts("direct"), "employment_contract", "2026-09-01", roles=["municipality"]
    )
    assert codes(check.refusals) == ["not_acting_role"]
    assert check.refusals[0].params == {"roles": ["receiving_organization"]}


def test_receiving_organization_cannot_record_the_centers_publication(
    kg: Definition, ssw: SswRules
) -> None:
    case = facts(
        "via_center",
        [("center_recruitment_contract", "2026-08-01"), ("job_offer_submitted", "2026-08-02")],
    )
    refused = attempt(
        kg, ssw, case, "job_offer_published", "2026-08-05", roles=["receiving_organization"]
    )
    assert codes(refused.refusals) == ["not_acting_role"]
    assert attempt(kg, ssw, case, "job_offer_published", "2026-08-05").ok


def test_actor_holding_several_roles_is_accepted_when_one_matches(
    kg: Definition, ssw: SswRules
) -> None:
    check = attempt(
        kg,
        ssw,
        facts("direct"),
        "employment_contract",
        "2026-09-01",
        roles=["municipality", "receiving_organization"],
    )
    assert check.ok


@pytest.mark.parametrize("step_key", ["visa_application", "visa_decision"])
def test_sending_agency_may_record_the_visa_steps_in_via_agency(
    kg: Definition, ssw: SswRules, step_key: str
) -> None:
    done = [
        *VIA_AGENCY_START,
        ("center_registration", "2026-09-02"),
        ("coe_application", "2026-09-03"),
        ("coe_decision", "2026-10-01"),
        ("coe_sent", "2026-10-02"),
    ]
    if step_key == "visa_decision":
        done.append(("visa_application", "2026-10-05"))
    check = attempt(
        kg, ssw, facts("via_agency", done), step_key, "2026-10-20", roles=["sending_agency"]
    )
    assert check.ok, check.refusals


def test_sending_agency_may_not_apply_for_the_coe(kg: Definition, ssw: SswRules) -> None:
    case = facts("via_agency", VIA_AGENCY_START)
    check = attempt(kg, ssw, case, "coe_application", "2026-09-05", roles=["sending_agency"])
    assert codes(check.refusals) == ["not_acting_role"]


# --- Already completed --------------------------------------------------------------------


def test_second_completion_of_a_done_step_is_refused(kg: Definition, ssw: SswRules) -> None:
    check = attempt(kg, ssw, facts("direct", [CONTRACT]), "employment_contract", "2026-09-05")
    assert codes(check.refusals) == ["already_completed"]


def test_coe_application_cannot_be_redone_while_the_coe_is_valid(
    kg: Definition, ssw: SswRules
) -> None:
    case = facts(
        "direct",
        [CONTRACT, ("coe_application", "2026-09-02"), ("coe_decision", "2026-10-01")],
        today="2026-12-31",
    )
    check = attempt(kg, ssw, case, "coe_application", "2026-12-31")
    assert codes(check.refusals) == ["already_completed"]


# --- SSW (i) eligibility at the COE application ---------------------------------------------


def coe_application(
    kg: Definition,
    ssw: SswRules,
    filed_on: str = "2026-11-20",
    *,
    who: PersonFacts | None = None,
    where: Any = None,
) -> Any:
    case = facts("direct", [CONTRACT], person=who, field=where)
    return attempt(kg, ssw, case, "coe_application", filed_on)


def test_coe_application_accepted_for_an_eligible_person(kg: Definition, ssw: SswRules) -> None:
    check = coe_application(kg, ssw)
    assert check.ok
    assert check.refusals == ()


def test_coe_application_refused_when_person_under_18(kg: Definition, ssw: SswRules) -> None:
    check = coe_application(kg, ssw, "2026-11-20", who=person(born="2008-11-21"))
    assert codes(check.refusals) == ["under_minimum_age"]
    assert check.refusals[0].params == {"age": 17, "minimum": 18, "date": "2026-11-20"}


def test_coe_application_accepted_on_the_18th_birthday(kg: Definition, ssw: SswRules) -> None:
    assert coe_application(kg, ssw, "2026-11-21", who=person(born="2008-11-21")).ok


def test_age_is_judged_on_the_filing_date_not_today(kg: Definition, ssw: SswRules) -> None:
    # 18 today (2026-11-23) but 17 on the day the application was filed.
    check = coe_application(kg, ssw, "2026-11-20", who=person(born="2008-11-22"))
    assert codes(check.refusals) == ["under_minimum_age"]


def test_person_born_on_29_february_is_18_on_1_march_of_a_common_year(
    kg: Definition, ssw: SswRules
) -> None:
    case = facts(
        "direct", [("employment_contract", "2026-01-10")], person=person(born="2008-02-29")
    )
    refused = attempt(kg, ssw, case, "coe_application", "2026-02-28")
    assert codes(refused.refusals) == ["under_minimum_age"]
    assert attempt(kg, ssw, case, "coe_application", "2026-03-01").ok


@pytest.mark.parametrize(
    "tests",
    [
        pytest.param((jlpt(),), id="no_skill_test"),
        pytest.param((skill(passed=False), jlpt()), id="failed"),
        pytest.param((skill("manufacturing_electronics"), jlpt()), id="other_category"),
        pytest.param(
            (skill(taken_on="2026-11-21"), jlpt()),
            id="taken_after_filing",
        ),
    ],
)
def test_coe_application_refused_without_a_passed_skill_test_for_the_category(
    kg: Definition, ssw: SswRules, tests: tuple[Any, ...]
) -> None:
    check = coe_application(kg, ssw, "2026-11-20", who=person(tests=tests))
    assert codes(check.refusals) == ["skill_test_missing"]
    assert check.refusals[0].params == {"category": "manufacturing_machining"}


def test_skill_test_taken_on_the_filing_day_counts(kg: Definition, ssw: SswRules) -> None:
    who = person(tests=(skill(taken_on="2026-11-20"), jlpt()))
    assert coe_application(kg, ssw, "2026-11-20", who=who).ok


@pytest.mark.parametrize(
    "japanese",
    [
        pytest.param((), id="none"),
        pytest.param((jlpt("N5"),), id="jlpt_n5"),
        pytest.param((jlpt("N4", passed=False),), id="jlpt_n4_failed"),
        pytest.param((jft("A1"),), id="jft_a1"),
        pytest.param(
            (jlpt("N4", taken_on="2026-11-21"),),
            id="jlpt_after_filing",
        ),
        pytest.param((care_japanese(),), id="care_japanese_alone"),
    ],
)
def test_coe_application_refused_without_an_accepted_japanese_test(
    kg: Definition, ssw: SswRules, japanese: tuple[Any, ...]
) -> None:
    check = coe_application(kg, ssw, who=person(tests=(skill(), *japanese)))
    assert codes(check.refusals) == ["japanese_test_missing"]
    assert check.refusals[0].params == {"accepted": "JFT-Basic A2+, JLPT N4+"}


@pytest.mark.parametrize(
    "japanese",
    [jlpt("N4"), jlpt("N3"), jlpt("N1"), jft("A2")],
    ids=["jlpt_n4", "jlpt_n3", "jlpt_n1", "jft_a2"],
)
def test_coe_application_accepted_with_jlpt_n4_or_above_or_jft_basic_a2(
    kg: Definition, ssw: SswRules, japanese: Any
) -> None:
    assert coe_application(kg, ssw, who=person(tests=(skill(), japanese))).ok


def test_care_field_refused_without_the_care_japanese_test(kg: Definition, ssw: SswRules) -> None:
    who = person(tests=(skill("care"), jlpt()))
    check = coe_application(kg, ssw, who=who, where=care_field())
    assert codes(check.refusals) == ["field_test_missing"]
    assert check.refusals[0].params["test"] == "Care Japanese Evaluation Test"
    assert check.refusals[0].params["field"] == "care"


def test_care_field_accepted_with_the_care_japanese_test(kg: Definition, ssw: SswRules) -> None:
    who = person(tests=(skill("care"), jlpt(), care_japanese()))
    assert coe_application(kg, ssw, who=who, where=care_field()).ok


def test_all_missing_tests_are_reported_at_once(kg: Definition, ssw: SswRules) -> None:
    check = coe_application(kg, ssw, who=person(born="2009-01-01", tests=()), where=care_field())
    assert codes(check.refusals) == [
        "under_minimum_age",
        "skill_test_missing",
        "japanese_test_missing",
        "field_test_missing",
    ]


def test_technical_intern_ii_exemption_waives_the_tests(kg: Definition, ssw: SswRules) -> None:
    who = person(tests=(), exemptions=(technical_intern_ii("manufacturing"),))
    assert coe_application(kg, ssw, who=who).ok


def test_exemption_in_care_waives_the_care_japanese_test(kg: Definition, ssw: SswRules) -> None:
    who = person(tests=(), exemptions=(technical_intern_ii("care"),))
    assert coe_application(kg, ssw, who=who, where=care_field()).ok


def test_exemption_for_another_field_waives_nothing(kg: Definition, ssw: SswRules) -> None:
    who = person(tests=(), exemptions=(technical_intern_ii("agriculture"),))
    check = coe_application(kg, ssw, who=who)
    assert codes(check.refusals) == ["skill_test_missing", "japanese_test_missing"]


def test_exemption_does_not_waive_the_minimum_age(kg: Definition, ssw: SswRules) -> None:
    who = person(born="2009-01-01", tests=(), exemptions=(technical_intern_ii(),))
    assert codes(coe_application(kg, ssw, who=who).refusals) == ["under_minimum_age"]


def test_change_of_status_application_checks_eligibility_too(kg: Definition, ssw: SswRules) -> None:
    who = person(country="JP", tests=(skill(),))
    case = facts("change_of_status", [CONTRACT], person=who)
    check = attempt(kg, ssw, case, "change_of_status_application", "2026-11-20")
    assert codes(check.refusals) == ["japanese_test_missing"]


def test_ineligible_person_sees_the_coe_application_blocked_today(
    kg: Definition, ssw: SswRules
) -> None:
    case = facts("direct", [CONTRACT], person=person(tests=(jlpt(),)))
    state = evaluate(kg, ssw, case).state("coe_application")
    assert state.status == "blocked"
    assert codes(state.blockers) == ["skill_test_missing"]
    assert state.actionable is False


# --- Field accepting new applications ------------------------------------------------------


def test_field_that_opens_later_is_not_open(kg: Definition, ssw: SswRules) -> None:
    future = field("logistics_warehouse", "warehouse_operations", open_from="2027-04-01")
    who = person(tests=(skill("warehouse_operations"), jlpt()))
    check = coe_application(kg, ssw, who=who, where=future)
    assert codes(check.refusals) == ["field_not_open"]
    assert check.refusals[0].params == {"field": "logistics_warehouse", "date": "2026-11-20"}


def test_field_opening_on_the_filing_day_is_open(kg: Definition, ssw: SswRules) -> None:
    assert coe_application(kg, ssw, "2026-11-20", where=field(open_from="2026-11-20")).ok


def test_field_without_an_opening_date_is_not_open(kg: Definition, ssw: SswRules) -> None:
    check = coe_application(kg, ssw, where=field(open_from=None))
    assert codes(check.refusals) == ["field_not_open"]


def test_field_closed_before_the_filing_day_is_not_open(kg: Definition, ssw: SswRules) -> None:
    assert codes(
        coe_application(kg, ssw, "2026-11-20", where=field(open_until="2026-11-19")).refusals
    ) == ["field_not_open"]
    assert coe_application(kg, ssw, "2026-11-20", where=field(open_until="2026-11-20")).ok


def test_suspension_covering_the_filing_day_refuses_the_application(
    kg: Definition, ssw: SswRules
) -> None:
    suspended = field(suspensions=(period("2026-10-01", "2026-12-31"),))
    check = coe_application(kg, ssw, "2026-11-20", where=suspended)
    assert codes(check.refusals) == ["field_suspended"]
    assert check.refusals[0].params == {
        "field": "manufacturing",
        "date": "2026-11-20",
        "from": "2026-10-01",
        "until": "2026-12-31",
    }


@pytest.mark.parametrize(
    ("starts", "ends"),
    [("2026-11-20", None), ("2026-01-01", "2026-11-20")],
    ids=["open_ended_from_the_day", "ending_on_the_day"],
)
def test_suspension_boundaries_are_inclusive(
    kg: Definition, ssw: SswRules, starts: str, ends: str | None
) -> None:
    check = coe_application(kg, ssw, "2026-11-20", where=field(suspensions=(period(starts, ends),)))
    assert codes(check.refusals) == ["field_suspended"]


def test_suspension_that_ended_before_does_not_refuse(kg: Definition, ssw: SswRules) -> None:
    ended = field(suspensions=(period("2026-01-01", "2026-11-19"),))
    assert coe_application(kg, ssw, "2026-11-20", where=ended).ok


def test_category_no_longer_in_force_refuses_the_application(kg: Definition, ssw: SswRules) -> None:
    check = coe_application(kg, ssw, "2026-11-20", where=field(category_until="2026-11-19"))
    assert codes(check.refusals) == ["category_not_in_force"]
    assert check.refusals[0].params == {"category": "manufacturing_machining", "date": "2026-11-20"}
    assert coe_application(kg, ssw, "2026-11-20", where=field(category_until="2026-11-20")).ok


def test_category_not_yet_in_force_refuses_the_application(kg: Definition, ssw: SswRules) -> None:
    check = coe_application(kg, ssw, "2026-11-20", where=field(category_from="2026-11-21"))
    assert codes(check.refusals) == ["category_not_in_force"]


# --- Sending agency certification -------------------------------------------------------


@pytest.mark.parametrize(
    ("decisions", "day", "state"),
    [
        pytest.param([], "2026-01-01", "none", id="never"),
        pytest.param([certified()], "2026-01-01", "certified", id="certified"),
        pytest.param([certified()], "2023-12-31", "none", id="day_before_certification"),
        pytest.param([certified()], "2024-01-01", "certified", id="on_the_day_of_certification"),
        pytest.param(
            [certified(), decision("suspended", "2025-03-01")],
            "2025-03-01",
            "suspended",
            id="suspended",
        ),
        pytest.param(
            [certified(), decision("suspended", "2025-03-01"), decision("resumed", "2025-06-01")],
            "2025-05-31",
            "suspended",
            id="day_before_resumption",
        ),
        pytest.param(
            [certified(), decision("suspended", "2025-03-01"), decision("resumed", "2025-06-01")],
            "2025-06-01",
            "certified",
            id="suspended_then_resumed",
        ),
        pytest.param(
            [certified(), decision("revoked", "2025-03-01")], "2025-03-01", "revoked", id="revoked"
        ),
        pytest.param(
            [certified(), decision("revoked", "2025-03-01"), decision("resumed", "2025-06-01")],
            "2026-01-01",
            "revoked",
            id="revoked_stays_revoked_after_resumed",
        ),
        pytest.param(
            [
                certified(),
                decision("suspended", "2025-02-01"),
                decision("revoked", "2025-03-01"),
                decision("resumed", "2025-06-01"),
            ],
            "2026-01-01",
            "revoked",
            id="suspended_revoked_resumed",
        ),
        pytest.param([certified()], "2027-12-31", "certified", id="last_day_of_validity"),
        pytest.param([certified()], "2028-01-01", "expired", id="validity_passed"),
        pytest.param(
            [certified(), decision("expired", "2026-06-30")],
            "2026-07-01",
            "expired",
            id="expired_by_decision",
        ),
        pytest.param(
            [certified(), decision("revoked", "2026-12-01")],
            "2026-11-30",
            "certified",
            id="later_revocation_ignored",
        ),
        pytest.param(
            [decision("revoked", "2026-12-01"), certified()],
            "2026-11-30",
            "certified",
            id="order_of_input_irrelevant",
        ),
        pytest.param(
            [
                certified(until="2025-12-31"),
                decision("suspended", "2025-06-01"),
                decision("resumed", "2025-09-01", valid_until="2028-12-31"),
            ],
            "2026-06-01",
            "certified",
            id="resumption_extends_validity",
        ),
        pytest.param(
            [decision("suspended", "2024-01-01")],
            "2025-01-01",
            "none",
            id="suspending_an_uncertified_agency_changes_nothing",
        ),
    ],
)
def test_certification_state_on_a_day(decisions: list[Any], day: str, state: str) -> None:
    assert certification_state_on(tuple(decisions), d(day))[0] == state


def test_certification_state_names_the_decision_that_set_it() -> None:
    revocation = decision("revoked", "2025-03-01")
    assert certification_state_on((certified(), revocation), d("2026-01-01")) == (
        "revoked",
        revocation,
    )
    assert certification_state_on((), d("2026-01-01")) == ("none", None)


def test_a_revoked_certification_keeps_no_validity_until_certified_again() -> None:
    from kakehashi.procedures.rules import certification_on

    revoked = (certified(), decision("revoked", "2025-03-01"))
    assert certification_on(revoked, d("2026-01-01")).valid_until is None
    reapplied = (*revoked, decision("applied", "2025-04-01"))
    assert certification_on(reapplied, d("2026-01-01")).valid_until is None
    again = (*reapplied, certified(on="2025-05-01", until="2029-03-31"))
    assert certification_on(again, d("2027-01-01")).valid_until == d("2029-03-31")
    suspended = (certified(), decision("suspended", "2025-03-01"))
    assert certification_on(suspended, d("2026-01-01")).valid_until == d("2027-12-31")


def revoked_on(day: str) -> AgencyFacts:
    return agency(certified(), decision("revoked", day))


def test_recruitment_contract_signed_after_revocation_is_refused(
    kg: Definition, ssw: SswRules
) -> None:
    case = facts("via_agency", agency=revoked_on("2026-06-01"))
    check = attempt(kg, ssw, case, "agency_recruitment_contract", "2026-06-01")
    assert codes(check.refusals) == ["agency_not_certified"]
    assert check.refusals[0].params == {
        "agency": "Ala-Too Recruitment",
        "state": "revoked",
        "date": "2026-06-01",
        "since": "2026-06-01",
    }


def test_recruitment_contract_signed_before_revocation_is_accepted(
    kg: Definition, ssw: SswRules
) -> None:
    case = facts("via_agency", agency=revoked_on("2026-06-01"))
    assert attempt(kg, ssw, case, "agency_recruitment_contract", "2026-05-31").ok


def test_revoked_agency_shows_the_recruitment_contract_blocked_today(
    kg: Definition, ssw: SswRules
) -> None:
    state = evaluate(kg, ssw, facts("via_agency", agency=revoked_on("2026-06-01"))).state(
        "agency_recruitment_contract"
    )
    assert state.status == "blocked"
    assert codes(state.blockers) == ["agency_not_certified"]


def test_candidates_provided_while_agency_suspended_is_refused(
    kg: Definition, ssw: SswRules
) -> None:
    """A suspended agency records nothing (moc_kg §7(3), §7(4)): refused before its rules."""
    suspended = agency(certified(), decision("suspended", "2026-08-05"))
    case = facts("via_agency", VIA_AGENCY_START[:1], agency=suspended)
    check = attempt(kg, ssw, case, "candidates_provided", "2026-08-10")
    assert codes(check.refusals) == ["agency_cannot_act"]
    assert check.refusals[0].params["state"] == "suspended"
    assert check.refusals[0].source == "moc_kg §7(3), §7(4)"


@pytest.mark.parametrize("action", ["suspended", "revoked"])
def test_an_agency_that_lost_its_certification_records_no_step_of_any_case(
    kg: Definition, ssw: SswRules, action: str
) -> None:
    """Issue 7: a suspended or revoked agency cannot record any further step, even one it
    shares with the receiving organization (the visa steps); the employer still can."""
    lost = agency(certified(), decision(action, "2026-08-05"))
    case = facts("via_agency", VIA_AGENCY_START, agency=lost)
    by_agency = check_completion(
        kg, ssw, case, "visa_application", frozenset({"sending_agency"}), {"applied_on": TODAY}
    )
    assert codes(by_agency.refusals) == ["agency_cannot_act"]
    by_employer = check_completion(
        kg,
        ssw,
        case,
        "visa_application",
        frozenset({"receiving_organization"}),
        {"applied_on": TODAY},
    )
    assert "agency_cannot_act" not in codes(by_employer.refusals)


# --- Placement licence (flag, not block) -------------------------------------------------


def candidates(kg: Definition, ssw: SswRules, selected: Any, *licences: Any) -> Any:
    case = facts("via_agency", VIA_AGENCY_START[:1], agency=agency(licences=licences))
    return attempt(kg, ssw, case, "candidates_provided", "2026-08-10", selected_by_agency=selected)


def licence(starts_on: str, ends_on: str | None, *countries: str) -> Licence:
    return Licence(period=period(starts_on, ends_on), countries=countries or ("KG",))


def test_selection_by_an_unlicensed_agency_is_flagged_not_refused(
    kg: Definition, ssw: SswRules
) -> None:
    check = candidates(kg, ssw, True)
    assert check.ok is True
    assert codes(check.flags) == ["unlicensed_placement"]
    assert check.flags[0].params == {"agency": "Ala-Too Recruitment", "country": "KG"}


def test_selection_by_a_licensed_agency_is_not_flagged(kg: Definition, ssw: SswRules) -> None:
    check = candidates(kg, ssw, True, licence("2026-01-01", "2026-08-10"))
    assert check.ok
    assert check.flags == ()


def test_licence_that_ended_before_the_selection_is_flagged(kg: Definition, ssw: SswRules) -> None:
    check = candidates(kg, ssw, True, licence("2025-01-01", "2026-08-09"))
    assert codes(check.flags) == ["unlicensed_placement"]


def test_a_licence_for_other_countries_does_not_cover_the_selection(
    kg: Definition, ssw: SswRules
) -> None:
    """Issue 7: the placement flag reads the countries a licence covers."""
    check = candidates(kg, ssw, True, licence("2026-01-01", None, "UZ", "VN"))
    assert codes(check.flags) == ["unlicensed_placement"]
    covered = candidates(kg, ssw, True, licence("2026-01-01", None, "UZ", "KG"))
    assert covered.flags == ()


@pytest.mark.parametrize("selected", [False, "false", None])
def test_no_selection_by_the_agency_is_not_flagged(
    kg: Definition, ssw: SswRules, selected: Any
) -> None:
    check = candidates(kg, ssw, selected)
    assert check.ok
    assert check.flags == ()


# --- COE validity (3 months from issue) ----------------------------------------------------


def coe_deadline(kg: Definition) -> Any:
    (deadline,) = kg.step("coe_decision").deadlines
    return deadline


@pytest.mark.parametrize(
    ("issued", "due"),
    [
        ("2026-01-15", "2026-04-15"),
        ("2026-11-30", "2027-02-28"),
        ("2026-10-31", "2027-01-31"),
        ("2027-11-30", "2028-02-29"),
        ("2026-12-31", "2027-03-31"),
    ],
)
def test_coe_validity_due_date(kg: Definition, issued: str, due: str) -> None:
    assert due_date(coe_deadline(kg), d(issued)) == d(due)


THROUGH_DECISION = [
    CONTRACT,
    ("coe_application", "2025-12-01"),
    ("coe_decision", "2026-01-15"),
]


def test_coe_validity_deadline_is_reported_by_evaluate(kg: Definition, ssw: SswRules) -> None:
    case = facts(
        "direct", [("employment_contract", "2025-11-01"), *THROUGH_DECISION[1:]], today="2026-02-01"
    )
    (deadline,) = evaluate(kg, ssw, case).deadlines
    assert (deadline.key, deadline.set_by) == ("coe_validity", "coe_decision")
    assert (deadline.starts_on, deadline.due_on) == (d("2026-01-15"), d("2026-04-15"))
    assert deadline.met is False
    assert deadline.expired is False


def expired_case(extra: Sequence[Any] = (), today: str = "2026-05-01") -> CaseFacts:
    done = [("employment_contract", "2025-11-01"), *THROUGH_DECISION[1:], *extra]
    return facts("direct", done, today=today)


def test_after_expiry_the_next_step_is_blocked_and_the_coe_application_reopens(
    kg: Definition, ssw: SswRules
) -> None:
    evaluation = evaluate(kg, ssw, expired_case())
    coe_sent = evaluation.state("coe_sent")
    assert coe_sent.status == "blocked"
    assert codes(coe_sent.blockers) == ["deadline_expired"]
    assert coe_sent.blockers[0].params["due"] == "2026-04-15"
    assert coe_sent.blockers[0].params["started"] == "2026-01-15"
    assert [t.en for t in coe_sent.blockers[0].params["redo"]] == [
        "Certificate of Eligibility (COE) application"
    ]
    application = evaluation.state("coe_application")
    assert application.status == "done"
    assert application.redo is True
    assert [s.key for s in evaluation.next_actions] == ["coe_application"]
    (deadline,) = evaluation.deadlines
    assert deadline.expired is True


def test_on_the_last_day_of_validity_nothing_is_blocked(kg: Definition, ssw: SswRules) -> None:
    evaluation = evaluate(kg, ssw, expired_case(today="2026-04-15"))
    assert evaluation.state("coe_sent").status == "available"
    assert evaluation.state("coe_application").redo is False


def test_after_expiry_each_next_step_is_blocked_by_the_deadline(
    kg: Definition, ssw: SswRules
) -> None:
    extra = [("coe_sent", "2026-01-20"), ("visa_application", "2026-02-01")]
    evaluation = evaluate(kg, ssw, expired_case(extra))
    assert evaluation.state("visa_decision").status == "blocked"
    assert codes(evaluation.state("visa_decision").blockers) == ["deadline_expired"]
    assert evaluation.state("landing").status == "waiting"
    assert evaluation.state("coe_sent").status == "done"


def test_after_expiry_the_coe_application_is_recorded_as_round_2(
    kg: Definition, ssw: SswRules
) -> None:
    check = attempt(kg, ssw, expired_case(), "coe_application", "2026-05-01")
    assert check.ok, check.refusals
    assert check.round == 2


def test_new_coe_makes_the_old_downstream_completions_stop_counting(
    kg: Definition, ssw: SswRules
) -> None:
    extra = [
        ("coe_sent", "2026-01-20"),
        ("visa_application", "2026-02-01"),
        ("coe_application", "2026-05-01"),
    ]
    after_reapplying = expired_case(extra, today="2026-05-01")
    decision_check = attempt(kg, ssw, after_reapplying, "coe_decision", "2026-05-01")
    assert decision_check.ok
    assert decision_check.round == 2

    case = expired_case([*extra, ("coe_decision", "2026-05-02")], today="2026-05-03")
    evaluation = evaluate(kg, ssw, case)
    assert evaluation.state("coe_decision").completion.round == 2
    assert evaluation.state("coe_application").redo is False
    coe_sent = evaluation.state("coe_sent")
    assert (coe_sent.status, coe_sent.completion, coe_sent.next_round) == ("available", None, 2)
    assert evaluation.state("visa_application").status == "waiting"
    assert evaluation.state("visa_application").completion is None
    assert evaluation.current_step == "coe_sent"
    (deadline,) = evaluation.deadlines
    assert (deadline.starts_on, deadline.due_on, deadline.expired) == (
        d("2026-05-02"),
        d("2026-08-02"),
        False,
    )
    resend = attempt(kg, ssw, case, "coe_sent", "2026-05-03")
    assert resend.ok
    assert resend.round == 2


def landing_case(today: str) -> CaseFacts:
    extra = [
        ("coe_sent", "2026-01-20"),
        ("visa_application", "2026-02-01"),
        ("visa_decision", "2026-02-20"),
    ]
    return expired_case(extra, today=today)


def test_landing_after_the_coe_expired_is_refused(kg: Definition, ssw: SswRules) -> None:
    check = attempt(kg, ssw, landing_case("2026-04-20"), "landing", "2026-04-16")
    assert codes(check.refusals) == ["deadline_expired"]
    assert check.refusals[0].params["due"] == "2026-04-15"


@pytest.mark.parametrize("landed_on", ["2026-04-15", "2026-04-01"])
def test_landing_on_or_before_the_last_day_is_accepted(
    kg: Definition, ssw: SswRules, landed_on: str
) -> None:
    # recorded late (today is after the due date), but the landing itself was in time
    case = landing_case("2026-04-20")
    assert evaluate(kg, ssw, case).state("landing").status == "blocked"
    assert attempt(kg, ssw, case, "landing", landed_on).ok


def test_landing_in_time_meets_the_deadline_for_good(kg: Definition, ssw: SswRules) -> None:
    case = expired_case(
        [
            ("coe_sent", "2026-01-20"),
            ("visa_application", "2026-02-01"),
            ("visa_decision", "2026-02-20"),
            ("landing", "2026-04-15"),
        ],
        today="2026-11-23",
    )
    evaluation = evaluate(kg, ssw, case)
    (deadline,) = evaluation.deadlines
    assert deadline.met is True
    assert deadline.expired is False
    assert evaluation.finished is True
    assert evaluation.state("coe_application").redo is False


# --- Outcomes that close the case --------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "step_key", "outcome"),
    [
        ([CONTRACT, ("coe_application", "2026-09-02")], "coe_decision", "refused"),
        (
            [
                CONTRACT,
                ("coe_application", "2026-09-02"),
                ("coe_decision", "2026-10-01"),
                ("coe_sent", "2026-10-02"),
                ("visa_application", "2026-10-05"),
            ],
            "visa_decision",
            "refused",
        ),
    ],
    ids=["coe_refused", "visa_refused"],
)
def test_refused_decision_closes_the_case(
    kg: Definition, ssw: SswRules, done: list[Any], step_key: str, outcome: str
) -> None:
    check = attempt(kg, ssw, facts("direct", done), step_key, "2026-11-01", outcome=outcome)
    assert check.ok
    assert check.closes_case == "refused"


def test_refused_change_of_status_closes_the_case(kg: Definition, ssw: SswRules) -> None:
    case = facts("change_of_status", [CONTRACT, ("change_of_status_application", "2026-09-02")])
    check = attempt(kg, ssw, case, "change_of_status_decision", "2026-11-01", outcome="refused")
    assert check.closes_case == "refused"


def test_issued_coe_does_not_close_the_case(kg: Definition, ssw: SswRules) -> None:
    case = facts("direct", [CONTRACT, ("coe_application", "2026-09-02")])
    assert attempt(kg, ssw, case, "coe_decision", "2026-11-01").closes_case is None


@pytest.mark.parametrize("status", ["refused", "withdrawn"])
def test_closed_case_shows_undone_steps_closed_and_refuses_completions(
    kg: Definition, ssw: SswRules, status: str
) -> None:
    done = [
        CONTRACT,
        ("coe_application", "2026-09-02"),
        ("coe_decision", "2026-10-01", {"decided_on": "2026-10-01", "outcome": "refused"}),
    ]
    case = facts("direct", done, status=status)
    evaluation = evaluate(kg, ssw, case)
    assert [s.status for s in evaluation.steps] == ["done"] * 3 + ["closed"] * 4
    assert evaluation.finished is False
    assert evaluation.next_actions == ()
    check = attempt(kg, ssw, case, "coe_sent", "2026-10-02")
    assert codes(check.refusals) == ["case_closed"]
    assert check.refusals[0].params == {"status": status}


# --- Evidence ----------------------------------------------------------------------------


def contract(kg: Definition, ssw: SswRules, **overrides: Any) -> Any:
    return attempt(kg, ssw, facts("direct"), "employment_contract", "2026-09-01", **overrides)


def errors(check: Any) -> list[tuple[str, str | None]]:
    return [(f.code, f.field) for f in check.input_errors]


def test_date_after_today_is_an_input_error_on_the_date_field(
    kg: Definition, ssw: SswRules
) -> None:
    check = contract(kg, ssw, signed_on="2026-11-24")
    assert errors(check) == [("date_in_future", "signed_on")]
    assert check.input_errors[0].params == {"today": "2026-11-23"}
    assert contract(kg, ssw, signed_on="2026-11-23").ok


def test_date_before_the_prerequisites_date_is_an_input_error(
    kg: Definition, ssw: SswRules
) -> None:
    case = facts("direct", [CONTRACT])
    check = attempt(kg, ssw, case, "coe_application", "2026-08-31")
    assert errors(check) == [("before_prerequisite", "filed_on")]
    assert check.input_errors[0].params["date"] == "2026-09-01"
    assert attempt(kg, ssw, case, "coe_application", "2026-09-01").ok


def test_missing_required_field_is_named(kg: Definition, ssw: SswRules) -> None:
    check = contract(kg, ssw, monthly_wage_jpy=None, contract_language="  ")
    assert errors(check) == [("required", "monthly_wage_jpy"), ("required", "contract_language")]


def test_missing_date_field_is_required(kg: Definition, ssw: SswRules) -> None:
    check = contract(kg, ssw, signed_on="")
    assert errors(check) == [("required", "signed_on")]
    assert check.happened_on is None


def test_optional_field_may_be_left_out(kg: Definition, ssw: SswRules) -> None:
    check = contract(kg, ssw, work_starts_on="")
    assert check.ok
    assert "work_starts_on" not in check.evidence


def test_unknown_field_is_an_input_error(kg: Definition, ssw: SswRules) -> None:
    check = contract(kg, ssw, salary="lots")
    assert errors(check) == [("unknown_field", "salary")]
    assert "monthly_wage_jpy" in check.input_errors[0].params["allowed"]


@pytest.mark.parametrize("value", ["2026-02-30", "yesterday", "01/09/2026"])
def test_bad_date_string_is_an_input_error(kg: Definition, ssw: SswRules, value: str) -> None:
    assert errors(contract(kg, ssw, signed_on=value)) == [("invalid_date", "signed_on")]


def test_date_object_is_accepted_and_stored_as_iso(kg: Definition, ssw: SswRules) -> None:
    check = contract(kg, ssw, signed_on=datetime.date(2026, 9, 1), work_starts_on="2027-01-10 ")
    assert check.ok
    assert check.evidence["signed_on"] == "2026-09-01"
    assert check.evidence["work_starts_on"] == "2027-01-10"


@pytest.mark.parametrize(("value", "ok"), [(0, False), ("1", True), (-5, False)])
def test_integer_below_minimum_is_out_of_range(
    kg: Definition, ssw: SswRules, value: Any, ok: bool
) -> None:
    check = contract(kg, ssw, monthly_wage_jpy=value)
    assert check.ok is ok
    if not ok:
        assert errors(check) == [("out_of_range", "monthly_wage_jpy")]


def test_integer_above_maximum_is_out_of_range(kg: Definition, ssw: SswRules) -> None:
    case = facts("via_center", [("center_recruitment_contract", "2026-08-01")])
    check = attempt(kg, ssw, case, "job_offer_submitted", "2026-08-02", positions=501)
    assert errors(check) == [("out_of_range", "positions")]
    assert check.input_errors[0].params == {"min": 1, "max": 500}
    ok = attempt(kg, ssw, case, "job_offer_submitted", "2026-08-02", positions="500")
    assert ok.evidence["positions"] == 500


@pytest.mark.parametrize("value", ["two hundred", "1.5", True])
def test_non_integer_is_an_input_error(kg: Definition, ssw: SswRules, value: Any) -> None:
    assert errors(contract(kg, ssw, monthly_wage_jpy=value)) == [
        ("invalid_integer", "monthly_wage_jpy")
    ]


def test_value_outside_the_choices_is_an_input_error(kg: Definition, ssw: SswRules) -> None:
    check = contract(kg, ssw, contract_language="ja_fr")
    assert errors(check) == [("invalid_choice", "contract_language")]
    assert check.input_errors[0].params["allowed"] == ["ja_ky", "ja_ru", "ja_en"]


def test_text_longer_than_max_length_is_an_input_error(kg: Definition, ssw: SswRules) -> None:
    case = facts("via_center")
    too_long = attempt(
        kg, ssw, case, "center_recruitment_contract", "2026-08-01", contract_number="X" * 61
    )
    assert errors(too_long) == [("too_long", "contract_number")]
    assert too_long.input_errors[0].params == {"max": 60}
    just_fits = attempt(
        kg,
        ssw,
        case,
        "center_recruitment_contract",
        "2026-08-01",
        contract_number=" " + "X" * 60 + " ",
    )
    assert just_fits.evidence["contract_number"] == "X" * 60


def test_all_bad_fields_are_reported_at_once(kg: Definition, ssw: SswRules) -> None:
    check = contract(
        kg,
        ssw,
        signed_on="2026-13-01",
        monthly_wage_jpy=0,
        contract_language="x",
    )
    assert errors(check) == [
        ("invalid_date", "signed_on"),
        ("out_of_range", "monthly_wage_jpy"),
        ("invalid_choice", "contract_language"),
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        ("true", True),
        ("on", True),
        ("1", True),
        (False, False),
        ("false", False),
        ("off", False),
        ("", False),
        (None, False),
    ],
)
def test_booleans_accept_form_and_json_values(kg: Definition, value: Any, expected: bool) -> None:
    raw = {"provided_on": "2026-08-10", "candidates_count": 3, "selected_by_agency": value}
    cleaned, problems = clean_evidence(kg.step("candidates_provided"), raw, TODAY)
    assert problems == []
    assert cleaned["selected_by_agency"] is expected


def test_boolean_left_out_is_false(kg: Definition) -> None:
    cleaned, problems = clean_evidence(
        kg.step("candidates_provided"), {"provided_on": "2026-08-10", "candidates_count": 3}, TODAY
    )
    assert problems == []
    assert cleaned["selected_by_agency"] is False


def test_unrecognised_boolean_is_an_input_error(kg: Definition) -> None:
    raw = {"provided_on": "2026-08-10", "candidates_count": 3, "selected_by_agency": "maybe"}
    _, problems = clean_evidence(kg.step("candidates_provided"), raw, TODAY)
    assert [(p.code, p.field) for p in problems] == [("invalid_boolean", "selected_by_agency")]


@pytest.mark.parametrize("value", [["on"], {"checked": True}, 1.5])
def test_boolean_of_another_type_is_an_input_error_not_a_crash(kg: Definition, value: Any) -> None:
    raw = {"provided_on": "2026-08-10", "candidates_count": 3, "selected_by_agency": value}
    _, problems = clean_evidence(kg.step("candidates_provided"), raw, TODAY)
    assert [(p.code, p.field) for p in problems] == [("invalid_boolean", "selected_by_agency")]


def test_choice_of_another_type_is_an_input_error(kg: Definition, ssw: SswRules) -> None:
    check = contract(kg, ssw, contract_language=["ja_ky"])
    assert errors(check) == [("invalid_choice", "contract_language")]


def test_datetime_in_a_date_field_counts_as_its_day(kg: Definition, ssw: SswRules) -> None:
    check = contract(kg, ssw, signed_on=datetime.datetime(2026, 9, 1, 23, 30))
    assert check.ok
    assert check.evidence["signed_on"] == "2026-09-01"
    assert check.happened_on == datetime.date(2026, 9, 1)


# --- Advisory prerequisite (Kyrgyz-side registration) ------------------------------------


def test_coe_application_is_available_without_the_center_registration_with_advice(
    kg: Definition, ssw: SswRules
) -> None:
    case = facts("via_agency", VIA_AGENCY_START)
    state = evaluate(kg, ssw, case).state("coe_application")
    assert state.status == "available"
    assert codes(state.advice) == ["advisory_prerequisite"]
    assert state.advice[0].params["step_key"] == "center_registration"

    check = attempt(kg, ssw, case, "coe_application", "2026-09-02")
    assert check.ok
    assert codes(check.warnings) == ["advisory_prerequisite"]


def test_no_advice_once_the_center_registration_is_done(kg: Definition, ssw: SswRules) -> None:
    case = facts("via_agency", [*VIA_AGENCY_START, ("center_registration", "2026-09-05")])
    assert evaluate(kg, ssw, case).state("coe_application").advice == ()
    check = attempt(kg, ssw, case, "coe_application", "2026-09-06")
    assert check.ok
    assert check.warnings == ()


def test_advisory_prerequisite_sets_no_date_limit(kg: Definition, ssw: SswRules) -> None:
    case = facts("via_agency", [*VIA_AGENCY_START, ("center_registration", "2026-09-05")])
    assert attempt(kg, ssw, case, "coe_application", "2026-09-02").ok


def test_late_center_registration_leaves_the_coe_steps_counting(
    kg: Definition, ssw: SswRules
) -> None:
    done = [
        *VIA_AGENCY_START,
        ("coe_application", "2026-09-02"),
        ("coe_decision", "2026-10-01"),
        ("center_registration", "2026-10-02"),
    ]
    evaluation = evaluate(kg, ssw, facts("via_agency", done))
    assert evaluation.state("coe_application").status == "done"
    assert evaluation.state("coe_decision").status == "done"
    assert evaluation.current_step == "coe_sent"


def test_closed_case_offers_no_redo_after_the_coe_expired(kg: Definition, ssw: SswRules) -> None:
    case = dataclasses.replace(expired_case(), status="withdrawn")
    evaluation = evaluate(kg, ssw, case)
    assert evaluation.state("coe_application").redo is False
    assert evaluation.state("coe_sent").status == "closed"
    assert evaluation.next_actions == ()
    assert codes(attempt(kg, ssw, case, "coe_application", "2026-05-01").refusals) == [
        "case_closed"
    ]
