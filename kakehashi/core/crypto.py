"""Identifiers encrypted at rest (passport and residence-card numbers), findable by a keyed
hash, and masked when shown.

- Encryption: Fernet (AES-128-CBC with HMAC-SHA256, from the `cryptography` package) with
  the keys of settings.FIELD_ENCRYPTION_KEYS, newest first. MultiFernet decrypts with any
  of them and encrypts with the first: a new key goes first, `manage.py rotate_field_keys`
  re-encrypts every value with it, then the old key can be dropped (docs/security.md).
- Finding: HMAC-SHA256 with settings.IDENTIFIER_HASH_KEY over the normalised value, per
  kind ("passport", "residence_card"): the same number gives the same digest, so the
  duplicate check and search run on the digest; the key keeps a stolen database from being
  searched by guessing numbers.
- Showing: masked (all but the last three characters) unless the policy lets the reader
  see the full value; each time it is shown in full is written to the audit log."""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

MASK = "•"
_SPACES = re.compile(r"[\s-]")


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def _cipher() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


class DecryptionFailed(Exception):
    """A value no configured key opens: the key it was written with is missing."""


def encrypt(text: str) -> str:
    return _cipher().encrypt(text.encode()).decode() if text else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionFailed(
            "A stored identifier cannot be decrypted with the configured keys "
            "(FIELD_ENCRYPTION_KEYS): the key it was written with is missing."
        ) from exc


def rotate(token: str) -> str:
    """The same value encrypted with the newest key."""
    return _cipher().rotate(token.encode()).decode() if token else ""


def normalise(value: str) -> str:
    return _SPACES.sub("", value or "").upper()


def digest(kind: str, value: str) -> str:
    """The keyed hash of an identifier ("" for none): equal numbers, equal digests."""
    number = normalise(value)
    if not number:
        return ""
    key = settings.IDENTIFIER_HASH_KEY.encode()
    return hmac.new(key, f"{kind}:{number}".encode(), hashlib.sha256).hexdigest()


def mask(value: str, keep: int = 3) -> str:
    """All but the last `keep` characters hidden: "AC1234567" → "••••••567"."""
    if not value:
        return ""
    shown = value[-keep:] if len(value) > keep else ""
    return MASK * (len(value) - len(shown)) + shown


# An identifier inside a JSON value (a step's evidence): the marker, then the Fernet token.
SEALED = "enc:"


def seal(value: str) -> str:
    return SEALED + encrypt(value) if value else value


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(SEALED)


def unseal(value: str) -> str:
    return decrypt(value[len(SEALED) :]) if is_sealed(value) else value


class EncryptedTextField(models.TextField):
    """A text column holding a Fernet token; the model attribute is the plain value.
    Encrypted values cannot be compared in queries: look them up by their digest column.
    `max_length` applies to the plain value (forms and input checks)."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return decrypt(value) if value else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
