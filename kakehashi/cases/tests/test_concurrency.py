"""Two clerks completing the same step at the same moment: the case-row lock
(select_for_update in case_complete_step) lets exactly one win; the other gets a
Conflict, not a second row, not a crash (docs/architecture.md, "Writes").

These tests commit for real (transaction=True): each thread has its own database
connection, as two web requests would. The database is flushed afterwards; the `world`
fixture reloads the reference data when a flush removed it."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from django.db import connection

from kakehashi.access import Actor
from kakehashi.accounts.models import MemberRole, User
from kakehashi.cases import services
from kakehashi.cases.models import AppendOnlyError, Case, CaseDocument, CaseEvent, CaseStep
from kakehashi.core.errors import Conflict
from kakehashi.testing.documents import required_uploads
from kakehashi.testing.factories import MembershipFactory, PersonFactory, UserFactory, make_eligible

from .helpers import evidence_for

# Also on SQLite (make test-sqlite): what differs between the two databases.
pytestmark = pytest.mark.sqlite

STEPS = ["employment_contract", "coe_application", "coe_decision", "coe_sent", "visa_application"]
RACERS = 2


def race(attempts: list[tuple[int, int]], step_key: str) -> list[Any]:
    """Each (user id, case id) completes `step_key` from its own thread and database
    connection, released together by a barrier. Returns what each thread got: a
    CompletionResult or the exception raised."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[Any] = [None] * len(attempts)

    def run(index: int, user_id: int, case_id: int) -> None:
        try:
            actor = User.objects.get(pk=user_id)  # this thread's connection opens here
            evidence = evidence_for(step_key)
            uploads = required_uploads(case_id, step_key)
            barrier.wait(timeout=30)
            outcomes[index] = services.case_complete_step(
                actor=Actor.of(actor),
                case_id=case_id,
                step_key=step_key,
                evidence=evidence,
                documents=uploads,
            )
        except BaseException as exc:  # reported by the test, whatever it is
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, user_id, case_id))
        for index, (user_id, case_id) in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread is stuck (lock not released?)"
    return outcomes


def open_case(world: Any) -> Case:
    person = make_eligible(PersonFactory(created_by_organization=world.care_home), "care")
    return services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="direct",
    ).case


def second_clerk(world: Any) -> User:
    """Another clerk of the care home, acting in the same role as hana."""
    kenji = UserFactory(username="kenji")
    MembershipFactory(user=kenji, organization=world.care_home, role=MemberRole.CLERK)
    return kenji


@pytest.mark.django_db(transaction=True)
def test_only_one_of_two_simultaneous_completions_of_a_step_succeeds(world):
    kenji = second_clerk(world)
    case = open_case(world)

    for step_key in STEPS:  # five races, each on the step the previous one made available
        outcomes = race([(world.hana.pk, case.pk), (kenji.pk, case.pk)], step_key)

        conflicts = [o for o in outcomes if isinstance(o, Conflict)]
        successes = [o for o in outcomes if isinstance(o, services.CompletionResult)]
        assert len(successes) == 1, (step_key, outcomes)
        assert len(conflicts) == RACERS - 1, (step_key, outcomes)
        assert conflicts[0].code == "already_completed", conflicts[0].as_dict()
        assert conflicts[0].status == 409
        assert CaseStep.objects.filter(case=case, step_key=step_key).count() == 1
        completed = CaseEvent.objects.filter(case=case, kind="step_completed", step_key=step_key)
        assert completed.count() == 1
        assert completed.get().actor_id == successes[0].step.completed_by_id

    case.refresh_from_db()
    assert case.current_step == "visa_decision"
    assert CaseStep.objects.filter(case=case).count() == len(STEPS)
    events = CaseEvent.objects.filter(case=case)
    assert events.exclude(kind="document_uploaded").count() == 1 + len(STEPS)
    # Only the winner's COE is kept: the losers' uploads went with their transactions.
    assert events.filter(kind="document_uploaded").count() == 1
    assert CaseDocument.objects.filter(case=case).count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_completions_on_different_cases_both_succeed(world):
    """The lock is per case: two clerks working on two cases do not refuse each other."""
    kenji = second_clerk(world)
    first, second = open_case(world), open_case(world)

    outcomes = race([(world.hana.pk, first.pk), (kenji.pk, second.pk)], "employment_contract")

    assert all(isinstance(o, services.CompletionResult) for o in outcomes), outcomes
    assert CaseStep.objects.filter(step_key="employment_contract").count() == 2


@pytest.mark.django_db
def test_case_events_are_append_only(world):
    case = open_case(world)
    event = CaseEvent.objects.get(case=case)
    recorded = (event.kind, event.after)

    event.after = {"status": "rewritten"}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.get(pk=event.pk).save(update_fields=["kind"])

    stored = CaseEvent.objects.get(pk=event.pk)
    assert (stored.kind, stored.after) == recorded


@pytest.mark.django_db
def test_case_events_cannot_be_rewritten_in_bulk(world):
    case = open_case(world)

    with contextlib.suppress(AppendOnlyError):
        CaseEvent.objects.filter(case=case).update(after={"status": "rewritten"})

    assert CaseEvent.objects.get(case=case).after != {"status": "rewritten"}


@pytest.mark.django_db
def test_case_events_cannot_be_deleted_in_bulk(world):
    case = open_case(world)

    with contextlib.suppress(AppendOnlyError):
        CaseEvent.objects.filter(case=case).delete()

    assert CaseEvent.objects.filter(case=case).count() == 1
