"""API tokens: named, issued by `manage.py issue_api_token` or on the owner's page, shown
once, stored only as a SHA-256 digest; refused (401) once revoked or expired, or when the
user is no longer active; listed and revoked by their owner (page and command)."""

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


def test_an_expired_token_gets_401(world):
    import datetime

    from django.utils import timezone

    token = issue("hana", "--days", "1")
    assert get_cases(token)[0] == 200
    record = ApiToken.objects.get(user=world.hana)
    assert record.expires_at is not None
    assert timezone.now() + datetime.timedelta(hours=23) < record.expires_at
    ApiToken.objects.filter(pk=record.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert_unauthenticated(token)


def test_a_token_is_named_and_lasts_at_most_a_year(world):
    from kakehashi.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as unnamed:
        api_token_issue(user=world.hana, name=" ")
    assert unnamed.value.problems[0].field == "name"
    for days in (0, 366, "soon"):
        with pytest.raises(InvalidInput) as bad:
            api_token_issue(user=world.hana, name="export", days=days)
        assert bad.value.problems[0].field == "days"
    with pytest.raises(CommandError):
        issue("hana", "--days", "400")
    assert not ApiToken.objects.exists()


def test_the_owner_lists_and_revokes_its_tokens_on_a_page(world):
    _, token = api_token_issue(user=world.hana, name="nightly export")
    other, _ = api_token_issue(user=world.ito, name="ito's")
    get_cases(token)
    hana = Client()
    hana.force_login(world.hana)
    page = hana.get("/accounts/tokens/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "nightly export" in page
    assert "ito&#x27;s" not in page
    assert token not in page  # shown only when made
    assert "never" not in page  # it was used just now
    made = hana.post("/accounts/tokens/", {"name": "reports", "days": "30"})
    assert made.status_code == 200
    import re

    new = re.search(r"<code>(kk_[^<]+)</code>", made.content.decode())
    assert new is not None
    assert get_cases(new.group(1))[0] == 200
    record = ApiToken.objects.get(user=world.hana, name="nightly export")
    assert hana.post(f"/accounts/tokens/{other.pk}/revoke/").status_code == 404
    assert hana.post(f"/accounts/tokens/{record.pk}/revoke/").status_code == 302
    assert_unauthenticated(token)
    refused = hana.post("/accounts/tokens/", {"name": "", "days": "900"})
    assert refused.status_code == 422


def test_the_command_lists_and_revokes(world):
    token = issue("hana", "--name", "nightly export")
    out = StringIO()
    call_command("api_tokens", "hana", stdout=out)
    assert "nightly export" in out.getvalue()
    assert token not in out.getvalue()
    record = ApiToken.objects.get(user=world.hana)
    call_command("api_tokens", "hana", "--revoke", record.prefix, stdout=StringIO())
    assert_unauthenticated(token)
