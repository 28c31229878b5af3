"""Fixtures shared by every app's tests."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kakehashi.reference.models import Field
from kakehashi.reference.services import reference_data_load
from kakehashi.testing.personas import World, build_world


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

    def __init__(self, user: Any) -> None:
        from kakehashi.accounts.services import api_token_issue

        _, token = api_token_issue(user=user)
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params)

    def post(self, path: str, data: Any) -> Any:
        return self.client.post(f"/api/v1{path}", data, content_type="application/json")

    def patch(self, path: str, data: Any) -> Any:
        return self.client.patch(f"/api/v1{path}", data, content_type="application/json")


@pytest.fixture
def api_as(world: World) -> Any:
    def make(name: str) -> ApiClient:
        return ApiClient(world.user(name))

    return make
