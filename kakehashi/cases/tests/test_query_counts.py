"""Lists and the case page cost a fixed number of queries whatever their size (no N+1),
and cursor pagination returns every row once, newest first, while rows are added
(shared/STYLE.md: "django_assert_num_queries on every list")."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kakehashi.access import Actor
from kakehashi.accounts.models import OrganizationKind
from kakehashi.cases import services
from kakehashi.cases.models import Case
from kakehashi.testing.documents import required_uploads
from kakehashi.testing.factories import OrganizationFactory, PersonFactory, make_eligible

from .helpers import DIRECT, actor_for, evidence_for

PATTERNS = ["direct", "via_center", "via_agency"]


def add_cases(world: Any, count: int) -> list[int]:
    """`count` cases of the care home, across the patterns, each with its own person."""
    ids = []
    for index in range(count):
        pattern = PATTERNS[index % len(PATTERNS)]
        person = make_eligible(PersonFactory(created_by_organization=world.care_home), "care")
        result = services.case_create(
            actor=Actor.of(world.hana),
            person_id=person.pk,
            field_code="care",
            category_code="care",
            pattern=pattern,
            sending_agency_id=world.agency.pk if pattern == "via_agency" else None,
        )
        ids.append(result.case.pk)
    return ids


def count_queries(client: Any, path: str, **params: Any) -> tuple[int, Any, list[str]]:
    """Queries of one GET, after a first GET so that the token's last-used time (written
    at most once a minute) does not count."""
    warm = client.get(path, **params)
    assert warm.status_code == 200, warm.json()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **params)
    assert response.status_code == 200, response.json()
    return len(captured), response, [q["sql"] for q in captured.captured_queries]


def assert_same_count(client: Any, path: str, expected: int, assert_num: Any) -> Any:
    client.get(path)
    with assert_num(expected):
        response = client.get(path)
    assert response.status_code == 200, response.json()
    return response


def test_the_case_list_does_not_grow_with_the_number_of_cases(
    world, api_as, django_assert_num_queries
):
    hana = api_as("hana")
    add_cases(world, 3)
    few, response, sql = count_queries(hana, "/cases")
    assert len(response.json()["items"]) == 3
    print(f"GET /cases: {few} queries for 3 cases", *sql, sep="\n  ")

    add_cases(world, 27)
    response = assert_same_count(hana, "/cases", few, django_assert_num_queries)

    assert len(response.json()["items"]) == 30
    agencies = {i["sending_agency"]["id"] for i in response.json()["items"] if i["sending_agency"]}
    assert agencies == {world.agency.pk}


def test_the_person_list_does_not_grow_with_the_number_of_persons(
    world, api_as, django_assert_num_queries
):
    hana = api_as("hana")
    for _ in range(3):
        PersonFactory(created_by_organization=world.care_home)
    few, response, sql = count_queries(hana, "/persons")
    assert len(response.json()["items"]) == 3
    print(f"GET /persons: {few} queries for 3 persons", *sql, sep="\n  ")

    for _ in range(27):
        make_eligible(PersonFactory(created_by_organization=world.care_home), "care")
    response = assert_same_count(hana, "/persons", few, django_assert_num_queries)

    assert len(response.json()["items"]) == 30


def test_the_organization_list_does_not_grow_with_the_number_of_organizations(
    world, api_as, django_assert_num_queries
):
    hana = api_as("hana")
    baseline = len(count_queries(hana, "/organizations")[1].json()["items"])
    for _ in range(3):
        OrganizationFactory(municipality=world.city)
    few, response, sql = count_queries(hana, "/organizations")
    assert len(response.json()["items"]) == baseline + 3
    print(f"GET /organizations: {few} queries for {baseline + 3} organizations", *sql, sep="\n  ")

    for index in range(27):
        if index % 2:
            OrganizationFactory(municipality=world.city)
        else:
            OrganizationFactory(kind=OrganizationKind.SENDING_AGENCY, country="KG")
    response = assert_same_count(hana, "/organizations", few, django_assert_num_queries)

    assert len(response.json()["items"]) == baseline + 30


def test_the_case_page_does_not_grow_with_the_number_of_completed_steps(
    world, api_as, django_assert_num_queries
):
    hana = api_as("hana")
    one, seven = add_cases(world, 1) + add_cases(world, 1)
    for case_id, steps in ((one, DIRECT[:1]), (seven, DIRECT)):
        for step in steps:
            services.case_complete_step(
                actor=Actor.of(world.user(actor_for(step))),
                case_id=case_id,
                step_key=step,
                evidence=evidence_for(step),
                documents=required_uploads(case_id, step),
            )
    few, response, sql = count_queries(hana, f"/cases/{one}")
    assert [s["status"] for s in response.json()["steps"]].count("done") == 1
    print(f"GET /cases/id: {few} queries with 1 step done", *sql, sep="\n  ")

    response = assert_same_count(hana, f"/cases/{seven}", few, django_assert_num_queries)

    body = response.json()
    assert [s["status"] for s in body["steps"]].count("done") == 7
    # created, seven steps, and the COE, the visa and the residence card uploaded with theirs
    assert len(body["events"]) == 11


# --- Cursor pagination ----------------------------------------------------------------


def pages(client: Any, limit: int, between: Any = None) -> list[list[int]]:
    result: list[list[int]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = client.get("/cases", **params)
        assert response.status_code == 200, response.json()
        body = response.json()
        result.append([item["id"] for item in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            return result
        assert len(result) < 50, "pagination does not end"
        if between is not None:
            between(len(result))


def test_paging_through_the_cases_returns_each_once_newest_first(world, api_as):
    ids = add_cases(world, 30)

    got = pages(api_as("hana"), limit=7)

    assert [len(page) for page in got] == [7, 7, 7, 7, 2]
    flat = [case_id for page in got for case_id in page]
    assert flat == sorted(ids, reverse=True)


def test_an_exact_multiple_of_the_limit_ends_without_an_empty_page(world, api_as):
    ids = add_cases(world, 14)

    got = pages(api_as("hana"), limit=7)

    assert [case_id for page in got for case_id in page] == sorted(ids, reverse=True)
    assert all(got), got


def test_a_case_created_between_pages_causes_no_duplicate_or_gap(world, api_as):
    ids = add_cases(world, 30)
    added: list[int] = []

    def create_one(_page: int) -> None:
        added.extend(add_cases(world, 1))

    got = pages(api_as("hana"), limit=7, between=create_one)

    flat = [case_id for page in got for case_id in page]
    assert len(flat) == len(set(flat))
    assert [case_id for case_id in flat if case_id in ids] == sorted(ids, reverse=True)
    assert set(flat) - set(ids) <= set(added)
    assert len(added) == 4
    assert Case.objects.count() == 34


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "%%%",
        "ünïcode",
        _cursor("id:abc"),
        _cursor("page:3"),
        _cursor("id"),
        base64.urlsafe_b64encode(b"\xff\xfe:1").decode(),
    ],
)
def test_an_invalid_cursor_is_refused(world, api_as, cursor):
    add_cases(world, 2)

    response = api_as("hana").get("/cases", cursor=cursor)

    body = response.json()
    assert response.status_code == 422, body
    assert body["code"] == "invalid_input"
    assert [(p["code"], p["field"]) for p in body["problems"]] == [("invalid_cursor", "cursor")]


@pytest.mark.parametrize("path", ["/cases", "/persons", "/organizations"])
@pytest.mark.parametrize("limit", [0, -1, 201, 500])
def test_a_limit_out_of_range_is_refused(world, api_as, path, limit):
    response = api_as("hana").get(path, limit=limit)

    body = response.json()
    assert response.status_code == 422, body
    assert [p["field"] for p in body["problems"]] == ["limit"]


@pytest.mark.parametrize("limit", [1, 200])
def test_the_limits_of_the_range_are_accepted(world, api_as, limit):
    add_cases(world, 2)

    response = api_as("hana").get("/cases", limit=limit)

    assert response.status_code == 200, response.json()
    assert len(response.json()["items"]) == min(limit, 2)
