"""Gather the engine's facts (kakehashi.procedures.facts) from the database."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from kakehashi.accounts.models import Organization
from kakehashi.people.models import Person, TestResult, Verification
from kakehashi.procedures.facts import (
    AgencyFacts,
    CaseFacts,
    CertificationDecision,
    Completion,
    ExemptionFact,
    FieldFacts,
    Licence,
    MinimumWage,
    Period,
    PersonFacts,
    TestFact,
    WorkplaceFacts,
)
from kakehashi.protection.selectors import fraud_holds
from kakehashi.reference import minimum_wages
from kakehashi.reference.models import BusinessCategory, Field
from kakehashi.registries.models import (
    AgencyCertificationDecision,
    FieldSuspension,
    PlacementLicence,
)

from .models import Case


def _test_status(result: TestResult, holds: dict[int, str]) -> str:
    """Whether a result counts: not under a test-fraud report (moc_kg §5), and confirmed by a
    contact point if its own sending agency entered it (docs/adr/0017)."""
    if result.pk in holds:
        return holds[result.pk]
    return "unverified" if result.verification == Verification.PENDING else "counts"


def person_facts(person: Person) -> PersonFacts:
    results = list(person.test_results.select_related("business_category"))
    holds = fraud_holds(r.pk for r in results)
    tests = tuple(
        TestFact(
            kind=t.kind,
            test_code=t.test_code,
            passed=t.passed,
            taken_on=t.taken_on,
            category=t.business_category.code if t.business_category else None,
            level=t.level,
            status=_test_status(t, holds),
        )
        for t in results
    )
    exemptions = tuple(
        ExemptionFact(kind=e.kind, field=e.field.code)
        for e in person.exemptions.select_related("field")
    )
    return PersonFacts(
        date_of_birth=person.date_of_birth,
        nationality=person.nationality,
        current_country=person.current_country,
        tests=tests,
        exemptions=exemptions,
    )


def field_facts(field: Field, category: BusinessCategory) -> FieldFacts:
    suspensions = tuple(
        Period(starts_on=s.starts_on, ends_on=s.ends_on, note=s.reason)
        for s in FieldSuspension.objects.filter(field=field)
    )
    return FieldFacts(
        code=field.code,
        category=category.code,
        open_from=field.ssw1_open_from,
        open_until=field.ssw1_open_until,
        category_from=category.effective_from,
        category_until=category.effective_until,
        suspensions=suspensions,
    )


def agency_facts(agency: Organization | None, destination: str = "JP") -> AgencyFacts | None:
    if agency is None:
        return None
    decisions = tuple(
        CertificationDecision(
            action=d.action, effective_on=d.effective_on, valid_until=d.valid_until, reason=d.reason
        )
        for d in AgencyCertificationDecision.objects.filter(
            agency=agency, destination_country=destination
        )
    )
    licences = tuple(
        Licence(
            period=Period(
                starts_on=lic.valid_from, ends_on=lic.valid_until, note=lic.licence_number
            ),
            countries=tuple(lic.countries),
        )
        for lic in PlacementLicence.objects.filter(holder=agency)
    )
    return AgencyFacts(name=agency.name_en, decisions=decisions, placement_licences=licences)


# Facts about the workplace that apps built on cases provide (the hub: whether the city
# holds the employer's cooperation confirmation). Registered when the app starts, like the
# registry hooks (docs/adr/0011).
WorkplaceFactProvider = Callable[[Organization], dict[str, Any]]
_workplace_providers: dict[str, WorkplaceFactProvider] = {}


def provide_workplace_facts(name: str, provider: WorkplaceFactProvider) -> None:
    _workplace_providers[name] = provider


def workplace_facts(organization: Organization) -> WorkplaceFacts:
    """The receiving organization's prefecture and its minimum wages on record, and what the
    registered providers add."""
    figures = minimum_wages.for_prefecture(organization.prefecture)
    extra: dict[str, Any] = {}
    for provider in _workplace_providers.values():
        extra.update(provider(organization))
    return WorkplaceFacts(
        prefecture=organization.prefecture,
        minimum_wages=tuple(
            MinimumWage(f.effective_from, f.hourly_yen, f"{f.source}") for f in figures
        ),
        **extra,
    )


def case_facts(case: Case, today: datetime.date) -> CaseFacts:
    completions = tuple(
        Completion(
            step_key=s.step_key,
            round=s.round,
            seq=s.pk,
            happened_on=s.happened_on,
            evidence=s.evidence,
            voided=s.voided_at is not None,
        )
        for s in case.steps.all()
    )
    return CaseFacts(
        pattern=case.pattern,
        today=today,
        person=person_facts(case.person),
        field=field_facts(case.field, case.business_category),
        agency=agency_facts(case.sending_agency),
        status=case.status,
        completions=completions,
        country=case.country,
        workplace=workplace_facts(case.receiving_organization),
    )
