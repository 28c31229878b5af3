"""Shared fixtures for the procedure engine tests: the shipped definitions, loaded once.

No database: the engine is plain Python and these tests never touch Django's ORM."""

from __future__ import annotations

import pytest

from kakehashi.procedures.loader import load_directory
from kakehashi.procedures.schema import Definition, SswRules

from .builders import DEFINITIONS_DIR


@pytest.fixture(scope="session")
def shipped() -> tuple[list[Definition], SswRules]:
    return load_directory(DEFINITIONS_DIR)


@pytest.fixture(scope="session")
def kg(shipped: tuple[list[Definition], SswRules]) -> Definition:
    (definition,) = [d for d in shipped[0] if d.country == "KG"]
    return definition


@pytest.fixture(scope="session")
def ssw(shipped: tuple[list[Definition], SswRules]) -> SswRules:
    return shipped[1]
