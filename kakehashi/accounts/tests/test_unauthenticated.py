"""Issue 7 item 4: without a valid token, every method gets 401 in the API's error format,
never a CSRF refusal; a signed-in browser session still needs its CSRF token to write."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from kakehashi.accounts.services import api_token_issue, api_token_revoke
from kakehashi.cases.models import Case

WRITES = [
    (
        "post",
        "/api/v1/cases",
        {"person_id": 1, "field": "care", "business_category": "care", "pattern": "direct"},
    ),
    ("post", "/api/v1/persons", {"family_name": "A"}),
    ("patch", "/api/v1/persons/1", {"family_name": "B"}),
    ("post", "/api/v1/cases/1/steps/employment_contract/complete", {"evidence": {}}),
    ("post", "/api/v1/registries/improvement-orders", {}),
    ("post", "/api/v1/job-offers", {}),
]


def call(client: Client, method: str, path: str, body: Any) -> Any:
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def assert_401(response: Any) -> None:
    assert response.status_code == 401, response.content
    body = response.json()
    assert body["code"] == "unauthenticated"
    assert "CSRF" not in body["message"]


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_a_write_without_a_token_is_401(world: Any, method: str, path: str, body: Any) -> None:
    assert_401(call(Client(enforce_csrf_checks=True), method, path, body))
    assert not Case.objects.exists()


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_a_write_with_a_revoked_token_is_401(world: Any, method: str, path: str, body: Any) -> None:
    record, token = api_token_issue(user=world.hana)
    api_token_revoke(token=record)
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_401(call(client, method, path, body))


@pytest.mark.parametrize("header", ["Bearer nonsense", "Basic aGFuYTpwdw==", "Bearer "])
def test_a_write_with_a_bad_authorization_header_is_401(world: Any, header: str) -> None:
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=header)
    assert_401(call(client, "post", "/api/v1/persons", {}))


def test_a_bad_token_is_not_rescued_by_a_signed_in_session(world: Any) -> None:
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION="Bearer kk_wrong")
    client.force_login(world.hana)
    assert_401(client.get("/api/v1/cases"))


def test_a_signed_in_session_reads_without_a_token(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.hana)
    assert client.get("/api/v1/cases").status_code == 200


def test_a_signed_in_session_must_send_its_csrf_token_to_write(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.hana)
    response = call(client, "post", "/api/v1/persons", {"family_name": "A"})
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
