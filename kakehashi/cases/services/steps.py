"""Recording a step and withdrawing a case: under a lock on the case row, so that two
people acting at once cannot both succeed."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound, Problem, RuleRefused
from kakehashi.procedures import registry
from kakehashi.procedures.engine import check_completion, evaluate
from kakehashi.procedures.rules import prohibited_terms_in
from kakehashi.protection.services.reports import misconduct_draft_from_contract
from kakehashi.protection.services.returns import return_case_open_for_refusal
from kakehashi.support.services import support_plan_open

from .. import identifiers, messages
from ..facts import case_facts
from ..models import Case, CaseStatus, CaseStep, EventKind
from ..selectors import case_get_for_user
from .common import raise_flags, record_event, snapshot, sync_derived
from .documents import Upload, check_step_documents, save_step_documents


@dataclass
class CompletionResult:
    case: Case
    step: CaseStep
    warnings: list[Problem] = field(default_factory=list)
    flags: list[Problem] = field(default_factory=list)


def _refusal(check: Any) -> Exception:
    first = check.refusals[0]
    if first.code == "not_acting_role":
        return NotAllowed(
            messages.render(first), code="not_acting_role", problems=messages.problems([first])
        )
    if first.code == "already_completed":
        return Conflict(
            messages.render(first), code="already_completed", problems=messages.problems([first])
        )
    return RuleRefused(messages.problems(check.refusals))


# The steps with which the stay as an SSW begins.
STAY_BEGINS = ("landing", "change_of_status_decision")
# A refused stay opens return support (moc_kg §8), by the step that refused it.
RETURN_REASONS = {"landing": "landing_refused", "change_of_status_decision": "status_refused"}


def _protective_effects(
    actor: Actor, case: Case, step_key: str, check: Any, organization: Any
) -> None:
    """What the MOC's protective core does when a step is recorded, in its transaction: a
    contract with a prohibited term drafts a misconduct report for Japan's contact point to
    review (moc_kg §4(1)(a), (b)); a refused landing or change of status opens a return case
    (moc_kg §8)."""
    terms = prohibited_terms_in(check.evidence)
    if terms:
        misconduct_draft_from_contract(
            actor=actor, case=case, step_key=step_key, terms=terms, organization=organization
        )
    if check.closes_case == CaseStatus.REFUSED and step_key in RETURN_REASONS:
        return_case_open_for_refusal(actor=actor, case=case, reason=RETURN_REASONS[step_key])
    elif step_key in STAY_BEGINS and check.closes_case is None:
        # The stay as an SSW begins: the support plan opens (the employer's duty).
        support_plan_open(case=case, starts_on=check.happened_on)


def case_complete_step(
    *,
    actor: Actor,
    case_id: int,
    step_key: str,
    evidence: dict[str, Any],
    today: datetime.date | None = None,
    documents: Mapping[str, Upload] | None = None,
) -> CompletionResult:
    """Record a step with its evidence. Enforces, through the engine: step order and
    prerequisites, the acting role (and that an agency acting for itself is certified
    today), eligibility and field suspension for applications, agency certification, the
    COE validity period, the period of stay for a change of status, the minimum wage, and
    raises the unlicensed-placement flag (R-P4). A second completion gets a conflict."""
    today = today or timezone.localdate()
    visible = case_get_for_user(actor, case_id)  # 404 for a case the actor may not see
    with transaction.atomic():
        case = (
            # of=("self",): lock only the case row; PostgreSQL refuses FOR UPDATE on the
            # nullable side of the outer join to the agency.
            Case.objects.select_for_update(of=("self",))
            .select_related(
                "person", "field", "business_category", "sending_agency", "receiving_organization"
            )
            .get(pk=visible.pk)
        )
        parties = actor.case_parties(case)
        definition = registry.definition_version(case.country, case.procedure_version)
        rules = registry.ssw_rules()
        facts = case_facts(case, today)
        check = check_completion(definition, rules, facts, step_key, frozenset(parties), evidence)
        if check.step is None:
            raise NotFound("step")
        if check.refusals:
            raise _refusal(check)
        if check.input_errors:
            raise InvalidInput(messages.problems(check.input_errors))
        assert check.happened_on is not None
        # The documents sent with the step, and those it requires (issue: a COE decision is
        # not recorded without the COE).
        uploads = dict(documents or {})
        invalid, missing = check_step_documents(case, check.step, check.evidence, uploads)
        if invalid or missing:
            raise InvalidInput([*invalid, *missing])

        before = snapshot(case)
        # The organization that holds the step's role records it (the first role listed).
        organization = next(parties[r] for r in check.step.roles if r in parties)
        save_step_documents(actor, case, check.step, organization, uploads)
        try:
            with transaction.atomic():
                step = CaseStep.objects.create(
                    case=case,
                    step_key=step_key,
                    round=check.round,
                    happened_on=check.happened_on,
                    evidence=identifiers.sealed(check.step, check.evidence),
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
        sync_derived(case, evaluation)
        case.save(update_fields=["status", "closed_at", "current_step", "next_due", "updated_at"])
        record_event(
            case,
            EventKind.STEP_COMPLETED,
            actor,
            organization,
            before,
            {
                **snapshot(case),
                "round": check.round,
                "evidence": identifiers.masked(check.step, check.evidence),
            },
            step_key,
        )
        flags = raise_flags(case, check.flags, actor, organization, step_key)
        _protective_effects(actor, case, step_key, check, organization)
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
    reason = reason.strip()
    if not reason:
        raise InvalidInput(
            [Problem("required", _("Give the reason for withdrawing."), field="reason")]
        )
    if len(reason) > 1000:
        raise InvalidInput(
            [Problem("too_long", _("At most %(max)s characters.") % {"max": 1000}, field="reason")]
        )
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=visible.pk)
        if case.status != CaseStatus.OPEN:
            raise RuleRefused([Problem("case_closed", _("Only an open case can be withdrawn."))])
        before = snapshot(case)
        case.status = CaseStatus.WITHDRAWN
        case.closed_at = timezone.now()
        case.save(update_fields=["status", "closed_at", "updated_at"])
        record_event(
            case,
            EventKind.STATUS_CHANGED,
            actor,
            visible.receiving_organization,
            before,
            {**snapshot(case), "reason": reason},
        )
    return case
