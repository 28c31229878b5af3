"""Terse builders for the engine's input facts.

`facts("direct", done=[("employment_contract", "2026-09-01"), ...])` builds a CaseFacts
whose completions get `seq` in list order and `round` counted per step, so a test only
says what happened and when."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kakehashi.procedures.engine import CompletionCheck, check_completion
from kakehashi.procedures.facts import (
    AgencyFacts,
    CaseFacts,
    CertificationDecision,
    Completion,
    ExemptionFact,
    FieldFacts,
    Period,
    PersonFacts,
    TestFact,
)
from kakehashi.procedures.schema import Definition, SswRules

DEFINITIONS_DIR = Path(__file__).resolve().parents[1] / "definitions"
KG_FILE = DEFINITIONS_DIR / "kg-2023.yaml"

TODAY = datetime.date(2026, 11, 23)
BORN = datetime.date(2000, 1, 1)
CATEGORY = "manufacturing_machining"

DateLike = datetime.date | str


def d(value: DateLike) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


# --- People and their tests ------------------------------------------------------------


def skill(
    category: str = CATEGORY, taken_on: DateLike = "2025-06-01", passed: bool = True
) -> TestFact:
    return TestFact(
        kind="skill", test_code="skill", passed=passed, taken_on=d(taken_on), category=category
    )


def jlpt(level: str = "N4", taken_on: DateLike = "2025-07-01", passed: bool = True) -> TestFact:
    return TestFact(
        kind="japanese", test_code="jlpt", passed=passed, taken_on=d(taken_on), level=level
    )


def jft(level: str = "A2", taken_on: DateLike = "2025-07-01", passed: bool = True) -> TestFact:
    return TestFact(
        kind="japanese", test_code="jft_basic", passed=passed, taken_on=d(taken_on), level=level
    )


def care_japanese(taken_on: DateLike = "2025-07-15", passed: bool = True) -> TestFact:
    return TestFact(kind="japanese", test_code="care_japanese", passed=passed, taken_on=d(taken_on))


def technical_intern_ii(field_code: str = "manufacturing") -> ExemptionFact:
    return ExemptionFact(kind="technical_intern_ii", field=field_code)


def person(
    *,
    born: DateLike = BORN,
    nationality: str = "KG",
    country: str = "KG",
    tests: Iterable[TestFact] | None = None,
    exemptions: Iterable[ExemptionFact] = (),
) -> PersonFacts:
    return PersonFacts(
        date_of_birth=d(born),
        nationality=nationality,
        current_country=country,
        tests=tuple(tests) if tests is not None else (skill(), jlpt()),
        exemptions=tuple(exemptions),
    )


def care_person(**kwargs: Any) -> PersonFacts:
    return person(tests=(skill("care"), jlpt(), care_japanese()), **kwargs)


# --- Fields ----------------------------------------------------------------------------


def period(starts_on: DateLike, ends_on: DateLike | None = None) -> Period:
    return Period(starts_on=d(starts_on), ends_on=d(ends_on) if ends_on is not None else None)


def field(
    code: str = "manufacturing",
    category: str = CATEGORY,
    *,
    open_from: DateLike | None = "2019-04-01",
    open_until: DateLike | None = None,
    category_from: DateLike | None = None,
    category_until: DateLike | None = None,
    suspensions: Iterable[Period] = (),
) -> FieldFacts:
    return FieldFacts(
        code=code,
        category=category,
        open_from=d(open_from) if open_from is not None else None,
        open_until=d(open_until) if open_until is not None else None,
        category_from=d(category_from) if category_from is not None else None,
        category_until=d(category_until) if category_until is not None else None,
        suspensions=tuple(suspensions),
    )


def care_field() -> FieldFacts:
    return field("care", "care")


# --- Sending agencies ------------------------------------------------------------------


def decision(
    action: str, on: DateLike, valid_until: DateLike | None = None
) -> CertificationDecision:
    return CertificationDecision(
        action=action,
        effective_on=d(on),
        valid_until=d(valid_until) if valid_until is not None else None,
    )


def certified(
    on: DateLike = "2024-01-01", until: DateLike | None = "2027-12-31"
) -> CertificationDecision:
    return decision("certified", on, until)


def agency(
    *decisions: CertificationDecision,
    licences: Iterable[Period] = (),
    name: str = "Ala-Too Recruitment",
) -> AgencyFacts:
    return AgencyFacts(
        name=name,
        decisions=decisions if decisions else (certified(),),
        placement_licences=tuple(licences),
    )


# --- Cases -----------------------------------------------------------------------------

_DEFAULT: Any = object()

Done = tuple[str, DateLike] | tuple[str, DateLike, Mapping[str, Any]]


def completions(done: Iterable[Done]) -> tuple[Completion, ...]:
    """Completions in the order given: seq 1, 2, ... and round = nth time for that step."""
    result: list[Completion] = []
    rounds: dict[str, int] = {}
    for seq, entry in enumerate(done, start=1):
        step_key, day = entry[0], d(entry[1])
        evidence = dict(entry[2]) if len(entry) > 2 else evidence_for(step_key, day)
        rounds[step_key] = rounds.get(step_key, 0) + 1
        result.append(
            Completion(
                step_key=step_key,
                round=rounds[step_key],
                seq=seq,
                happened_on=day,
                evidence=evidence,
            )
        )
    return tuple(result)


def facts(
    pattern: str = "direct",
    done: Iterable[Done] = (),
    *,
    today: DateLike = TODAY,
    person: PersonFacts | None = None,
    field: FieldFacts | None = None,
    agency: AgencyFacts | None = _DEFAULT,
    status: str = "open",
) -> CaseFacts:
    """A case. The person lives in KG (in JP for change_of_status); via_agency gets a
    certified agency unless `agency` is given (None: no agency)."""
    if person is None:
        person = _person_for(pattern)
    if agency is _DEFAULT:
        agency = _agency_for(pattern)
    return CaseFacts(
        pattern=pattern,
        today=d(today),
        person=person,
        field=field if field is not None else _field_for(),
        agency=agency,
        status=status,
        completions=completions(done),
    )


def _person_for(pattern: str) -> PersonFacts:
    return person(country="JP" if pattern == "change_of_status" else "KG")


def _agency_for(pattern: str) -> AgencyFacts | None:
    return agency() if pattern == "via_agency" else None


def _field_for() -> FieldFacts:
    return field()


# --- Evidence and actors ---------------------------------------------------------------

# The date field of each step, and valid evidence besides it.
DATE_FIELD = {
    "employment_contract": "signed_on",
    "center_recruitment_contract": "signed_on",
    "job_offer_submitted": "submitted_on",
    "job_offer_published": "published_on",
    "candidate_contact": "contacted_on",
    "agency_recruitment_contract": "signed_on",
    "candidates_provided": "provided_on",
    "center_registration": "registered_on",
    "coe_application": "filed_on",
    "coe_decision": "decided_on",
    "coe_sent": "sent_on",
    "visa_application": "applied_on",
    "visa_decision": "decided_on",
    "landing": "landed_on",
    "change_of_status_application": "filed_on",
    "change_of_status_decision": "decided_on",
}

OTHER_EVIDENCE: dict[str, dict[str, Any]] = {
    "employment_contract": {
        "monthly_wage_jpy": 230000,
        "monthly_hours": 160,
        "contract_language": "ja_ky",
    },
    "center_recruitment_contract": {"contract_number": "CEC-2026-014"},
    "job_offer_submitted": {"positions": 3, "job_title": "Machining operator"},
    "job_offer_published": {"publication_reference": "https://migrant.kg/jobs/123"},
    "candidate_contact": {},
    "agency_recruitment_contract": {"contract_number": "AG-77"},
    "candidates_provided": {"candidates_count": 5, "selected_by_agency": False},
    "center_registration": {"registration_number": "REG-0042"},
    "coe_application": {"bureau": "Nagoya Regional Immigration Services Bureau"},
    "coe_decision": {"outcome": "issued", "coe_number": "C-1"},
    "coe_sent": {"method": "email"},
    "visa_application": {},
    "visa_decision": {"outcome": "issued"},
    "landing": {"port_of_entry": "Narita"},
    "change_of_status_application": {
        "bureau": "Tokyo Regional Immigration Services Bureau",
        "current_status": "Technical Intern Training (ii)",
        "current_period_until": "2027-03-31",
    },
    "change_of_status_decision": {"outcome": "granted"},
}

# Who records each step in these tests (the first role the definition lists).
ACTOR = {
    "job_offer_published": "sending_contact_point",
    "candidates_provided": "sending_agency",
    "center_registration": "sending_contact_point",
}


def evidence_for(step_key: str, day: DateLike, **overrides: Any) -> dict[str, Any]:
    evidence = {DATE_FIELD[step_key]: d(day).isoformat(), **OTHER_EVIDENCE[step_key]}
    evidence.update(overrides)
    return evidence


def actor(step_key: str) -> frozenset[str]:
    return frozenset({ACTOR.get(step_key, "receiving_organization")})


def codes(findings: Iterable[Any]) -> list[str]:
    return [f.code for f in findings]


def attempt(
    definition: Definition,
    rules: SswRules,
    case: CaseFacts,
    step_key: str,
    day: DateLike | None = None,
    *,
    roles: Iterable[str] | None = None,
    evidence: Mapping[str, Any] | None = None,
    **overrides: Any,
) -> CompletionCheck:
    """check_completion by the step's usual actor with valid evidence dated `day`
    (default: the case's today), with `overrides` applied to the evidence."""
    if evidence is None:
        evidence = evidence_for(step_key, day if day is not None else case.today, **overrides)
    return check_completion(
        definition,
        rules,
        case,
        step_key,
        frozenset(roles) if roles is not None else actor(step_key),
        evidence,
    )
