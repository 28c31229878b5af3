"""Issue 7, item 5: what officials and workers read. Every page of the demo, for every demo
account, in Japanese and English, shows no file path, no "seed" or "verify", no code word
and no unfilled placeholder; sources are shown by document title. Errors are Kakehashi's own
pages, never Django's debug page."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.cases.models import Case
from kakehashi.demo.scenario import USERS
from kakehashi.joboffers.models import JobOffer
from kakehashi.people.models import Person

FORBIDDEN = [
    (re.compile(r"\bseeds?\b", re.I), "the word seed"),
    (re.compile(r"\bverify\b", re.I), "the word verify"),
    (re.compile(r"shared/|\.txt\b|\.md\b|\.ya?ml\b|\.py\b"), "a file name"),
    (re.compile(r"DOMAIN|TODO|FIXME|Traceback"), "a developer word"),
    (re.compile(r"%\(\w+\)s|\{\{|\{%"), "an unfilled placeholder"),
    (re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"), "a code word"),
]


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    text = html.unescape(page)
    # Addresses are not words: e-mail addresses and web addresses are shown as they are.
    return re.sub(r"\S+@\S+|https?://\S+", " ", text)


def test_the_check_finds_what_it_looks_for() -> None:
    """The crawl below is only as good as this detector."""
    assert problems_in(visible_text("<p>Source: shared/seeds/002_cd94.txt 4</p>"))
    assert problems_in(visible_text("<p>DOMAIN.md §6 (verify)</p>"))
    assert problems_in(visible_text("<p>Refused: agency_not_certified</p>"))
    assert problems_in(visible_text("<p>%(agency)s was revoked</p>"))
    assert not problems_in(visible_text('<a href="/sources/#moc_kg">MOC</a> §7(4)'))
    assert not problems_in(visible_text("<p>Write to japan_employment@migrant.kg</p>"))


def problems_in(text: str) -> list[str]:
    found = []
    for pattern, what in FORBIDDEN:
        for match in pattern.finditer(text):
            start = max(match.start() - 40, 0)
            found.append(f"{what}: …{text[start : match.end() + 40]}…")
    return found


@pytest.fixture
def demo(demo_loaded: str, db: None) -> None:
    """The demo (loaded once for this module, kakehashi/conftest.py)."""


def urls_for(username: str) -> list[str]:
    urls = [
        "/",
        "/cases/",
        "/persons/",
        "/procedures/",
        "/procedures/KG/",
        "/job-offers/",
        "/registries/",
        "/public/",
        "/public/agencies/",
        "/public/revocations/",
        "/public/improvement-orders/",
        "/public/support-organizations/",
        "/public/field-suspensions/",
        "/jobs/",
        "/sources/",
    ]
    urls += [f"/cases/{pk}/" for pk in Case.objects.order_by("id").values_list("pk", flat=True)]
    urls += [f"/persons/{pk}/" for pk in Person.objects.order_by("id").values_list("pk", flat=True)]
    urls += [f"/job-offers/{pk}/" for pk in JobOffer.objects.values_list("pk", flat=True)]
    agencies = Organization.objects.filter(kind=OrganizationKind.SENDING_AGENCY)
    urls += [f"/registries/agencies/{pk}/" for pk in agencies.values_list("pk", flat=True)]
    urls += [f"/public/agencies/{pk}/" for pk in agencies.values_list("pk", flat=True)]
    if username == "isao":
        urls.append("/registries/japan/")
    if username == "aida":
        urls.append("/job-offers/review/")
    if username in ("hana", "ito", "kenji"):
        urls.append("/cases/new/")
    return urls


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("username", [u for u, *_ in USERS])
def test_no_page_shows_a_file_path_a_marker_or_a_code_word(
    demo: None, username: str, language: str
) -> None:
    client = Client(headers={"accept-language": language})
    client.force_login(
        __import__("kakehashi.accounts.models").accounts.models.User.objects.get(username=username)
    )
    read = 0
    found: list[str] = []
    for url in urls_for(username):
        response = client.get(url)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        if response.status_code != 200:
            continue
        read += 1
        found += [f"{url}: {p}" for p in problems_in(visible_text(response.content.decode()))]
    assert read >= 15
    assert found == []


def test_the_demo_has_sources_shown_by_title_on_the_case_page(demo: None) -> None:
    client = Client(headers={"accept-language": "en"})
    client.force_login(
        __import__("kakehashi.accounts.models").accounts.models.User.objects.get(username="hana")
    )
    case = Case.objects.filter(receiving_organization__name_en__startswith="Shinano").first()
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'href="/sources/#isa_kg_flow"' in page
    assert "Procedure for accepting Kyrgyz nationals (Immigration Services Agency)" in page


def test_a_missing_page_is_kakehashis_own_404(db: None) -> None:
    response = Client(headers={"accept-language": "en"}).get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "Kakehashi" in page
    assert "URLconf" not in page  # not Django's debug page


def test_an_error_is_kakehashis_own_500(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from kakehashi.home import views

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(views, "cases_awaiting", broken)
    client = Client(raise_request_exception=False, headers={"accept-language": "en"})
    client.force_login(world.hana)
    response = client.get("/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "broken on purpose" not in page
    assert "Traceback" not in page


def test_the_demo_runs_without_debug_pages() -> None:
    import importlib
    import os

    previous = os.environ.pop("DEBUG", None)
    try:
        local = importlib.reload(importlib.import_module("kakehashi.settings.local"))
        assert local.DEBUG is False
    finally:
        if previous is not None:
            os.environ["DEBUG"] = previous
