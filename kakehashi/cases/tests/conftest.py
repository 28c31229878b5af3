"""Fixtures of the case tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def api(api_as: Any) -> Any:
    """api_as, asking for English so that the sentence checks hold whatever catalogues the
    project ships (LANGUAGE_CODE is ja)."""

    def make(name: str, language: str = "en") -> Any:
        client = api_as(name)
        client.client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        return client

    return make
