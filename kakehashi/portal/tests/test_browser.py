"""The worker's path on a 360 px phone, in Kyrgyz and in Russian: the agency's code opens the
account, the worker sees their case, acknowledges one fee and disputes another; the
Center answers the grievance in the thread. Screenshots:
test-output/screenshots/worker-<language>-*.png (`make test-browser`)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from kakehashi.access import Actor
from kakehashi.cases import services as case_services
from kakehashi.cases.tests.test_browser import login, no_horizontal_scroll, phone_screenshot
from kakehashi.people.services import person_present
from kakehashi.people.workers import worker_invite
from kakehashi.protection.models import Grievance
from kakehashi.protection.services.fees import fee_record
from kakehashi.protection.services.grievances import grievance_write
from kakehashi.testing.factories import PersonFactory, make_eligible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the pages say in each language (from the catalogues), to check the reader's language.
WORDS = {
    "ky": {"me": "Менин бетим", "agree": "макулмун", "dispute": "макул эмесмин"},
    "ru": {"me": "Моя страница", "agree": "согласен", "dispute": "Не согласен"},
}


@pytest.fixture
def narrow(chromium: Any, live_server: Any, request: Any) -> Any:
    language = request.param
    context = chromium.new_context(
        base_url=live_server.url,
        locale=language,
        extra_http_headers={"Accept-Language": language},
        viewport={"width": 360, "height": 780},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page, language
    context.close()


def _fits(page: Any) -> None:
    scroll, client = no_horizontal_scroll(page)
    assert scroll <= client, f"{page.url}: {scroll} px wide on a {client} px screen"


def _setup(world: Any) -> tuple[Any, str]:
    person = PersonFactory(
        created_by_organization=world.agency,
        family_name="ISHCHI",
        given_names="NURLAN",
        native_name="Ишчи Нурлан",
    )
    make_eligible(person, "care")
    person_present(
        actor=Actor.of(world.bakyt), person_id=person.pk, organization_id=world.care_home.pk
    )
    case = case_services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="via_agency",
        sending_agency_id=world.agency.pk,
    ).case
    for purpose, amount in (("training", "30000"), ("recruitment", "50000")):
        fee_record(
            actor=Actor.of(world.bakyt),
            data={
                "case_id": case.pk,
                "purpose": purpose,
                "basis": "120 hours" if purpose == "training" else "Service",
                "amount": amount,
                "currency": "KGS",
                "breakdown": [{"item": purpose, "amount": amount}],
            },
        )
    code = worker_invite(actor=Actor.of(world.bakyt), person_id=person.pk).code
    return case, code


@pytest.mark.parametrize("narrow", ["ky", "ru"], indirect=True)
def test_the_worker_path_on_a_phone(narrow: Any, world: Any) -> None:
    page, language = narrow
    words = WORDS[language]
    case, code = _setup(world)
    page.goto(f"/join/{code}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    _fits(page)
    phone_screenshot(page, f"worker-{language}-1-join")
    page.fill("[name='username']", f"nurlan.{language}")
    page.fill("[name='password']", "Bishkek-Nagaoka-7")
    page.fill("[name='password_again']", "Bishkek-Nagaoka-7")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/me/")
    expect(page.locator("main")).to_contain_text(case.reference)
    expect(page.locator("nav")).to_contain_text(words["me"])
    phone_screenshot(page, f"worker-{language}-2-my-page")
    _fits(page)

    page.goto("/me/fees/")
    phone_screenshot(page, f"worker-{language}-3-fees")
    _fits(page)
    first = page.locator("main section.card").nth(0)
    first.get_by_role("button", name=words["agree"]).click()
    second = page.locator("main section.card").nth(1)
    second.locator("summary").click()
    second.locator("textarea").fill("Никто не объяснил эти 50 000 сом.")
    second.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/me/grievances/*/")
    grievance = Grievance.objects.get()
    assert grievance.owner_organization == world.center
    grievance_write(
        actor=Actor.of(world.aida), grievance_id=grievance.pk, text="Агенттиктен түзүмүн сурадык."
    )
    page.reload()
    expect(page.locator("main")).to_contain_text("Агенттиктен түзүмүн сурадык.")
    phone_screenshot(page, f"worker-{language}-4-grievance")
    _fits(page)

    page.goto("/public/help/")
    phone_screenshot(page, f"worker-{language}-5-before-you-pay")
    _fits(page)

    # The agency sees the fee, but neither the dispute nor who filed it.
    agency = page.context.browser.new_context(base_url=page.url.split("/public")[0], locale="ja-JP")
    other = agency.new_page()
    login(other, "bakyt")
    assert other.goto(f"/protection/grievances/{grievance.pk}/").status == 404
    agency.close()
