"""Persons (candidates and workers) and their test results."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from kakehashi.access import request_actor
from kakehashi.audit import log as audit_log
from kakehashi.core.pagination import page_by_id
from kakehashi.core.schemas import Day, Limit

from . import services
from .inputs import PersonChanges, PersonData, TestResultData
from .models import Person, Presentation, TestResult
from .selectors import person_get_for_user, person_list

router = Router(tags=["persons"])


class TestResultOut(Schema):
    id: int
    kind: str
    test_code: str
    business_category: str | None
    level: str
    passed: bool
    taken_on: datetime.date
    certificate_number: str
    entered_by_organization_id: int | None
    verification: str
    verified_at: datetime.datetime | None
    verification_basis: str

    @staticmethod
    def resolve_business_category(obj: TestResult) -> str | None:
        return obj.business_category.code if obj.business_category else None


class PersonSummary(Schema):
    id: int
    family_name: str
    given_names: str
    native_name: str
    nationality: str
    date_of_birth: datetime.date
    current_country: str


class PersonOut(PersonSummary):
    passport_number: str = Field(
        description="Masked (all but the last three characters); the full number from "
        "GET /persons/{id}/identifiers, for those who may see it."
    )
    passport_expiry: datetime.date | None
    current_status_of_residence: str
    email: str
    phone: str
    created_by_organization_id: int
    test_results: list[TestResultOut]

    @staticmethod
    def resolve_passport_number(obj: Person) -> str:
        return obj.passport_masked

    @staticmethod
    def resolve_test_results(obj: Person) -> list[TestResult]:
        return list(obj.test_results.select_related("business_category"))


class PersonIn(Schema):
    """A person to register. Countries are ISO 3166-1 alpha-2 codes (KG, JP…). `mrz`, if
    given, is the passport's machine-readable zone (two lines of 44 characters): its check
    digits are verified and what it says must match the record."""

    family_name: str
    given_names: str
    native_name: str = ""
    nationality: str
    date_of_birth: Day
    passport_number: str = ""
    passport_expiry: Day | None = None
    current_country: str
    current_status_of_residence: str = ""
    email: str = ""
    phone: str = ""
    mrz: str = ""


class PersonPatch(Schema):
    family_name: str | None = None
    given_names: str | None = None
    native_name: str | None = None
    nationality: str | None = None
    date_of_birth: Day | None = None
    passport_number: str | None = None
    passport_expiry: Day | None = None
    current_country: str | None = None
    current_status_of_residence: str | None = None
    email: str | None = None
    phone: str | None = None
    mrz: str | None = None


class TestResultIn(Schema):
    kind: str
    test_code: str = ""
    business_category: str | None = None
    level: str = ""
    passed: bool
    taken_on: Day
    certificate_number: str = ""


class PersonPage(Schema):
    items: list[PersonSummary]
    next_cursor: str | None


@router.get("", response=PersonPage)
def list_persons(
    request: HttpRequest, search: str | None = None, limit: Limit = 50, cursor: str | None = None
) -> dict[str, Any]:
    items, next_cursor = page_by_id(
        person_list(request_actor(request), search), limit=limit, cursor=cursor
    )
    return {"items": items, "next_cursor": next_cursor}


@router.post("", response={201: PersonOut})
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    data = PersonData.from_mapping(payload.dict())
    return Status(201, services.person_create(actor=request_actor(request), data=data))


@router.get("/{person_id}", response=PersonOut)
def get_person(request: HttpRequest, person_id: int) -> Person:
    person = person_get_for_user(request_actor(request), person_id)
    audit_log.record_read(person, fields=services.PERSON_FIELDS)
    return person


class IdentifiersOut(Schema):
    passport_number: str


@router.get("/{person_id}/identifiers", response=IdentifiersOut)
def get_identifiers(request: HttpRequest, person_id: int) -> dict[str, str]:
    """The person's identifiers in full: for the person, the registering organization, their
    employers and support organizations, and Japan's contact point; 404 for others. Each
    call is written to the audit log."""
    person = services.person_identifiers(actor=request_actor(request), person_id=person_id)
    return {"passport_number": person.passport_number}


@router.patch("/{person_id}", response=PersonOut)
def update_person(request: HttpRequest, person_id: int, payload: PersonPatch) -> Person:
    changes = cast(PersonChanges, payload.dict(exclude_unset=True))
    return services.person_update(
        actor=request_actor(request), person_id=person_id, changes=changes
    )


@router.post("/{person_id}/test-results", response={201: TestResultOut})
def add_test_result(
    request: HttpRequest, person_id: int, payload: TestResultIn
) -> Status[TestResult]:
    result = services.test_result_add(
        actor=request_actor(request), person_id=person_id, data=TestResultData(**payload.dict())
    )
    return Status(201, result)


class VerificationIn(Schema):
    basis: str


@router.post("/{person_id}/test-results/{result_id}/confirmation", response=TestResultOut)
def confirm_test_result(
    request: HttpRequest, person_id: int, result_id: int, payload: VerificationIn
) -> TestResult:
    """A contact point confirms, with the test body, a result a sending agency entered for
    its own candidate (MOC §5). Until then the result does not count."""
    return services.test_result_verify(
        actor=request_actor(request), person_id=person_id, result_id=result_id, basis=payload.basis
    )


class PresentationIn(Schema):
    organization_id: int


class PresentationOut(Schema):
    person_id: int
    organization_id: int
    presented_by_organization_id: int
    presented_at: datetime.datetime


@router.post("/{person_id}/presentations", response={201: PresentationOut})
def present_person(
    request: HttpRequest, person_id: int, payload: PresentationIn
) -> Status[Presentation]:
    """Present the person to a receiving organization: an agency's job-seeker (ISA procedure
    for Kyrgyz nationals, 3(2))."""
    presentation = services.person_present(
        actor=request_actor(request),
        person_id=person_id,
        organization_id=payload.organization_id,
    )
    return Status(201, presentation)
