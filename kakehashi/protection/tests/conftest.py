"""Shared set-up for the protective core's tests: a case of the care home through the
certified agency, with an eligible candidate."""

from __future__ import annotations

from typing import Any

import pytest

from kakehashi.access import Actor
from kakehashi.cases import services as case_services
from kakehashi.cases.models import Case
from kakehashi.cases.tests.helpers import evidence_for
from kakehashi.testing.documents import required_uploads
from kakehashi.testing.factories import PersonFactory, make_eligible


@pytest.fixture
def agency_case(world: Any) -> Case:
    person = PersonFactory(created_by_organization=world.care_home, family_name="TESTOVA")
    make_eligible(person, "care")
    return case_services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="via_agency",
        sending_agency_id=world.agency.pk,
    ).case


def record(world: Any, case: Case, step: str, who: str = "hana", **changes: Any) -> Any:
    return case_services.case_complete_step(
        actor=Actor.of(world.user(who)),
        case_id=case.pk,
        step_key=step,
        evidence={**evidence_for(step), **changes},
        documents=required_uploads(case, step, {**evidence_for(step), **changes}),
    )


def up_to_coe(world: Any, case: Case, **contract: Any) -> None:
    """Record the steps before the COE application; `contract` adds to the employment
    contract's evidence (e.g. the prohibited-terms checklist)."""
    record(world, case, "agency_recruitment_contract")
    record(world, case, "candidates_provided", "bakyt")
    record(world, case, "employment_contract", **contract)
