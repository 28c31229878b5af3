"""Shared by the personal-data tests: a worker with their own account and a landed case,
and another person who must never appear in the first one's data."""

from __future__ import annotations

from typing import Any

import pytest

from kakehashi.accounts.models import WorkerAccount
from kakehashi.cases.tests.helpers import landed_case
from kakehashi.testing.factories import UserFactory


def give_account(person: Any, username: str) -> Any:
    user = UserFactory(username=username)
    WorkerAccount.objects.create(user=user, person=person)
    return user


@pytest.fixture
def landed(world: Any) -> Any:
    """AIZADA TOKTOGULOVA, landed with the care home (COE, visa, residence card on file)."""
    return landed_case(
        world,
        family_name="TOKTOGULOVA",
        given_names="AIZADA",
        native_name="Токтогулова Айзада",
        email="aizada@example.kg",
        phone="+996 555 123 456",
    )


@pytest.fixture
def worker(landed: Any) -> Any:
    return give_account(landed.person, "aizada.t")


@pytest.fixture
def other(world: Any) -> Any:
    """Someone else, registered by the same care home, with a case of their own."""
    return landed_case(
        world,
        family_name="BEKOVA",
        given_names="NURIZA",
        native_name="Бекова Нуриза",
        email="nuriza@example.kg",
    )
