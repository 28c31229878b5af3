"""Second factor (MFA) with django-otp: a TOTP authenticator app, and ten single-use
recovery codes for when the phone is lost. Whether a user *must* use it is the access
policy's question (access.policy.must_use_mfa); this module only keeps the devices.

A session is "verified" once a code from one of the user's devices was accepted in it
(django_otp.login stores the device in the session; OTPMiddleware reads it back)."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kakehashi.core.errors import DomainError, InvalidInput, Problem

from .models import User

RECOVERY_CODES = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"
_CODE = re.compile(r"^[0-9]{6}$")
_RECOVERY = re.compile(r"^[a-z2-7]{8}$")


@dataclass(frozen=True)
class MfaStatus:
    enabled: bool
    recovery_codes_left: int


def status(user: User) -> MfaStatus:
    totp = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return MfaStatus(enabled=totp, recovery_codes_left=left)


def has_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def secret_of(device: TOTPDevice) -> str:
    """The secret as the authenticator apps take it by hand: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def setup_start(user: User) -> TOTPDevice:
    """The authenticator being set up: an unconfirmed device, kept until confirmed (so a
    reload shows the same secret) and replaced only when none is waiting."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def _wrong(code: str, message: object) -> InvalidInput:
    return InvalidInput([Problem(code, str(message), field="code")])


def _clean_code(raw: object) -> str:
    text = str(raw or "").strip().replace(" ", "").replace("-", "").lower()
    if not text:
        raise _wrong("required", _("Enter the code your authenticator app shows."))
    if len(text) > 20:
        raise _wrong("invalid_code", _("That is not a code: it is too long."))
    return text


@transaction.atomic
def setup_confirm(user: User, raw_code: object) -> list[str]:
    """Confirm the authenticator with a code it shows. Returns the new recovery codes (shown
    once); the user's previous authenticator and recovery codes are replaced."""
    code = _clean_code(raw_code)
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False, name=TOTP_NAME)
        .first()
    )
    if device is None:
        raise DomainError("no_setup", str(_("No set-up is waiting: start it again.")), status=409)
    if not _CODE.match(code) or not device.verify_token(code):
        raise _wrong(
            "wrong_code",
            _("The code does not match. Check the time on the phone and try the newest code."),
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_new(user)


@transaction.atomic
def recovery_codes_new(user: User) -> list[str]:
    """Ten new single-use recovery codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def verify(request: HttpRequest, user: User, raw_code: object) -> None:
    """Accept a code from the authenticator or a recovery code, and mark the session as
    verified. Wrong codes slow down: each device waits longer after every failure
    (django-otp's throttling)."""
    code = _clean_code(raw_code)
    kinds = TOTPDevice if _CODE.match(code) else StaticDevice if _RECOVERY.match(code) else None
    if kinds is not None:
        for device in devices_for_user(user):
            if isinstance(device, kinds) and verify_token(user, device.persistent_id, code):
                otp_login(request, device)
                return
    raise _wrong(
        "wrong_code",
        _("The code is not right, or was already used. Wait for the next code and try again."),
    )


@transaction.atomic
def turn_off(user: User) -> None:
    """Remove the authenticator and the recovery codes (only where MFA is optional)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def device_with_key(user: User, key_hex: str) -> TOTPDevice:
    """A confirmed authenticator with a known key (the demo's, which its README prints)."""
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, name=TOTP_NAME, defaults={"key": key_hex, "confirmed": True}
    )
    return device


def current_code(key_hex: str) -> str:
    """The code an authenticator with this key shows now."""
    from binascii import unhexlify

    from django_otp.oath import TOTP

    return f"{TOTP(unhexlify(key_hex)).token():06d}"
