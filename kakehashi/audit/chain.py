"""How a row of the audit log is hashed: SHA-256 over a canonical JSON of every column but
`hash` (sorted keys, no spaces, ASCII), `prev_hash` included, so that each row seals the
one before it. The same function writes the rows (log.py) and checks them (verify.py)."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping
from typing import Any

# Every column of AuditEntry except `hash`.
COLUMNS = (
    "seq",
    "at",
    "actor_user_id",
    "actor_label",
    "ip_address",
    "request",
    "action",
    "target_model",
    "target_pk",
    "fields",
    "detail",
    "prev_hash",
)


def _instant(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def canonical(row: Mapping[str, Any]) -> bytes:
    """The bytes hashed for `row` (a mapping of COLUMNS, as read from the database)."""
    payload = {name: row[name] for name in COLUMNS}
    payload["at"] = _instant(row["at"])
    payload["action"] = str(row["action"])
    payload["fields"] = [str(name) for name in row["fields"]]
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("ascii")


def digest(row: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(row)).hexdigest()
