"""The public job board (/jobs/, /jobs/offers.json, /jobs/offers.csv, /api/v1/public/jobs):
readable without signing in, only published offers that have not closed, only their
public fields, and never anyone who contacted an employer."""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kakehashi.access import Actor
from kakehashi.joboffers import services

from .helpers import (
    CONTACT_EMAIL,
    CONTACT_FAMILY_NAME,
    CONTACT_PHONE,
    bulk_published,
    client_for,
    html,
    make_offer,
    record_contact,
    today,
)

CHANNELS = ["page", "json", "csv", "api"]


def board_ids(channel: str, client: Client | None = None, **filters: str) -> list[int]:
    """The offer ids the board lists through one channel, in its order."""
    client = client or Client()
    if channel == "page":
        response = client.get(reverse("jobs:board"), filters)
        assert response.status_code == 200, html(response)
        return [row["offer"].pk for row in response.context["rows"]]
    if channel == "json":
        response = client.get(reverse("jobs:board_json"), filters)
        assert response.status_code == 200, response.content
        return [o["id"] for o in response.json()["items"]]
    if channel == "csv":
        response = client.get(reverse("jobs:board_csv"), filters)
        assert response.status_code == 200, response.content
        return [int(r["id"]) for r in csv_rows(response)]
    response = client.get("/api/v1/public/jobs", filters)
    assert response.status_code == 200, response.content
    return [o["id"] for o in response.json()["items"]]


def csv_rows(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def everything_public(offer_id: int) -> str:
    """Every public rendering of the board and of one offer, as one text."""
    client = client_for(None)
    parts = [
        html(client.get(reverse("jobs:board"))),
        html(client.get(reverse("jobs:offer", args=[offer_id]))),
        client.get(reverse("jobs:board_json")).content.decode(),
        client.get(reverse("jobs:board_csv")).content.decode("utf-8-sig"),
        client.get("/api/v1/public/jobs").content.decode(),
        client.get(f"/api/v1/public/jobs/{offer_id}").content.decode(),
    ]
    return "\n".join(parts)


# --- what is shown ------------------------------------------------------------------------


def test_anonymous_visitors_read_the_board_and_an_offer(world):
    offer = make_offer(world, "published")
    anonymous = client_for(None)

    board = anonymous.get(reverse("jobs:board"))
    page = anonymous.get(reverse("jobs:offer", args=[offer.pk]))

    assert board.status_code == 200
    assert page.status_code == 200
    assert "Care worker, Nagaoka" in html(board)
    assert "Shinano Care Home" in html(page)
    assert "230,000 yen a month" in html(page)
    assert "Daily care of residents" in html(page)
    assert "recruit@shinano-care.example.jp" in html(page)
    assert reverse("cases:list") not in html(page)  # no staff navigation when signed out
    assert reverse("login") not in board.get("Location", "")


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("status", ["draft", "submitted", "rejected", "withdrawn"])
def test_only_published_offers_are_on_the_board(world, channel, status):
    shown = make_offer(world, "published")
    hidden = make_offer(world, status, title="Hidden offer")

    assert board_ids(channel) == [shown.pk]
    assert client_for(None).get(reverse("jobs:offer", args=[hidden.pk])).status_code == 404
    assert Client().get(f"/api/v1/public/jobs/{hidden.pk}").status_code == 404


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_published_offer_that_was_withdrawn_leaves_the_board(world, channel):
    offer = make_offer(world, "published")
    assert board_ids(channel) == [offer.pk]

    services.job_offer_withdraw(actor=Actor.of(world.hana), offer_id=offer.pk)

    assert board_ids(channel) == []


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_offer_past_its_closing_date_leaves_the_board(world, channel):
    open_until_today = bulk_published(world, 1, closes_on=today())[0]
    bulk_published(world, 1, closes_on=today() - datetime.timedelta(days=1))

    assert board_ids(channel) == [open_until_today.pk]


def test_no_personal_data_on_any_public_page(world):
    """A contact's name, e-mail and phone, and the Center's internal note, never appear
    in the public HTML, JSON or CSV, even once a case was opened for the contact."""
    offer = make_offer(world, "submitted")
    services.job_offer_review(
        actor=Actor.of(world.aida),
        offer_id=offer.pk,
        decision="publish",
        note="Checked by phone 0312",
    )
    contact = record_contact(world, offer, given_names="NURGUL")
    services.candidate_contact_start_case(
        actor=Actor.of(world.hana),
        offer_id=offer.pk,
        contact_id=contact.pk,
        date_of_birth=datetime.date(2001, 5, 6),
    )

    public = everything_public(offer.pk)

    assert "Care worker, Nagaoka" in public  # the offer itself is there
    for secret in (
        CONTACT_FAMILY_NAME,
        "NURGUL",
        CONTACT_EMAIL,
        CONTACT_PHONE,
        "0312",
        "2001-05-06",
    ):
        assert secret.lower() not in public.lower(), secret


def test_the_json_has_the_public_fields_in_both_languages(world):
    offer = make_offer(world, "published")

    body = Client().get(reverse("jobs:board_json")).json()

    assert body["count"] == 1
    data = body["items"][0]
    assert data["url"] == f"http://testserver/jobs/{offer.pk}/"
    assert data["receiving_organization"] == {
        "id": world.care_home.pk,
        "name_ja": "信濃ケアホーム",
        "name_en": "Shinano Care Home",
    }
    assert data["field"] == {"code": "care", "name_ja": "介護", "name_en": "Nursing care"}
    assert data["published_on"] == today().isoformat()
    assert data["japanese_level_required"] == "N4"
    assert set(data) == {
        "id",
        "url",
        "country",
        "receiving_organization",
        "field",
        "business_category",
        "title",
        "description",
        "positions",
        "work_location",
        "monthly_wage_jpy",
        "japanese_level_required",
        "organization_info",
        "how_to_apply",
        "published_on",
        "closes_on",
        "worker_pays_nothing",
    }
    raw = Client().get(reverse("jobs:board_json")).content.decode()
    assert "信濃ケアホーム" in raw  # readable UTF-8, not \u escapes
    assert json.loads(raw) == body | {"generated_at": json.loads(raw)["generated_at"]}


def test_the_csv_opens_in_a_spreadsheet_and_runs_no_formula(world):
    make_offer(world, "published", title='=HYPERLINK("http://evil.example")')

    response = Client().get(reverse("jobs:board_csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())  # so that Excel reads UTF-8
    row = csv_rows(response)[0]
    assert row["title"] == '\'=HYPERLINK("http://evil.example")'
    assert row["field_ja"] == "介護"
    assert row["monthly_wage_jpy"] == "230000"


@pytest.mark.parametrize(
    ("language", "field_name", "lang_attr"),
    [("ja", "介護", 'lang="ja"'), ("en", "Nursing care", 'lang="en"')],
)
def test_the_board_is_in_japanese_and_english(world, language, field_name, lang_attr):
    offer = make_offer(world, "published")
    client = client_for(None, language=language)

    board = html(client.get(reverse("jobs:board")))
    page = html(client.get(reverse("jobs:offer", args=[offer.pk])))

    assert lang_attr in board
    assert field_name in board
    assert field_name in page


def test_the_board_pages_by_20(world):
    offers = bulk_published(world, 21)

    first = client_for(None).get(reverse("jobs:board"))
    second = client_for(None).get(reverse("jobs:board"), {"page": 2})

    assert [r["offer"].pk for r in first.context["rows"]] == [o.pk for o in offers[::-1][:20]]
    assert [r["offer"].pk for r in second.context["rows"]] == [offers[0].pk]
    assert 'href="?page=2"' in html(first)


# --- filters ---------------------------------------------------------------------------------


@pytest.fixture
def by_level(world: Any) -> dict[str, int]:
    return {
        level: bulk_published(world, 1, japanese_level_required=level)[0].pk
        for level in ("A2", "N4", "N3", "N2", "N1")
    }


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    ("candidate_level", "offers_shown"),
    [
        ("N3", {"A2", "N4", "N3"}),  # a candidate with N3 sees N4 and N3 offers (and A2)
        ("N4", {"A2", "N4"}),
        ("A2", {"A2", "N4"}),  # JFT-Basic A2 and JLPT N4 are the same SSW (i) step
        ("N2", {"A2", "N4", "N3", "N2"}),
        ("N1", {"A2", "N4", "N3", "N2", "N1"}),
        ("", {"A2", "N4", "N3", "N2", "N1"}),  # no level: everything
    ],
)
def test_japanese_level_shows_offers_at_or_below_it(
    by_level, channel, candidate_level, offers_shown
):
    shown = board_ids(channel, japanese_level=candidate_level)

    assert set(shown) == {by_level[level] for level in offers_shown}


@pytest.mark.parametrize("channel", CHANNELS)
def test_field_and_location_filters(world, channel):
    from kakehashi.reference.models import BusinessCategory, Field

    care_nagaoka = bulk_published(world, 1, work_location="新潟県長岡市 (Niigata, Nagaoka)")[0]
    care_tokyo = bulk_published(world, 1, work_location="Tokyo, Shinjuku")[0]
    cleaning = bulk_published(
        world,
        1,
        field=Field.objects.get(code="building_cleaning"),
        business_category=BusinessCategory.objects.get(code="building_cleaning"),
        work_location="Sapporo, Hokkaido",
    )[0]

    assert set(board_ids(channel, field="care")) == {care_nagaoka.pk, care_tokyo.pk}
    assert board_ids(channel, field="building_cleaning") == [cleaning.pk]
    assert board_ids(channel, location="nagaoka") == [care_nagaoka.pk]
    assert board_ids(channel, location="長岡") == [care_nagaoka.pk]
    assert board_ids(channel, location="Niigata Nagaoka") == [care_nagaoka.pk]
    assert board_ids(channel, field="care", location="tokyo") == [care_tokyo.pk]
    assert board_ids(channel, location="Osaka") == []


@pytest.mark.parametrize(
    ("params", "field"),
    [({"japanese_level": "N5"}, "japanese_level"), ({"field": "space_travel"}, "field")],
)
def test_an_unknown_filter_value_is_a_422_naming_the_filter(world, params, field):
    make_offer(world, "published")

    for url in (reverse("jobs:board_json"), reverse("jobs:board_csv"), "/api/v1/public/jobs"):
        response = Client().get(url, params)
        assert response.status_code == 422, url
        assert [p["field"] for p in response.json()["problems"]] == [field], url
    page = client_for(None).get(reverse("jobs:board"), params)
    assert page.status_code == 422
    assert page.context["rows"] == []
    assert f'id="id_{field}_error"' in html(page)


def test_filters_stay_in_the_data_links(world):
    make_offer(world, "published")

    page = html(
        client_for(None).get(reverse("jobs:board"), {"field": "care", "japanese_level": "N3"})
    )

    assert f"{reverse('jobs:board_json')}?field=care&amp;japanese_level=N3" in page
    assert f"{reverse('jobs:board_csv')}?field=care&amp;japanese_level=N3" in page
