"""Search by name through the trigram index, in any script and case: "Асанов" finds the
passport's "ASANOV", "Айзада" finds "AIZADA", "jose" finds "JOSÉ"; the same for the case
list; the query uses the index (FTS5 on SQLite, pg_trgm on PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kakehashi.access import Actor
from kakehashi.core.search import search_key
from kakehashi.people.models import Person
from kakehashi.people.selectors import person_list, persons_named
from kakehashi.testing.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def people(world: Any) -> dict[str, Person]:
    org = world.care_home
    return {
        "asanov": PersonFactory(
            family_name="ASANOV",
            given_names="BAKYT",
            native_name="Асанов Бакыт",
            created_by_organization=org,
        ),
        "aizada": PersonFactory(
            family_name="TOKTOGULOVA",
            given_names="AIZADA",
            native_name="",
            created_by_organization=org,
        ),
        "jose": PersonFactory(
            family_name="NÚÑEZ", given_names="JOSÉ", native_name="", created_by_organization=org
        ),
        "sato": PersonFactory(
            family_name="SATO",
            given_names="HANAKO",
            native_name="さとう はなこ",
            created_by_organization=org,
        ),
    }


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("Асанов", "asanov"),
        ("asanov", "asanov"),
        ("АСАН", "asanov"),
        ("Бакыт", "asanov"),
        ("Айзада", "aizada"),  # anyascii "Ayzada", the passport "AIZADA"
        ("токтогулова", "aizada"),
        ("jose", "jose"),
        ("Núñez", "jose"),
        ("さとう", "sato"),
        ("hanako", "sato"),
    ],
)
def test_a_name_is_found_in_any_script_and_case(people, typed, who):
    assert list(persons_named(typed)) == [people[who]]


def test_nothing_for_a_name_not_there_or_a_word_of_punctuation(people):
    assert not persons_named("Петров").exists()
    assert not persons_named("--").exists()


def test_the_person_and_case_lists_search_through_it(world, people):
    found = person_list(Actor.of(world.hana), "Асанов Бакыт")
    assert list(found) == [people["asanov"]]


def test_the_key_follows_a_change_of_name(people):
    person = people["jose"]
    person.family_name = "PÉREZ"
    person.save(update_fields=["family_name"])
    assert list(persons_named("perez")) == [person]
    assert not persons_named("nunez").exists()
    assert Person.objects.get(pk=person.pk).search_key == search_key("PÉREZ", "JOSÉ", "")


def test_the_search_uses_the_trigram_index(people):
    with CaptureQueriesContext(connection) as queries:
        list(persons_named("asanov").order_by())
    sql = queries.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        else:
            # On a tiny table the planner would rather read it all, or walk another index:
            # forbid both, so that the plan shows whether the trigram index can serve.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("EXPLAIN " + sql)
        plan = " ".join(str(row) for row in cursor.fetchall())
    if connection.vendor == "sqlite":
        assert "people_person_search VIRTUAL TABLE INDEX" in plan, plan
    else:
        assert "people_person_search_trgm" in plan, plan
