"""Every pattern of the Kyrgyz leaflet (seed 002), walked from opening the case to its
last step, and the reasons a case may not be opened at all."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import pytest

from kakehashi.procedures.engine import check_creation, evaluate
from kakehashi.procedures.facts import AgencyFacts, CaseFacts, Completion
from kakehashi.procedures.schema import Definition, SswRules

from .builders import (
    agency,
    attempt,
    care_field,
    care_person,
    certified,
    codes,
    decision,
    facts,
    field,
    person,
)

# The order of seed 002: patterns 1-3 ("キルギスから新たに") and the in-Japan procedure.
COMMON = ["coe_application", "coe_decision", "coe_sent", "visa_application", "visa_decision"]
SEQUENCES = {
    "direct": ["employment_contract", *COMMON, "landing"],
    "via_center": [
        "center_recruitment_contract",
        "job_offer_submitted",
        "job_offer_published",
        "candidate_contact",
        "employment_contract",
        *COMMON,
        "landing",
    ],
    "via_agency": [
        "agency_recruitment_contract",
        "candidates_provided",
        "employment_contract",
        "center_registration",
        *COMMON,
        "landing",
    ],
    "change_of_status": [
        "employment_contract",
        "change_of_status_application",
        "change_of_status_decision",
    ],
}

START = datetime.date(2026, 9, 1)


def expected_actions(pattern: str, step_key: str) -> set[str]:
    # In via_agency the Center registration (Kyrgyz side) is advisory for the COE
    # application, so both can be done once the employment contract is signed.
    if pattern == "via_agency" and step_key == "center_registration":
        return {"center_registration", "coe_application"}
    return {step_key}


def walk(
    kg: Definition, ssw: SswRules, case: CaseFacts, sequence: list[str]
) -> tuple[CaseFacts, list[Any]]:
    """Complete each step in turn, asserting at each point that it is the one to do."""
    checks = []
    for index, step_key in enumerate(sequence):
        evaluation = evaluate(kg, ssw, case)
        assert not evaluation.finished
        assert evaluation.current_step == step_key
        assert evaluation.state(step_key).status == "available"
        assert {s.key for s in evaluation.next_actions} == expected_actions(case.pattern, step_key)
        for later in sequence[index + 1 :]:
            if later not in expected_actions(case.pattern, step_key):
                assert evaluation.state(later).status == "waiting", later

        day = START + datetime.timedelta(days=index)
        check = attempt(kg, ssw, case, step_key, day)
        assert check.ok, (step_key, check.input_errors, check.refusals)
        assert check.happened_on == day
        assert check.round == 1
        assert check.closes_case is None
        assert check.flags == ()
        checks.append(check)
        completion = Completion(
            step_key=step_key,
            round=check.round,
            seq=len(case.completions) + 1,
            happened_on=day,
            evidence=check.evidence,
        )
        case = dataclasses.replace(case, completions=(*case.completions, completion))
    return case, checks


def assert_finished(kg: Definition, ssw: SswRules, case: CaseFacts, sequence: list[str]) -> None:
    evaluation = evaluate(kg, ssw, case)
    assert evaluation.finished is True
    assert evaluation.current_step is None
    assert evaluation.next_actions == ()
    assert [s.key for s in evaluation.steps] == sequence
    assert all(s.status == "done" for s in evaluation.steps)


@pytest.mark.parametrize("pattern", list(SEQUENCES))
def test_pattern_steps_follow_the_leaflet_order(kg: Definition, pattern: str) -> None:
    assert [e.step for e in kg.pattern(pattern).steps] == SEQUENCES[pattern]


@pytest.mark.parametrize("pattern", list(SEQUENCES))
def test_case_can_be_opened_for_a_kyrgyz_national_in_the_right_place(
    kg: Definition, ssw: SswRules, pattern: str
) -> None:
    case = facts(pattern)
    check = check_creation(kg, ssw, case, has_agency=pattern == "via_agency")
    assert check.ok
    assert check.refusals == check.input_errors == check.warnings == ()


@pytest.mark.parametrize("pattern", list(SEQUENCES))
def test_happy_path_from_creation_to_the_last_step(
    kg: Definition, ssw: SswRules, pattern: str
) -> None:
    case, _ = walk(kg, ssw, facts(pattern), SEQUENCES[pattern])
    assert_finished(kg, ssw, case, SEQUENCES[pattern])


def test_happy_path_in_the_care_field_with_the_care_japanese_test(
    kg: Definition, ssw: SswRules
) -> None:
    case = facts("direct", person=care_person(), field=care_field())
    assert check_creation(kg, ssw, case, has_agency=False).ok
    case, _ = walk(kg, ssw, case, SEQUENCES["direct"])
    assert_finished(kg, ssw, case, SEQUENCES["direct"])


def test_happy_path_keeps_cleaned_evidence_of_each_step(kg: Definition, ssw: SswRules) -> None:
    _, checks = walk(kg, ssw, facts("via_agency"), SEQUENCES["via_agency"])
    by_step = {c.step.key: c.evidence for c in checks}
    assert by_step["employment_contract"] == {
        "signed_on": "2026-09-03",
        "monthly_wage_jpy": 230000,
        "monthly_hours": 160,
        "contract_language": "ja_ky",
        # The prohibited-terms checklist (MOC §4(1)(a), (b)): unanswered is "no".
        "term_deposit": False,
        "term_manages_property": False,
        "term_penalty": False,
        "term_undue_transfer": False,
    }
    assert by_step["candidates_provided"]["selected_by_agency"] is False
    assert by_step["landing"]["landed_on"] == "2026-09-10"


def test_finished_is_false_until_the_last_step_is_done(kg: Definition, ssw: SswRules) -> None:
    sequence = SEQUENCES["change_of_status"]
    case, _ = walk(kg, ssw, facts("change_of_status"), sequence[:-1])
    evaluation = evaluate(kg, ssw, case)
    assert evaluation.finished is False
    assert evaluation.current_step == "change_of_status_decision"


# --- Refusals at creation ---------------------------------------------------------------


def test_via_agency_without_agency_is_an_input_error_on_the_agency_field(
    kg: Definition, ssw: SswRules
) -> None:
    check = check_creation(kg, ssw, facts("via_agency", agency=None), has_agency=False)
    assert not check.ok
    assert codes(check.input_errors) == ["agency_required"]
    assert check.input_errors[0].field == "sending_agency"


@pytest.mark.parametrize("pattern", ["direct", "via_center", "change_of_status"])
def test_agency_given_for_a_pattern_without_agency_is_not_applicable(
    kg: Definition, ssw: SswRules, pattern: str
) -> None:
    check = check_creation(kg, ssw, facts(pattern, agency=agency()), has_agency=True)
    assert codes(check.input_errors) == ["agency_not_applicable"]
    assert check.input_errors[0].field == "sending_agency"


@pytest.mark.parametrize("nationality", ["UZ", "JP", "KZ"])
def test_person_of_another_nationality_is_refused(
    kg: Definition, ssw: SswRules, nationality: str
) -> None:
    case = facts("direct", person=person(nationality=nationality))
    check = check_creation(kg, ssw, case, has_agency=False)
    assert codes(check.refusals) == ["nationality_mismatch"]
    assert check.refusals[0].params == {"nationality": nationality, "country": "KG"}


@pytest.mark.parametrize("pattern", ["direct", "via_center", "via_agency"])
def test_person_in_japan_cannot_be_recruited_from_abroad(
    kg: Definition, ssw: SswRules, pattern: str
) -> None:
    case = facts(pattern, person=person(country="JP"))
    check = check_creation(kg, ssw, case, has_agency=pattern == "via_agency")
    assert codes(check.refusals) == ["person_in_japan"]


@pytest.mark.parametrize("country", ["KG", "KZ"])
def test_person_abroad_cannot_change_status_in_japan(
    kg: Definition, ssw: SswRules, country: str
) -> None:
    case = facts("change_of_status", person=person(country=country))
    check = check_creation(kg, ssw, case, has_agency=False)
    assert codes(check.refusals) == ["person_not_in_japan"]


def test_kyrgyz_national_living_in_a_third_country_may_be_recruited_from_abroad(
    kg: Definition, ssw: SswRules
) -> None:
    case = facts("direct", person=person(country="KZ"))
    assert check_creation(kg, ssw, case, has_agency=False).ok


@pytest.mark.parametrize(
    ("decisions", "state"),
    [
        ((), "none"),
        ((certified(), decision("revoked", "2026-06-01")), "revoked"),
        ((certified(), decision("suspended", "2026-11-01")), "suspended"),
        ((certified("2023-01-01", "2026-11-22"),), "expired"),
        ((certified("2026-11-24"),), "none"),
    ],
    ids=["never_certified", "revoked", "suspended", "expired", "certified_tomorrow"],
)
def test_agency_not_certified_at_creation_is_refused(
    kg: Definition, ssw: SswRules, decisions: tuple[Any, ...], state: str
) -> None:
    the_agency = AgencyFacts(name="Ala-Too Recruitment", decisions=decisions)
    check = check_creation(kg, ssw, facts("via_agency", agency=the_agency), has_agency=True)
    assert codes(check.refusals) == ["agency_not_certified"]
    assert check.refusals[0].params["state"] == state
    assert check.refusals[0].params["date"] == "2026-11-23"


def test_agency_whose_certification_ends_today_may_still_open_a_case(
    kg: Definition, ssw: SswRules
) -> None:
    case = facts("via_agency", agency=agency(certified("2023-01-01", "2026-11-23")))
    assert check_creation(kg, ssw, case, has_agency=True).ok


def test_unknown_pattern_is_an_input_error_on_the_pattern_field(
    kg: Definition, ssw: SswRules
) -> None:
    check = check_creation(kg, ssw, facts("via_embassy"), has_agency=False)
    assert codes(check.input_errors) == ["unknown_pattern"]
    assert check.input_errors[0].field == "pattern"
    assert check.input_errors[0].params["allowed"] == list(SEQUENCES)


def test_field_not_open_is_only_a_warning_at_creation(kg: Definition, ssw: SswRules) -> None:
    case = facts("direct", field=field("logistics_warehouse", "warehouse", open_from="2027-04-01"))
    check = check_creation(kg, ssw, case, has_agency=False)
    assert check.ok
    assert codes(check.warnings) == ["field_not_open"]


def test_a_finished_case_has_no_current_step_even_with_an_advisory_step_left(
    kg: Definition, ssw: SswRules
) -> None:
    """via_agency: the Kyrgyz-side registration is advisory; landing ends the case anyway."""
    steps = [s for s in SEQUENCES["via_agency"] if s != "center_registration"]
    done = [(step, START + datetime.timedelta(days=i)) for i, step in enumerate(steps)]
    evaluation = evaluate(kg, ssw, facts("via_agency", done, today="2026-11-23"))
    assert evaluation.finished is True
    assert evaluation.current_step is None
    assert evaluation.state("center_registration").status == "available"
