"""The procedure engine: evaluates a case against its procedure definition.

Plain Python, no Django. `evaluate` says where a case stands (each step done, available,
blocked or waiting, and the deadlines in play); `check_completion` says whether a step
may be recorded now with the given evidence, and if not, every reason why;
`check_creation` does the same for opening a case.

Rules of evaluation (docs/procedures.md):
- A step counts as done when its latest completion is newer than the counting completion
  of each of its blocking prerequisites. Redoing an earlier step (a new round) therefore
  makes everything after it due again.
- A deadline starts on the date of the step that sets it. Steps it applies to must
  happen on or before its last day. Once it has passed with its `met_by` step undone, the
  steps it applies to are blocked and the steps it `reopens` may be done again.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from dateutil.relativedelta import relativedelta

from .evidence import clean_evidence
from .facts import CaseFacts, Completion
from .rules import RULES, Finding, RuleContext, agency_may_act
from .schema import Check, Deadline, Definition, Pattern, PatternStep, Prerequisite, SswRules, Step

StepStatus = Literal["done", "available", "blocked", "waiting", "closed"]


@dataclass(frozen=True)
class DeadlineState:
    key: str
    set_by: str
    deadline: Deadline
    starts_on: datetime.date
    due_on: datetime.date
    met: bool
    expired: bool
    source: str


@dataclass(frozen=True)
class StepState:
    key: str
    step: Step
    status: StepStatus
    completion: Completion | None
    next_round: int
    redo: bool = False
    blockers: tuple[Finding, ...] = ()
    advice: tuple[Finding, ...] = ()
    source: str = ""

    @property
    def actionable(self) -> bool:
        return self.status == "available" or self.redo


@dataclass(frozen=True)
class Evaluation:
    definition: Definition
    pattern: Pattern
    steps: tuple[StepState, ...]
    deadlines: tuple[DeadlineState, ...]
    current_step: str | None
    finished: bool

    def state(self, key: str) -> StepState:
        for state in self.steps:
            if state.key == key:
                return state
        raise KeyError(key)

    @property
    def next_actions(self) -> tuple[StepState, ...]:
        return tuple(s for s in self.steps if s.actionable)


@dataclass(frozen=True)
class CompletionCheck:
    step: Step | None
    input_errors: tuple[Finding, ...] = ()
    refusals: tuple[Finding, ...] = ()
    warnings: tuple[Finding, ...] = ()
    flags: tuple[Finding, ...] = ()
    evidence: Mapping[str, Any] = field(default_factory=dict)
    happened_on: datetime.date | None = None
    round: int = 1
    closes_case: str | None = None

    @property
    def ok(self) -> bool:
        return self.step is not None and not self.input_errors and not self.refusals


@dataclass(frozen=True)
class CreationCheck:
    input_errors: tuple[Finding, ...] = ()
    refusals: tuple[Finding, ...] = ()
    warnings: tuple[Finding, ...] = ()
    flags: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.input_errors and not self.refusals


def prerequisites(pattern: Pattern, entry: PatternStep) -> tuple[Prerequisite, ...]:
    """The step's prerequisites in this pattern; by default the previous step, blocking."""
    if entry.requires is not None:
        return entry.requires
    index = pattern.steps.index(entry)
    return (Prerequisite(step=pattern.steps[index - 1].step),) if index else ()


def due_date(deadline: Deadline, start: datetime.date) -> datetime.date:
    """Last day of a period of months/days from `start`. The day of the event is not
    counted and the period ends on the day before the corresponding day (Civil Code
    arts. 140, 143), which is `start + months`, clamped to the month's end."""
    return start + relativedelta(months=deadline.months, days=deadline.days)


@dataclass
class _Checked:
    blocks: list[Finding] = field(default_factory=list)
    invalid: list[Finding] = field(default_factory=list)
    flags: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)


def _run_checks(checks: tuple[Check, ...], ctx: RuleContext) -> _Checked:
    """Run the named rules; sort what they find by the effect the definition gives each
    (block, invalid, flag). A rule's warnings never refuse anything."""
    checked = _Checked()
    for check in checks:
        for finding in RULES[check.rule](ctx):
            if finding.severity == "warning":
                checked.warnings.append(finding)
            elif check.effect == "block":
                checked.blocks.append(finding)
            elif check.effect == "invalid":
                checked.invalid.append(finding)
            else:
                checked.flags.append(finding)
    return checked


def _counting_completions(pattern: Pattern, facts: CaseFacts) -> dict[str, Completion]:
    by_step: dict[str, list[Completion]] = {}
    for completion in facts.completions:
        by_step.setdefault(completion.step_key, []).append(completion)
    counting: dict[str, Completion] = {}
    for entry in pattern.steps:
        done = by_step.get(entry.step)
        if not done:
            continue
        latest = max(done, key=lambda c: c.seq)
        if latest.voided:
            continue  # set aside: the step is to do again
        blocking = [p for p in prerequisites(pattern, entry) if p.kind == "blocking"]
        if all(p.step in counting and latest.seq > counting[p.step].seq for p in blocking):
            counting[entry.step] = latest
    return counting


def _deadlines(
    definition: Definition, pattern: Pattern, counting: dict[str, Completion], today: datetime.date
) -> list[DeadlineState]:
    states = []
    for entry in pattern.steps:
        step = definition.step(entry.step)
        start = counting.get(step.key)
        if start is None:
            continue
        for deadline in step.deadlines:
            begins = _deadline_start(deadline, start)
            if begins is None:
                continue
            due = due_date(deadline, begins)
            finisher = counting.get(deadline.met_by)
            met = finisher is not None and finisher.happened_on <= due
            states.append(
                DeadlineState(
                    key=deadline.key,
                    set_by=step.key,
                    deadline=deadline,
                    starts_on=begins,
                    due_on=due,
                    met=met,
                    expired=not met and today > due,
                    source=definition.cite(deadline.source),
                )
            )
    return states


def _deadline_start(deadline: Deadline, completion: Completion) -> datetime.date | None:
    """The step's date, or the date its evidence records in `starts_from` (None if the
    step was recorded without it)."""
    if deadline.starts_from is None:
        return completion.happened_on
    value = completion.evidence.get(deadline.starts_from)
    return datetime.date.fromisoformat(str(value)) if value else None


def _deadline_finding(state: DeadlineState, definition: Definition) -> Finding:
    return Finding(
        "deadline_expired",
        state.source,
        {
            "deadline": state.deadline.title,
            "started": state.starts_on.isoformat(),
            "due": state.due_on.isoformat(),
            "redo": [definition.step(k).title for k in state.deadline.reopens],
        },
    )


def _prerequisite_finding(definition: Definition, key: str, advisory: bool) -> Finding:
    step = definition.step(key)
    return Finding(
        "advisory_prerequisite" if advisory else "prerequisite_missing",
        definition.cite(step.source),
        {"step": step.title, "step_key": key},
    )


def evaluate(definition: Definition, rules: SswRules, facts: CaseFacts) -> Evaluation:
    pattern = definition.pattern(facts.pattern)
    counting = _counting_completions(pattern, facts)
    deadlines = _deadlines(definition, pattern, counting, facts.today)
    expired = [d for d in deadlines if d.expired]
    rounds: dict[str, int] = {}
    for completion in facts.completions:
        rounds[completion.step_key] = max(rounds.get(completion.step_key, 0), completion.round)

    states: list[StepState] = []
    for entry in pattern.steps:
        step = definition.step(entry.step)
        done = counting.get(step.key)
        prereqs = prerequisites(pattern, entry)
        advice = tuple(
            _prerequisite_finding(definition, p.step, advisory=True)
            for p in prereqs
            if p.kind == "advisory" and p.step not in counting
        )
        common: dict[str, Any] = {
            "key": step.key,
            "step": step,
            "completion": done,
            "next_round": rounds.get(step.key, 0) + 1,
            "source": definition.cite(step.source),
        }
        status: StepStatus
        blockers: tuple[Finding, ...] = ()
        redo = False
        if done is not None:
            status = "done"
            redo = facts.status == "open" and any(step.key in d.deadline.reopens for d in expired)
        elif facts.status != "open":
            status = "closed"
        else:
            missing = [p for p in prereqs if p.kind == "blocking" and p.step not in counting]
            if missing:
                status = "waiting"
                blockers = tuple(
                    _prerequisite_finding(definition, p.step, advisory=False) for p in missing
                )
            else:
                found = [
                    _deadline_finding(d, definition)
                    for d in expired
                    if step.key in d.deadline.applies_to
                ]
                ctx = RuleContext(facts=facts, rules=rules, on=facts.today)
                found += _run_checks(step.checks, ctx).blocks
                status = "blocked" if found else "available"
                blockers = tuple(found)
        states.append(
            StepState(status=status, redo=redo, blockers=blockers, advice=advice, **common)
        )

    # A finished case has no current step, even if an advisory step was never recorded.
    finished = pattern.steps[-1].step in counting
    current = None if finished else next((s.key for s in states if s.status != "done"), None)
    return Evaluation(
        definition=definition,
        pattern=pattern,
        steps=tuple(states),
        deadlines=tuple(deadlines),
        current_step=current,
        finished=finished,
    )


# --- Completing a step -------------------------------------------------------------------


def check_completion(
    definition: Definition,
    rules: SswRules,
    facts: CaseFacts,
    step_key: str,
    actor_roles: frozenset[str],
    evidence: Mapping[str, Any],
) -> CompletionCheck:
    """May `step_key` be recorded now, by someone holding `actor_roles` in this case, with
    this evidence? Checks, in order: the step exists in the pattern; the case is open;
    the actor holds the step's role; the step is not already done (unless reopened);
    its prerequisites are done; the evidence is valid and its date is not in the future
    nor before its prerequisites; deadlines; and the step's named rules."""
    pattern = definition.pattern(facts.pattern)
    if not any(e.step == step_key for e in pattern.steps):
        return CompletionCheck(step=None)
    step = definition.step(step_key)
    source = definition.cite(step.source)
    if facts.status != "open":
        return CompletionCheck(
            step=step, refusals=(Finding("case_closed", source, {"status": facts.status}),)
        )
    acting_roles = actor_roles & set(step.roles)
    if not acting_roles:
        return CompletionCheck(
            step=step, refusals=(Finding("not_acting_role", source, {"roles": list(step.roles)}),)
        )
    if acting_roles == {"sending_agency"}:
        cannot_act = agency_may_act(facts)
        if cannot_act:
            return CompletionCheck(step=step, refusals=tuple(cannot_act))
    evaluation = evaluate(definition, rules, facts)
    state = evaluation.state(step_key)
    if state.status == "done" and not state.redo:
        return CompletionCheck(step=step, refusals=(Finding("already_completed", source),))
    if state.status == "waiting":
        return CompletionCheck(step=step, refusals=state.blockers)

    cleaned, errors = clean_evidence(step, evidence, facts.today)
    happened_on = (
        datetime.date.fromisoformat(cleaned[step.date_field])
        if step.date_field in cleaned
        else None
    )
    if happened_on is not None:
        errors += _date_problems(definition, pattern, facts, step, happened_on)
    if errors:
        return CompletionCheck(step=step, input_errors=tuple(errors))
    assert happened_on is not None

    refusals: list[Finding] = []
    for deadline in evaluation.deadlines:
        if step_key in deadline.deadline.applies_to and happened_on > deadline.due_on:
            refusals.append(_deadline_finding(deadline, definition))
    ctx = RuleContext(facts=facts, rules=rules, on=happened_on, evidence=cleaned)
    checked = _run_checks(step.checks, ctx)
    if checked.invalid:
        return CompletionCheck(step=step, input_errors=tuple(checked.invalid))
    refusals += checked.blocks
    closes = None
    if step.outcome is not None:
        closes = step.outcome.closes_case.get(str(cleaned.get(step.outcome.field)))
    return CompletionCheck(
        step=step,
        refusals=tuple(refusals),
        warnings=(*state.advice, *checked.warnings),
        flags=tuple(checked.flags),
        evidence=cleaned,
        happened_on=happened_on,
        round=state.next_round,
        closes_case=closes,
    )


def _date_problems(
    definition: Definition, pattern: Pattern, facts: CaseFacts, step: Step, day: datetime.date
) -> list[Finding]:
    problems = []
    if day > facts.today:
        problems.append(
            Finding(
                "date_in_future",
                "evidence",
                {"today": facts.today.isoformat()},
                field=step.date_field,
            )
        )
    counting = _counting_completions(pattern, facts)
    entry = next(e for e in pattern.steps if e.step == step.key)
    for prerequisite in prerequisites(pattern, entry):
        earlier = counting.get(prerequisite.step)
        if prerequisite.kind == "blocking" and earlier is not None and day < earlier.happened_on:
            problems.append(
                Finding(
                    "before_prerequisite",
                    "evidence",
                    {
                        "step": definition.step(prerequisite.step).title,
                        "date": earlier.happened_on.isoformat(),
                    },
                    field=step.date_field,
                )
            )
    return problems


# --- Opening a case ------------------------------------------------------------------------


def check_creation(
    definition: Definition, rules: SswRules, facts: CaseFacts, *, has_agency: bool
) -> CreationCheck:
    """May a case in this pattern be opened today for this person? (R-P1, R-P2, R-P5)"""
    if not definition.has_pattern(facts.pattern):
        return CreationCheck(
            input_errors=(
                Finding(
                    "unknown_pattern",
                    "procedure definition",
                    {"allowed": [p.key for p in definition.patterns]},
                    field="pattern",
                ),
            )
        )
    pattern = definition.pattern(facts.pattern)
    source = definition.cite(pattern.source)
    errors: list[Finding] = []
    if pattern.requires_sending_agency and not has_agency:
        errors.append(Finding("agency_required", source, field="sending_agency"))
    if not pattern.requires_sending_agency and has_agency:
        errors.append(Finding("agency_not_applicable", source, field="sending_agency"))
    if errors:
        return CreationCheck(input_errors=tuple(errors))
    refusals: list[Finding] = []
    if facts.person.nationality != definition.country:
        refusals.append(
            Finding(
                "nationality_mismatch",
                source,
                {"nationality": facts.person.nationality, "country": definition.country},
            )
        )
    ctx = RuleContext(facts=facts, rules=rules, on=facts.today)
    checked = _run_checks(pattern.creation_checks, ctx)
    refusals += checked.blocks + checked.invalid
    warnings = RULES["field_accepting"](ctx) + checked.warnings
    return CreationCheck(
        refusals=tuple(refusals), warnings=tuple(warnings), flags=tuple(checked.flags)
    )
