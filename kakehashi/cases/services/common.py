"""What the case services share: the history row, flags, and the derived columns lists
filter and sort on (docs/architecture.md, "Writes")."""

from __future__ import annotations

from typing import Any

from kakehashi.access import Actor
from kakehashi.accounts.models import Organization
from kakehashi.core.errors import Problem
from kakehashi.procedures.engine import Evaluation
from kakehashi.procedures.rules import Finding

from .. import messages
from ..models import Case, CaseDeadline, CaseEvent, CaseFlag, EventKind


def snapshot(case: Case) -> dict[str, Any]:
    return {"status": case.status, "current_step": case.current_step}


def record_event(
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


def raise_flags(
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
        record_event(
            case,
            EventKind.FLAG_RAISED,
            actor,
            org,
            {},
            {"flag": finding.code, "source": finding.source},
            step_key,
        )
        raised.append(problem)
    return raised


def sync_derived(case: Case, evaluation: Evaluation) -> None:
    """Store what lists filter and sort on: the current step, the deadlines and the
    nearest unmet one (the caller saves the case)."""
    case.current_step = evaluation.current_step or ""
    unmet = [d.due_on for d in evaluation.deadlines if not d.met]
    case.next_due = min(unmet) if unmet else None
    seen = []
    for deadline in evaluation.deadlines:
        seen.append(deadline.key)
        CaseDeadline.objects.update_or_create(
            case=case,
            key=deadline.key,
            defaults={"due_on": deadline.due_on, "met": deadline.met, "source": deadline.source},
        )
    CaseDeadline.objects.filter(case=case).exclude(key__in=seen).delete()
