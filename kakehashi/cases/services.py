"""The one way to change a case. Each service checks permission, validates, writes the
change and a CaseEvent in one transaction, under a lock on the case row, so that two
people acting at once cannot both succeed (docs/architecture.md, "Writes")."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import acting_receiving_organization
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.core.errors import (
    Conflict,
    InvalidInput,
    NotAllowed,
    NotFound,
    Problem,
    RuleRefused,
)
from kakehashi.people.models import Person
from kakehashi.people.selectors import persons_visible_to
from kakehashi.procedures import registry
from kakehashi.procedures.engine import Evaluation, check_completion, check_creation, evaluate
from kakehashi.procedures.facts import CaseFacts
from kakehashi.procedures.rules import Finding
from kakehashi.reference.models import BusinessCategory, Field

from . import messages
from .facts import agency_facts, case_facts, field_facts, person_facts
from .models import Case, CaseDeadline, CaseEvent, CaseFlag, CaseStatus, CaseStep, EventKind
from .selectors import case_get_for_user


def _snapshot(case: Case) -> dict[str, Any]:
    return {"status": case.status, "current_step": case.current_step}


def _record_event(
    case: Case,
    kind: EventKind,
    actor: Actor | None,
    organization: Organization | None,
    before: dict[str, Any],
    after: dict[str, Any],
    step_key: str = "",
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        step_key=step_key,
        actor=actor.user if actor is not None else None,
        organization=organization,
        before=before,
        after=after,
    )


def _raise_flags(
    case: Case,
    findings: tuple[Finding, ...],
    actor: Actor | None,
    org: Organization | None,
    step_key: str = "",
) -> list[Problem]:
    raised = []
    for finding in findings:
        params = {k: v for k, v in finding.params.items() if isinstance(v, (str, int, bool))}
        CaseFlag.objects.create(
            case=case, code=finding.code, params=params, source=finding.source, step_key=step_key
        )
        problem = messages.problems([finding], severity="warning")[0]
        _record_event(
            case,
            EventKind.FLAG_RAISED,
            actor,
            org,
            {},
            {"flag": finding.code, "message": problem.message, "source": finding.source},
            step_key,
        )
        raised.append(problem)
    return raised


def _sync_derived(case: Case, evaluation: Evaluation) -> None:
    """Store what lists filter and sort on: the current step and the deadlines."""
    case.current_step = evaluation.current_step or ""
    seen = []
    for deadline in evaluation.deadlines:
        seen.append(deadline.key)
        CaseDeadline.objects.update_or_create(
            case=case,
            key=deadline.key,
            defaults={"due_on": deadline.due_on, "met": deadline.met, "source": deadline.source},
        )
    CaseDeadline.objects.filter(case=case).exclude(key__in=seen).delete()


# --- Opening a case ---------------------------------------------------------------------


def _acting_receiving_organization(actor: Actor, organization_id: int | None) -> Organization:
    return acting_receiving_organization(
        actor,
        organization_id,
        _("Only staff of the receiving organization can open a case for it."),
        field="receiving_organization",
    )


def _lookup(model: Any, field_name: str, problems: list[Problem], **filters: Any) -> Any:
    obj = model.objects.filter(**filters).first()
    if obj is None:
        problems.append(Problem("not_found", _("No such record."), field=field_name))
    return obj


@dataclass
class CreationResult:
    case: Case
    warnings: list[Problem] = field(default_factory=list)
    flags: list[Problem] = field(default_factory=list)


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
    today: datetime.date | None = None,
) -> CreationResult:
    """Open an acceptance case (R-P1, R-P2) under the procedure version in force today
    (R-P5). Refuses a pattern-3 case whose agency is not certified today (seed 002 3(1);
    MOC §7), a pattern that does not fit where the person lives, or another nationality."""
    today = today or timezone.localdate()
    receiving = _acting_receiving_organization(actor, receiving_organization_id)
    problems: list[Problem] = []
    person: Person | None = (
        persons_visible_to(actor).filter(pk=person_id).first() if person_id else None
    )
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
    agency = None
    if sending_agency_id is not None:
        agency = _lookup(
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
                % {"country": country, "date": today.isoformat()},
                field="country",
            )
        )
    if problems:
        raise InvalidInput(problems)
    assert person is not None
    assert definition is not None

    facts = CaseFacts(
        pattern=pattern,
        today=today,
        person=person_facts(person),
        field=field_facts(fld, category),
        agency=agency_facts(agency),
    )
    rules = registry.ssw_rules()
    check = check_creation(definition, rules, facts, has_agency=agency is not None)
    if check.input_errors:
        raise InvalidInput(messages.problems(check.input_errors))
    if check.refusals:
        raise RuleRefused(messages.problems(check.refusals))

    with transaction.atomic():
        case = Case.objects.create(
            reference=f"tmp-{uuid.uuid4().hex[:28]}",  # replaced below, once the id is known
            person=person,
            receiving_organization=receiving,
            sending_agency=agency,
            support_organization=support,
            field=fld,
            business_category=category,
            country=country,
            procedure_version=definition.version,
            pattern=pattern,
            created_by=actor.required_user,
        )
        case.reference = f"{country}-{today.year}-{case.pk:06d}"
        _sync_derived(case, evaluate(definition, rules, facts))
        case.save(update_fields=["reference", "current_step"])
        _record_event(
            case,
            EventKind.CREATED,
            actor,
            receiving,
            {},
            {
                **_snapshot(case),
                "pattern": pattern,
                "procedure": f"{country} {definition.version}",
                "person": person.pk,
                "field": fld.code,
                "business_category": category.code,
                "sending_agency": agency.pk if agency else None,
            },
        )
        flags = _raise_flags(case, check.flags, actor, receiving)
    return CreationResult(
        case=case, warnings=messages.problems(check.warnings, severity="warning"), flags=flags
    )


# --- Completing a step ------------------------------------------------------------------


@dataclass
class CompletionResult:
    case: Case
    step: CaseStep
    warnings: list[Problem] = field(default_factory=list)
    flags: list[Problem] = field(default_factory=list)


def case_complete_step(
    *,
    actor: Actor,
    case_id: int,
    step_key: str,
    evidence: dict[str, Any],
    today: datetime.date | None = None,
) -> CompletionResult:
    """Record a step with its evidence. Enforces, through the engine: step order and
    prerequisites, the acting role, eligibility and field suspension for applications,
    agency certification, the COE validity period, and raises the unlicensed-placement
    flag (R-P4). A second completion of the same step gets a conflict."""
    today = today or timezone.localdate()
    visible = case_get_for_user(actor, case_id)  # 404 for a case the actor may not see
    with transaction.atomic():
        case = (
            # of=("self",): lock only the case row; PostgreSQL refuses FOR UPDATE on the
            # nullable side of the outer join to the agency.
            Case.objects.select_for_update(of=("self",))
            .select_related("person", "field", "business_category", "sending_agency")
            .get(pk=visible.pk)
        )
        parties = actor.case_parties(case)
        roles = frozenset(parties)
        definition = registry.definition_version(case.country, case.procedure_version)
        rules = registry.ssw_rules()
        facts = case_facts(case, today)
        check = check_completion(definition, rules, facts, step_key, roles, evidence)
        if check.step is None:
            raise NotFound("step")
        if check.refusals:
            first = check.refusals[0]
            if first.code == "not_acting_role":
                raise NotAllowed(
                    messages.render(first),
                    code="not_acting_role",
                    problems=messages.problems([first]),
                )
            if first.code == "already_completed":
                raise Conflict(
                    messages.render(first),
                    code="already_completed",
                    problems=messages.problems([first]),
                )
            raise RuleRefused(messages.problems(check.refusals))
        if check.input_errors:
            raise InvalidInput(messages.problems(check.input_errors))
        assert check.happened_on is not None

        before = _snapshot(case)
        # The organization that holds the step's role records it (the first role listed).
        organization = next(parties[r] for r in check.step.roles if r in parties)
        try:
            with transaction.atomic():
                step = CaseStep.objects.create(
                    case=case,
                    step_key=step_key,
                    round=check.round,
                    happened_on=check.happened_on,
                    evidence=dict(check.evidence),
                    completed_by=actor.required_user,
                    organization=organization,
                )
        except IntegrityError as exc:
            raise Conflict(
                _("This step has already been recorded."), code="already_completed"
            ) from exc

        evaluation = evaluate(definition, rules, case_facts(case, today))
        if check.closes_case:
            case.status = check.closes_case
            case.closed_at = timezone.now()
        elif evaluation.finished:
            case.status = CaseStatus.COMPLETED
            case.closed_at = timezone.now()
        _sync_derived(case, evaluation)
        case.save(update_fields=["status", "closed_at", "current_step", "updated_at"])
        _record_event(
            case,
            EventKind.STEP_COMPLETED,
            actor,
            organization,
            before,
            {**_snapshot(case), "round": check.round, "evidence": dict(check.evidence)},
            step_key,
        )
        flags = _raise_flags(case, check.flags, actor, organization, step_key)
    return CompletionResult(
        case=case,
        step=step,
        warnings=messages.problems(check.warnings, severity="warning"),
        flags=flags,
    )


def case_withdraw(*, actor: Actor, case_id: int, reason: str) -> Case:
    """The receiving organization withdraws an open case, giving a reason."""
    visible = case_get_for_user(actor, case_id)
    if "receiving_organization" not in actor.case_roles(visible):
        raise NotAllowed(_("Only the receiving organization can withdraw its case."))
    if not reason.strip():
        raise InvalidInput(
            [Problem("required", _("Give the reason for withdrawing."), field="reason")]
        )
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=visible.pk)
        if case.status != CaseStatus.OPEN:
            raise RuleRefused([Problem("case_closed", _("Only an open case can be withdrawn."))])
        before = _snapshot(case)
        case.status = CaseStatus.WITHDRAWN
        case.closed_at = timezone.now()
        case.save(update_fields=["status", "closed_at", "updated_at"])
        _record_event(
            case,
            EventKind.STATUS_CHANGED,
            actor,
            visible.receiving_organization,
            before,
            {**_snapshot(case), "reason": reason.strip()},
        )
    return case
