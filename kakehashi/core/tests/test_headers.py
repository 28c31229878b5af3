"""Security headers on every page: a Content-Security-Policy with no inline script or style
and nothing from other origins, a Referrer-Policy and a Permissions-Policy; and no page
template carries an inline script, an inline event handler or a style attribute that the
policy would block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "kakehashi"


@pytest.mark.parametrize("path", ["/accounts/login/", "/public/", "/jobs/", "/api/v1/docs"])
def test_every_page_sends_the_security_headers(path):
    response = Client().get(path)
    assert response.status_code == 200, path
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_no_template_has_what_the_policy_blocks():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
    handler = re.compile(r"\son[a-z]+=[\"']", re.IGNORECASE)
    style_attribute = re.compile(r"\sstyle=[\"']")
    found = []
    for template in TEMPLATES.rglob("templates/**/*.html"):
        if "/pdf/" in str(template):  # PDFs are not served as pages
            continue
        text = template.read_text(encoding="utf-8")
        for name, pattern in (
            ("inline script", inline_script),
            ("event handler", handler),
            ("style attribute", style_attribute),
        ):
            if pattern.search(text):
                found.append(f"{template.relative_to(TEMPLATES)}: {name}")
    assert found == []


def test_the_api_docs_use_our_own_static_files():
    page = Client().get("/api/v1/docs").content.decode()
    assert "cdn." not in page
    assert "/static/ninja/swagger-ui-bundle.js" in page
