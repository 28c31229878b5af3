"""Writes for persons (candidates and workers) and their test results. Each write checks
who acts (kakehashi.access), validates the typed input (people/checks.py) and, for a
person's record, writes a PersonEvent saying who changed what, in one transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import (
    may_add_test_results,
    may_manage_person,
    person_registering_organization,
    sees_identifiers,
    test_result_entering_organization,
    test_result_verifier,
)
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.audit import log as audit_log
from kakehashi.core import crypto, validation
from kakehashi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound, Problem
from kakehashi.procedures.registry import ssw_rules
from kakehashi.reference.models import BusinessCategory

from .checks import clean_person
from .inputs import PersonChanges, PersonData, TestResultData
from .models import (
    IDENTIFIER_FIELDS,
    Person,
    PersonEvent,
    PersonEventKind,
    Presentation,
    TestKind,
    TestResult,
    Verification,
)
from .selectors import person_get_for_user, persons_visible_to

# The fields of a person's record (PersonData without the MRZ, which is checked, not kept).
PERSON_FIELDS = tuple(name for name in PersonData.names() if name != "mrz")


def _registering_organization(actor: Actor) -> Organization:
    organization = person_registering_organization(actor)
    if organization is None:
        raise NotAllowed(_("Your organization cannot register persons."))
    return organization


def _duplicate(actor: Actor, data: PersonData, exclude: int | None) -> Conflict | None:
    """The same passport (number and country), or the same name, date of birth and
    nationality, is the same person: refused, pointing to the record if the actor sees it
    (the registering organization can present the person to others)."""
    # Two lookups, each through its own index (nationality and date of birth; the passport's
    # unique index): one query with OR made the planners walk every person by id.
    lookups = [
        Person.objects.filter(
            nationality=data.nationality,
            date_of_birth=data.date_of_birth,
            family_name__iexact=data.family_name,
            given_names__iexact=data.given_names,
        )
    ]
    if data.passport_number:
        lookups.append(
            Person.objects.filter(
                nationality=data.nationality,
                passport_digest=crypto.digest("passport", data.passport_number),
            ).exclude(passport_digest="")  # the unique index's condition, so it is used
        )
    if exclude is not None:
        lookups = [qs.exclude(pk=exclude) for qs in lookups]
    ids = [pk for qs in lookups for pk in qs.order_by("id").values_list("id", flat=True)[:1]]
    if not ids:
        return None
    existing = Person.objects.get(pk=min(ids))
    visible = persons_visible_to(actor).filter(pk=existing.pk).exists()
    by_passport = bool(data.passport_number) and existing.passport_number == data.passport_number
    field = "passport_number" if by_passport else "family_name"
    if visible:
        message = _(
            "This person is already registered (record %(id)s). Open that record instead of "
            "registering them again."
        ) % {"id": existing.pk}
    else:
        message = _(
            "This person is already registered by another organization. Ask it to present "
            "the person to your organization instead of registering them again."
        )
    return Conflict(
        message,
        code="duplicate_person",
        problems=[Problem("duplicate_person", message, field=field)],
        existing={"person_id": existing.pk} if visible else None,
    )


def _record(
    person: Person, kind: str, actor: Actor, org: Organization | None, changes: dict[str, Any]
) -> None:
    PersonEvent.objects.create(
        person=person, kind=kind, actor=actor.user, organization=org, changes=changes
    )


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


# Identifiers are kept only encrypted: the history says they changed, showing them masked.


def _history(name: str, value: Any) -> Any:
    return crypto.mask(value) if name in IDENTIFIER_FIELDS and value else _json(value)


def person_create(*, actor: Actor, data: PersonData) -> Person:
    """Register a candidate or worker for the actor's organization, unless already
    registered (same passport, or same name, date of birth and nationality)."""
    organization = _registering_organization(actor)
    cleaned = clean_person(data)
    duplicate = _duplicate(actor, cleaned, exclude=None)
    if duplicate is not None:
        raise duplicate
    values = {name: getattr(cleaned, name) for name in PERSON_FIELDS}
    try:
        with transaction.atomic():
            person = Person.objects.create(created_by_organization=organization, **values)
            _record(
                person,
                PersonEventKind.REGISTERED,
                actor,
                organization,
                {name: [None, _history(name, value)] for name, value in values.items() if value},
            )
    except IntegrityError as exc:  # the same passport registered at the same moment
        raise _duplicate(actor, cleaned, exclude=None) or Conflict(
            _("The person could not be registered; try again."), code="conflict"
        ) from exc
    return person


def person_update(*, actor: Actor, person_id: int, changes: PersonChanges) -> Person:
    """Change a person's record. Only the organization that registered them may. The row
    is locked while the change is made, so that two clerks changing it at once do not
    overwrite each other; the event records who changed which field from what to what."""
    visible = person_get_for_user(actor, person_id)
    if not may_manage_person(actor, visible):
        raise NotAllowed(
            _("Only the organization that registered this person can change the record.")
        )
    try:
        with transaction.atomic():
            person = Person.objects.select_for_update().get(pk=visible.pk)
            if person.anonymised_at is not None:
                raise Conflict(
                    _("This record was anonymised: it can no longer be changed."),
                    code="anonymised",
                )
            current = {name: getattr(person, name) for name in PERSON_FIELDS}
            cleaned = clean_person(PersonData(**{**current, "mrz": "", **changes}))
            duplicate = _duplicate(actor, cleaned, exclude=person.pk)
            if duplicate is not None:
                raise duplicate
            changed = {
                name: [_history(name, current[name]), _history(name, getattr(cleaned, name))]
                for name in PERSON_FIELDS
                if getattr(cleaned, name) != current[name]
            }
            for name in changed:
                setattr(person, name, getattr(cleaned, name))
            if changed:
                person.save()
                org = actor.acts_for(person.created_by_organization_id)
                _record(person, PersonEventKind.CHANGED, actor, org, changed)
    except IntegrityError as exc:
        raise Conflict(
            _("This passport number is already registered for another person."),
            code="duplicate_person",
            problems=[
                Problem(
                    "duplicate_person",
                    _("This passport number is already registered for another person."),
                    field="passport_number",
                )
            ],
        ) from exc
    return person


def person_identifiers(*, actor: Actor, person_id: int) -> Person:
    """The person, to be shown with their identifiers in full: only to those the policy
    lets see them (others: not found), and each time written to the audit log."""
    person = person_get_for_user(actor, person_id)
    if not sees_identifiers(actor, person):
        raise NotFound("person")
    audit_log.record_reveal(person, "passport_number")
    return person


def identifiers_rotate(batch: int = 1000) -> int:
    """Every stored passport number, re-encrypted with the newest key and its digest
    recomputed (a new IDENTIFIER_HASH_KEY takes effect too). Returns how many."""
    count = 0
    people = Person.objects.exclude(passport_number="").only("pk", "passport_number")
    for person in people.iterator(chunk_size=batch):
        person.save(update_fields=["passport_number"])  # decrypted on read, encrypted anew
        count += 1
    return count


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
def test_result_add(*, actor: Actor, person_id: int, data: TestResultData) -> TestResult:
    """Record a test result: a skill test for a business category, or a Japanese test."""
    person = person_get_for_user(actor, person_id)
    if not may_add_test_results(actor, person):
        raise NotAllowed(
            _("Only staff of an organization working with this person can record test results.")
        )
    problems: list[Problem] = []
    kind = data.kind
    if kind not in TestKind.values:
        problems.append(Problem("invalid_choice", _("Choose skill or japanese."), field="kind"))
    validation.not_in_future(data.taken_on, "taken_on", problems, timezone.localdate())
    category = None
    if kind == TestKind.SKILL:
        category = BusinessCategory.objects.filter(code=data.business_category or "").first()
        if category is None:
            problems.append(
                Problem(
                    "required",
                    _("A skill test needs its business category."),
                    field="business_category",
                )
            )
    test_code = validation.text_field(
        data.test_code or ("skill" if kind == TestKind.SKILL else ""),
        "test_code",
        problems,
        required=True,
        max_length=40,
    )
    level = validation.text_field(data.level, "level", problems, max_length=8)
    number = validation.text_field(
        data.certificate_number, "certificate_number", problems, max_length=60
    )
    problems += _test_code_problems(str(kind), test_code, level)
    if problems:
        raise InvalidInput(problems)
    entering = test_result_entering_organization(actor, person)
    by_agency = entering is not None and entering.kind == OrganizationKind.SENDING_AGENCY
    return TestResult.objects.create(
        person=person,
        kind=str(kind),
        test_code=test_code,
        business_category=category,
        level=level,
        passed=data.passed,
        taken_on=data.taken_on,
        certificate_number=number,
        entered_by=actor.user,
        entered_by_organization=entering,
        entered_at=timezone.now(),
        verification=Verification.PENDING if by_agency else Verification.NOT_NEEDED,
    )


@transaction.atomic
def test_result_verify(*, actor: Actor, person_id: int, result_id: int, basis: str) -> TestResult:
    """A contact point confirms, with the test body, a result a sending agency entered for
    its own candidate; until then it does not count (moc_kg §5; docs/adr/0017)."""
    result = (
        TestResult.objects.select_for_update()
        .filter(pk=result_id, person_id=person_id, person__in=persons_visible_to(actor))
        .select_related("person")
        .first()
    )
    if result is None:
        raise NotFound("test result")
    organization = test_result_verifier(actor, result.person.nationality)
    if organization is None:
        raise NotAllowed(_("Only a contact point confirms a test result with the test body."))
    problems: list[Problem] = []
    basis = validation.text_field(basis, "basis", problems, required=True, max_length=200)
    if problems:
        raise InvalidInput(problems)
    if result.verification != Verification.PENDING:
        raise Conflict(
            _("This result does not await confirmation."), code="not_awaiting_confirmation"
        )
    result.verification = Verification.CONFIRMED
    result.verified_by = actor.required_user
    result.verified_by_organization = organization
    result.verified_at = timezone.now()
    result.verification_basis = basis
    result.save(
        update_fields=[
            "verification",
            "verified_by",
            "verified_by_organization",
            "verified_at",
            "verification_basis",
        ]
    )
    return result


@transaction.atomic
def person_present(*, actor: Actor, person_id: int, organization_id: int) -> Presentation:
    """Give a person's information to a receiving organization (isa_kg_flow 3(2)), so that
    it can see them and open a case. Only the organization that registered the person may;
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
            "presented_by": actor.required_user,
            "presented_by_organization": person.created_by_organization,
        },
    )
    return presentation


def person_present_by_consent(
    *, person: Person, organization: Organization, by: Any
) -> Presentation:
    """Present a pool candidate who consented to be presented (hub matching, R-H1) to the
    employer whose need they match. The caller (hub.services) has checked the consent and
    that `by` acts for the employer; the presentation is recorded as the registering
    institution's, on the candidate's consent."""
    presentation, _created = Presentation.objects.get_or_create(
        person=person,
        organization=organization,
        defaults={"presented_by": by, "presented_by_organization": person.created_by_organization},
    )
    return presentation
