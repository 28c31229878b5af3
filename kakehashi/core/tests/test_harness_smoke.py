"""The suite runs on the database it was meant to run on, and a model round-trips there.

`make test-sqlite` runs without DATABASE_URL (SQLite); `make test-postgres` runs with a
DATABASE_URL from scripts/with-postgres.sh. This catches a suite that silently ran on the
wrong database.
"""

import os

import pytest
from django.db import connection

from kakehashi.accounts.models import Organization


def test_runs_on_the_database_named_by_database_url() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        assert connection.vendor == "postgresql"
    elif not url:
        assert connection.vendor == "sqlite"
    else:
        pytest.skip(f"DATABASE_URL names neither PostgreSQL nor nothing: {url.split(':')[0]}")


@pytest.mark.django_db
def test_a_model_round_trips() -> None:
    created = Organization.objects.create(
        kind="municipality", name_en="X", name_ja="架け橋市", name_local="Бишкек", country="JP"
    )

    fetched = Organization.objects.get(pk=created.pk)

    assert (fetched.kind, fetched.name_en, fetched.country) == ("municipality", "X", "JP")
    assert (fetched.name_ja, fetched.name_local) == ("架け橋市", "Бишкек")
