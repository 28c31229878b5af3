"""Every public page and feed is open to a visitor with no account, links to its feeds, has
the published format (JSON envelope, CSV with BOM and header), is cacheable for a minute
when anonymous and never when signed in, refuses a bad parameter with a 400 that names it,
and renders in Japanese and in English."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.public import presenters
from kakehashi.registries import services as registries

from .conftest import FEEDS, LIST_PAGES, anonymous, csv_of, json_of, text

COLUMNS = {
    "agencies": presenters.AGENCY_COLUMNS,
    "revocations": presenters.REVOCATION_COLUMNS,
    "improvement-orders": presenters.IMPROVEMENT_ORDER_COLUMNS,
    "support-organizations": presenters.SUPPORT_ORGANIZATION_COLUMNS,
    "field-suspensions": presenters.FIELD_SUSPENSION_COLUMNS,
}


@pytest.fixture
def registers(world: Any, decide: Any) -> Any:
    """One row in every register: a revocation (of the rogue agency, certified first), an
    improvement order, a registered support organization, a field suspension."""
    decide(
        world.rogue_agency,
        "certified",
        datetime.date(2024, 2, 1),
        valid_until=datetime.date.fromisoformat("2028-01-31"),
    )
    decide(world.rogue_agency, "revoked", datetime.date(2024, 8, 1), reason="Took deposits")
    registries.improvement_order_record(
        actor=Actor.of(world.isao),
        receiving_organization_id=world.care_home.pk,
        issued_on=datetime.date.fromisoformat("2025-03-03"),
        order_number="IO-2025-7",
        summary="Unpaid overtime",
    )
    registries.support_registration_record(
        actor=Actor.of(world.isao),
        organization_id=world.support.pk,
        registration_number="19登-000123",
        registered_on=datetime.date.fromisoformat("2024-04-01"),
        valid_until=datetime.date.fromisoformat("2029-03-31"),
        languages="ky, ru, ja",
    )
    registries.field_suspension_record(
        actor=Actor.of(world.isao),
        field_code="care",
        starts_on=datetime.date.fromisoformat("2025-01-01"),
        reason="Shortage filled",
    )
    return world


def all_urls(world: Any) -> list[str]:
    return ["/public/", *LIST_PAGES, f"/public/agencies/{world.agency.pk}/", *FEEDS]


def test_every_page_and_feed_is_open_to_an_anonymous_visitor(registers: Any) -> None:
    client = anonymous()
    for url in all_urls(registers):
        response = client.get(url)
        assert response.status_code == 200, url


def test_each_list_links_to_its_json_and_csv_feeds(db: None) -> None:
    client = anonymous()
    for page in LIST_PAGES:
        name = page.strip("/").split("/")[-1]
        body = text(client.get(page))
        assert f'href="/public/{name}.json"' in body, page
        assert f'href="/public/{name}.csv"' in body, page


def test_the_feed_links_keep_the_date_and_the_search(db: None) -> None:
    body = text(anonymous().get("/public/agencies/?q=Bridge&state=certified&on=2025-01-02"))
    assert 'href="/public/agencies.json?on=2025-01-02&amp;q=Bridge&amp;state=certified"' in body
    assert 'href="/public/agencies.csv?on=2025-01-02&amp;q=Bridge&amp;state=certified"' in body


def test_the_index_links_every_register_with_its_section_of_the_moc(db: None) -> None:
    body = text(anonymous().get("/public/"))
    for page in LIST_PAGES:
        assert f'href="{page}"' in body
    for section in ("§6(1)", "§6(2)", "§6(3)", "§7(5)", "§8"):
        assert section in body


def test_the_public_pages_do_not_show_the_signed_in_navigation(db: None) -> None:
    response = anonymous().get("/public/agencies/")
    assert response.status_code == 200  # not a redirect to the sign-in page
    assert 'class="site-nav"' not in text(response)


@pytest.mark.parametrize("name", list(COLUMNS))
def test_json_feeds_have_the_envelope_and_stable_keys(registers: Any, name: str) -> None:
    body = json_of(anonymous().get(f"/public/{name}.json"))
    # The count comes last: the feed is streamed as its rows are read (core/feeds.py).
    assert list(body) == ["generated_at", "as_of", "next", "items", "count"]
    assert body["next"] is None  # one page holds them all
    assert body["count"] == len(body["items"])
    assert body["as_of"] == timezone.localdate().isoformat()
    assert datetime.datetime.fromisoformat(body["generated_at"]).tzinfo is not None
    assert body["items"], "the fixture puts a row in every register"
    for item in body["items"]:
        assert tuple(item) == COLUMNS[name]


@pytest.mark.parametrize("name", list(COLUMNS))
def test_csv_feeds_have_a_bom_a_header_and_the_json_rows(registers: Any, name: str) -> None:
    client = anonymous()
    response = client.get(f"/public/{name}.csv")
    rows = csv_of(response)
    header = text(response)[1:].splitlines()[0]
    assert header.split(",") == list(COLUMNS[name])
    items = json_of(client.get(f"/public/{name}.json"))["items"]
    assert len(rows) == len(items) > 0
    for row, item in zip(rows, items, strict=True):
        for key, value in item.items():
            expected = "" if value is None else str(value)
            if isinstance(value, bool):
                expected = "true" if value else "false"
            assert row[key] == expected, (name, key)
    disposition = response["Content-Disposition"]
    assert disposition == (
        f'attachment; filename="kakehashi-{name}-{timezone.localdate().isoformat()}.csv"'
    )


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(
    world: Any, decide: Any, publish_reason: Any
) -> None:
    decide(
        world.rogue_agency,
        "certified",
        datetime.date(2024, 2, 1),
        valid_until=datetime.date.fromisoformat("2028-01-31"),
    )
    revoked = decide(
        world.rogue_agency, "revoked", datetime.date(2024, 8, 1), reason="=HYPERLINK(1)"
    )
    publish_reason(revoked)
    rows = csv_of(anonymous().get("/public/revocations.csv"))
    assert rows[0]["reason"] == "'=HYPERLINK(1)"
    items = json_of(anonymous().get("/public/revocations.json"))["items"]
    assert items[0]["reason"] == "=HYPERLINK(1)"  # JSON carries the text as recorded


def test_the_csv_opens_as_utf8_with_japanese_names(world: Any) -> None:
    world.agency.name_ja = "アラトー・ブリッジ"
    world.agency.save()
    raw = anonymous().get("/public/agencies.csv").content
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "アラトー・ブリッジ".encode() in raw


# --- caching ----------------------------------------------------------------------------


def cache_control(response: Any) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_anonymous_feeds_may_be_cached_by_anyone_for_a_minute(world: Any) -> None:
    for url in FEEDS:
        response = anonymous().get(url)
        assert cache_control(response) == {"public", "max-age=60"}, url
        assert response["Access-Control-Allow-Origin"] == "*"
        assert not response.cookies, f"{url} must not set a cookie (it is cached publicly)"


def test_anonymous_pages_may_be_kept_by_the_browser_only(world: Any) -> None:
    for url in ["/public/", *LIST_PAGES, f"/public/agencies/{world.agency.pk}/"]:
        response = anonymous().get(url)
        # The layout carries a CSRF token (language switch): never in a shared cache.
        assert cache_control(response) == {"private", "max-age=60"}, url


def test_signed_in_users_get_no_store_even_on_public_pages(world: Any) -> None:
    client = Client()
    client.force_login(world.hana)
    for url in ["/public/agencies/", "/public/agencies.json", "/public/agencies.csv"]:
        directives = cache_control(client.get(url))
        assert {"no-store", "private", "max-age=0"} <= directives, url
        assert "public" not in directives, url


# --- parameters -------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2025-13-01", "yesterday", "20250101", "2025-02-30"])
def test_an_invalid_date_is_a_400_page_naming_the_parameter(db: None, value: str) -> None:
    for page in LIST_PAGES:
        response = anonymous().get(page, {"on": value})
        assert response.status_code == 422, page
        body = text(response)
        assert "The parameter “on” must be a date written as YYYY-MM-DD" in body
        assert "Cache-Control" not in response or "max-age=60" not in response["Cache-Control"]


def test_an_invalid_date_in_a_feed_is_a_422_naming_the_parameter(db: None) -> None:
    for url in FEEDS:
        response = anonymous().get(url, {"on": "2025-1-1"})
        assert response.status_code == 422, url
        body = json_of(response)  # the same error format for the JSON and the CSV feeds
        assert body["code"] == "invalid_parameter"
        assert body["problems"][0]["field"] == "on"
        assert body["problems"][0]["code"] == "invalid_date"


def test_an_invalid_date_on_an_agency_page_is_a_422(world: Any) -> None:
    response = anonymous().get(f"/public/agencies/{world.agency.pk}/", {"on": "1 May"})
    assert response.status_code == 422
    assert "“on”" in text(response)


def test_an_unknown_state_or_an_overlong_search_is_a_400_naming_it(db: None) -> None:
    state = anonymous().get("/public/agencies/", {"state": "approved"})
    assert state.status_code == 422
    assert "The parameter “state” must be one of: certified, suspended" in text(state)
    assert (
        json_of(anonymous().get("/public/agencies.json", {"state": "x"}))["problems"][0]["field"]
        == "state"
    )
    search = anonymous().get("/public/agencies.csv", {"q": "a" * 101})
    assert search.status_code == 422
    assert "“q”" in text(search)


def test_a_future_date_shows_today_and_says_so(world: Any) -> None:
    today = timezone.localdate()
    future = (today + datetime.timedelta(days=30)).isoformat()
    page = anonymous().get("/public/agencies/", {"on": future})
    assert page.status_code == 200
    body = text(page)
    assert f"There is no register for a future date ({future})" in body
    assert f"this is the register as of today, {today.isoformat()}" in body
    assert f'value="{today.isoformat()}"' in body
    assert json_of(anonymous().get("/public/agencies.json", {"on": future}))["as_of"] == (
        today.isoformat()
    )


def test_a_past_date_is_announced_with_a_way_back_to_today(world: Any) -> None:
    body = text(anonymous().get("/public/revocations/", {"on": "2024-05-01"}))
    assert "This is the register as it stood on 2024-05-01." in body
    assert 'href="/public/revocations/">Show today’s register' in body
    assert "This is the register as it stood on" not in text(
        anonymous().get("/public/revocations/")
    )


def test_an_organization_that_is_not_a_sending_agency_has_no_public_page(world: Any) -> None:
    assert anonymous().get(f"/public/agencies/{world.care_home.pk}/").status_code == 404
    assert anonymous().get("/public/agencies/999999/").status_code == 404


def test_only_get_is_allowed(db: None) -> None:
    assert anonymous().post("/public/agencies/").status_code == 405
    assert anonymous().post("/public/agencies.json").status_code == 405


# --- languages --------------------------------------------------------------------------


def html_lang(body: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', body)
    assert match
    return match.group(1)


def test_the_english_page_renders_in_english(registers: Any) -> None:
    body = text(anonymous("en").get("/public/agencies/"))
    assert html_lang(body) == "en"
    assert "<h1>Certified sending agencies</h1>" in body
    assert ">Certified</span>" in body
    assert ">Revoked</span>" in body


def test_the_japanese_page_renders_in_japanese_by_accept_language(registers: Any) -> None:
    registers.rogue_agency.name_ja = "ファストビザ"
    registers.rogue_agency.save()
    body = text(anonymous("ja").get("/public/agencies/"))
    assert html_lang(body) == "ja"
    assert "架け橋" in body  # the site's name, from the Japanese catalogue
    assert ">認定</span>" in body  # "Certified"
    assert ">取消し</span>" in body  # "Revoked"
    assert ">ファストビザ</a>" in body  # the agency's Japanese name
    fields = text(anonymous("ja").get("/public/field-suspensions/"))
    assert "<td data-label=" in fields
    assert "介護" in fields  # the care field's Japanese name


def test_the_language_cookie_chooses_the_language(registers: Any) -> None:
    client = anonymous("en")
    client.cookies["django_language"] = "ja"
    assert html_lang(text(client.get("/public/revocations/"))) == "ja"
    client.cookies["django_language"] = "en"
    assert html_lang(text(client.get("/public/revocations/"))) == "en"


def test_the_language_switch_works_for_an_anonymous_visitor(db: None) -> None:
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    page = client.get("/public/agencies/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/i18n/setlang/",
        {"language": "ja", "next": "/public/agencies/", "csrfmiddlewaretoken": token},
    )
    assert page.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == "/public/agencies/"
    assert html_lang(text(client.get("/public/agencies/"))) == "ja"
