"""The second factor (django-otp): required of the contact points, the Center, immigration
and the city (and of /admin/ users), optional for the others. A required user is led to
set it up before any page; a user with an authenticator enters a code in each new
session; recovery codes work once; the API treats an unverified session as signed out."""

from __future__ import annotations

import re
from binascii import unhexlify

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kakehashi.accounts import mfa

PASSWORD = "correct horse battery staple"
REQUIRED = ["jp_contact_point", "sending_contact_point", "immigration_bureau", "municipality"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED_KINDS = REQUIRED
    settings.MFA_REQUIRED_FOR_STAFF = True


def signed_in(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def code_for(device: TOTPDevice, later: int = 0) -> str:
    totp = TOTP(unhexlify(device.key), device.step, device.t0, device.digits)
    totp.time = totp.time + later * device.step
    return f"{totp.token():06d}"


def set_up(client: Client) -> tuple[TOTPDevice, list[str]]:
    page = client.get("/accounts/mfa/setup/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(confirmed=False)
    secret = re.search(r'id="mfa-secret">([A-Z2-7 ]+)<', page.content.decode())
    assert secret is not None
    assert secret.group(1).replace(" ", "") == mfa.secret_of(device).replace(" ", "")
    done = client.post("/accounts/mfa/setup/", {"code": code_for(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    return device, codes


def test_a_contact_point_user_must_set_up_the_second_factor_before_any_page(world, required):
    client = signed_in("isao")
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/mfa/setup/?next=%2Fcases%2F")
    # The API: the unverified session counts as not signed in.
    assert client.get("/api/v1/cases").status_code == 401
    device, _codes = set_up(client)
    assert device.confirmed
    assert client.get("/cases/").status_code == 200
    assert client.get("/api/v1/cases").status_code == 200


def test_each_new_session_asks_for_a_code_and_a_wrong_one_is_refused(world, required):
    device, _codes = set_up(signed_in("mayu"))
    client = signed_in("mayu")
    assert client.get("/").headers["Location"].startswith("/accounts/mfa/verify/")
    wrong = client.post("/accounts/mfa/verify/", {"code": "000000", "next": "/cases/"})
    assert wrong.status_code == 422
    assert "The code is not right" in wrong.content.decode()
    assert client.get("/cases/").status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the failure slowed it down; wait it out
    device.save()
    ok = client.post(
        "/accounts/mfa/verify/", {"code": code_for(device, later=1), "next": "/cases/"}
    )
    assert ok.status_code == 302
    assert ok["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200


def test_a_recovery_code_works_once(world, required):
    _device, codes = set_up(signed_in("aida"))
    first = signed_in("aida")
    assert first.post("/accounts/mfa/verify/", {"code": codes[0].upper()}).status_code == 302
    assert first.get("/cases/").status_code == 200
    again = signed_in("aida")
    assert again.post("/accounts/mfa/verify/", {"code": codes[0]}).status_code == 422
    assert mfa.status(world.user("aida")).recovery_codes_left == 9


def test_setting_it_up_signs_the_other_browsers_out(world, required):
    other = signed_in("isao")
    client = signed_in("isao")
    set_up(client)
    assert other.get("/cases/").status_code == 302
    assert "_auth_user_id" not in other.session


def test_it_is_optional_for_an_employer_who_may_turn_it_off(world, required):
    client = signed_in("hana")
    assert client.get("/cases/").status_code == 200  # no set-up asked
    set_up(client)
    later = signed_in("hana")
    assert later.get("/cases/").status_code == 302  # once on, a code in each session
    client.post("/accounts/mfa/off/")
    assert not mfa.has_device(world.user("hana"))
    assert signed_in("hana").get("/cases/").status_code == 200


def test_a_required_user_cannot_turn_it_off(world, required):
    client = signed_in("isao")
    set_up(client)
    response = client.post("/accounts/mfa/off/", follow=True)
    assert "requires a second factor" in response.content.decode()
    assert mfa.has_device(world.user("isao"))


def test_bad_codes_are_4xx_naming_the_field(world, required):
    client = signed_in("isao")
    for bad in ["", "x" * 5000, "12\x0034", "１２３４５６"]:
        response = client.post("/accounts/mfa/setup/", {"code": bad})
        assert response.status_code == 422, bad
    assert not mfa.has_device(world.user("isao"))


def test_admin_needs_a_verified_session(world, required):
    user = world.user("isao")
    user.is_staff = True
    user.is_superuser = True
    user.save()
    client = signed_in("isao")
    assert client.get("/admin/").status_code == 302
    set_up(client)
    assert client.get("/admin/").status_code == 200


def test_tokens_are_not_affected(world, required):
    from kakehashi.accounts.services import api_token_issue

    _record, token = api_token_issue(user=world.user("isao"))
    response = Client().get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
