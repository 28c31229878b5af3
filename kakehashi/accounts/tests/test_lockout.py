"""Sign-in protection (django-axes): ten wrong passwords for an account lock it, and the
right password is refused after them; ten from one address lock that address for every
account; a success before the limit resets the count."""

from __future__ import annotations

import pytest
from django.test import Client

PASSWORD = "correct horse battery staple"  # the personas' password (testing/factories.py)

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str, address: str = "203.0.113.7") -> int:
    response = client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    return response.status_code


def test_the_eleventh_attempt_after_ten_wrong_passwords_is_locked(world):
    client = Client()
    for _ in range(10):
        assert sign_in(client, "hana", "wrong password") in (200, 429)
    # The right password, now: refused, and no session.
    response = client.post(
        "/accounts/login/",
        {"username": "hana", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.9",  # another address: the account itself is locked
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from another address still signs in.
    assert sign_in(Client(), "ito", PASSWORD, "192.0.2.44") == 302


def test_nine_wrong_then_the_right_one_signs_in_and_resets_the_count(world):
    client = Client()
    for _ in range(9):
        assert sign_in(client, "hana", "wrong password") == 200
    assert sign_in(client, "hana", PASSWORD) == 302
    for _ in range(9):
        assert sign_in(Client(), "hana", "wrong again") == 200
    assert sign_in(Client(), "hana", PASSWORD) == 302


def test_ten_failures_from_one_address_lock_that_address(world):
    for username in ["hana", "ito", "mayu", "isao", "aida"] * 2:
        sign_in(Client(), username, "guess", "203.0.113.99")
    assert sign_in(Client(), "bakyt", PASSWORD, "203.0.113.99") == 429
    assert sign_in(Client(), "bakyt", PASSWORD, "192.0.2.1") == 302
