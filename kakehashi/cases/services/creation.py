"""Opening a case (R-P1, R-P2): under the procedure version in force today (R-P5), for a
person the actor may see, by the receiving organization the actor acts for."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import acting_receiving_organization
from kakehashi.accounts.models import Organization, OrganizationKind, User
from kakehashi.core.errors import Conflict, InvalidInput, Problem, RuleRefused
from kakehashi.people.models import Person
from kakehashi.people.selectors import persons_visible_to
from kakehashi.procedures import registry
from kakehashi.procedures.engine import check_completion, check_creation, evaluate
from kakehashi.procedures.facts import CaseFacts, Completion
from kakehashi.procedures.schema import Definition, SswRules
from kakehashi.reference.models import BusinessCategory, Field

from .. import identifiers, messages
from ..facts import agency_facts, field_facts, person_facts, workplace_facts
from ..models import Case, CaseStatus, CaseStep, EventKind
from .common import raise_flags, record_event, snapshot, sync_derived


@dataclass(frozen=True)
class CarriedStep:
    """A step done before the case existed, recorded with it so that nothing is entered
    twice: a job offer's submission and publication and the candidate's contact (pattern
    2, isa_kg_flow 2(1)–(2)). `role` is the procedure role of `organization`."""

    step_key: str
    role: str
    happened_on: datetime.date
    evidence: dict[str, Any]
    completed_by: User
    organization: Organization


@dataclass
class CreationResult:
    case: Case
    warnings: list[Problem] = field(default_factory=list)
    flags: list[Problem] = field(default_factory=list)


def _lookup(model: Any, field_name: str, problems: list[Problem], **filters: Any) -> Any:
    obj = model.objects.filter(**filters).first()
    if obj is None:
        problems.append(Problem("not_found", _("No such record."), field=field_name))
    return obj


@dataclass(frozen=True)
class _Parties:
    receiving: Organization
    person: Person
    field: Field
    category: BusinessCategory
    agency_id: int | None
    support: Organization | None
    definition: Definition


def _parties(
    actor: Actor,
    *,
    person_id: int,
    field_code: str,
    category_code: str,
    country: str,
    receiving_organization_id: int | None,
    sending_agency_id: int | None,
    support_organization_id: int | None,
    today: datetime.date,
) -> _Parties:
    receiving = acting_receiving_organization(
        actor,
        receiving_organization_id,
        _("Only staff of the receiving organization can open a case for it."),
        field="receiving_organization",
    )
    problems: list[Problem] = []
    person = persons_visible_to(actor).filter(pk=person_id).first() if person_id else None
    if person is None:
        problems.append(Problem("not_found", _("No such person."), field="person"))
    fld = _lookup(Field, "field", problems, code=field_code)
    category = _lookup(BusinessCategory, "business_category", problems, code=category_code)
    if fld is not None and category is not None and category.field_id != fld.pk:
        problems.append(
            Problem(
                "category_not_in_field",
                _("This business category does not belong to the chosen field."),
                field="business_category",
            )
        )
    if sending_agency_id is not None:
        _lookup(
            Organization,
            "sending_agency",
            problems,
            pk=sending_agency_id,
            kind=OrganizationKind.SENDING_AGENCY,
            country=country,
        )
    support = None
    if support_organization_id is not None:
        support = _lookup(
            Organization,
            "support_organization",
            problems,
            pk=support_organization_id,
            kind=OrganizationKind.SUPPORT_ORGANIZATION,
        )
    definition = registry.definition_in_force(country, today)
    if definition is None:
        problems.append(
            Problem(
                "procedure_not_in_force",
                str(messages.MESSAGES["procedure_not_in_force"])
                % {"country": country[:2], "date": today.isoformat()},
                field="country",
            )
        )
    if problems:
        raise InvalidInput(problems)
    assert person is not None
    assert definition is not None
    return _Parties(receiving, person, fld, category, sending_agency_id, support, definition)


def _refuse_second_open_case(person: Person, receiving: Organization) -> None:
    """One open case per person and receiving organization (the constraint
    one_open_case_per_person_and_employer backs this up)."""
    existing = Case.objects.filter(
        person=person, receiving_organization=receiving, status=CaseStatus.OPEN
    ).first()
    if existing is not None:
        raise Conflict(
            _(
                "This person already has an open case (%(reference)s) with your "
                "organization; continue that case, or withdraw it first."
            )
            % {"reference": existing.reference},
            code="open_case_exists",
            existing={"case_id": existing.pk},
        )


def case_create(
    *,
    actor: Actor,
    person_id: int,
    field_code: str,
    category_code: str,
    pattern: str,
    country: str = "KG",
    receiving_organization_id: int | None = None,
    sending_agency_id: int | None = None,
    support_organization_id: int | None = None,
    carried: Sequence[CarriedStep] = (),
    today: datetime.date | None = None,
) -> CreationResult:
    """Open an acceptance case. Refuses a pattern-3 case whose agency is not certified
    today (isa_kg_flow 3(1); moc_kg §7), a pattern that does not fit where the person
    lives, another nationality, and a second open case of the person with the same
    receiving organization. The agency's certification is read inside the transaction
    with the agency row locked, so that a revocation recorded at the same moment either
    comes first (and refuses the case) or flags it (registries/effects.py)."""
    today = today or timezone.localdate()
    parties = _parties(
        actor,
        person_id=person_id,
        field_code=field_code,
        category_code=category_code,
        country=country,
        receiving_organization_id=receiving_organization_id,
        sending_agency_id=sending_agency_id,
        support_organization_id=support_organization_id,
        today=today,
    )
    rules = registry.ssw_rules()
    definition = parties.definition
    try:
        with transaction.atomic():
            # The person and the agency are locked in this order in every writer.
            person = Person.objects.select_for_update().get(pk=parties.person.pk)
            agency = None
            if parties.agency_id is not None:
                agency = Organization.objects.select_for_update().get(pk=parties.agency_id)
            facts = CaseFacts(
                pattern=pattern,
                today=today,
                person=person_facts(person),
                field=field_facts(parties.field, parties.category),
                agency=agency_facts(agency),
                country=definition.country,
                workplace=workplace_facts(parties.receiving),
            )
            check = check_creation(definition, rules, facts, has_agency=agency is not None)
            if check.input_errors:
                raise InvalidInput(messages.problems(check.input_errors))
            if check.refusals:
                raise RuleRefused(messages.problems(check.refusals))
            _refuse_second_open_case(person, parties.receiving)
            case = _create(actor, parties, person, agency, pattern, today)
            facts = _record_carried(case, definition, rules, facts, carried)
            sync_derived(case, evaluate(definition, rules, facts))
            case.save(update_fields=["reference", "current_step", "next_due"])
            flags = raise_flags(case, check.flags, actor, parties.receiving)
    except IntegrityError as exc:  # two clerks opening the same case at once
        _refuse_second_open_case(parties.person, parties.receiving)
        raise Conflict(_("The case could not be opened; try again."), code="conflict") from exc
    return CreationResult(
        case=case, warnings=messages.problems(check.warnings, severity="warning"), flags=flags
    )


def _create(
    actor: Actor,
    parties: _Parties,
    person: Person,
    agency: Organization | None,
    pattern: str,
    today: datetime.date,
) -> Case:
    definition = parties.definition
    with transaction.atomic():  # a savepoint: a duplicate fails here, not the transaction
        case = Case.objects.create(
            reference=f"tmp-{uuid.uuid4().hex[:28]}",  # replaced below, once the id is known
            person=person,
            receiving_organization=parties.receiving,
            sending_agency=agency,
            support_organization=parties.support,
            field=parties.field,
            business_category=parties.category,
            country=definition.country,
            procedure_version=definition.version,
            pattern=pattern,
            created_by=actor.required_user,
        )
    case.reference = f"{definition.country}-{today.year}-{case.pk:06d}"
    record_event(
        case,
        EventKind.CREATED,
        actor,
        parties.receiving,
        {},
        {
            "status": case.status,
            "pattern": pattern,
            "procedure": f"{definition.country} {definition.version}",
            "person": person.pk,
            "field": parties.field.code,
            "business_category": parties.category.code,
            "sending_agency": agency.pk if agency else None,
        },
    )
    return case


def _record_carried(
    case: Case,
    definition: Definition,
    rules: SswRules,
    facts: CaseFacts,
    carried: Sequence[CarriedStep],
) -> CaseFacts:
    """Record the steps done before the case, in order, each checked by the engine as if
    its organization recorded it then. Returns the facts with them."""
    for step in carried:
        check = check_completion(
            definition, rules, facts, step.step_key, frozenset({step.role}), step.evidence
        )
        if not check.ok:
            found = check.refusals or check.input_errors
            raise RuleRefused(messages.problems(found))
        assert check.happened_on is not None
        assert check.step is not None
        row = CaseStep.objects.create(
            case=case,
            step_key=step.step_key,
            round=check.round,
            happened_on=check.happened_on,
            evidence=identifiers.sealed(check.step, check.evidence),
            completed_by=step.completed_by,
            organization=step.organization,
        )
        before = snapshot(case)
        facts = _with(facts, row)
        record_event(
            case,
            EventKind.STEP_COMPLETED,
            Actor(user=step.completed_by),
            step.organization,
            before,
            {
                "round": check.round,
                "evidence": identifiers.masked(check.step, check.evidence),
                "carried": True,
            },
            step.step_key,
        )
    return facts


def _with(facts: CaseFacts, row: CaseStep) -> CaseFacts:
    completion = Completion(
        step_key=row.step_key,
        round=row.round,
        seq=row.pk,
        happened_on=row.happened_on,
        evidence=row.evidence,
    )
    return replace(facts, completions=(*facts.completions, completion))
