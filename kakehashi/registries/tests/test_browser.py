"""The contact points' registry pages in a real browser: the Kyrgyz ministry revokes an
agency and later consents to publish its reason (MOC §3); Japan's contact point reads the
notice, suspends a field and ends the suspension. Screenshots:
test-output/screenshots/registries-*.png (`make test-browser`)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kakehashi.cases.tests.test_browser import login, logout
from kakehashi.registries.models import FieldSuspension, Notice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_ministry_revokes_and_later_consents_to_publish_the_reason(
    page: Any, world: Any, screenshot: Any
) -> None:
    login(page, "aida")
    page.goto(f"/registries/agencies/{world.agency.pk}/")
    decide = page.locator(f"form[action='/registries/agencies/{world.agency.pk}/decide/']")
    decide.locator("[name='action']").select_option("revoked")
    # A revocation without its reason is refused, next to the field, with nothing recorded.
    decide.locator("button[type=submit]").click()
    expect(page.locator("#id_reason_error")).to_be_visible()
    assert not world.agency.certification_decisions.filter(action="revoked").exists()

    decide.locator("[name='reason']").fill("Collected deposits from candidates")
    decide.locator("button[type=submit]").click()
    revoked_row = page.locator("table tbody tr", has=page.get_by_text("取消し", exact=True))
    history = revoked_row
    expect(history).to_contain_text("Collected deposits from candidates")
    expect(history).to_contain_text("連絡窓口の間でのみ共有")  # shared with the contact points
    screenshot("registries-agency-revoked")

    # The consent form, with a bad date: refused by name, the other values kept.
    history.locator("summary").click()
    consent = history.locator("form")
    consent.locator("[name='scope']").select_option("public")
    consent.locator("[name='consented_on']").fill("2999-01-01")
    consent.locator("[name='consent_reference']").fill("Letter 2026/117")
    consent.locator("button[type=submit]").click()
    history = revoked_row
    consent = history.locator("form")
    expect(consent.locator(".error")).to_be_visible()
    expect(consent.locator("[name='consent_reference']")).to_have_value("Letter 2026/117")
    screenshot("registries-agency-consent-refused")

    consent.locator("[name='consented_on']").fill(timezone.localdate().isoformat())
    consent.locator("button[type=submit]").click()
    history = revoked_row
    expect(history).not_to_contain_text("連絡窓口の間でのみ共有")
    logout(page)

    # Anyone now reads the reason on the public register.
    page.goto(f"/public/agencies/{world.agency.pk}/")
    expect(page.locator("main")).to_contain_text("Collected deposits from candidates")


def test_japan_reads_the_notice_and_suspends_then_reopens_a_field(
    page: Any, world: Any, screenshot: Any
) -> None:
    from kakehashi.access import Actor
    from kakehashi.registries import services

    services.agency_decision_record(
        actor=Actor.of(world.aida),
        agency_id=world.agency.pk,
        action="suspended",
        reason="Inspection of fee records",
    )
    login(page, "isao")
    page.goto("/registries/")
    notice = page.locator(".notice-list li").first
    # The notice is read in the reader's language, with its source by title.
    expect(notice).to_contain_text("Ala-Too Bridge")
    expect(notice.locator(".source a")).to_have_attribute("href", "/sources/#moc_kg")
    screenshot("registries-home-notice")
    notice.locator("button[type=submit]").click()
    expect(page.locator(".notice-list li").first).to_contain_text("既読")
    assert Notice.objects.filter(acknowledged_at__isnull=False).count() == 1

    page.goto("/registries/japan/")
    form = page.locator("form", has=page.locator("input[name='form'][value='suspension']"))
    form.locator("[name='suspension-field']").select_option(index=1)
    start = timezone.localdate()
    form.locator("[name='suspension-starts_on']").fill(start.isoformat())
    form.locator("[name='suspension-reason']").fill("Labour shortage resolved in the field")
    form.locator("button[type=submit]").click()
    expect(page.locator("details summary", has_text="この受入れ停止を終了する")).to_have_count(1)
    suspension = FieldSuspension.objects.get()
    assert suspension.ends_on is None

    # Ending before it started is refused by name; ending today is recorded.
    page.locator("details summary", has_text="この受入れ停止を終了する").click()
    end = page.locator("form", has=page.locator("input[name='form'][value='end']"))
    end.locator("[name='end-ends_on']").fill((start - datetime.timedelta(days=1)).isoformat())
    end.locator("button[type=submit]").click()
    expect(page.locator("aside .error").first).to_be_visible()
    suspension.refresh_from_db()
    assert suspension.ends_on is None
    screenshot("registries-japan-end-refused")

    page.locator("details summary", has_text="この受入れ停止を終了する").click()
    end = page.locator("form", has=page.locator("input[name='form'][value='end']"))
    end.locator("[name='end-ends_on']").fill(start.isoformat())
    end.locator("button[type=submit]").click()
    suspension.refresh_from_db()
    assert suspension.ends_on == start
    screenshot("registries-japan")
