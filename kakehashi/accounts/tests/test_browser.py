"""The account pages in a real browser: making an API token (shown once) and the list of
signed-in browsers. Screenshots: test-output/screenshots/account-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from kakehashi.cases.tests.test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_user_makes_a_token_and_sees_where_they_are_signed_in(
    page: Any, world: Any, screenshot: Any
) -> None:
    login(page, "hana")
    page.get_by_role("link", name="アカウント").click()
    expect(page.locator("#sessions")).to_contain_text("このブラウザ")
    screenshot("account-sessions")
    page.goto("/accounts/tokens/")
    page.locator("[name='name']").fill("夜間の書き出し")
    page.locator("[name='days']").fill("30")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#new-token")).to_contain_text("kk_")
    expect(page.locator("#tokens")).to_contain_text("夜間の書き出し")
    screenshot("account-tokens")
