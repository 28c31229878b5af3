"""Signed heads: the last row of the chain (its seq, hash and time) signed with Ed25519 and
written to a file of its own in settings.AUDIT_HEAD_DIR, once a day (tasks.py) or by
`manage.py audit_export_head`. Kept off the machine, they prove what the log held on
that day: a log rewritten afterwards, even consistently, no longer has that hash at that
row (verify.py).

The key is settings.AUDIT_SIGNING_KEY (base64 of the 32-byte raw private key). Without it
(the demo, the tests) a key is derived from SECRET_KEY with HKDF; production refuses to
start without its own (settings/production.py). Heads signed by an earlier key are
checked with the public keys in settings.AUDIT_PREVIOUS_PUBLIC_KEYS."""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils import timezone

from .models import GENESIS, AuditEntry

SIGNED = ("seq", "hash", "at", "exported_at")


def signing_key() -> Ed25519PrivateKey:
    configured = getattr(settings, "AUDIT_SIGNING_KEY", "")
    if configured:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(configured, validate=True))
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"kakehashi audit",
        info=b"audit head signing key",
    ).derive(settings.SECRET_KEY.encode())
    return Ed25519PrivateKey.from_private_bytes(derived)


def _raw(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def public_key() -> str:
    """The public key, base64 of its 32 raw bytes, to give to whoever checks the heads."""
    return _raw(signing_key().public_key())


def trusted_keys() -> list[Ed25519PublicKey]:
    keys = [signing_key().public_key()]
    for encoded in getattr(settings, "AUDIT_PREVIOUS_PUBLIC_KEYS", []):
        try:
            keys.append(Ed25519PublicKey.from_public_bytes(base64.b64decode(encoded)))
        except (ValueError, binascii.Error):
            continue
    return keys


def _message(head: dict[str, Any]) -> bytes:
    return json.dumps(
        {name: head[name] for name in SIGNED}, sort_keys=True, separators=(",", ":")
    ).encode("ascii")


def head_dir() -> Path:
    return Path(settings.AUDIT_HEAD_DIR)


def export_head(now: datetime.datetime | None = None) -> Path:
    """Sign the current head and write it to a new file named by the UTC time."""
    now = now or timezone.now()
    last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash", "at").first()
    seq, digest, at = last if last is not None else (0, GENESIS, None)
    head: dict[str, Any] = {
        "seq": seq,
        "hash": digest,
        "at": at.astimezone(datetime.UTC).isoformat() if at else None,
        "exported_at": now.astimezone(datetime.UTC).isoformat(),
    }
    head["signature"] = base64.b64encode(signing_key().sign(_message(head))).decode("ascii")
    head["public_key"] = public_key()
    folder = head_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"head-{now.astimezone(datetime.UTC):%Y%m%dT%H%M%S%fZ}.json"
    with path.open("x", encoding="utf-8") as stream:  # never over an earlier head
        json.dump(head, stream, indent=1)
    return path


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str
    exported_at: str
    name: str


def read_heads() -> tuple[list[Head], list[str]]:
    """The heads in AUDIT_HEAD_DIR whose signature verifies, and a problem for each file
    that cannot be read or whose signature does not verify."""
    folder = head_dir()
    if not folder.is_dir():
        return [], []
    keys = trusted_keys()
    heads: list[Head] = []
    problems: list[str] = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            message = _message(data)
            signature = base64.b64decode(data["signature"], validate=True)
            head = Head(int(data["seq"]), str(data["hash"]), str(data["exported_at"]), path.name)
        except (OSError, ValueError, KeyError, TypeError, binascii.Error):
            problems.append(f"head file {path.name} cannot be read as a signed head")
            continue
        if not any(_verifies(key, signature, message) for key in keys):
            problems.append(
                f"head exported at {head.exported_at} ({path.name}): the signature does not "
                "verify with this installation's key: the file was forged or damaged"
            )
            continue
        heads.append(head)
    return heads, problems


def _verifies(key: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        key.verify(signature, message)
    except InvalidSignature:
        return False
    return True
