"""The account pages in a real browser: making an API token (shown once) and the list of
signed-in browsers. Screenshots: test-output/screenshots/account-*.png."""

from __future__ import annotations

import re
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


def test_a_contact_point_user_is_made_to_use_a_second_factor(
    page: Any, world: Any, screenshot: Any, settings: Any
) -> None:
    """The ISA's staff must use MFA: after the password, the set-up page (QR code and key);
    a code from the key turns it on and shows the recovery codes; the next sign-in asks for
    a code before any page."""
    import base64

    from django_otp.oath import TOTP

    from kakehashi.cases.tests.test_browser import logout

    settings.MFA_REQUIRED_KINDS = ["jp_contact_point"]
    login(page, "isao")
    expect(page).to_have_url(re.compile(r"/accounts/mfa/setup/"))
    expect(page.locator("#mfa-qr svg")).to_be_visible()
    secret = page.locator("#mfa-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret)
    screenshot("mfa-setup")
    page.goto("/cases/")  # no way round it
    expect(page).to_have_url(re.compile(r"/accounts/mfa/setup/\?next=%2Fcases%2F"))
    page.fill("#id_code", f"{TOTP(key).token():06d}")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    screenshot("mfa-recovery-codes")
    page.get_by_role("link", name=re.compile("続ける|continue", re.I)).click()
    expect(page).to_have_url(re.compile(r"/cases/$"))
    logout(page)

    login(page, "isao")
    expect(page).to_have_url(re.compile(r"/accounts/mfa/verify/"))
    page.fill("#id_code", "123456" if TOTP(key).token() != 123456 else "654321")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("[role=alert]")).to_be_visible()
    screenshot("mfa-verify-wrong")
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user__username="isao").update(throttling_failure_count=0)
    totp = TOTP(key)
    totp.time += 30  # the next code: the first was used to set it up
    page.fill("#id_code", f"{totp.token():06d}")
    page.locator("main form button[type=submit]").first.click()
    expect(page).not_to_have_url(re.compile(r"/accounts/"))
    expect(page.locator("form[action='/accounts/logout/']")).to_have_count(1)
