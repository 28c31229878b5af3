"""Fixtures of the core tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from .production_server import Server, production_server


@pytest.fixture(scope="session")
def running_server(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """`make serve` on the suite's PostgreSQL, once per test process for the tests that
    ask for it (marked xdist_group("production_server"), so they share one process)."""
    if connection.vendor != "postgresql":
        pytest.skip("production runs on PostgreSQL only")
    with production_server(tmp_path_factory.mktemp("production")) as server:
        yield server
