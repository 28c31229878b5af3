"""The city's pages in a real browser: the dashboard on the home page, and the statistics
whose bars carry the same numbers as the tables beside them. Screenshots:
test-output/screenshots/hub-*.png (`make test-browser`)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from kakehashi.access import Actor
from kakehashi.cases import services as case_services
from kakehashi.cases.tests.test_browser import login
from kakehashi.testing.factories import PersonFactory, make_eligible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_city_sees_its_dashboard_and_charts_that_match_the_tables(
    page: Any, world: Any, screenshot: Any
) -> None:
    for family in ("ALPHA", "BETA"):
        person = PersonFactory(created_by_organization=world.care_home, family_name=family)
        make_eligible(person, "care")
        case_services.case_create(
            actor=Actor.of(world.hana),
            person_id=person.pk,
            field_code="care",
            category_code="care",
            pattern="direct",
        )
    login(page, "mayu")
    page.goto("/")
    expect(page.locator("#hub-dashboard")).to_be_visible()
    expect(page.locator("#hub-waiting tbody tr")).to_have_count(2)
    screenshot("hub-dashboard")

    page.goto("/hub/statistics/")
    sections = page.locator("section.stat-table")
    assert sections.count() >= 5
    for index in range(sections.count()):
        section = sections.nth(index)
        bars = section.locator("svg rect.chart__bar")
        cells = section.locator("td.num")
        bar_values = [bars.nth(i).get_attribute("data-value") for i in range(bars.count())]
        table_values = [cells.nth(i).get_attribute("data-value") for i in range(cells.count())]
        assert bar_values == table_values, section.get_attribute("id")
    residents = page.locator("#residents-JP-2022-12-31")
    expect(residents.locator("svg")).to_be_visible()
    assert residents.locator("rect.chart__bar").first.get_attribute("data-value") == "179"
    screenshot("hub-statistics")
