"""Pages of a signed-in list read by key (core/pagination.keyset_page): following "Next"
visits every row once in the list's order, whatever the directions and NULLs of its
columns, and a mangled or stale `after` is handled."""

from __future__ import annotations

import pytest
from django.core.exceptions import BadRequest
from django.db.models import F
from django.test import RequestFactory

from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.core.pages import list_page
from kakehashi.core.pagination import keyset_page

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def orgs() -> list[Organization]:
    cities = [
        Organization.objects.create(
            kind=OrganizationKind.MUNICIPALITY, name_en=f"C{n}", country="JP"
        )
        for n in range(2)
    ]
    made = []
    for n in range(9):
        # Some without a city (NULL), several sharing one: ties broken by id.
        city = None if n % 3 == 0 else cities[n % 2]
        made.append(
            Organization.objects.create(
                kind=OrganizationKind.RECEIVING_ORGANIZATION,
                name_en=f"E{n}",
                country="JP",
                municipality=city,
            )
        )
    return made


def _walk(order: list[str], size: int) -> list[int]:
    qs = Organization.objects.filter(kind=OrganizationKind.RECEIVING_ORGANIZATION)
    seen: list[int] = []
    after = None
    while True:
        page = keyset_page(qs, order=order, size=size, after=after)
        seen += [o.pk for o in page]
        if not page.has_next:
            return seen
        after = page.next_after


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (["municipality", "id"], [F("municipality").asc(nulls_last=True), "id"]),
        (["-municipality", "id"], [F("municipality").desc(nulls_first=True), "id"]),
        (["municipality", "-id"], [F("municipality").asc(nulls_last=True), "-id"]),
        (["-id"], ["-id"]),
    ],
)
@pytest.mark.parametrize("size", [1, 2, 4, 20])
def test_following_next_visits_every_row_once_in_order(orgs, order, expected, size):
    want = list(
        Organization.objects.filter(kind=OrganizationKind.RECEIVING_ORGANIZATION)
        .order_by(*expected)
        .values_list("pk", flat=True)
    )
    assert _walk(order, size) == want


@pytest.mark.sqlite
def test_a_walk_by_key_with_nulls_on_sqlite(orgs):
    """SQLite sorts NULLs first unless told: the one walk the SQLite stage repeats."""
    want = list(
        Organization.objects.filter(kind=OrganizationKind.RECEIVING_ORGANIZATION)
        .order_by(F("municipality").asc(nulls_last=True), "id")
        .values_list("pk", flat=True)
    )
    assert _walk(["municipality", "id"], 2) == want


def test_a_row_no_longer_visible_starts_the_list_again(orgs):
    qs = Organization.objects.filter(kind=OrganizationKind.RECEIVING_ORGANIZATION)
    page = keyset_page(qs.exclude(pk=orgs[0].pk), order=["-id"], size=3, after=orgs[0].pk)
    assert page.is_first
    assert [o.pk for o in page] == [o.pk for o in sorted(orgs[1:], key=lambda o: -o.pk)][:3]


@pytest.mark.parametrize("raw", ["abc", "-1", "1e3", "9" * 19])
def test_a_mangled_after_is_a_bad_request(db, raw):
    request = RequestFactory().get("/cases/", {"after": raw})
    with pytest.raises(BadRequest):
        list_page(request, Organization.objects.all(), order=["-id"], size=3)
