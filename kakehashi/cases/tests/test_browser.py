"""What people do in a real browser (Chromium through Playwright): sign in, open a case,
record steps turn by turn across organizations, see a refusal with its rule, switch the
language, use a phone and the keyboard. Screenshots go to test-output/screenshots/.

Run with `make test-browser` (the normal suites skip the `browser` marker). Buttons are
found by their form or name, never by their (translated) text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kakehashi.access import Actor
from kakehashi.cases import services
from kakehashi.cases.models import Case, CaseEvent, CaseStep
from kakehashi.people.models import Person
from kakehashi.people.models import TestKind as Kind
from kakehashi.procedures import registry
from kakehashi.reference.models import BusinessCategory
from kakehashi.testing.documents import required_uploads
from kakehashi.testing.factories import PersonFactory, make_eligible

from .helpers import actor_for, evidence_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-output" / "screenshots"
HOME_URL = re.compile(r"^https?://[^/]+/$")  # the home page, not "...?next=/"
PATTERN_3_START = ["agency_recruitment_contract", "candidates_provided", "employment_contract"]


# --- helpers: what a person does with the pages -------------------------------------------


def login(page: Page, username: str) -> None:
    """Fill and submit the sign-in form; wait until the page has left it."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def logout(page: Page) -> None:
    page.click("form[action='/accounts/logout/'] button[type=submit]")
    page.wait_for_url("**/accounts/login/")
    expect(page.locator("form[action='/accounts/logout/']")).to_have_count(0)


def record_step(page: Page, step: str, evidence: dict[str, Any]) -> None:
    """Fill a "What you can do now" card and submit it (the page reloads after the POST)."""
    form = page.locator(f"form[action$='/steps/{step}/']")
    for key, value in evidence.items():
        field = form.locator(f"[name='{step}-{key}']")
        tag = field.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
        if tag.startswith("select"):
            field.select_option(str(value))
        elif tag == "input:checkbox":
            field.set_checked(bool(value))
        else:
            field.fill(str(value))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def done_steps(case: Case) -> set[str]:
    return set(CaseStep.objects.filter(case=case).values_list("step_key", flat=True))


def walk(world: Any, case: Case, *steps: str) -> None:
    """Record steps directly through the services, each by the persona who records it."""
    for step in steps:
        services.case_complete_step(
            actor=Actor.of(world.user(actor_for(step))),
            case_id=case.pk,
            step_key=step,
            evidence=evidence_for(step),
            documents=required_uploads(case.pk, step),
        )


def no_horizontal_scroll(page: Page) -> tuple[int, int]:
    return page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture
def person(world: Any) -> Person:
    """An eligible care worker, registered by hana's organization, living in Kyrgyzstan."""
    person = PersonFactory(
        created_by_organization=world.care_home, family_name="ASANOVA", given_names="AIGUL"
    )
    make_eligible(person, "care")
    return person


@pytest.fixture
def care_case(world: Any, person: Person) -> Case:
    """A pattern-3 case (through Ala-Too Bridge) opened by hana, nothing recorded yet."""
    return services.case_create(
        actor=Actor.of(world.hana),
        person_id=person.pk,
        field_code="care",
        category_code="care",
        pattern="via_agency",
        sending_agency_id=world.agency.pk,
    ).case


@pytest.fixture
def phone(chromium: Any, live_server: Any) -> Any:
    """A phone-sized context: 390x844 CSS pixels, mobile viewport rules and touch."""
    context = chromium.new_context(
        base_url=live_server.url,
        locale="ja-JP",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def phone_screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


# --- 1. sign in ---------------------------------------------------------------------------


def test_hana_signs_in_and_sees_her_next_actions(page, screenshot, world, care_case):
    page.goto("/")
    # Signed out: the home page sends her to the sign-in form.
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))

    page.fill("#id_username", "hana")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")

    expect(page).to_have_url(HOME_URL)
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator(".site-nav a[href='/']")).to_have_attribute("aria-current", "page")
    expect(page.locator(".account")).to_contain_text("hana")
    # The case waiting on her organization is listed, its next step linked to the case.
    row = page.locator("main table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(care_case.reference)
    expect(row.locator(f"a[href='/cases/{care_case.pk}/']")).to_be_visible()
    screenshot("home-receiving-organization")


def test_a_wrong_password_keeps_the_visitor_on_the_sign_in_form(page, world):
    page.goto("/accounts/login/")
    page.fill("#id_username", "hana")
    page.fill("#id_password", "not the password")
    page.click("main form button[type=submit]")
    expect(page.locator("main [role=alert]")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("form[action='/accounts/logout/']")).to_have_count(0)


# --- 2. a pattern-3 case, from the new-case page up to the COE application ----------------


def test_hana_and_bakyt_take_a_pattern_3_case_up_to_the_coe_application(
    page, screenshot, world, person
):
    day = timezone.localdate().isoformat()
    category = BusinessCategory.objects.get(code="care")
    login(page, "hana")

    page.goto("/cases/")
    page.click("a[href='/cases/new/']")
    expect(page).to_have_url(re.compile(r"/cases/new/$"))
    page.check("#id_pattern_via_agency")
    page.select_option("#id_person", str(person.pk))
    page.select_option("#id_business_category", str(category.pk))
    page.select_option("#id_sending_agency", str(world.agency.pk))
    expect(page.locator("#id_pattern_via_agency")).to_be_checked()
    screenshot("case-new")
    with page.expect_navigation():
        page.click("main form.card button[type=submit]")

    case = Case.objects.get(person=person)
    assert (case.pattern, case.sending_agency, case.receiving_organization) == (
        "via_agency",
        world.agency,
        world.care_home,
    )
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page.locator("h1")).to_contain_text(case.reference)
    timeline = page.locator("ol.timeline > li")
    done = page.locator("ol.timeline > li.is-done")
    expect(timeline.first).to_have_class(re.compile(r"\bis-available\b"))
    expect(done).to_have_count(0)
    screenshot("case-detail-start")

    # hana: the recruitment contract with the agency.
    record_step(
        page, "agency_recruitment_contract", {"signed_on": day, "contract_number": "AT-2026-7"}
    )
    expect(done).to_have_count(1)
    assert done_steps(case) == {"agency_recruitment_contract"}
    # The next step is the agency's: hana has no form for it.
    expect(page.locator("form[action$='/steps/candidates_provided/']")).to_have_count(0)

    # bakyt (the agency) provides the job-seekers' information.
    logout(page)
    login(page, "bakyt")
    page.goto(f"/cases/{case.pk}/")
    record_step(
        page,
        "candidates_provided",
        {"provided_on": day, "candidates_count": 3, "selected_by_agency": False},
    )
    expect(done).to_have_count(2)
    assert done_steps(case) == {"agency_recruitment_contract", "candidates_provided"}
    row = CaseStep.objects.get(case=case, step_key="candidates_provided")
    assert (row.completed_by, row.organization) == (world.bakyt, world.agency)

    # hana again: the employment contract, then the COE application.
    logout(page)
    login(page, "hana")
    page.goto(f"/cases/{case.pk}/")
    record_step(
        page,
        "employment_contract",
        {
            "signed_on": day,
            "monthly_wage_jpy": 230000,
            "monthly_hours": 160,
            "contract_language": "ja_ky",
        },
    )
    expect(done).to_have_count(3)
    assert (
        CaseStep.objects.get(case=case, step_key="employment_contract").evidence["monthly_wage_jpy"]
        == 230000
    )

    # The Center's registration is only advice for the COE application: hana goes on.
    record_step(
        page,
        "coe_application",
        {"filed_on": day, "bureau": "Tokyo Regional Immigration Services Bureau, Niigata"},
    )
    expect(done).to_have_count(4)
    assert done_steps(case) == {*PATTERN_3_START, "coe_application"}
    coe = CaseStep.objects.get(case=case, step_key="coe_application")
    assert (coe.completed_by, coe.organization, coe.happened_on.isoformat()) == (
        world.hana,
        world.care_home,
        day,
    )
    expect(page.locator("ol.timeline > li.is-done .timeline__title").nth(3)).to_have_text(
        re.compile("在留資格認定証明書交付申請")
    )
    screenshot("case-detail-after-coe-application")


# --- 3. the Center records its registration -----------------------------------------------


def test_the_center_records_the_registration_of_the_contract(page, screenshot, world, care_case):
    walk(world, care_case, *PATTERN_3_START)
    login(page, "aida")
    page.goto(f"/cases/{care_case.pk}/")
    expect(page.locator("ol.timeline > li.is-done")).to_have_count(3)
    # Only the Center's step has a form for aida.
    expect(page.locator("form[action*='/steps/']")).to_have_count(1)

    record_step(
        page,
        "center_registration",
        {"registered_on": timezone.localdate().isoformat(), "registration_number": "KG-REG-41"},
    )
    expect(page.locator("ol.timeline > li.is-done")).to_have_count(4)
    row = CaseStep.objects.get(case=care_case, step_key="center_registration")
    assert row.organization == world.center
    assert row.completed_by == world.aida
    assert row.evidence["registration_number"] == "KG-REG-41"
    expect(page.locator("ol.timeline")).to_contain_text("KG-REG-41")
    screenshot("case-detail-center")


# --- 4. a refused step shows why, with the rule's source ----------------------------------


def test_a_refused_coe_application_shows_the_rule_and_records_nothing(
    page, screenshot, world, care_case, person
):
    walk(world, care_case, *PATTERN_3_START)
    # The person's Japanese tests turn out not to count: only the skill test is left.
    person.test_results.filter(kind=Kind.JAPANESE).delete()
    steps_before = done_steps(care_case)
    events_before = CaseEvent.objects.filter(case=care_case).count()

    login(page, "hana")
    page.goto(f"/cases/{care_case.pk}/")
    record_step(
        page,
        "coe_application",
        {"filed_on": timezone.localdate().isoformat(), "bureau": "Niigata"},
    )

    refusal = page.locator("#refusal")
    expect(refusal).to_be_visible()
    expect(refusal).to_have_attribute("role", "alert")
    expect(refusal).to_contain_text("N4")  # the message names the missing level
    # The rule's source is named by the document's title and its section, linked to the
    # list of sources; no file name or code word.
    source = refusal.locator(".source").first
    expect(source).to_contain_text("特定技能運用要領")
    expect(source).to_contain_text("JLPT N4")
    expect(source.locator("a")).to_have_attribute("href", "/sources/#ssw_operation_guidelines")
    expect(refusal).not_to_contain_text(re.compile(r"DOMAIN|seeds|\.md|verify"))
    # The refusal sits in the COE application's card, whose values are kept.
    card = page.locator("section.card", has=page.locator("form[action$='/steps/coe_application/']"))
    expect(card.locator("#refusal")).to_have_count(1)
    expect(page.locator("[name='coe_application-bureau']")).to_have_value("Niigata")
    expect(page.locator("ol.timeline > li.is-done")).to_have_count(3)
    assert done_steps(care_case) == steps_before
    assert CaseEvent.objects.filter(case=care_case).count() == events_before
    screenshot("case-refusal")


# --- 5. the language switch ---------------------------------------------------------------


def test_the_language_switch_reloads_the_page_in_english_and_back(page, screenshot, world):
    login(page, "hana")
    page.goto("/procedures/KG/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ja")
    expect(page.locator("h1")).to_have_text("キルギス国籍の方の特定技能外国人としての受入れ手続")

    page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.click("form[action='/i18n/setlang/'] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/procedures/KG/$"))  # the same page
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator(".site-nav a[href='/cases/']")).to_have_text("Cases")
    expect(page.locator("h1")).to_have_text(
        "Acceptance of Kyrgyz nationals as Specified Skilled Workers"
    )
    expect(page.locator("#language-select")).to_have_value("en")
    screenshot("language-english")

    # The choice sticks to other pages.
    page.goto("/cases/")
    expect(html).to_have_attribute("lang", "en")

    page.select_option("#language-select", "ja")
    with page.expect_navigation():
        page.click("form[action='/i18n/setlang/'] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/cases/$"))
    expect(html).to_have_attribute("lang", "ja")
    expect(page.locator("#language-select")).to_have_value("ja")


def test_the_japanese_pages_show_japanese_navigation_and_buttons(page, world):
    login(page, "hana")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    # The page has loaded: read it once (no waiting for a text that is not coming).
    shown = {
        href: page.locator(f".site-nav a[href='{href}']").inner_text()
        for href in ("/", "/cases/", "/persons/")
    }
    assert shown != {"/": "My work", "/cases/": "Cases", "/persons/": "Persons"}, shown
    assert page.locator("main h1").inner_text() != "My next actions"


def test_the_new_case_page_names_the_procedure_version(page, world):
    version = registry.definition_in_force("KG", timezone.localdate()).version
    login(page, "hana")
    page.goto("/cases/new/")
    lead = page.locator("main p.lead").inner_text()
    assert version in lead, lead


# --- 6. a phone ---------------------------------------------------------------------------


def test_case_list_and_detail_fit_a_phone_screen(phone, world, care_case):
    walk(world, care_case, *PATTERN_3_START)
    login(phone, "hana")

    phone.goto("/cases/")
    expect(phone.locator(f"a[href='/cases/{care_case.pk}/']")).to_be_visible()
    scroll_width, client_width = no_horizontal_scroll(phone)
    phone_screenshot(phone, "phone-case-list")
    assert scroll_width <= 390 + 1, f"case list is {scroll_width}px wide on a 390px screen"
    assert client_width == 390

    phone.click(f"a[href='/cases/{care_case.pk}/']")
    expect(phone.locator("ol.timeline > li.is-done")).to_have_count(3)
    expect(phone.locator("form[action$='/steps/coe_application/']")).to_be_visible()
    scroll_width, _ = no_horizontal_scroll(phone)
    phone_screenshot(phone, "phone-case-detail")
    assert scroll_width <= 390 + 1, f"case detail is {scroll_width}px wide on a 390px screen"


@pytest.mark.parametrize("name", ["person-detail", "procedure-kg"])
def test_person_and_procedure_pages_fit_a_phone_screen(phone, world, person, name):
    login(phone, "hana")
    phone.goto({"person-detail": f"/persons/{person.pk}/", "procedure-kg": "/procedures/KG/"}[name])
    expect(phone.locator("main h1")).to_be_visible()
    scroll_width, _ = no_horizontal_scroll(phone)
    phone_screenshot(phone, f"phone-{name}")
    assert scroll_width <= 390 + 1, f"{name} is {scroll_width}px wide on a 390px screen"


# --- 7. the keyboard ----------------------------------------------------------------------


def test_the_sign_in_form_works_with_the_keyboard_alone(page, world):
    page.goto("/accounts/login/")

    def focused() -> dict[str, str]:
        return page.evaluate(
            "() => { const e = document.activeElement;"
            " return {tag: e.tagName.toLowerCase(), id: e.id, type: e.type || '',"
            " main: !!e.closest('main'), cls: e.className || ''}; }"
        )

    # The cursor starts in the username field (autofocus).
    assert focused()["id"] == "id_username"

    # From the top of the page, Tab goes: skip link, the header (brand, language), then
    # the username field. Walk back up first, then down again.
    for _ in range(8):
        page.keyboard.press("Shift+Tab")
        if focused()["cls"] == "skip-link":
            break
    assert focused()["cls"] == "skip-link", "Shift+Tab never reached the skip link"
    seen = []
    for _ in range(8):
        page.keyboard.press("Tab")
        seen.append(focused())
        if seen[-1]["id"] == "id_username":
            break
    assert seen[-1]["id"] == "id_username", f"Tab never reached the username field: {seen}"
    assert "language-select" in [e["id"] for e in seen]
    assert not any(e["main"] for e in seen[:-1]), f"something in main before username: {seen}"
    page.keyboard.type("hana")

    page.keyboard.press("Tab")
    assert focused()["id"] == "id_password"
    page.keyboard.type(PASSWORD)

    page.keyboard.press("Tab")
    button = focused()
    assert (button["tag"], button["type"], button["main"]) == ("button", "submit", True)
    assert page.locator("main form button[type=submit]").evaluate(
        "e => e === document.activeElement"
    )

    # Back to the password field, and Enter submits the form.
    page.keyboard.press("Shift+Tab")
    assert focused()["id"] == "id_password"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(HOME_URL)
    expect(page.locator("form[action='/accounts/logout/']")).to_have_count(1)


# --- 8. the other main pages --------------------------------------------------------------


def test_hana_looks_at_the_main_pages(page, screenshot, world, care_case, person):
    walk(world, care_case, "agency_recruitment_contract")
    login(page, "hana")

    page.goto("/cases/")
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table")).to_contain_text(care_case.reference)
    screenshot("case-list")

    page.goto("/persons/")
    link = page.locator(f"main a[href='/persons/{person.pk}/']")
    expect(link).to_have_text("ASANOVA AIGUL")
    screenshot("person-list")

    link.click()
    expect(page.locator("main h1")).to_have_text("ASANOVA AIGUL")
    expect(page.locator("#tests tbody tr")).to_have_count(3)  # skill, JLPT, care Japanese
    expect(page.locator(f"#cases a[href='/cases/{care_case.pk}/']")).to_be_visible()
    screenshot("person-detail")

    page.goto("/procedures/KG/")
    expect(page.locator("main h1")).to_be_visible()
    for key in ("direct", "via_center", "via_agency", "change_of_status"):
        expect(page.locator(f"#pattern-{key}")).to_be_visible()
    sources = page.locator("#sources")
    expect(sources.locator("a[href='/sources/#isa_kg_flow']")).to_be_visible()
    expect(sources).not_to_contain_text(re.compile(r"seeds|DOMAIN|\.md"))
    screenshot("procedure-kg")
