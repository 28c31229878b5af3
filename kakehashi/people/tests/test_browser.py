"""Registering a person in a real browser: countries picked by name with the partner
country first, a machine-readable zone that must match the record, a duplicate refused.
Screenshots: test-output/screenshots/person-form-*.png (`make test-browser`)."""

from __future__ import annotations

from typing import Any

import pytest
from mrz.generator.td3 import TD3CodeGenerator
from playwright.sync_api import expect

from kakehashi.cases.tests.test_browser import login
from kakehashi.people.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


AIGUL = {
    "family_name": "ASANOVA",
    "given_names": "AIGUL",
    "nationality": "KG",
    "date_of_birth": "2000-01-01",
    "passport_number": "AC1234567",
    "current_country": "KG",
}


def fill_person(page: Any, **values: str) -> None:
    form = page.locator("main form")
    for name, value in values.items():
        field = form.locator(f"[name='{name}']")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def test_hana_registers_a_person_with_the_passport_zone(
    page: Any, world: Any, screenshot: Any
) -> None:
    login(page, "hana")
    page.goto("/persons/new/")
    # The partner country heads the list of nationalities, by name in the reader's language.
    nationality = page.locator("[name='nationality']")
    expect(nationality.locator("optgroup").first.locator("option")).to_have_text(["キルギス"])
    residence = page.locator("[name='current_country']")
    expect(residence.locator("optgroup").first.locator("option")).to_have_count(2)  # KG, JP

    mrz = str(
        TD3CodeGenerator(
            "P", "KGZ", "ASANOVA", "AIGUL", "AC1234567", "KGZ", "000101", "F", "320101", ""
        )
    )
    wrong = mrz[:-1] + ("1" if mrz[-1] != "1" else "2")  # the final check digit broken
    fill_person(page, **AIGUL, passport_expiry="2032-01-01", mrz=wrong)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_mrz_error")).to_be_visible()
    expect(page.locator("[name='family_name']")).to_have_value("ASANOVA")
    assert not Person.objects.exists()
    screenshot("person-form-mrz-refused")

    fill_person(page, mrz=mrz)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).to_have_text("ASANOVA AIGUL")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("キルギス")
    expect(facts).not_to_contain_text("KG")
    person = Person.objects.get()
    assert person.passport_number == "AC1234567"

    # The same passport again is refused, pointing to the record already there.
    page.goto("/persons/new/")
    fill_person(page, **{**AIGUL, "passport_number": "ac 1234567"})
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_passport_number_error")).to_be_visible()
    expect(page.locator(f"main a[href='/persons/{person.pk}/']")).to_be_visible()
    assert Person.objects.count() == 1
    screenshot("person-form-duplicate")
