"""The MOC exchange in a real browser: Japan's contact point files a category (a) report on
the form, the Center finds it in its inbox, acknowledges it and moves it on; a consent lets
the city read it. The case page shows a fee and the worker's acknowledgement. Screenshots:
test-output/screenshots/protection-*.png (`make test-browser`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kakehashi.cases.tests.test_browser import login, logout
from kakehashi.protection.models import ItemRead, SharedItem

from .conftest import record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_report_goes_from_japan_to_the_center_and_to_the_city_by_consent(
    page: Any, world: Any, screenshot: Any
) -> None:
    login(page, "isao")
    page.goto("/protection/")
    screenshot("protection-inbox-empty")
    page.get_by_role("link", name="不適正行為の通報").first.click()
    form = page.locator("form.card")
    form.locator("input[name='categories'][value='a']").check()
    form.locator("[name='subject_name']").fill("Fast Visa KG")
    form.locator("[name='subject_kind']").select_option("legal_entity")
    form.locator("[name='facts']").fill("Took deposits of 80,000 som and kept passports.")
    form.locator("[name='places']").fill("Bishkek")
    form.locator("[name='channel']").select_option("municipality")
    form.locator("[name='channel_note']").fill("Nagaoka City consultation desk")
    screenshot("protection-new-report")
    form.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Fast Visa KG")
    item = SharedItem.objects.get(title="Fast Visa KG")
    screenshot("protection-report-filed")
    logout(page)

    login(page, "aida")
    page.goto("/protection/")
    expect(page.locator("table")).to_contain_text(item.reference)
    screenshot("protection-center-inbox")
    page.get_by_role("link", name=item.reference).click()
    page.get_by_role("button", name="受領を確認").click()
    follow = page.locator(f"form[action='/protection/items/{item.pk}/follow/']")
    follow.locator("[name='follow-stage']").select_option("under_investigation")
    follow.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("調査中")
    screenshot("protection-center-item")
    logout(page)

    # The city gets the same 404 as for nothing, until Japan records the written consent.
    login(page, "mayu")
    assert page.goto(f"/protection/items/{item.pk}/").status == 404
    logout(page)
    login(page, "isao")
    page.goto(f"/protection/items/{item.pk}/")
    consent = page.locator(f"form[action='/protection/items/{item.pk}/consent/']")
    consent.locator("[name='consent-to_organization_id']").select_option(str(world.city.pk))
    consent.locator("[name='consent-purpose']").fill("Warn the city's employers")
    consent.locator("[name='consent-consented_on']").fill(timezone.localdate().isoformat())
    consent.locator("[name='consent-document_reference']").fill("ISA-2026-117")
    consent.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("ISA-2026-117")
    logout(page)
    login(page, "mayu")
    assert page.goto(f"/protection/items/{item.pk}/").status == 200
    screenshot("protection-city-reads-by-consent")
    assert ItemRead.objects.filter(item=item, user=world.mayu).exists()


def test_the_case_page_shows_a_fee_and_the_worker_acknowledgement(
    page: Any, world: Any, screenshot: Any, agency_case: Any
) -> None:
    record(world, agency_case, "agency_recruitment_contract")
    login(page, "bakyt")
    page.goto(f"/cases/{agency_case.pk}/")
    fees = page.locator("#fees")
    fees.locator("summary", has_text="手数料").last.click()
    fees.locator("[name='fee-purpose']").select_option("support")
    fees.locator("[name='fee-basis']").fill("Support in Japan")
    fees.locator("[name='fee-amount']").fill("10000")
    fees.locator("[name='fee-currency']").select_option("JPY")
    fees.locator("[name='fee-breakdown']").fill("Support | 10000")
    fees.locator("button[type=submit]").last.click()
    # Support costs are never the worker's: refused, with its source, nothing recorded.
    expect(page.locator("#id_fee-purpose_error")).to_contain_text("支援")
    assert not agency_case.fees.exists()
    screenshot("protection-fee-support-refused")
    fees = page.locator("#fees")
    fees.locator("[name='fee-purpose']").select_option("training")
    fees.locator("[name='fee-basis']").fill("120 hours of Japanese lessons")
    fees.locator("[name='fee-amount']").fill("36000")
    fees.locator("[name='fee-currency']").select_option("KGS")
    fees.locator("[name='fee-breakdown']").fill("Lessons | 30000\nTextbooks | 6000")
    fees.locator("button[type=submit]").last.click()
    expect(page.locator("#fees")).to_contain_text("36,000 KGS")
    screenshot("protection-case-fee")


def test_a_deposit_clause_blocks_the_coe_and_japan_files_the_draft(
    page: Any, world: Any, screenshot: Any, agency_case: Any
) -> None:
    from .conftest import up_to_coe

    up_to_coe(world, agency_case, term_deposit=True)
    login(page, "hana")
    page.goto(f"/cases/{agency_case.pk}/")
    # The next step shows why it cannot be filed, with the MOC's section.
    expect(page.locator("main")).to_contain_text("保証金")
    expect(page.locator("main")).to_contain_text("4(1)(a)")
    screenshot("protection-case-deposit-blocks-coe")
    logout(page)

    draft = SharedItem.objects.get(stage="draft")
    login(page, "aida")
    assert page.goto(f"/protection/items/{draft.pk}/").status == 404  # not filed yet
    logout(page)
    login(page, "isao")
    page.goto("/protection/")
    expect(page.locator("main")).to_contain_text(draft.reference)
    page.get_by_role("link", name=draft.reference).click()
    screenshot("protection-draft-from-contract")
    page.get_by_role("button", name="通報を提出").click()
    expect(page.locator("main")).to_contain_text("受領")
    logout(page)
    login(page, "aida")
    assert page.goto(f"/protection/items/{draft.pk}/").status == 200
