"""Two ministry officers deciding on the same agency at the same moment: the state check and
the write must not interleave, or both decisions pass the check against the old state
(two revocations, each flagging the open cases and notifying Japan).

These tests commit for real (transaction=True): each thread has its own connection, as two
web requests would. A short pause is put between the state check and the write, so that
without a lock both threads read the state before either writes."""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import pytest
from django.db import connection

from kakehashi.access import Actor
from kakehashi.accounts.models import User
from kakehashi.cases.models import CaseFlag
from kakehashi.core.errors import RuleRefused
from kakehashi.registries import services
from kakehashi.registries.models import AgencyCertificationDecision, Notice

from .helpers import member, open_case

# Also on SQLite (make test-sqlite): what differs between the two databases.
pytestmark = pytest.mark.sqlite

ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")


def race(user_ids: list[int], agency_id: int, action: str, reason: str) -> list[Any]:
    barrier = threading.Barrier(len(user_ids))
    outcomes: list[Any] = [None] * len(user_ids)

    def run(index: int, user_id: int) -> None:
        try:
            actor = User.objects.get(pk=user_id)
            barrier.wait(timeout=30)
            outcomes[index] = services.agency_decision_record(
                actor=Actor.of(actor), agency_id=agency_id, action=action, reason=reason
            )
        except BaseException as exc:  # reported by the test, whatever it is
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, u)) for i, u in enumerate(user_ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread is stuck (lock not released?)"
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_only_one_of_two_simultaneous_revocations_succeeds(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    gulnara = member("gulnara", world.center)
    case = open_case(world, "via_agency", world.agency)
    create = AgencyCertificationDecision.objects.create

    def slow_create(**fields: Any) -> Any:
        time.sleep(0.5)  # after the state check, before the write
        return create(**fields)

    monkeypatch.setattr(AgencyCertificationDecision.objects, "create", slow_create)

    outcomes = race([world.aida.pk, gulnara.pk], world.agency.pk, "revoked", "Forged documents")

    decisions = [o for o in outcomes if isinstance(o, AgencyCertificationDecision)]
    refusals = [o for o in outcomes if isinstance(o, RuleRefused)]
    assert len(decisions) == 1, outcomes
    assert len(refusals) == 1, outcomes
    assert refusals[0].code == "transition_not_allowed"
    assert AgencyCertificationDecision.objects.filter(action="revoked").count() == 1
    assert CaseFlag.objects.filter(case=case, code="agency_revoked").count() == 1
    assert Notice.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_case_opened_while_a_revocation_is_being_recorded_waits_and_is_refused(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 7: the new case's agency check runs in its transaction with the agency row
    locked. A revocation holds that lock until it commits; the case waits, then reads the
    revoked state and is refused (before, it read "certified" outside any transaction and
    was created after the revocation had flagged the open cases: a case nobody warned)."""
    from kakehashi.cases import services as case_services
    from kakehashi.cases.models import Case
    from kakehashi.registries.services import agencies
    from kakehashi.testing.factories import PersonFactory, make_eligible

    person = PersonFactory(created_by_organization=world.care_home)
    make_eligible(person, "care")
    revoking, case_started = threading.Event(), threading.Event()
    real_notify = agencies.notify

    def notify_slowly(*args: Any, **kwargs: Any) -> Any:
        revoking.set()  # the agency row is locked, the revocation not yet committed
        case_started.wait(timeout=10)
        time.sleep(0.5)  # the case reaches the lock and waits
        return real_notify(*args, **kwargs)

    monkeypatch.setattr(agencies, "notify", notify_slowly)
    outcomes: dict[str, Any] = {}

    def revoke() -> None:
        try:
            outcomes["revocation"] = services.agency_decision_record(
                actor=Actor.of(world.aida),
                agency_id=world.agency.pk,
                action="revoked",
                reason="Deposits",
            )
        except BaseException as exc:
            outcomes["revocation"] = exc
        finally:
            connection.close()

    def open_the_case() -> None:
        try:
            revoking.wait(timeout=10)
            case_started.set()
            outcomes["case"] = case_services.case_create(
                actor=Actor.of(world.hana),
                person_id=person.pk,
                field_code="care",
                category_code="care",
                pattern="via_agency",
                sending_agency_id=world.agency.pk,
            )
        except BaseException as exc:
            outcomes["case"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=revoke), threading.Thread(target=open_the_case)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert isinstance(outcomes["revocation"], AgencyCertificationDecision), outcomes
    assert isinstance(outcomes["case"], RuleRefused), outcomes
    assert outcomes["case"].problems[0].code == "agency_not_certified"
    assert not Case.objects.exists()
