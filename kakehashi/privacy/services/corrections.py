"""A worker's requests to correct their record (appi 第34条). The worker corrects their phone
and e-mail address themselves (people.workers.worker_contact_update); for every other field
they ask, with the correct value and a note, and the organization that registered them
accepts (the record changes through people.services.person_update, which writes the
history) or refuses with a reason. The value is checked as the person form checks it
(people.forms, people.checks) when it is asked for, and again when it is applied."""

from __future__ import annotations

import re
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from kakehashi.access import Actor
from kakehashi.access.policy import personal_data_organization
from kakehashi.core import crypto, validation
from kakehashi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound, Problem
from kakehashi.people.checks import clean_person
from kakehashi.people.forms import PersonForm
from kakehashi.people.inputs import PersonChanges, PersonData
from kakehashi.people.models import Person
from kakehashi.people.selectors import persons_visible_to
from kakehashi.people.services import PERSON_FIELDS, person_update

from ..models import CORRECTABLE_FIELDS, SEALED_FIELDS, CorrectionRequest, CorrectionStatus
from ..selectors import own_person

COUNTRY_FIELDS = ("nationality", "current_country")


def _country_code(text: str) -> str:
    """A country as the worker may write it: its two-letter code, or its name in their
    language or in English."""
    if re.fullmatch(r"[A-Za-z]{2}", text):
        return text.upper()
    for language in (get_language() or "en", "en"):
        code = countries.by_name(text, language=language[:2])
        if code and isinstance(code, str):
            return code
    return text


def _typed(field: str, value: str) -> tuple[Any, list[Problem]]:
    """The value read as the person form reads that field (its type, length, choices)."""
    text = value.strip()
    if field in COUNTRY_FIELDS:
        text = _country_code(text)
    try:
        return PersonForm().fields[field].clean(text), []
    except ValidationError as error:
        return None, [Problem("invalid_value", str(m), field="value") for m in error.messages]


def _checked(person: Person, field: str, typed: Any) -> tuple[Any, list[Problem]]:
    """The rules of a person's record (people.checks.clean_person) with the correction
    made: only what the correction breaks is refused, on `value`; the value as the record
    would keep it (normalised) is returned."""
    current = {name: getattr(person, name) for name in PERSON_FIELDS}

    def run(values: dict[str, Any]) -> tuple[PersonData | None, list[Problem]]:
        try:
            return clean_person(PersonData(**{**values, "mrz": ""})), []
        except InvalidInput as error:
            return None, list(error.problems)

    _cleaned, before = run(current)
    cleaned, after = run({**current, field: typed})
    known = {(p.code, p.field) for p in before}
    problems = [
        Problem(p.code, p.message, field="value", source=p.source, source_ref=p.source_ref)
        for p in after
        if (p.code, p.field) not in known
    ]
    return (getattr(cleaned, field) if cleaned is not None else typed), problems


def _stored(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value or "")


@transaction.atomic
def correction_request_file(
    *, actor: Actor, field: str, value: str, note: str = ""
) -> CorrectionRequest:
    """The worker asks for a field of their own record to be corrected."""
    person = own_person(actor)
    problems: list[Problem] = []
    if field not in CORRECTABLE_FIELDS:
        problems.append(
            Problem("invalid_choice", _("Choose what to correct from the list."), field="field")
        )
    text = validation.text_field(value, "value", problems, required=True, max_length=200)
    note = validation.text_field(note, "note", problems, max_length=2000)
    if problems:
        raise InvalidInput(problems)
    typed, problems = _typed(field, text)
    if not problems:
        typed, problems = _checked(person, field, typed)
    if not problems and typed == getattr(person, field):
        problems.append(Problem("unchanged", _("Your record already says this."), field="value"))
    if problems:
        raise InvalidInput(problems)
    if CorrectionRequest.objects.filter(
        person=person, field=field, status=CorrectionStatus.OPEN
    ).exists():
        raise Conflict(
            _("You have already asked to correct this; wait for the answer."),
            code="correction_pending",
            problems=[
                Problem(
                    "correction_pending",
                    _("You have already asked to correct this; wait for the answer."),
                    field="field",
                )
            ],
        )
    stored = _stored(typed)
    return CorrectionRequest.objects.create(
        person=person,
        field=field,
        value=crypto.seal(stored) if field in SEALED_FIELDS else stored,
        note=note,
        filed_by=actor.required_user,
    )


@transaction.atomic
def correction_decide(
    *, actor: Actor, correction_id: int, accept: bool, reason: str = ""
) -> CorrectionRequest:
    """The registering organization accepts a correction (the record is changed by the
    person service, with its history row) or refuses it with a reason the worker reads."""
    request = (
        CorrectionRequest.objects.select_for_update()
        .filter(pk=correction_id, person__in=persons_visible_to(actor))
        .select_related("person")
        .first()
    )
    if request is None:
        raise NotFound("correction")
    organization = personal_data_organization(actor, request.person)
    if organization is None:
        raise NotAllowed(
            _("Only the organization that registered this person answers their corrections.")
        )
    if request.status != CorrectionStatus.OPEN:
        raise Conflict(_("This request has already been answered."), code="already_decided")
    problems: list[Problem] = []
    reason = validation.text_field(reason, "reason", problems, required=not accept, max_length=2000)
    if problems:
        raise InvalidInput(problems)
    if accept:
        typed, problems = _typed(request.field, request.clear_value)
        if problems:
            raise InvalidInput(problems)
        changes = cast(PersonChanges, {request.field: typed})
        person_update(actor=actor, person_id=request.person_id, changes=changes)
    request.status = CorrectionStatus.ACCEPTED if accept else CorrectionStatus.REFUSED
    request.refusal_reason = "" if accept else reason
    request.decided_by = actor.required_user
    request.decided_by_organization = organization
    request.decided_at = timezone.now()
    request.save()
    return request
