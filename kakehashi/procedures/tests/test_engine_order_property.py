"""Property: in the direct pattern, a step is accepted exactly when every earlier step is
done and it is not done itself, whatever order people try the steps in.

hypothesis is not installed in this project's venv, so the random orders come from a
seeded random.Random: reproducible, and a failure names its seed."""

from __future__ import annotations

import dataclasses
import datetime
import random

import pytest

from kakehashi.procedures.facts import Completion
from kakehashi.procedures.schema import Definition, SswRules

from .builders import attempt, codes, facts

STEPS = [
    "employment_contract",
    "coe_application",
    "coe_decision",
    "coe_sent",
    "visa_application",
    "visa_decision",
    "landing",
]
START = datetime.date(2026, 9, 1)


@pytest.mark.parametrize("seed", range(60))
def test_completion_accepted_only_when_all_previous_steps_are_done(
    kg: Definition, ssw: SswRules, seed: int
) -> None:
    rng = random.Random(seed)
    case = facts("direct")
    done: list[str] = []
    for attempt_number in range(40):
        step_key = rng.choice(STEPS)
        day = START + datetime.timedelta(days=attempt_number)
        check = attempt(kg, ssw, case, step_key, day)
        index = STEPS.index(step_key)
        where = f"seed {seed}, attempt {attempt_number}: {step_key} after {done}"
        if step_key in done:
            assert codes(check.refusals) == ["already_completed"], where
        elif not all(s in done for s in STEPS[:index]):
            assert codes(check.refusals) == ["prerequisite_missing"], where
            assert check.refusals[0].params["step_key"] == STEPS[index - 1], where
        else:
            assert check.ok, (where, check.refusals, check.input_errors)
            done.append(step_key)
            completion = Completion(
                step_key=step_key,
                round=check.round,
                seq=len(case.completions) + 1,
                happened_on=day,
                evidence=check.evidence,
            )
            case = dataclasses.replace(case, completions=(*case.completions, completion))
    # whatever was accepted was accepted in the pattern's order
    assert done == STEPS[: len(done)]
