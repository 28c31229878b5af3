"""Importing from a file in a real browser, as an employer's HR clerk: a file with a bad
row is refused whole with the row, column and reason listed; the corrected file goes in.
Screenshots: test-output/screenshots/import-*.png (`make test-browser`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from kakehashi.cases.tests.test_browser import login
from kakehashi.people.models import Person

from .helpers import PERSON_HEADER, csv_bytes, person_row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _upload(page: Any, path: Path) -> None:
    page.goto("/imports/")
    page.select_option("#id_kind", "persons")
    page.set_input_files("#id_file", str(path))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/imports/*/")


def test_a_file_with_a_bad_row_is_refused_whole_then_the_corrected_one_goes_in(
    page: Any, world: Any, screenshot: Any, tmp_path: Path
) -> None:
    login(page, "hana")
    page.goto("/imports/")
    expect(page.locator("#id_file")).to_be_visible()  # the clerk reads the page in Japanese
    screenshot("import-form")

    bad = tmp_path / "recruits.csv"
    rows = [person_row(1), person_row(2, date_of_birth="1999-02-30"), person_row(3)]
    bad.write_bytes(csv_bytes(PERSON_HEADER, rows))
    _upload(page, bad)
    problems = page.locator("#import-status table tbody tr")
    expect(problems).to_have_count(1)
    expect(problems.first.locator("td").nth(0)).to_have_text("3")  # the header is row 1
    expect(problems.first.locator("td").nth(1)).to_have_text("date_of_birth")
    expect(page.locator("#import-status .notice--error")).to_be_visible()
    assert not Person.objects.filter(family_name__startswith="IMPORTOVA").exists()
    screenshot("import-refused")

    good = tmp_path / "recruits-corrected.csv"
    rows[1] = person_row(2)
    good.write_bytes(csv_bytes(PERSON_HEADER, rows))
    _upload(page, good)
    expect(page.locator("#import-status .notice--success")).to_contain_text("3")
    assert Person.objects.filter(family_name__startswith="IMPORTOVA").count() == 3
    screenshot("import-done")
