"""factory-boy factories for tests and benchmarks."""

from __future__ import annotations

import datetime

import factory

from kakehashi.accounts.models import MemberRole, Membership, Organization, OrganizationKind, User
from kakehashi.people.models import Person, TestKind, TestResult
from kakehashi.reference.models import BusinessCategory
from kakehashi.registries.models import AgencyCertificationDecision, CertificationAction


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = OrganizationKind.RECEIVING_ORGANIZATION
    name_en = factory.Sequence(lambda n: f"Organization {n}")
    name_ja = factory.Sequence(lambda n: f"組織{n}")
    country = "JP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = MemberRole.CLERK


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    family_name = factory.Sequence(lambda n: f"TESTOVA{n}")
    given_names = "AIZADA"
    native_name = "Тестова Айзада"
    nationality = "KG"
    date_of_birth = datetime.date(2000, 1, 1)
    passport_number = factory.Sequence(lambda n: f"AC{n:07d}")
    passport_expiry = datetime.date(2032, 1, 1)
    current_country = "KG"
    created_by_organization = factory.SubFactory(OrganizationFactory)


class TestResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TestResult

    person = factory.SubFactory(PersonFactory)
    kind = TestKind.JAPANESE
    test_code = "jlpt"
    level = "N4"
    passed = True
    taken_on = datetime.date(2025, 6, 1)


def make_eligible(person: Person, category_code: str) -> Person:
    """Give a person what SSW(i) asks: a passed skill test for the category and JLPT N4,
    plus the care Japanese test for the care field."""
    category = BusinessCategory.objects.get(code=category_code)
    TestResultFactory(
        person=person, kind=TestKind.SKILL, test_code="skill", level="", business_category=category
    )
    TestResultFactory(person=person, kind=TestKind.JAPANESE, test_code="jlpt", level="N4")
    if category.field.code == "care":
        TestResultFactory(
            person=person, kind=TestKind.JAPANESE, test_code="care_japanese", level=""
        )
    return person


def certify(agency: Organization, on: datetime.date, until: datetime.date | None = None) -> None:
    AgencyCertificationDecision.objects.create(
        agency=agency, action=CertificationAction.CERTIFIED, effective_on=on, valid_until=until
    )
