"""Documents on a case in a real browser: the step form refuses the COE decision without the
COE, takes the PDF, and the checklist shows it; Japan's contact point rejects it and the step
is to do again. Screenshots: test-output/screenshots/case-documents-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kakehashi.cases.tests.test_browser import login, logout
from kakehashi.cases.tests.test_documents import case_at_coe_decision
from kakehashi.testing.documents import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coe_is_uploaded_through_the_step_form_and_reviewed(
    page: Any, world: Any, screenshot: Any
) -> None:
    case = case_at_coe_decision(world)
    today = timezone.localdate().isoformat()
    login(page, "hana")
    page.goto(f"/cases/{case.pk}/")
    expect(page.locator("#checklist")).to_contain_text("在留資格認定証明書（紙又は電子）")
    expect(page.locator("#checklist")).to_contain_text("未提出：必須")
    screenshot("case-documents-checklist-missing")
    form = page.locator("form[action$='/steps/coe_decision/']")
    form.locator("[name='coe_decision-decided_on']").fill(today)
    form.locator("[name='coe_decision-outcome']").select_option("issued")
    form.locator("[name='coe_decision-coe_number']").fill("NGT-COE-2026-0042")
    form.locator("button[type=submit]").click()
    # Refused on the file input, naming the document.
    expect(page.locator("form[action$='/steps/coe_decision/']")).to_contain_text(
        "在留資格認定証明書（紙又は電子）"
    )
    expect(page.locator("main")).to_contain_text("アップロードしてください")
    form = page.locator("form[action$='/steps/coe_decision/']")
    form.locator("[name='coe_decision-decided_on']").fill(today)
    form.locator("[name='coe_decision-outcome']").select_option("issued")
    form.locator("[name='coe_decision-coe_number']").fill("NGT-COE-2026-0042")
    form.locator("[name='coe_decision-document_coe']").set_input_files(
        files=[{"name": "coe-kubatov.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    form.locator("button[type=submit]").click()
    expect(page.locator("#documents")).to_contain_text("coe-kubatov.pdf")
    screenshot("case-documents-checklist")
    logout(page)
    login(page, "isao")
    page.goto(f"/cases/{case.pk}/")
    review = page.locator("#documents form")
    review.locator("[name='reason']").fill("The number does not match the COE")
    review.get_by_role("button", name="差し戻す").click()
    expect(page.locator("#documents")).to_contain_text("The number does not match the COE")
    screenshot("case-documents-rejected")
