"""Rate limits: over the limit, the API and the public feeds answer 429 with Retry-After in
the API's error format; a signed-in caller has its own count; other addresses are not held
back."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


@override_settings(THROTTLE_RATES={"anon": "3/min", "user": "5/min", "feed": "2/min"})
def test_the_public_api_answers_429_with_retry_after(world):
    client = Client(REMOTE_ADDR="203.0.113.5")
    statuses = [client.get("/api/v1/registries/agencies").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/registries/agencies")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["message"]
    # Another address is not held back.
    assert Client(REMOTE_ADDR="198.51.100.6").get("/api/v1/registries/agencies").status_code == 200


@override_settings(THROTTLE_RATES={"anon": "1/min", "user": "5/min", "feed": "2/min"})
def test_a_signed_in_caller_has_its_own_limit(world, api_as):
    api = api_as("hana")
    statuses = [api.get("/cases").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


@override_settings(THROTTLE_RATES={"anon": "3/min", "user": "5/min", "feed": "2/min"})
def test_the_public_feeds_answer_429_with_retry_after(world):
    client = Client(REMOTE_ADDR="203.0.113.8")
    statuses = [client.get("/public/agencies.json").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = client.get("/public/agencies.csv")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["code"] == "throttled"
    # The pages themselves are not counted.
    assert client.get("/public/").status_code == 200
