"""Writes for persons (candidates and workers) and their test results."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import (
    may_add_test_results,
    may_manage_person,
    person_registering_organization,
)
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.core.errors import InvalidInput, NotAllowed, Problem
from kakehashi.procedures.registry import ssw_rules
from kakehashi.reference.models import BusinessCategory

from .models import Person, Presentation, TestKind, TestResult
from .selectors import person_get_for_user

COUNTRY = re.compile(r"^[A-Z]{2}$")
PERSON_FIELDS = (
    "family_name",
    "given_names",
    "native_name",
    "nationality",
    "date_of_birth",
    "passport_number",
    "passport_expiry",
    "current_country",
    "current_status_of_residence",
    "email",
    "phone",
)


def _registering_organization(actor: Actor) -> Organization:
    organization = person_registering_organization(actor)
    if organization is None:
        raise NotAllowed(_("Your organization cannot register persons."))
    return organization


def _as_date(
    value: Any, name: str, problems: list[Problem], required: bool
) -> datetime.date | None:
    if value in (None, ""):
        if required:
            problems.append(Problem("required", _("This field is required."), field=name))
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        problems.append(Problem("invalid_date", _("Not a date; use YYYY-MM-DD."), field=name))
        return None


def _clean_person(data: dict[str, Any]) -> dict[str, Any]:
    problems: list[Problem] = []
    cleaned: dict[str, Any] = {}
    for name in PERSON_FIELDS:
        value = data.get(name)
        if name in ("date_of_birth", "passport_expiry"):
            cleaned[name] = _as_date(value, name, problems, required=name == "date_of_birth")
            continue
        text = str(value or "").strip()
        max_length = getattr(Person._meta.get_field(name), "max_length", None) or 0
        if name in ("family_name", "given_names", "nationality", "current_country") and not text:
            problems.append(Problem("required", _("This field is required."), field=name))
        elif max_length and len(text) > max_length:
            problems.append(
                Problem(
                    "too_long", _("At most %(max)s characters.") % {"max": max_length}, field=name
                )
            )
        if name in ("nationality", "current_country") and text:
            text = text.upper()
            if not COUNTRY.match(text):
                problems.append(
                    Problem(
                        "invalid_country",
                        _("Use the two-letter country code (ISO 3166), e.g. KG."),
                        field=name,
                    )
                )
        if name == "passport_number":
            text = text.upper().replace(" ", "")
            if text and not re.fullmatch(r"[A-Z0-9]{5,20}", text):
                problems.append(
                    Problem(
                        "invalid_passport_number",
                        _("Letters and digits only, 5 to 20 characters."),
                        field=name,
                    )
                )
        cleaned[name] = text
    today = timezone.localdate()
    born = cleaned.get("date_of_birth")
    if born and born > today:
        problems.append(
            Problem(
                "date_in_future",
                _("The date of birth cannot be in the future."),
                field="date_of_birth",
            )
        )
    expiry = cleaned.get("passport_expiry")
    if born and expiry and expiry <= born:
        problems.append(
            Problem(
                "before_birth",
                _("The passport expiry must be after the date of birth."),
                field="passport_expiry",
            )
        )
    if cleaned.get("current_country") != "JP" and cleaned.get("current_status_of_residence"):
        problems.append(
            Problem(
                "status_outside_japan",
                _("A status of residence applies only to a person living in Japan."),
                field="current_status_of_residence",
            )
        )
    if problems:
        raise InvalidInput(problems)
    return cleaned


@transaction.atomic
def person_create(*, actor: Actor, data: dict[str, Any]) -> Person:
    """Register a candidate or worker for the actor's organization."""
    organization = _registering_organization(actor)
    return Person.objects.create(created_by_organization=organization, **_clean_person(data))


@transaction.atomic
def person_update(*, actor: Actor, person_id: int, data: dict[str, Any]) -> Person:
    """Change a person's record. Only the organization that registered them may."""
    person = person_get_for_user(actor, person_id)
    if not may_manage_person(actor, person):
        raise NotAllowed(
            _("Only the organization that registered this person can change the record.")
        )
    merged = {name: getattr(person, name) for name in PERSON_FIELDS} | data
    for name, value in _clean_person(merged).items():
        setattr(person, name, value)
    person.save()
    return person


def _test_code_problems(kind: str, test_code: str, level: str) -> list[Problem]:
    """A Japanese test must be one the SSW rules know (jp_ssw_rules.yaml), with one of its
    levels; a skill test must not carry a Japanese test's code."""
    rules = ssw_rules()
    known = {
        t.code: t
        for t in (*rules.japanese_tests, *(t for ts in rules.field_tests.values() for t in ts))
    }
    if kind == TestKind.JAPANESE:
        test = known.get(test_code)
        if test is None:
            return [
                Problem(
                    "invalid_choice",
                    _("Unknown Japanese test; use one of: %(codes)s.")
                    % {"codes": ", ".join(known)},
                    field="test_code",
                )
            ]
        if test.levels and level not in test.levels:
            return [
                Problem(
                    "invalid_level",
                    _("The level must be one of: %(levels)s.") % {"levels": ", ".join(test.levels)},
                    field="level",
                )
            ]
    elif kind == TestKind.SKILL and test_code in known:
        return [
            Problem(
                "kind_mismatch",
                _("This is a Japanese test; record it with the kind “japanese”."),
                field="test_code",
            )
        ]
    return []


@transaction.atomic
def test_result_add(*, actor: Actor, person_id: int, data: dict[str, Any]) -> TestResult:
    """Record a test result: a skill test for a business category, or a Japanese test."""
    person = person_get_for_user(actor, person_id)
    if not may_add_test_results(actor, person):
        raise NotAllowed(
            _("Only staff of an organization working with this person can record test results.")
        )
    problems: list[Problem] = []
    kind = data.get("kind")
    if kind not in TestKind.values:
        problems.append(Problem("invalid_choice", _("Choose skill or japanese."), field="kind"))
    taken_on = _as_date(data.get("taken_on"), "taken_on", problems, required=True)
    if taken_on and taken_on > timezone.localdate():
        problems.append(
            Problem("date_in_future", _("The date cannot be in the future."), field="taken_on")
        )
    category = None
    code = str(data.get("business_category") or "")
    if kind == TestKind.SKILL:
        category = BusinessCategory.objects.filter(code=code).first()
        if category is None:
            problems.append(
                Problem(
                    "required",
                    _("A skill test needs its business category."),
                    field="business_category",
                )
            )
    test_code = str(data.get("test_code") or ("skill" if kind == TestKind.SKILL else "")).strip()
    if not test_code:
        problems.append(Problem("required", _("This field is required."), field="test_code"))
    level = str(data.get("level") or "").strip()
    problems += _test_code_problems(str(kind), test_code, level)
    if not isinstance(data.get("passed"), bool):
        problems.append(Problem("required", _("Say whether the test was passed."), field="passed"))
    if problems:
        raise InvalidInput(problems)
    assert taken_on is not None
    return TestResult.objects.create(
        person=person,
        kind=str(kind),
        test_code=test_code,
        business_category=category,
        level=level,
        passed=data["passed"],
        taken_on=taken_on,
        certificate_number=str(data.get("certificate_number") or "").strip(),
    )


@transaction.atomic
def person_present(*, actor: Actor, person_id: int, organization_id: int) -> Presentation:
    """Give a person's information to a receiving organization (seed 002 3(2)), so that it
    can see them and open a case. Only the organization that registered the person may;
    presenting twice changes nothing."""
    person = person_get_for_user(actor, person_id)
    if not may_manage_person(actor, person):
        raise NotAllowed(_("Only the organization that registered this person can present them."))
    target = Organization.objects.filter(
        pk=organization_id, kind=OrganizationKind.RECEIVING_ORGANIZATION
    ).first()
    if target is None:
        raise InvalidInput(
            [Problem("not_found", _("No such receiving organization."), field="organization_id")]
        )
    presentation, _created = Presentation.objects.get_or_create(
        person=person,
        organization=target,
        defaults={
            "presented_by": actor.user,
            "presented_by_organization": person.created_by_organization,
        },
    )
    return presentation
