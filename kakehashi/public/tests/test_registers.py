"""What the public registers say: a decision recorded through the registries' service shows
at once on the page and in both feeds; the register "as of" any past date gives the state of
that day; search and the state filter; each other register lists its rows on the date."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.registries import services as registries

from .conftest import agency, anonymous, csv_of, json_of, text


def agency_json(org: Any, **params: Any) -> dict[str, Any]:
    items = json_of(anonymous().get("/public/agencies.json", params))["items"]
    return next(i for i in items if i["id"] == org.pk)


def agency_csv(org: Any, **params: Any) -> dict[str, str]:
    rows = csv_of(anonymous().get("/public/agencies.csv", params))
    return next(r for r in rows if r["id"] == str(org.pk))


def agency_cell(org: Any, **params: Any) -> str:
    """The agency's row on the HTML page, from its link to the end of the row."""
    body = text(anonymous().get("/public/agencies/", params))
    start = body.index(f'href="/public/agencies/{org.pk}/')
    return body[start : body.index("</tr>", start)]


# --- a revocation shows everywhere at once ----------------------------------------------


def test_revoking_an_agency_changes_the_page_both_feeds_and_the_revocations(
    world: Any, decide: Any
) -> None:
    """Same request cycle, no cache: each read below is a fresh request to the views."""
    today = timezone.localdate()
    assert ">Certified</span>" in agency_cell(world.agency)
    assert agency_json(world.agency)["state"] == "certified"
    assert agency_csv(world.agency)["state"] == "certified"
    assert json_of(anonymous().get("/public/revocations.json"))["items"] == []
    assert "Ala-Too Bridge" not in text(anonymous().get("/public/revocations/"))

    decide(world.agency, "revoked", today, reason="Collected deposits from workers")

    cell = agency_cell(world.agency)
    assert ">Revoked</span>" in cell
    assert f'<td data-label="Since">{today.isoformat()}</td>' in cell
    assert agency_json(world.agency)["state"] == "revoked"
    assert agency_json(world.agency)["since"] == today.isoformat()
    assert agency_csv(world.agency)["state"] == "revoked"
    assert agency_csv(world.agency)["last_changed_on"] == today.isoformat()
    [revocation] = json_of(anonymous().get("/public/revocations.json"))["items"]
    assert revocation["agency_id"] == world.agency.pk
    assert revocation["revoked_on"] == today.isoformat()
    # The reason is the ministry's information (moc_kg §3): not published without consent.
    assert revocation["reason"] == ""
    assert revocation["agency_url"] == f"http://testserver/public/agencies/{world.agency.pk}/"
    [row] = csv_of(anonymous().get("/public/revocations.csv"))
    assert row["agency_name_en"] == "Ala-Too Bridge"
    page = text(anonymous().get("/public/revocations/"))
    assert "Ala-Too Bridge" in page
    assert "Collected deposits from workers" not in page
    history = text(anonymous().get(f"/public/agencies/{world.agency.pk}/"))
    assert "Collected deposits from workers" not in history
    assert "Center for Employment of Citizens Abroad" in history


# --- as of a date -----------------------------------------------------------------------

A = datetime.date(2024, 3, 1)  # certified (valid until 2029-12-31)
B = datetime.date(2024, 6, 1)  # suspended
C = datetime.date(2024, 9, 1)  # resumed
D = datetime.date(2025, 1, 15)  # revoked
DAY = datetime.timedelta(days=1)

EXPECTED = [
    (A - DAY, "none", None, None),
    (A, "certified", A, A),
    (B - DAY, "certified", A, A),
    (B, "suspended", B, B),
    (C - DAY, "suspended", B, B),
    (C, "certified", C, C),
    (D - DAY, "certified", C, C),
    (D, "revoked", D, D),
    (D + 200 * DAY, "revoked", D, D),
]


@pytest.fixture
def history(world: Any, decide: Any) -> Any:
    org = agency("Issyk-Kul Workers")
    decide(
        org,
        "certified",
        A,
        valid_until=datetime.date.fromisoformat("2029-12-31"),
        certificate_number="MLSM-2024-031",
    )
    decide(org, "suspended", B, reason="Fees charged without a breakdown")
    decide(org, "resumed", C)
    decide(org, "revoked", D, reason="Forged documents")
    return org


@pytest.mark.parametrize(("on", "state", "since", "last_change"), EXPECTED)
def test_the_register_on_each_date_gives_that_days_state(
    history: Any,
    on: datetime.date,
    state: str,
    since: datetime.date | None,
    last_change: datetime.date | None,
) -> None:
    iso = on.isoformat()
    item = agency_json(history, on=iso)
    assert item["state"] == state
    assert item["since"] == (since.isoformat() if since else None)
    assert item["last_changed_on"] == (last_change.isoformat() if last_change else None)
    assert agency_csv(history, on=iso)["state"] == state
    label = {"none": "Not certified", "certified": "Certified"}.get(state, state.capitalize())
    cell = agency_cell(history, on=iso)
    assert f">{label}</span>" in cell
    assert f'<td data-label="Last change">{last_change or "—"}</td>' in cell
    assert json_of(anonymous().get("/public/agencies.json", {"on": iso}))["as_of"] == iso


def test_the_register_keeps_the_certificate_and_validity_while_suspended(history: Any) -> None:
    item = agency_json(history, on=(B + DAY).isoformat())
    assert item["certificate_number"] == "MLSM-2024-031"
    assert item["valid_until"] == "2029-12-31"


def test_a_certification_past_its_validity_shows_as_expired_from_the_next_day(
    world: Any, decide: Any
) -> None:
    org = agency("Naryn Staffing")
    decide(org, "certified", A, valid_until=datetime.date.fromisoformat("2024-12-31"))
    assert agency_json(org, on="2024-12-31")["state"] == "certified"
    item = agency_json(org, on="2025-01-01")
    assert item["state"] == "expired"
    assert item["since"] == "2025-01-01"
    assert ">Expired</span>" in agency_cell(org, on="2025-01-01")


def test_the_agency_page_gives_the_dated_history_up_to_the_date(history: Any) -> None:
    body = text(anonymous().get(f"/public/agencies/{history.pk}/"))
    for day in (A, B, C, D):
        assert f'<td data-label="Effective on">{day.isoformat()}</td>' in body
    # Reasons are not published without the ministry's written consent (moc_kg §3).
    assert "Fees charged without a breakdown" not in body
    assert "Forged documents" not in body
    assert ">Revoked</span>" in body
    past = text(anonymous().get(f"/public/agencies/{history.pk}/", {"on": "2024-07-01"}))
    assert ">Suspended</span>" in past
    assert "Forged documents" not in past
    assert f'<td data-label="Effective on">{C.isoformat()}</td>' not in past


def test_a_reason_is_published_only_with_the_ministrys_written_consent(
    world: Any, decide: Any, publish_reason: Any
) -> None:
    """MOC §3: the ministry's reasons are its information. The public sees one only once
    the ministry has recorded its written consent to publish it; a certification's own
    notes never."""
    org = agency("Osh Connect")
    decide(
        org,
        "certified",
        A,
        valid_until=datetime.date.fromisoformat("2029-12-31"),
        reason="internal: checked by desk 4",
    )
    suspension = decide(org, "suspended", B, reason="Unclear fees")
    before = text(anonymous().get(f"/public/agencies/{org.pk}/"))
    api_before = anonymous().get(f"/api/v1/registries/agencies/{org.pk}/history").json()
    assert "Unclear fees" not in before
    assert [d["reason"] for d in api_before] == ["", ""]

    publish_reason(suspension)

    after = text(anonymous().get(f"/public/agencies/{org.pk}/"))
    assert "Unclear fees" in after
    assert "desk 4" not in after
    api_after = anonymous().get(f"/api/v1/registries/agencies/{org.pk}/history").json()
    assert [d["reason"] for d in api_after] == ["", "Unclear fees"]


def test_revocations_are_listed_as_of_their_date(history: Any) -> None:
    before = json_of(anonymous().get("/public/revocations.json", {"on": (D - DAY).isoformat()}))
    assert before["items"] == []
    after = json_of(anonymous().get("/public/revocations.json", {"on": D.isoformat()}))
    assert [i["agency_id"] for i in after["items"]] == [history.pk]


# --- search and filter ------------------------------------------------------------------


@pytest.fixture
def named(world: Any, decide: Any) -> dict[str, Any]:
    bishkek = agency("Bishkek Care Link", name_local="Бишкек Кеа Линк", name_ja="ビシケク・ケア")
    talas = agency("Talas Skills", name_local="Талас Скиллс", name_ja="タラス・スキルズ")
    decide(talas, "certified", A, valid_until=datetime.date.fromisoformat("2029-12-31"))
    decide(talas, "suspended", B, reason="Unclear fees")
    return {"bishkek": bishkek, "talas": talas, "alatoo": world.agency}


def ids(**params: Any) -> set[int]:
    return {i["id"] for i in json_of(anonymous().get("/public/agencies.json", params))["items"]}


def test_search_by_name_in_any_script(named: dict[str, Any]) -> None:
    assert ids(q="care link") == {named["bishkek"].pk}
    assert ids(q="Талас") == {named["talas"].pk}
    assert ids(q="ビシケク") == {named["bishkek"].pk}
    assert ids(q="nowhere") == set()
    body = text(anonymous().get("/public/agencies/", {"q": "Talas"}))
    assert "Talas Skills" in body
    assert "Bishkek Care Link" not in body
    assert "Талас Скиллс" in body  # the local-script name is shown under the name
    empty = text(anonymous().get("/public/agencies/", {"q": "nowhere"}))
    assert "No agency matches this search on this date." in empty


def test_filter_by_state(named: dict[str, Any]) -> None:
    assert ids(state="suspended") == {named["talas"].pk}
    assert ids(state="certified") == {named["alatoo"].pk}
    assert named["bishkek"].pk in ids(state="none")
    assert ids(state="suspended", on=(B - DAY).isoformat()) == set()
    assert ids(state="certified", on=(B - DAY).isoformat()) == {
        named["alatoo"].pk,
        named["talas"].pk,
    }
    rows = csv_of(anonymous().get("/public/agencies.csv", {"state": "suspended"}))
    assert [r["name_en"] for r in rows] == ["Talas Skills"]
    body = text(anonymous().get("/public/agencies/", {"state": "suspended"}))
    assert "Talas Skills" in body
    assert "Ala-Too Bridge" not in body
    assert '<option value="suspended" selected>' in body


# --- the other registers ----------------------------------------------------------------


def test_a_closed_order_shows_its_closing_date_from_that_date_only(world: Any) -> None:
    order = registries.improvement_order_record(
        actor=Actor.of(world.isao),
        receiving_organization_id=world.care_home.pk,
        issued_on=datetime.date.fromisoformat("2025-03-03"),
        summary="Overtime was not paid",
    )
    registries.improvement_order_close(
        actor=Actor.of(world.isao),
        order_id=order.pk,
        closed_on=datetime.date.fromisoformat("2025-09-30"),
        note="Overtime paid",
    )
    now = json_of(anonymous().get("/public/improvement-orders.json"))["items"]
    assert now[0]["closed_on"] == "2025-09-30"
    before = json_of(anonymous().get("/public/improvement-orders.json", {"on": "2025-06-01"}))
    assert before["items"][0]["closed_on"] is None
    assert "Overtime paid" not in text(anonymous().get("/public/improvement-orders/"))


def test_improvement_orders_are_listed_from_their_date(world: Any) -> None:
    registries.improvement_order_record(
        actor=Actor.of(world.isao),
        receiving_organization_id=world.care_home.pk,
        issued_on=datetime.date.fromisoformat("2025-03-03"),
        order_number="IO-2025-7",
        summary="Overtime was not paid",
    )
    [item] = json_of(anonymous().get("/public/improvement-orders.json"))["items"]
    assert item["organization_name_en"] == "Shinano Care Home"
    assert item["organization_name_ja"] == "信濃ケアホーム"
    assert (item["order_number"], item["issued_on"]) == ("IO-2025-7", "2025-03-03")
    assert item["summary"] == "Overtime was not paid"
    assert item["closed_on"] is None
    page = text(anonymous().get("/public/improvement-orders/"))
    assert "Shinano Care Home" in page
    assert "IO-2025-7" in page
    assert "Overtime was not paid" in page
    before = anonymous().get("/public/improvement-orders.json", {"on": "2025-03-02"})
    assert json_of(before)["items"] == []


def test_support_organizations_in_force_on_the_date(world: Any) -> None:
    registration = registries.support_registration_record(
        actor=Actor.of(world.isao),
        organization_id=world.support.pk,
        registration_number="19登-000123",
        registered_on=datetime.date.fromisoformat("2024-04-01"),
        valid_until=datetime.date.fromisoformat("2029-03-31"),
        languages="ky, ru, ja",
    )
    [item] = json_of(anonymous().get("/public/support-organizations.json"))["items"]
    assert item == {
        "registration_number": "19登-000123",
        "organization_name_en": "Niigata Support",
        "organization_name_ja": world.support.name_ja,
        "registered_on": "2024-04-01",
        "valid_until": "2029-03-31",
        "languages": "ky, ru, ja",
    }
    page = text(anonymous().get("/public/support-organizations/"))
    assert "19登-000123" in page
    assert "ky, ru, ja" in page
    assert (
        json_of(anonymous().get("/public/support-organizations.json", {"on": "2024-03-31"}))[
            "items"
        ]
        == []
    )
    registries.support_registration_cancel(
        actor=Actor.of(world.isao),
        registration_id=registration.pk,
        cancelled_on=datetime.date.fromisoformat("2025-05-01"),
    )
    assert json_of(anonymous().get("/public/support-organizations.json"))["items"] == []
    still = anonymous().get("/public/support-organizations.json", {"on": "2025-04-30"})
    assert len(json_of(still)["items"]) == 1


def test_field_suspensions_in_force_and_ended(world: Any) -> None:
    registries.field_suspension_record(
        actor=Actor.of(world.isao),
        field_code="care",
        starts_on=datetime.date.fromisoformat("2024-01-01"),
        ends_on=datetime.date.fromisoformat("2024-06-30"),
        reason="Shortage filled in 2024",
    )
    registries.field_suspension_record(
        actor=Actor.of(world.isao),
        field_code="construction",
        starts_on=datetime.date.fromisoformat("2025-01-01"),
        reason="Filled",
    )
    items = json_of(anonymous().get("/public/field-suspensions.json"))["items"]
    assert [(i["field_code"], i["in_force"]) for i in items] == [
        ("construction", True),
        ("care", False),
    ]
    assert items[1]["ends_on"] == "2024-06-30"
    assert items[0]["ends_on"] is None
    rows = csv_of(anonymous().get("/public/field-suspensions.csv"))
    assert [(r["field_code"], r["in_force"]) for r in rows] == [
        ("construction", "true"),
        ("care", "false"),
    ]
    page = text(anonymous().get("/public/field-suspensions/"))
    in_force, ended = page.split("Ended suspensions")
    assert "Construction" in in_force
    assert "until further notice" in in_force
    assert "Shortage filled in 2024" not in page  # Japan's reasons go to the contact points
    assert "Care" in ended or "Nursing care" in ended
    then = json_of(anonymous().get("/public/field-suspensions.json", {"on": "2024-03-01"}))
    assert [(i["field_code"], i["in_force"]) for i in then["items"]] == [("care", True)]
