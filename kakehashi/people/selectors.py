"""Reads of persons through the actor (docs/access.md): who sees whom is decided by
kakehashi.access.visibility.person_visibility, and nowhere else."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from kakehashi.access import Actor
from kakehashi.access.policy import sees_all_presentations
from kakehashi.access.visibility import EVERYTHING, person_visibility
from kakehashi.core import crypto
from kakehashi.core.errors import NotFound
from kakehashi.core.search import search_key

from .models import Person, Presentation


def persons_visible_to(actor: Actor) -> QuerySet[Person]:
    condition = person_visibility(actor)
    if condition == EVERYTHING:
        # Japan's contact point: no condition (a subquery of every id cost a full scan).
        return Person.objects.all()
    # The condition joins presentations and cases; selecting by id keeps one row a person.
    return Person.objects.filter(pk__in=Person.objects.filter(condition).values("pk"))


def persons_named(word: str) -> QuerySet[Person]:
    """Persons whose names contain `word`, in any script and case (core/search.py), through
    the trigram index: pg_trgm on PostgreSQL, the FTS5 trigram table on SQLite (three
    characters or more; a shorter word is looked for without it)."""
    key = search_key(word)
    if not key:
        return Person.objects.none()
    if connection.vendor == "sqlite" and len(key) >= 3:
        # A key holds only a-z, 0-9 and spaces: nothing to escape in the pattern.
        ids = RawSQL(
            "SELECT rowid FROM people_person_search WHERE search_key LIKE %s", [f"%{key}%"]
        )
        return Person.objects.filter(pk__in=ids)
    return Person.objects.filter(search_key__contains=key)


# A search matching at most this many persons is read as their ids first, then sorted.
FEW_MATCHES = 2000


def _named_ids(word: str, limit: int) -> set[int]:
    """Up to `limit` ids of persons whose names contain `word`. On PostgreSQL the match is
    a MATERIALIZED CTE, planned without the LIMIT: with it, the planner may expect to stop
    early and scan the whole table instead of the trigram index (1.4 s at a million)."""
    key = search_key(word)
    if connection.vendor == "postgresql" and len(key) >= 3:
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH m AS MATERIALIZED (SELECT id FROM people_person WHERE search_key LIKE %s) "
                "SELECT id FROM m LIMIT %s",
                [f"%{key}%", limit],
            )
            return {row[0] for row in cursor.fetchall()}
    return set(persons_named(word).values_list("pk", flat=True)[:limit])


def _few_matches(words: list[str]) -> set[int] | None:
    """The ids of the persons every word matches, when each word matches at most
    FEW_MATCHES; None when a word matches more (or there is no word)."""
    found: set[int] | None = None
    for word in words:
        ids = _named_ids(word, FEW_MATCHES + 1)
        if any(c.isdigit() for c in word):
            digest = crypto.digest("passport", word)
            ids |= set(Person.objects.filter(passport_digest=digest).values_list("pk", flat=True))
        if len(ids) > FEW_MATCHES:
            return None
        found = ids if found is None else found & ids
    return found


def person_list(actor: Actor, search: str | None = None) -> QuerySet[Person]:
    qs = persons_visible_to(actor)
    words = (search or "").split()
    for word in words:
        match = Q(pk__in=persons_named(word).values("pk"))
        if any(c.isdigit() for c in word):  # a passport number: found by its keyed hash
            match |= Q(passport_digest=crypto.digest("passport", word))
        qs = qs.filter(match)
    few = _few_matches(words)
    if few is not None:
        # A name matching a few persons among a million: given the list's order by name,
        # PostgreSQL walked the name index from "A" testing each person (4 s at a million).
        # The matches' ids are read first, each word alone through its index, then sorted.
        qs = persons_visible_to(actor).filter(pk__in=few)
    return qs.select_related("created_by_organization").order_by("family_name", "given_names", "id")


def person_get_for_user(actor: Actor, person_id: int) -> Person:
    person = persons_visible_to(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFound("person")
    return person


def presentations_visible_to(actor: Actor, person: Person) -> list[Presentation]:
    """All presentations for the registering organization; for others only those made to
    or by their own organizations (who else was offered the person is not theirs to know)."""
    rows = list(person.presentations.select_related("organization", "presented_by_organization"))
    if sees_all_presentations(actor, person):
        return rows
    own = actor.organization_ids
    return [p for p in rows if p.organization_id in own or p.presented_by_organization_id in own]
