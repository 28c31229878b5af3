"""A support organization's work in a real browser: its workers, the items due, recording an
item and an interview. Screenshots: test-output/screenshots/support-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kakehashi.cases.tests.helpers import landed_case
from kakehashi.cases.tests.test_browser import login
from kakehashi.support.models import SupportPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_support_organization_records_an_item_and_an_interview(
    page: Any, world: Any, screenshot: Any
) -> None:
    case = landed_case(world, family_name="PRIBYLA")
    plan = SupportPlan.objects.get(case=case)
    login(page, "sato")
    page.goto("/support/")
    expect(page.locator("main")).to_contain_text("PRIBYLA")
    screenshot("support-work")
    page.goto(f"/support/plans/{plan.pk}/")
    item = page.locator("#item-airport")
    item.locator("summary").click()
    item.locator("[name='done_on']").fill(timezone.localdate().isoformat())
    item.locator("[name='record']").fill("Met at Narita, brought to the dormitory")
    item.locator("button[type=submit]").click()
    expect(page.locator("#item-airport")).to_contain_text("Met at Narita")
    page.locator("[name='held_on']").fill(timezone.localdate().isoformat())
    page.locator("[name='notes']").fill("First weeks went well")
    page.get_by_role("button", name="面談を記録").click()
    expect(page.locator("main")).to_contain_text(timezone.localdate().isoformat())
    screenshot("support-plan")
