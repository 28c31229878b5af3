"""A support organization's work in a real browser: its workers, the items due, recording an
item and an interview. Screenshots: test-output/screenshots/support-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kakehashi.cases.tests.helpers import landed_case
from kakehashi.cases.tests.test_browser import login, logout
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


def test_the_stay_an_event_and_its_notification_filed(
    page: Any, world: Any, screenshot: Any
) -> None:
    """The support organization records the period of stay and a contract change; the
    employer prepares the draft and records the filing with its receipt number."""
    from dateutil.relativedelta import relativedelta

    today = timezone.localdate()
    case = landed_case(world, family_name="SAMPLOV", native_name="Самплов Азамат")
    plan = SupportPlan.objects.get(case=case)
    login(page, "sato")
    page.goto(f"/support/plans/{plan.pk}/")
    stay = page.locator("#stay-form")
    stay.locator("[name='granted_on']").fill(today.isoformat())
    # Four years: longer than the rule allows; refused on the field, with the rule's source.
    stay.locator("[name='expires_on']").fill((today + relativedelta(years=4)).isoformat())
    stay.locator("button[type=submit]").click()
    expect(page.locator("#refusal")).to_contain_text("36")
    stay = page.locator("#stay-form")
    stay.locator("[name='granted_on']").fill(today.isoformat())
    stay.locator("[name='expires_on']").fill((today + relativedelta(years=1)).isoformat())
    stay.locator("button[type=submit]").click()
    expect(page.locator("#stay")).to_contain_text((today + relativedelta(years=1)).isoformat())
    event = page.locator("#notifications")
    event.locator("summary").click()
    event.locator("[name='kind']").select_option("contract_changed")
    event.locator("[name='event_on']").fill(today.isoformat())
    event.locator("[name='details']").fill("月給を230,000円から245,000円に変更")
    event.locator("button[type=submit]").click()
    expect(page.locator("#notifications")).to_contain_text("特定技能雇用契約の変更")
    screenshot("support-stay-and-notifications")
    logout(page)
    login(page, "hana")
    page.goto("/support/notifications/")
    page.get_by_role("link", name="特定技能雇用契約の変更").click()
    page.get_by_role("button", name="下書きを作成する").click()
    form = page.locator("#file-form")
    form.locator("[name='filed_on']").fill(today.isoformat())
    form.locator("[name='receipt_number']").fill("NGT-2026-0042")
    form.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("NGT-2026-0042")
    screenshot("support-notification-filed")
    page.goto(f"/cases/{case.pk}/")
    expect(page.locator("#support-plan")).to_contain_text("在留期間の満了日")
    screenshot("case-after-landing")
