"""A user sees where they are signed in and ends a session elsewhere; changes their password;
and chooses a new one through an e-mailed link that works once."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from kakehashi.accounts.models import SignedInSession

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the personas' password (testing/factories.py)


def signed_in(username: str, address: str, password: str = PASSWORD) -> Client:
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=f"Browser at {address}")
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:300]
    return client


def test_a_user_sees_their_sessions_and_ends_one_elsewhere(world):
    office = signed_in("hana", "192.0.2.10")
    phone = signed_in("hana", "198.51.100.20")
    signed_in("ito", "203.0.113.30")
    page = office.get("/accounts/sessions/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "192.0.2.10" in page
    assert "198.51.100.20" in page
    assert "203.0.113.30" not in page  # ito's
    assert "this browser" in page
    assert phone.get("/").status_code == 200
    other = SignedInSession.objects.get(user=world.hana, address="198.51.100.20")
    itos = SignedInSession.objects.get(user=world.ito)
    assert office.post(f"/accounts/sessions/{itos.pk}/end/").status_code == 404
    assert office.post(f"/accounts/sessions/{other.pk}/end/").status_code == 302
    assert phone.get("/").status_code == 302  # signed out: back to the sign-in page
    assert office.get("/").status_code == 200
    # Signing out removes the record.
    office.post("/accounts/logout/")
    assert not SignedInSession.objects.filter(user=world.hana).exists()


def test_a_user_changes_their_password(world):
    client = signed_in("hana", "192.0.2.10")
    wrong = client.post(
        "/accounts/password/",
        {
            "old_password": "not it",
            "new_password1": "a much longer new secret",
            "new_password2": "a much longer new secret",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert wrong.status_code == 200
    assert "old password was entered incorrectly" in wrong.content.decode()
    done = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a much longer new secret",
            "new_password2": "a much longer new secret",
        },
    )
    assert done.status_code == 302
    signed_in("hana", "192.0.2.11", "a much longer new secret")


def test_a_forgotten_password_is_reset_through_a_link_that_works_once(world):
    world.hana.email = "hana@example.jp"
    world.hana.save()
    client = Client()
    sent = client.post("/accounts/password/reset/", {"email": "hana@example.jp"})
    assert sent.status_code == 302
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.jp"})
    assert unknown.status_code == 302  # says nothing about which addresses exist
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", mail.outbox[0].body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    new = {"new_password1": "another long new secret", "new_password2": "another long new secret"}
    saved = client.post(form.redirect_chain[-1][0], new)
    assert saved.status_code == 302
    signed_in("hana", "192.0.2.12", "another long new secret")
    again = Client().get(link.group(1), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "no longer valid" in again.content.decode()
