"""The reads the bench times, each beside its floor: the SQL that fetches the rows the page
shows, run on the same connection with nothing around it. A read's cost above its floor is
what Kakehashi adds (the policy, the other queries, the template, the middleware)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test import Client

from kakehashi.accounts.models import Organization, User
from kakehashi.cases.models import Case
from kakehashi.core.search import search_key


@dataclass
class Read:
    name: str
    user: str | None  # a demo username, or None for an anonymous visitor
    url: str
    floor: str  # SQL with %s parameters
    params: list[Any] = field(default_factory=list)
    search: str = ""  # a name search kept in the session before the read (never in a URL)


@dataclass
class Timing:
    read: Read
    app_ms: float
    floor_ms: float
    queries: int
    status: int
    size: int

    @property
    def target_ms(self) -> float:
        return max(1.5 * self.floor_ms, self.floor_ms + 15)

    @property
    def within(self) -> bool:
        return self.app_ms <= self.target_ms


LIST = """SELECT c.id, c.reference, c.status, c.current_step, c.pattern, p.family_name,
p.given_names, o.name_en, f.code, b.code FROM cases_case c
JOIN people_person p ON p.id = c.person_id
JOIN accounts_organization o ON o.id = c.receiving_organization_id
JOIN reference_field f ON f.id = c.field_id
JOIN reference_businesscategory b ON b.id = c.business_category_id"""


def _org(user: str) -> Organization:
    return Organization.objects.filter(memberships__user__username=user).get()


def reads(search_term: str) -> list[Read]:
    employer = _org("hana")
    city = _org("mayu")
    some_case = Case.objects.filter(receiving_organization=employer).order_by("-id").first()
    assert some_case is not None
    deep = Case.objects.filter(country="KG").order_by("-id").values_list("id", flat=True)[5000:5001]
    deep_after = deep[0] if deep else some_case.pk
    field_code = some_case.field.code
    return [
        Read(
            "case list, employer",
            "hana",
            "/cases/",
            LIST + " WHERE c.receiving_organization_id = %s ORDER BY c.id DESC LIMIT 26",
            [employer.pk],
        ),
        Read(
            "case list, Center",
            "aida",
            "/cases/",
            LIST + " WHERE c.country = %s ORDER BY c.id DESC LIMIT 26",
            ["KG"],
        ),
        Read(
            "case list, Center, status filter",
            "aida",
            "/cases/?status=completed",
            LIST + " WHERE c.country = %s AND c.status = %s ORDER BY c.id DESC LIMIT 26",
            ["KG", "completed"],
        ),
        Read(
            "case list, Center, field filter",
            "aida",
            f"/cases/?field={field_code}",
            LIST + " WHERE c.country = %s AND f.code = %s ORDER BY c.id DESC LIMIT 26",
            ["KG", field_code],
        ),
        Read(
            "case list, Center, step filter",
            "aida",
            "/cases/?step=coe_application",
            LIST + " WHERE c.country = %s AND c.current_step = %s ORDER BY c.id DESC LIMIT 26",
            ["KG", "coe_application"],
        ),
        Read(
            "case list, Center, page 200",
            "aida",
            f"/cases/?after={deep_after}",
            LIST + " WHERE c.country = %s AND c.id < %s ORDER BY c.id DESC LIMIT 26",
            ["KG", deep_after],
        ),
        Read(
            "case list, city",
            "mayu",
            "/cases/",
            LIST + " WHERE c.municipality_id = %s ORDER BY c.id DESC LIMIT 26",
            [city.pk],
        ),
        Read(
            "case list, ISA",
            "isao",
            "/cases/",
            LIST + " ORDER BY c.id DESC LIMIT 26",
        ),
        Read(
            "case detail, employer",
            "hana",
            f"/cases/{some_case.pk}/",
            "SELECT * FROM cases_case c JOIN people_person p ON p.id = c.person_id "
            "WHERE c.id = %s; SELECT * FROM cases_casestep WHERE case_id = %s",
            [some_case.pk, some_case.pk],
        ),
        Read(
            "home, employer",
            "hana",
            "/",
            LIST + " WHERE c.status = 'open' AND c.receiving_organization_id = %s "
            "ORDER BY c.next_due, c.updated_at, c.id LIMIT 26",
            [employer.pk],
        ),
        Read(
            "home, Center",
            "aida",
            "/",
            LIST + " WHERE c.status = 'open' AND c.country = %s "
            "ORDER BY c.next_due, c.updated_at, c.id LIMIT 26",
            ["KG"],
        ),
        Read(
            "home, city",
            "mayu",
            "/",
            "SELECT c.status, COUNT(*) FROM cases_case c WHERE c.municipality_id = %s "
            "GROUP BY c.status",
            [city.pk],
        ),
        Read(
            "search by name, ISA",
            "isao",
            "/persons/",
            search=search_term,
            # The matches through the trigram index (FTS5 on SQLite), then sorted.
            floor="WITH m AS MATERIALIZED (SELECT id FROM people_person WHERE search_key LIKE %s) "
            "SELECT p.id, p.family_name, p.given_names FROM people_person p JOIN m ON m.id = p.id "
            "ORDER BY p.family_name, p.given_names, p.id LIMIT 51"
            if connection.vendor == "postgresql"
            else "SELECT p.id, p.family_name, p.given_names FROM people_person p WHERE p.id IN "
            "(SELECT rowid FROM people_person_search WHERE search_key LIKE %s) "
            "ORDER BY p.family_name, p.given_names, p.id LIMIT 51",
            params=[f"%{search_key(search_term)}%"],
        ),
        Read(
            "public agencies page",
            None,
            "/public/agencies/",
            "SELECT o.id, o.name_en, d.action, d.effective_on FROM accounts_organization o "
            "LEFT JOIN registries_agencycertificationdecision d ON d.agency_id = o.id "
            "WHERE o.kind = 'sending_agency' ORDER BY o.name_en LIMIT 51",
        ),
        Read(
            "public agencies feed (all)",
            None,
            "/public/agencies.json?all=true",
            "SELECT o.id, o.name_en, d.action, d.effective_on FROM accounts_organization o "
            "LEFT JOIN registries_agencycertificationdecision d ON d.agency_id = o.id "
            "WHERE o.kind = 'sending_agency' ORDER BY o.name_en",
        ),
        Read(
            "public revocations feed",
            None,
            "/public/revocations.json",
            "SELECT * FROM registries_agencycertificationdecision WHERE action = 'revoked'",
        ),
        Read(
            "public support organizations feed",
            None,
            "/public/support-organizations.json",
            "SELECT * FROM registries_supportorganizationregistration",
        ),
        Read(
            "job board",
            None,
            "/jobs/",
            "SELECT * FROM joboffers_joboffer WHERE status = 'published' ORDER BY id DESC LIMIT 21",
        ),
        Read(
            "job board feed (all)",
            None,
            "/jobs/offers.json?all=true",
            "SELECT * FROM joboffers_joboffer WHERE status = 'published' ORDER BY id DESC",
        ),
    ]


def _clients() -> Callable[[str | None], Client]:
    made: dict[str | None, Client] = {}

    def client(user: str | None) -> Client:
        if user not in made:
            made[user] = Client()
            if user is not None:
                made[user].force_login(User.objects.get(username=user))
        return made[user]

    return client


def _body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _floor(read: Read) -> None:
    params = list(read.params)
    with connection.cursor() as cursor:
        for sql in read.floor.split("; "):
            count = sql.count("%s")
            cursor.execute(sql, params[:count])
            cursor.fetchall()
            params = params[count:]


def time_reads(all_reads: list[Read], rounds: int) -> Iterator[Timing]:
    """Each read and its floor alternately, `rounds` times, after one warm-up of each: the
    medians, and the app's query count."""
    client = _clients()
    for read in all_reads:
        c = client(read.user)
        if read.search:
            c.post("/persons/search/", {"q": read.search})
        _body(c.get(read.url))  # warm-up: connection, caches, session
        _floor(read)
        queries = 0

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = c.get(read.url)
            body = _body(response)
        app, floor = [], []
        for _ in range(rounds):
            start = time.perf_counter()
            _body(c.get(read.url))
            app.append(time.perf_counter() - start)
            start = time.perf_counter()
            _floor(read)
            floor.append(time.perf_counter() - start)
        yield Timing(
            read,
            statistics.median(app) * 1000,
            statistics.median(floor) * 1000,
            queries,
            response.status_code,
            len(body),
        )
