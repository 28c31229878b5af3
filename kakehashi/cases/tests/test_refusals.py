"""Every refusal rule, through the API: the HTTP status, the machine code, a message a
person can read, the source of the rule where it is a legal one, and nothing written
(shared/STYLE.md: "Errors speak to people ... and nothing is half-written").

Dates are relative to today because the API records steps as of today; the persons'
test results are moved two years back so that they predate every step."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from kakehashi.cases.models import Case, CaseDeadline, CaseEvent, CaseFlag, CaseStep
from kakehashi.people.models import Exemption, ExemptionKind, Person
from kakehashi.people.models import TestKind as Kind
from kakehashi.reference.models import BusinessCategory, Field
from kakehashi.registries.models import (
    AgencyCertificationDecision,
    CertificationAction,
    FieldSuspension,
    PlacementLicence,
)
from kakehashi.testing.documents import provide_documents
from kakehashi.testing.factories import PersonFactory, make_eligible
from kakehashi.testing.factories import TestResultFactory as ResultFactory

from .helpers import actor_for, evidence_for

# Documents of the project's list of sources (reference/data/sources.yaml).
SEED_002 = "isa_kg_flow"  # the ISA's leaflet on accepting Kyrgyz nationals
SEED_003 = "moc_kg"  # the Japan–Kyrgyz Memorandum of Cooperation
LANDING = "landing_standards_ordinance"
GUIDELINES = "ssw_operation_guidelines"
POLICY = "ssw_basic_policy"
COE_VALIDITY = "immigration_act_regulation"


def today() -> datetime.date:
    return timezone.localdate()


def ago(**delta: int) -> datetime.date:
    return today() - relativedelta(**delta)


# --- Helpers ---------------------------------------------------------------------------


def make_person(world: Any, *, category: str | None = "care", **fields: Any) -> Person:
    """A person registered by the care home; eligible for `category` unless it is None."""
    person = PersonFactory(created_by_organization=world.care_home, **fields)
    if category is not None:
        make_eligible(person, category)
        person.test_results.update(taken_on=ago(years=2))
    return person


def add_test(person: Person, kind: str, code: str, level: str = "", **fields: Any) -> None:
    fields.setdefault("taken_on", ago(years=2))
    if kind == Kind.SKILL and "business_category" not in fields:
        fields["business_category"] = BusinessCategory.objects.get(code="care")
    ResultFactory(person=person, kind=kind, test_code=code, level=level, **fields)


def open_case(
    api: Any,
    person: Person,
    pattern: str = "direct",
    field: str = "care",
    category: str = "care",
    agency: Any = None,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "person_id": person.pk,
        "field": field,
        "business_category": category,
        "pattern": pattern,
    }
    if agency is not None:
        payload["sending_agency_id"] = agency.pk
    response = api("hana").post("/cases", payload)
    assert response.status_code == 201, response.json()
    return response.json()


def _user(username: str) -> Any:
    from kakehashi.accounts.models import User

    return User.objects.get(username=username)


def complete(api: Any, case_id: int, step: str, day: datetime.date | None = None, **changes: Any):
    evidence = {**evidence_for(step, day), **changes}
    provide_documents(case_id, step, _user(actor_for(step)), evidence)
    return api(actor_for(step)).post(
        f"/cases/{case_id}/steps/{step}/complete", {"evidence": evidence}
    )


def complete_as(api: Any, who: str, case_id: int, step: str) -> Any:
    provide_documents(case_id, step, _user(who))
    return api(who).post(
        f"/cases/{case_id}/steps/{step}/complete", {"evidence": evidence_for(step)}
    )


def create(api: Any, person: Person, pattern: str, **extra: Any) -> Any:
    payload = {"person_id": person.pk, "field": "care", "business_category": "care"}
    return api("hana").post("/cases", {**payload, "pattern": pattern, **extra})


def walk(api: Any, case_id: int, steps: list[str], days: list[datetime.date] | None = None) -> None:
    for index, step in enumerate(steps):
        response = complete(api, case_id, step, days[index] if days else None)
        assert response.status_code == 200, (step, response.json())


def written() -> tuple[Any, ...]:
    """Everything a refused request must leave untouched."""
    return (
        CaseStep.objects.count(),
        CaseEvent.objects.count(),
        CaseFlag.objects.count(),
        list(CaseDeadline.objects.order_by("id").values_list("id", "key", "due_on", "met")),
        list(Case.objects.order_by("id").values_list("id", "status", "current_step", "updated_at")),
    )


def assert_sentence(message: Any, code: str) -> None:
    """A readable sentence: not the bare code, every placeholder filled in."""
    assert isinstance(message, str), message
    assert message.strip() != code, message
    for leftover in ("%(", ")s", "Text(", "['"):  # a placeholder or a repr left in
        assert leftover not in message, message
    assert len(message.split()) >= 3, message
    assert message[0].isupper() or not message[0].isascii(), message
    assert message.rstrip().endswith((".", "。")), message


def assert_refused(
    response: Any,
    status: int,
    code: str,
    *,
    field: str | None = None,
    cites: tuple[str, ...] = (),
    top: str | None = None,
) -> dict[str, Any]:
    """The error format of kakehashi/api.py, with `code` at the top or among the problems,
    each message a sentence, `field` named and `cites` found in the problem's source."""
    body = response.json()
    assert response.status_code == status, body
    assert set(body) <= {"code", "message", "problems"}, body
    assert body["code"] == (top or ("invalid_input" if status == 422 else code)), body
    assert_sentence(body["message"], body["code"])
    problems = body.get("problems", [])
    for problem in problems:
        assert set(problem) <= {"code", "message", "field", "source", "source_ref"}, problem
        if problem.get("source_ref"):  # read by title and section, never a file name
            assert problem["source"], problem
            assert "/" not in problem["source"].split(" §")[0], problem
        assert_sentence(problem["message"], problem["code"])
    if problems or status == 422:
        matching = [p for p in problems if p["code"] == code]
        assert matching, body
        if field is not None:
            assert field in [p.get("field") for p in matching], body
        for cite in cites:
            assert any(cite in (p.get("source_ref") or "") for p in matching), (cite, body)
    else:
        assert field is None, "no problem carries the field"
        assert not cites, "no problem carries a source"
    return body


# --- Order, roles, repetition ----------------------------------------------------------


def test_a_later_step_before_its_prerequisite_is_refused(world, api):
    case = open_case(api, make_person(world))["case"]
    before = written()

    response = complete(api, case["id"], "coe_application")

    body = assert_refused(
        response, 409, "prerequisite_missing", cites=(SEED_002, "1 直接採用パターン")
    )
    assert "Employment contract signed" in body["message"]
    assert written() == before


@pytest.mark.parametrize(
    ("who", "pattern", "step", "roles_named"),
    [
        ("vic", "direct", "employment_contract", "the receiving organization"),
        ("aida", "direct", "employment_contract", "the receiving organization"),
        ("bakyt", "via_agency", "agency_recruitment_contract", "the receiving organization"),
        ("hana", "via_agency", "candidates_provided", "the sending agency"),
    ],
)
def test_only_the_acting_role_can_record_a_step(world, api, who, pattern, step, roles_named):
    agency = world.agency if pattern == "via_agency" else None
    case = open_case(api, make_person(world), pattern=pattern, agency=agency)["case"]
    if step == "candidates_provided":
        walk(api, case["id"], ["agency_recruitment_contract"])
    before = written()

    response = complete_as(api, who, case["id"], step)

    body = assert_refused(response, 403, "not_acting_role")
    assert roles_named in body["message"]
    assert written() == before


def test_a_user_outside_the_case_gets_not_found_not_forbidden(world, api):
    case = open_case(api, make_person(world))["case"]
    before = written()

    response = complete_as(api, "rustam", case["id"], "employment_contract")

    assert_refused(response, 404, "not_found")
    assert written() == before


def test_a_second_completion_of_a_step_is_a_conflict(world, api):
    case = open_case(api, make_person(world))["case"]
    walk(api, case["id"], ["employment_contract"])
    before = written()

    response = complete(api, case["id"], "employment_contract")

    assert_refused(response, 409, "already_completed")
    assert written() == before
    assert CaseStep.objects.filter(case_id=case["id"], step_key="employment_contract").count() == 1


# --- Pattern 3: the sending agency ------------------------------------------------------


def test_an_uncertified_agency_cannot_be_named(world, api):
    person = make_person(world)
    before = written()

    response = create(api, person, "via_agency", sending_agency_id=world.rogue_agency.pk)

    body = assert_refused(
        response, 409, "agency_not_certified", cites=(SEED_002, "3(1)", SEED_003, "§7(1)")
    )
    assert "Fast Visa KG" in body["message"]
    assert written() == before


@pytest.mark.parametrize(
    ("effective", "refused"),
    [(-1, True), (0, True), (1, False)],
    ids=["revoked-yesterday", "revoked-today", "revocation-not-yet-in-force"],
)
def test_a_revoked_agency_cannot_be_named(world, api, effective, refused):
    AgencyCertificationDecision.objects.create(
        agency=world.agency,
        action=CertificationAction.REVOKED,
        effective_on=today() + datetime.timedelta(days=effective),
        reason="criteria no longer met",
    )
    person = make_person(world)
    before = written()

    response = create(api, person, "via_agency", sending_agency_id=world.agency.pk)

    if refused:
        body = assert_refused(response, 409, "agency_not_certified", cites=(SEED_003, "§7(4)"))
        assert "revoked" in body["message"]
        assert written() == before
    else:
        assert response.status_code == 201, response.json()


def test_a_revocation_stops_the_open_cases_of_the_agency(world, api):
    case = open_case(api, make_person(world), pattern="via_agency", agency=world.agency)["case"]
    AgencyCertificationDecision.objects.create(
        agency=world.agency, action=CertificationAction.REVOKED, effective_on=ago(days=1)
    )
    before = written()

    response = complete(api, case["id"], "agency_recruitment_contract")

    assert_refused(response, 409, "agency_not_certified", cites=(SEED_002, SEED_003))
    assert written() == before


def test_the_agency_pattern_needs_a_sending_agency(world, api):
    person = make_person(world)
    before = written()

    response = create(api, person, "via_agency")

    assert_refused(response, 422, "agency_required", field="sending_agency", cites=(SEED_002,))
    assert written() == before


def test_only_the_agency_pattern_names_an_agency(world, api):
    person = make_person(world)
    before = written()

    response = create(api, person, "direct", sending_agency_id=world.agency.pk)

    assert_refused(response, 422, "agency_not_applicable", field="sending_agency")
    assert written() == before


# --- Eligibility at the COE application ----------------------------------------------


def _case_at_coe_application(world: Any, api: Any, person: Person) -> int:
    case_id = open_case(api, person)["case"]["id"]
    walk(api, case_id, ["employment_contract"])
    return case_id


def test_a_person_under_18_on_the_filing_date_is_refused(world, api):
    person = make_person(world, date_of_birth=ago(years=17))
    case_id = _case_at_coe_application(world, api, person)
    before = written()

    response = complete(api, case_id, "coe_application")

    body = assert_refused(response, 409, "under_minimum_age", cites=(LANDING,))
    assert "17" in body["message"]
    assert "18" in body["message"]
    assert written() == before


def test_a_person_18_on_the_filing_date_may_apply(world, api):
    person = make_person(world, date_of_birth=ago(years=18))
    case_id = _case_at_coe_application(world, api, person)

    response = complete(api, case_id, "coe_application")

    assert response.status_code == 200, response.json()


def _no_skill(person: Person) -> None:
    add_test(person, Kind.JAPANESE, "jlpt", "N4")
    add_test(person, Kind.JAPANESE, "care_japanese")


def _skill_for_another_category(person: Person) -> None:
    _no_skill(person)
    other = BusinessCategory.objects.get(code="building_cleaning")
    add_test(person, Kind.SKILL, "skill", business_category=other)


def _skill_failed(person: Person) -> None:
    _no_skill(person)
    add_test(person, Kind.SKILL, "skill", passed=False)


def _no_japanese(person: Person) -> None:
    add_test(person, Kind.SKILL, "skill")
    add_test(person, Kind.JAPANESE, "care_japanese")


def _japanese_below_minimum(person: Person) -> None:
    _no_japanese(person)
    add_test(person, Kind.JAPANESE, "jlpt", "N5")
    add_test(person, Kind.JAPANESE, "jft_basic", "A1")


def _japanese_taken_after_filing(person: Person) -> None:
    _no_japanese(person)
    add_test(person, Kind.JAPANESE, "jlpt", "N4", taken_on=today() + datetime.timedelta(days=30))


def _no_care_japanese(person: Person) -> None:
    add_test(person, Kind.SKILL, "skill")
    add_test(person, Kind.JAPANESE, "jlpt", "N4")


@pytest.mark.parametrize(
    ("tests", "code", "said", "cited"),
    [
        (_no_skill, "skill_test_missing", "Nursing care", LANDING),
        (_skill_for_another_category, "skill_test_missing", "Nursing care", LANDING),
        (_skill_failed, "skill_test_missing", "Nursing care", LANDING),
        (_no_japanese, "japanese_test_missing", "JLPT N4+", GUIDELINES),
        (_japanese_below_minimum, "japanese_test_missing", "JLPT N4+", GUIDELINES),
        (_japanese_taken_after_filing, "japanese_test_missing", "JFT-Basic A2+", GUIDELINES),
        (_no_care_japanese, "field_test_missing", "Care Japanese Evaluation Test", GUIDELINES),
    ],
    ids=lambda v: v.__name__.strip("_") if callable(v) else None,
)
def test_a_missing_test_refuses_the_coe_application(world, api, tests, code, said, cited):
    person = make_person(world, category=None)
    tests(person)
    case_id = _case_at_coe_application(world, api, person)
    before = written()

    response = complete(api, case_id, "coe_application")

    body = assert_refused(response, 409, code, cites=(cited,))
    assert said in body["message"]
    assert written() == before


def test_an_exemption_for_the_field_waives_the_tests(world, api):
    person = make_person(world, category=None)
    Exemption.objects.create(
        person=person,
        kind=ExemptionKind.TECHNICAL_INTERN_II,
        field=Field.objects.get(code="care"),
        evidence="Technical intern training (ii) completed, care, 2024",
        recorded_on=ago(months=1),
    )
    case_id = _case_at_coe_application(world, api, person)

    response = complete(api, case_id, "coe_application")

    assert response.status_code == 200, response.json()
    assert CaseStep.objects.filter(case_id=case_id, step_key="coe_application").exists()


def test_an_exemption_for_another_field_waives_nothing(world, api):
    person = make_person(world, category=None)
    Exemption.objects.create(
        person=person,
        kind=ExemptionKind.TECHNICAL_INTERN_II,
        field=Field.objects.get(code="building_cleaning"),
        evidence="Technical intern training (ii) completed, cleaning",
        recorded_on=ago(months=1),
    )
    case_id = _case_at_coe_application(world, api, person)
    before = written()

    response = complete(api, case_id, "coe_application")

    body = assert_refused(response, 409, "skill_test_missing", top="refused")
    assert {p["code"] for p in body["problems"]} == {
        "skill_test_missing",
        "japanese_test_missing",
        "field_test_missing",
    }
    assert written() == before


# --- Fields: suspended, not open -----------------------------------------------------


@pytest.mark.parametrize(
    ("starts", "ends", "refused"),
    [(-10, None, True), (0, 0, True), (-10, -1, False), (1, None, False)],
    ids=["open-ended", "today-only", "ended-yesterday", "starts-tomorrow"],
)
def test_a_suspended_field_refuses_the_coe_application(world, api, starts, ends, refused):
    FieldSuspension.objects.create(
        field=Field.objects.get(code="care"),
        starts_on=today() + datetime.timedelta(days=starts),
        ends_on=None if ends is None else today() + datetime.timedelta(days=ends),
        reason="shortage filled (MOC §8)",
    )
    created = open_case(api, make_person(world))
    if refused:
        assert "field_suspended" in [w["code"] for w in created["warnings"]]
    case_id = created["case"]["id"]
    walk(api, case_id, ["employment_contract"])
    before = written()

    response = complete(api, case_id, "coe_application")

    if refused:
        body = assert_refused(response, 409, "field_suspended", cites=(SEED_003, "§8"))
        assert "Nursing care" in body["message"]
        assert written() == before
    else:
        assert response.status_code == 200, response.json()


def test_a_field_not_yet_open_refuses_the_coe_application(world, api):
    person = make_person(world, category="linen_supply")
    created = open_case(api, person, field="linen_supply", category="linen_supply")
    assert "field_not_open" in [w["code"] for w in created["warnings"]]
    case_id = created["case"]["id"]
    walk(api, case_id, ["employment_contract"])
    before = written()

    response = complete(api, case_id, "coe_application")

    body = assert_refused(response, 409, "field_not_open", cites=(POLICY,))
    assert "Linen supply" in body["message"]
    assert written() == before


# --- The COE validity period ---------------------------------------------------------


def _case_with_expired_coe(world: Any, api: Any) -> int:
    """COE issued four months ago: its three months ended a month ago."""
    case_id = open_case(api, make_person(world))["case"]["id"]
    walk(
        api,
        case_id,
        ["employment_contract", "coe_application", "coe_decision"],
        [ago(months=6), ago(months=5), ago(months=4)],
    )
    return case_id


def test_an_expired_coe_refuses_the_steps_it_applies_to(world, api):
    case_id = _case_with_expired_coe(world, api)
    before = written()

    response = complete(api, case_id, "coe_sent")

    body = assert_refused(response, 409, "deadline_expired", cites=(COE_VALIDITY,))
    assert "COE validity" in body["message"]
    assert (ago(months=4) + relativedelta(months=3)).isoformat() in body["message"]
    assert "Certificate of Eligibility (COE) application" in body["message"]
    assert written() == before


def test_the_visa_application_after_the_coe_expired_is_refused(world, api):
    case_id = _case_with_expired_coe(world, api)
    # Sent while the COE was valid, recorded late: allowed, it happened in time.
    walk(api, case_id, ["coe_sent"], [ago(months=4) + relativedelta(days=2)])
    before = written()

    response = complete(api, case_id, "visa_application")

    assert_refused(response, 409, "deadline_expired", cites=(COE_VALIDITY,))
    assert written() == before


def test_an_expired_coe_is_shown_with_the_application_to_redo(world, api):
    case_id = _case_with_expired_coe(world, api)

    detail = api("hana").get(f"/cases/{case_id}").json()

    (deadline,) = [d for d in detail["deadlines"] if d["key"] == "coe_validity"]
    assert deadline["expired"] is True
    assert deadline["met"] is False
    assert deadline["due_on"] == (ago(months=4) + relativedelta(months=3)).isoformat()
    actions = {a["step"]: a for a in detail["next_actions"]}
    assert actions["coe_application"]["redo"] is True
    assert actions["coe_application"]["status"] == "redo"
    assert actions["coe_sent"]["status"] == "blocked"
    assert [b["code"] for b in actions["coe_sent"]["blockers"]] == ["deadline_expired"]
    steps = {s["key"]: s for s in detail["steps"]}
    assert steps["coe_sent"]["status"] == "blocked"
    assert [b["code"] for b in steps["coe_sent"]["blockers"]] == ["deadline_expired"]


def test_a_new_coe_application_round_makes_coe_sent_available_again(world, api):
    case_id = _case_with_expired_coe(world, api)

    again = complete(api, case_id, "coe_application")
    assert again.status_code == 200, again.json()
    assert again.json()["round"] == 2
    decision = complete(api, case_id, "coe_decision")
    assert decision.status_code == 200, decision.json()
    assert decision.json()["round"] == 2

    detail = api("hana").get(f"/cases/{case_id}").json()
    actions = {a["step"]: a for a in detail["next_actions"]}
    assert actions["coe_sent"]["status"] == "available"
    assert actions["coe_sent"]["can_complete"] is True
    assert [d["expired"] for d in detail["deadlines"] if d["key"] == "coe_validity"] == [False]
    sent = complete(api, case_id, "coe_sent")
    assert sent.status_code == 200, sent.json()


# --- Unlicensed placement (R-P4) -----------------------------------------------------


def _provide_candidates(world: Any, api: Any, selected: bool) -> tuple[int, Any]:
    case_id = open_case(api, make_person(world), pattern="via_agency", agency=world.agency)["case"][
        "id"
    ]
    walk(api, case_id, ["agency_recruitment_contract"])
    response = complete(api, case_id, "candidates_provided", selected_by_agency=selected)
    assert response.status_code == 200, response.json()
    return case_id, response.json()


def test_an_agency_selecting_without_a_licence_is_flagged(world, api):
    case_id, body = _provide_candidates(world, api, selected=True)

    (flag,) = body["flags"]
    assert flag["code"] == "unlicensed_placement"
    assert_sentence(flag["message"], flag["code"])
    assert "Ala-Too Bridge" in flag["message"]
    assert flag["source_ref"] == f"{SEED_002} 3(2)※"
    assert flag["source"].startswith("Procedure for accepting Kyrgyz nationals")
    row = CaseFlag.objects.get(case_id=case_id)
    assert (row.code, row.step_key, row.cleared_at) == (
        "unlicensed_placement",
        "candidates_provided",
        None,
    )
    assert CaseEvent.objects.filter(case_id=case_id, kind="flag_raised").count() == 1
    detail = api("hana").get(f"/cases/{case_id}").json()
    assert [(f["code"], f["step_key"]) for f in detail["flags"]] == [
        ("unlicensed_placement", "candidates_provided")
    ]
    assert_sentence(detail["flags"][0]["message"], "unlicensed_placement")


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "flagged"),
    [(-365, 365, False), (-365, None, False), (-365, -1, True), (1, None, True)],
    ids=["valid", "open-ended", "expired", "not-yet-valid"],
)
def test_a_placement_licence_valid_today_avoids_the_flag(
    world, api, valid_from, valid_until, flagged
):
    PlacementLicence.objects.create(
        holder=world.agency,
        licence_number="13-ユ-300000",
        valid_from=today() + datetime.timedelta(days=valid_from),
        valid_until=None if valid_until is None else today() + datetime.timedelta(days=valid_until),
        countries=["KG"],
    )

    case_id, body = _provide_candidates(world, api, selected=True)

    assert [f["code"] for f in body["flags"]] == (["unlicensed_placement"] if flagged else [])
    assert CaseFlag.objects.filter(case_id=case_id).exists() is flagged


def test_candidates_not_selected_by_the_agency_raise_no_flag(world, api):
    case_id, body = _provide_candidates(world, api, selected=False)

    assert body["flags"] == []
    assert not CaseFlag.objects.filter(case_id=case_id).exists()


# --- A refused COE closes the case ---------------------------------------------------


def test_a_refused_coe_closes_the_case(world, api):
    case_id = open_case(api, make_person(world))["case"]["id"]
    walk(api, case_id, ["employment_contract", "coe_application"])
    refused = complete(api, case_id, "coe_decision", outcome="refused")
    assert refused.status_code == 200, refused.json()
    assert refused.json()["case"]["status"] == "refused"
    assert refused.json()["case"]["next_actions"] == []
    before = written()

    for step in ["coe_sent", "coe_decision", "employment_contract"]:
        response = complete(api, case_id, step)

        body = assert_refused(response, 409, "case_closed", cites=(SEED_002,))
        assert "refused" in body["message"].lower()
    assert written() == before
    assert Case.objects.get(pk=case_id).closed_at is not None


# --- Invalid evidence ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "drop", "code", "field"),
    [
        ({}, "signed_on", "required", "signed_on"),
        ({"signed_on": ""}, None, "required", "signed_on"),
        ({}, "monthly_wage_jpy", "required", "monthly_wage_jpy"),
        ({"signed_on": "2026-02-30"}, None, "invalid_date", "signed_on"),
        ({"signed_on": "23/11/2026"}, None, "invalid_date", "signed_on"),
        ({"signed_on": "tomorrow"}, None, "date_in_future", "signed_on"),
        ({"colour": "red"}, None, "unknown_field", "colour"),
        ({"contract_language": "ja_xx"}, None, "invalid_choice", "contract_language"),
        ({"monthly_wage_jpy": "lots"}, None, "invalid_integer", "monthly_wage_jpy"),
        ({"monthly_wage_jpy": 0}, None, "out_of_range", "monthly_wage_jpy"),
        ({"work_starts_on": "soon"}, None, "invalid_date", "work_starts_on"),
    ],
    ids=[
        "missing-date",
        "blank-date",
        "missing-wage",
        "no-such-day",
        "not-iso",
        "future",
        "unknown-field",
        "bad-choice",
        "not-a-number",
        "out-of-range",
        "optional-bad-date",
    ],
)
def test_invalid_evidence_names_the_field(world, api, changes, drop, code, field):
    case_id = open_case(api, make_person(world))["case"]["id"]
    evidence = {**evidence_for("employment_contract"), **changes}
    if evidence.get("signed_on") == "tomorrow":
        evidence["signed_on"] = (today() + datetime.timedelta(days=1)).isoformat()
    if drop:
        del evidence[drop]
    before = written()

    response = api("hana").post(
        f"/cases/{case_id}/steps/employment_contract/complete", {"evidence": evidence}
    )

    body = assert_refused(response, 422, code, field=field)
    assert [p["field"] for p in body["problems"]] == [field]
    assert written() == before


def test_a_date_before_the_previous_step_is_invalid(world, api):
    case_id = open_case(api, make_person(world))["case"]["id"]
    walk(api, case_id, ["employment_contract"], [ago(days=10)])
    before = written()

    response = complete(api, case_id, "coe_application", ago(days=11))

    body = assert_refused(response, 422, "before_prerequisite", field="filed_on")
    assert ago(days=10).isoformat() in body["problems"][0]["message"]
    assert written() == before


def test_every_bad_field_is_reported_at_once(world, api):
    case_id = open_case(api, make_person(world))["case"]["id"]
    before = written()

    response = api("hana").post(
        f"/cases/{case_id}/steps/employment_contract/complete",
        {"evidence": {"signed_on": "x", "contract_language": "fr", "extra": 1}},
    )

    body = assert_refused(response, 422, "invalid_date", field="signed_on")
    assert {(p["code"], p["field"]) for p in body["problems"]} == {
        ("invalid_date", "signed_on"),
        ("invalid_choice", "contract_language"),
        ("required", "monthly_wage_jpy"),
        ("required", "monthly_hours"),
        ("unknown_field", "extra"),
    }
    assert written() == before


# --- The person, the pattern and the field at creation --------------------------------


@pytest.mark.parametrize(
    ("fields", "pattern", "code"),
    [
        ({"current_country": "JP"}, "direct", "person_in_japan"),
        ({"current_country": "JP"}, "via_center", "person_in_japan"),
        ({"current_country": "KG"}, "change_of_status", "person_not_in_japan"),
        ({"nationality": "UZ"}, "direct", "nationality_mismatch"),
    ],
)
def test_the_pattern_must_fit_the_person(world, api, fields, pattern, code):
    person = make_person(world, **fields)
    before = written()

    response = create(api, person, pattern)

    assert_refused(response, 409, code, cites=(SEED_002,))
    assert written() == before


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"business_category": "building_cleaning"}, "category_not_in_field", "business_category"),
        ({"business_category": "no_such_category"}, "not_found", "business_category"),
        ({"field": "no_such_field"}, "not_found", "field"),
        ({"pattern": "by_carrier_pigeon"}, "unknown_pattern", "pattern"),
    ],
)
def test_invalid_case_input_names_the_field(world, api, changes, code, field):
    person = make_person(world)
    payload = {"person_id": person.pk, "field": "care", "business_category": "care"}
    before = written()

    response = api("hana").post("/cases", {**payload, "pattern": "direct", **changes})

    assert_refused(response, 422, code, field=field)
    assert written() == before


@pytest.mark.parametrize("step", ["no_such_step", "center_registration"])
def test_a_step_not_in_the_pattern_is_not_found(world, api, step):
    case_id = open_case(api, make_person(world))["case"]["id"]
    before = written()

    response = api("hana").post(
        f"/cases/{case_id}/steps/{step}/complete", {"evidence": {"registered_on": "2026-01-01"}}
    )

    assert_refused(response, 404, "not_found")
    assert written() == before


# --- Language ------------------------------------------------------------------------


def test_a_refusal_in_japanese_keeps_its_code_and_message(world, api):
    case_id = open_case(api, make_person(world))["case"]["id"]
    before = written()

    response = api("hana", language="ja").post(
        f"/cases/{case_id}/steps/coe_application/complete",
        {"evidence": evidence_for("coe_application")},
    )

    body = response.json()
    assert response.status_code == 409, body
    assert body["code"] == "prerequisite_missing"
    assert body["message"].strip()
    assert body["message"] != body["code"]
    assert "%(" not in body["message"]
    assert SEED_002 in body["problems"][0]["source_ref"]
    assert written() == before
