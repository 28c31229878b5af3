"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from kakehashi.reference.models import Field
from kakehashi.reference.services import reference_data_load
from kakehashi.testing.personas import World, build_world


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in the site's default language, as a fresh process does: a page
    request activates its reader's language and leaves it active in the thread, which
    would otherwise reach the next test's services."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="session", autouse=True)
def _private_files() -> Any:
    """Attachments the tests write go to a folder of this process, removed at the end."""
    import shutil

    from django.conf import settings
    from django.core.files.storage import storages

    yield
    shutil.rmtree(getattr(storages["private"], "location", ""), ignore_errors=True)
    shutil.rmtree(settings.AUDIT_HEAD_DIR, ignore_errors=True)  # signed heads, settings/test.py


@pytest.fixture
def reference_data(db: None) -> None:
    """Fields and categories, loaded once and kept (reloaded after a flushing test)."""
    if not Field.objects.exists():
        reference_data_load()


@pytest.fixture
def world(reference_data: None) -> World:
    return build_world()


class ApiClient:
    """Calls /api/v1/ as a user, with a real bearer token."""

    def __init__(self, user: Any, language: str = "") -> None:
        from kakehashi.accounts.services import api_token_issue

        _, token = api_token_issue(user=user)
        headers = {"authorization": f"Bearer {token}"}
        if language:
            headers["accept-language"] = language
        self.client = Client(headers=headers)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params)

    def post(self, path: str, data: Any) -> Any:
        return self.client.post(f"/api/v1{path}", data, content_type="application/json")

    def upload(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(f"/api/v1{path}", data)

    def patch(self, path: str, data: Any) -> Any:
        return self.client.patch(f"/api/v1{path}", data, content_type="application/json")


@pytest.fixture
def api_as(world: World) -> Any:
    def make(name: str, language: str = "") -> ApiClient:
        """A client for the persona `name`, asking for answers in `language` if given."""
        return ApiClient(world.user(name), language)

    return make


# --- Browser tests (marker `browser`; `make test-browser`) --------------------------------

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def chromium() -> Any:
    """Debian's chromium driven by Playwright (no browser download)."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make between page actions are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Any:
    context = chromium.new_context(
        base_url=live_server.url, locale="ja-JP", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page: Any) -> Any:
    """Save a full-page screenshot under test-output/screenshots/<name>.png."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The demo, loaded once for a module's tests: what `load_demo` printed. It stays in an
    open transaction that is rolled back after the module; each test runs inside it in a
    savepoint of its own (the `db` fixture), so a test's changes do not reach the next."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = StringIO()
            call_command("load_demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
