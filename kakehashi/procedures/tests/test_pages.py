"""The procedure pages (kakehashi/procedures/views.py): any signed-in user reads the
definitions; signed-out users go to the sign-in page; an unknown country or version is 404.
The detail shows, for each pattern, its steps in order with who records them, what they
wait for and record, their deadlines, the rules checked (in words) and their sources."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kakehashi.procedures import registry

PERSONAS = ["hana", "vic", "ito", "mayu", "isao", "aida", "bakyt", "rustam", "sato", "nobody"]


def client_for(user: Any, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def html(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def kg_page(world: Any) -> str:
    response = client_for(world.hana).get(reverse("procedures:detail", args=["KG"]))
    assert response.status_code == 200
    return html(response)


@pytest.mark.parametrize("url", ["/procedures/", "/procedures/KG/"])
def test_signed_out_users_are_sent_to_sign_in(db, url):
    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("name", PERSONAS)
def test_every_signed_in_user_reads_the_procedures(world, name):
    client = client_for(world.user(name))

    listing = client.get(reverse("procedures:list"))
    detail = client.get(reverse("procedures:detail", args=["KG"]))

    assert listing.status_code == 200
    assert detail.status_code == 200
    assert "Acceptance of Kyrgyz nationals as Specified Skilled Workers" in html(detail)


def test_list_shows_each_definition_with_its_dates(world):
    response = client_for(world.hana).get(reverse("procedures:list"))

    page = html(response)
    assert response.context["nav"] == "procedures"
    assert "Acceptance of Kyrgyz nationals as Specified Skilled Workers" in page
    assert "2023-07" in page
    assert "2023-07-06" in page
    assert "in force" in page
    assert f'href="{reverse("procedures:detail", args=["KG"])}"' in page


def test_detail_lists_every_pattern_with_its_steps_in_order(world, kg_page):
    definition = registry.definition_in_force("KG", datetime.date.today())
    assert definition is not None
    for pattern in definition.patterns:
        assert f"Pattern {pattern.number}: {pattern.title.en}" in kg_page
        positions = [
            kg_page.index(f'id="pattern-{pattern.key}-{entry.step}"') for entry in pattern.steps
        ]
        assert positions == sorted(positions)
    assert "The person already lives in Japan." in kg_page  # change of status


def test_detail_says_who_records_each_step_and_on_which_side(kg_page):
    assert "The receiving organization" in kg_page
    assert "The sending country&#x27;s contact point (the Center)" in kg_page
    assert "Japan-side procedure" in kg_page
    assert "Kyrgyz-side procedure" in step_item(kg_page, "via_agency", "center_registration")
    assert "Japan-side procedure" in step_item(kg_page, "direct", "visa_application")
    # Steps the source marks neither (contracts between the parties) show no side.
    assert "procedure</span>" not in step_item(kg_page, "direct", "employment_contract")
    assert "Receiving organization, at the regional immigration bureau" in kg_page


def step_item(page: str, pattern: str, step: str) -> str:
    start = page.index(f'id="pattern-{pattern}-{step}"')
    return page[start : page.index("</li>\n", start)]


def test_detail_shows_blocking_and_advisory_prerequisites(kg_page):
    first = step_item(kg_page, "direct", "employment_contract")
    by_default = step_item(kg_page, "direct", "coe_decision")  # the previous step
    explicit = step_item(kg_page, "via_agency", "coe_application")

    assert "Nothing: this step can be recorded first." in first
    assert "“Certificate of Eligibility (COE) application” (must be recorded first)" in by_default
    assert "“Employment contract signed” (must be recorded first)" in explicit
    assert (
        "“Contract registered with the Center” (advisory: it should be done, "
        "but this step does not wait for it)"
    ) in explicit


def test_detail_shows_the_evidence_recorded(kg_page):
    assert "Monthly wage (JPY) (whole number, required)" in kg_page
    assert "Planned start of work (date, optional)" in kg_page
    assert "Japanese and Russian" in kg_page  # a choice
    assert "Must be at least what a Japanese worker would be paid" in kg_page  # help


def test_detail_shows_deadlines_with_their_period_and_steps(kg_page):
    assert "COE validity (3 months)" in kg_page
    assert "3 months from the date of this step" in kg_page
    assert "“COE sent to the candidate”, “Visa application at the Embassy of Japan”" in kg_page
    assert "Met when “Landing permitted, SSW status granted” is recorded." in kg_page
    assert "can be recorded again" in kg_page


def test_detail_names_the_rules_in_words_not_codes(kg_page):
    assert "SSW (i) eligibility: age, skill test, Japanese test" in kg_page
    assert "Field open and not suspended" in kg_page
    assert "Sending agency certified on that date" in kg_page
    assert "Placement licence (flag)" in kg_page
    assert "(raises a flag, does not refuse)" in kg_page
    for code in ["ssw1_eligible", "field_accepting", "agency_certified", "placement_licence"]:
        assert code not in kg_page


def test_detail_cites_sources_by_title_and_lists_them(kg_page):
    """Sources are shown by the document's title and section, linked to the list of
    sources; never a file name."""
    assert "Procedure for accepting Kyrgyz nationals (Immigration Services Agency)</a> 2(1)" in (
        kg_page
    )
    assert "Procedure for accepting nationals of the Kyrgyz Republic as Specified" in kg_page
    assert 'href="/sources/#isa_kg_flow"' in kg_page
    assert "shared/" not in kg_page
    assert ".txt" not in kg_page


def test_detail_in_japanese(world):
    response = client_for(world.hana, language="ja").get(reverse("procedures:detail", args=["KG"]))

    page = html(response)
    assert response.status_code == 200
    assert "キルギス国籍の方の特定技能外国人としての受入れ手続" in page
    assert "雇用契約の締結" in page


def test_a_named_version_is_shown(world):
    response = client_for(world.hana).get(
        reverse("procedures:detail", args=["KG"]), {"version": "2023-07"}
    )

    assert response.status_code == 200
    assert "Version 2023-07, in force from 2023-07-06." in html(response)


@pytest.mark.parametrize(
    ("country", "params"),
    [("XX", {}), ("kg", {}), ("KG", {"version": "1999-01"}), ("JP", {})],
)
def test_unknown_country_or_version_is_404(world, country, params):
    response = client_for(world.hana).get(reverse("procedures:detail", args=[country]), params)

    assert response.status_code == 404


def test_an_older_version_is_marked_not_in_force(world, monkeypatch):
    current = registry.definition_version("KG", "2023-07")
    old = current.model_copy(
        update={
            "version": "2020-01",
            "effective_from": datetime.date(2020, 1, 1),
            "effective_until": datetime.date(2023, 7, 5),
        }
    )
    monkeypatch.setattr(registry, "all_definitions", lambda: (old, current))
    client = client_for(world.hana)

    listing = html(client.get(reverse("procedures:list")))
    default = html(client.get(reverse("procedures:detail", args=["KG"])))
    older = client.get(reverse("procedures:detail", args=["KG"]), {"version": "2020-01"})

    assert "not in force" in listing
    assert "?version=2020-01" in listing
    assert "Version 2023-07" in default  # the one in force, by default
    assert "Version 2020-01, in force from 2020-01-01 until 2023-07-05." in html(older)
    assert "This version is not in force today." in html(older)
