"""The public registers and the job board in a real browser, as a visitor without an
account: every page renders in Japanese and English, fits a phone, and a revocation shows
at once. Screenshots: test-output/screenshots/public-*.png (`make test-browser`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kakehashi.access import Actor
from kakehashi.registries import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "index": "/public/",
    "agencies": "/public/agencies/",
    "revocations": "/public/revocations/",
    "improvement-orders": "/public/improvement-orders/",
    "support-organizations": "/public/support-organizations/",
    "field-suspensions": "/public/field-suspensions/",
    "job-board": "/jobs/",
    "sources": "/sources/",
}


@pytest.fixture
def revoked(world: Any) -> Any:
    services.agency_decision_record(
        actor=Actor.of(world.aida),
        agency_id=world.agency.pk,
        action="revoked",
        reason="Collected deposits from candidates (MOC §4(1)(a))",
    )
    return world.agency


def test_a_visitor_sees_a_revocation_on_the_public_register(
    page: Any, world: Any, screenshot: Any
) -> None:
    page.goto("/public/agencies/")
    link = f"a[href='/public/agencies/{world.agency.pk}/']"
    expect(
        page.locator("tr", has=page.locator(link)).locator(".badge--state-certified")
    ).to_be_visible()
    services.agency_decision_record(
        actor=Actor.of(world.aida),
        agency_id=world.agency.pk,
        action="revoked",
        reason="Forged documents (MOC §4(1)(d))",
    )
    page.reload()
    expect(
        page.locator("tr", has=page.locator(link)).locator(".badge--state-revoked")
    ).to_be_visible()
    screenshot("public-agencies-after-revocation")
    # The reason is the Kyrgyz ministry's information (MOC §3): not on a public page
    # until that ministry consents in writing to publish it.
    page.goto(f"/public/agencies/{world.agency.pk}/")
    expect(page.locator("main")).to_contain_text("取消し")
    expect(page.locator("main")).not_to_contain_text("Forged documents")
    decision = world.agency.certification_decisions.get(action="revoked")
    services.reason_disclosure_record(
        actor=Actor.of(world.aida),
        decision_id=decision.pk,
        scope="public",
        consented_on=timezone.localdate(),
        consent_reference="Letter 2026/117",
    )
    page.reload()
    expect(page.locator("main")).to_contain_text("Forged documents")
    screenshot("public-agency-history")


@pytest.mark.parametrize("name", list(PAGES))
def test_every_public_page_renders_for_a_visitor_in_both_languages(
    page: Any, revoked: Any, screenshot: Any, name: str
) -> None:
    page.goto(PAGES[name])
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("main h1")).to_be_visible()
    screenshot(f"public-{name}-ja")
    page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.click("form[action='/i18n/setlang/'] button[type=submit]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(f"public-{name}-en")


@pytest.mark.parametrize("name", ["agencies", "job-board", "sources"])
def test_public_pages_fit_a_phone(chromium: Any, live_server: Any, revoked: Any, name: str) -> None:
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="ja-JP",
    )
    phone = context.new_page()
    phone.goto(PAGES[name])
    expect(phone.locator("main h1")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    from kakehashi.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / f"public-phone-{name}.png"), full_page=True)
    context.close()
    assert width <= 391, f"{name} is {width}px wide on a 390px screen"


def test_a_wrong_address_gets_kakehashis_own_page_not_a_debug_page(
    page: Any, world: Any, screenshot: Any
) -> None:
    response = page.goto("/public/agencies/999999/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("main a[href='/']")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Traceback")
    expect(page.locator("body")).not_to_contain_text("URLconf")
    screenshot("public-not-found")
