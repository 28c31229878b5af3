"""API tokens: issued by `manage.py issue_api_token`, shown once, stored only as a
SHA-256 digest, refused once revoked or when the user is no longer active."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from kakehashi.accounts.models import ApiToken
from kakehashi.accounts.services import api_token_issue, api_token_revoke


def issue(username: str, *args: str) -> str:
    out = StringIO()
    call_command("issue_api_token", username, *args, stdout=out)
    return out.getvalue().strip()


def get_cases(token: str) -> tuple[int, dict]:
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/cases")
    return response.status_code, response.json()


def assert_unauthenticated(token: str) -> None:
    status, body = get_cases(token)
    assert status == 401, body
    assert body["code"] == "unauthenticated"
    assert body["message"]
    assert body["message"] != body["code"]


def test_the_command_prints_a_token_that_authenticates(world):
    token = issue("hana")

    assert token.startswith("kk_")
    assert len(token.split()) == 1
    status, body = get_cases(token)
    assert status == 200, body
    assert body == {"items": [], "next_cursor": None}
    record = ApiToken.objects.get(user=world.hana)
    assert record.last_used_at is not None


def test_the_command_records_the_token_name(world):
    issue("hana", "--name", "nightly export")

    assert ApiToken.objects.get(user=world.hana).name == "nightly export"


def test_each_token_is_new(world):
    first, second = issue("hana"), issue("hana")

    assert first != second
    assert ApiToken.objects.filter(user=world.hana).count() == 2
    assert get_cases(first)[0] == get_cases(second)[0] == 200


def test_an_unknown_username_is_a_command_error(world):
    with pytest.raises(CommandError, match="nosuchuser"):
        issue("nosuchuser")

    assert not ApiToken.objects.exists()


def test_the_command_refuses_an_inactive_user(world):
    world.hana.is_active = False
    world.hana.save(update_fields=["is_active"])

    with pytest.raises(CommandError):
        issue("hana")

    assert not ApiToken.objects.exists()


def test_a_revoked_token_is_refused(world):
    token = issue("hana")
    assert get_cases(token)[0] == 200

    api_token_revoke(token=ApiToken.objects.get(user=world.hana))

    assert_unauthenticated(token)
    assert ApiToken.objects.get(user=world.hana).revoked_at is not None


def test_revoking_one_token_leaves_the_others_working(world):
    record, revoked = api_token_issue(user=world.hana)
    _, kept = api_token_issue(user=world.hana)

    api_token_revoke(token=record)

    assert_unauthenticated(revoked)
    assert get_cases(kept)[0] == 200


def test_only_the_digest_of_the_token_is_stored(world):
    token = issue("hana")

    record = ApiToken.objects.get(user=world.hana)
    assert record.digest == hashlib.sha256(token.encode()).hexdigest()
    for field in ApiToken._meta.concrete_fields:
        stored = str(getattr(record, field.attname))
        assert token not in stored, field.name
        assert len(stored) < len(token) or field.name == "digest", field.name
    assert token.startswith(record.prefix)
    assert len(record.prefix) < len(token) // 3


def test_an_inactive_users_token_is_refused(world):
    token = issue("hana")
    assert get_cases(token)[0] == 200

    world.hana.is_active = False
    world.hana.save(update_fields=["is_active"])

    assert_unauthenticated(token)


@pytest.mark.parametrize(
    "token",
    ["", "kk_", "kk_not-a-real-token", "not-even-prefixed", "Bearer kk_x"],
)
def test_a_made_up_token_is_refused(world, token):
    issue("hana")

    assert_unauthenticated(token)


def test_a_request_without_a_token_is_refused(world):
    response = Client().get("/api/v1/cases")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_token_sees_only_what_its_user_may_see(world, api_as):
    from kakehashi.testing.factories import PersonFactory, make_eligible

    person = make_eligible(PersonFactory(created_by_organization=world.care_home), "care")
    created = api_as("hana").post(
        "/cases",
        {"person_id": person.pk, "field": "care", "business_category": "care", "pattern": "direct"},
    )
    assert created.status_code == 201, created.json()

    assert [c["id"] for c in get_cases(issue("hana"))[1]["items"]] == [created.json()["case"]["id"]]
    assert get_cases(issue("oscar"))[1]["items"] == []
