"""Personal data in a real browser: the worker opens their data page from their own page,
asks for a correction, the care home accepts it on the person page; the care home records
an incident and sees whether a report is due and by when. Screenshots:
test-output/screenshots/privacy-*.png."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kakehashi.cases.tests.helpers import landed_case
from kakehashi.cases.tests.test_browser import login, logout, no_horizontal_scroll
from kakehashi.people.models import Person

from .conftest import give_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_worker_sees_their_data_and_asks_for_a_correction(
    page: Any, world: Any, screenshot: Any
) -> None:
    case = landed_case(
        world,
        family_name="TOKTOGULOVA",
        given_names="AIZADA",
        native_name="Токтогулова Айзада",
        email="aizada@example.kg",
    )
    give_account(case.person, "aizada.t")
    login(page, "aizada.t")
    page.goto("/me/")
    page.locator("a[href='/privacy/my-data/']").first.click()
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text("TOKTOGULOVA")
    expect(page.locator("a[href='/privacy/my-data/data.pdf']")).to_be_visible()
    screenshot("privacy-my-data")
    # On a phone, as most workers read it: nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    width, visible = no_horizontal_scroll(page)
    assert width <= visible, (width, visible)
    screenshot("privacy-my-data-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    form = page.locator("form[action^='/privacy/my-data/corrections/']")
    form.locator("[name='correction-field']").select_option("date_of_birth")
    form.locator("[name='correction-value']").fill("1 March 2000")
    form.locator("button[type=submit]").click()
    # Refused on its field: a date is written YYYY-MM-DD.
    expect(page.locator("#id_correction-value_error")).to_be_visible()
    screenshot("privacy-my-data-refused")
    form = page.locator("form[action^='/privacy/my-data/corrections/']")
    form.locator("[name='correction-field']").select_option("date_of_birth")
    form.locator("[name='correction-value']").fill("2000-03-01")
    form.locator("[name='correction-note']").fill("My passport says 1 March.")
    form.locator("button[type=submit]").click()
    expect(page.locator("#requests")).to_contain_text("2000-03-01")
    page.locator("#requests").scroll_into_view_if_needed()
    screenshot("privacy-my-data-request-sent")
    logout(page)

    login(page, "hana")
    page.goto(f"/persons/{case.person_id}/")
    panel = page.locator("#privacy")
    expect(panel).to_contain_text("2000-03-01")
    panel.scroll_into_view_if_needed()
    screenshot("privacy-person-panel")
    panel.locator("input[name='decision'][value='accept'] + button").click()
    expect(page.locator("main")).to_contain_text("2000-03-01")
    person = Person.objects.get(pk=case.person_id)
    assert person.date_of_birth.isoformat() == "2000-03-01"
    page.goto(f"/privacy/persons/{case.person_id}/")
    expect(page.locator("#erase")).to_be_visible()
    screenshot("privacy-person-erase")


def test_the_care_home_records_an_incident(page: Any, world: Any, screenshot: Any) -> None:
    today = timezone.localdate().isoformat()
    login(page, "hana")
    page.goto("/privacy/incidents/")
    page.locator("a[href='/privacy/incidents/new/']").click()
    form = page.locator("#incident-form")
    form.locator("[name='title']").fill("Laptop with the worker list stolen")
    form.locator("[name='kind']").select_option("loss")
    form.locator("[name='description']").fill(
        "A clerk's laptop with an unencrypted list of 12 workers was stolen from a car."
    )
    form.locator("[name='discovered_on']").fill(today)
    form.locator("[name='unauthorised_act'][value='yes']").check()
    form.locator("[name='persons_affected']").fill("12")
    # On to the next field, as a person would (a click right after a full-page screenshot
    # with the number field focused does not reach the button in headless Chromium).
    form.locator("[name='persons_affected']").press("Tab")
    screenshot("privacy-incident-form")
    form.locator("button[type=submit]").click()
    final = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    expect(page.locator("#report")).to_contain_text(final)
    screenshot("privacy-incident")
    page.goto("/privacy/incidents/")
    expect(page.locator("main table")).to_contain_text("Laptop with the worker list stolen")
    screenshot("privacy-incidents")
