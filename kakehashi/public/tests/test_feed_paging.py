"""The JSON feeds page by position with stable next links, send the whole feed on
?all=true, refuse bad paging parameters by name, and answer conditional requests."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from kakehashi.accounts.models import Organization, OrganizationKind

from .conftest import anonymous, json_of

UNTIL = datetime.date(2028, 1, 31)


@pytest.fixture
def agencies(world: Any, decide: Any) -> list[Organization]:
    made = []
    for n in range(7):
        agency = Organization.objects.create(
            kind=OrganizationKind.SENDING_AGENCY, name_en=f"Agency {n:02d}", country="KG"
        )
        decide(agency, "certified", datetime.date(2025, 1, 1), valid_until=UNTIL)
        made.append(agency)
    return made


def _walk(url: str) -> tuple[list[str], int]:
    """Every item's name, following the next links from `url`; and how many pages."""
    names, pages = [], 0
    while url:
        response = anonymous().get(url)
        body = json_of(response)
        names += [item["name_en"] for item in body["items"]]
        pages += 1
        if body["next"]:
            assert response["Link"] == f'<{body["next"]}>; rel="next"'
        url = body["next"]
    return names, pages


@pytest.mark.sqlite
def test_following_the_next_links_gives_every_item_once(agencies: Any) -> None:
    whole = json_of(anonymous().get("/public/agencies.json?all=true"))
    assert "next" not in whole
    names, pages = _walk("/public/agencies.json?limit=3")
    assert names == [item["name_en"] for item in whole["items"]]
    assert len(names) == len(set(names)) >= 7
    assert pages == -(-len(names) // 3)


def test_a_row_added_between_pages_neither_repeats_nor_hides_another(
    agencies: Any, decide: Any
) -> None:
    first = json_of(anonymous().get("/public/agencies.json?limit=3"))
    seen = [item["name_en"] for item in first["items"]]
    # An agency sorting before the cursor is added: the next page goes on where it was.
    early = Organization.objects.create(
        kind=OrganizationKind.SENDING_AGENCY, name_en="AAA first", country="KG"
    )
    decide(early, "certified", datetime.date(2025, 1, 1), valid_until=UNTIL)
    rest, _pages = _walk(first["next"])
    assert not set(seen) & set(rest)
    assert {a.name_en for a in agencies} <= set(seen) | set(rest)
    assert "AAA first" not in rest


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=ten", "limit"),
        ("cursor=%%%", "cursor"),
        ("cursor=bm90IGpzb24", "cursor"),
        ("all=maybe", "all"),
        ("all=true&limit=5", "all"),
    ],
)
def test_bad_paging_parameters_are_refused_by_name(db: None, query: str, field: str) -> None:
    for path in ("/public/agencies.json", "/jobs/offers.json"):
        response = anonymous().get(f"{path}?{query}")
        assert response.status_code == 422, (path, query)
        assert [p["field"] for p in json_of(response)["problems"]] == [field]


def test_a_feed_answers_a_conditional_request_until_something_changes(
    agencies: Any, decide: Any
) -> None:
    first = anonymous().get("/public/agencies.json")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"')
    again = anonymous().get("/public/agencies.json", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again["ETag"] == etag
    since = anonymous().get("/public/agencies.csv", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    # Another page of the same feed is another representation.
    other = anonymous().get("/public/agencies.json?limit=2")
    assert other["ETag"] != etag
    decide(agencies[0], "suspended", datetime.date(2025, 6, 1))
    changed = anonymous().get("/public/agencies.json", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert any(item["state"] == "suspended" for item in json_of(changed)["items"])
