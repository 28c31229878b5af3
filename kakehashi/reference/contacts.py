"""The contacts a worker or candidate is given (reference/data/contacts.yaml): the Center
and the Kyrgyz Embassy in Japan, in four languages, with their source."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from .sources import Wording

DATA_FILE = Path(__file__).resolve().parent / "data" / "contacts.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Email(_Strict):
    address: str
    purpose: Wording


class Contact(_Strict):
    key: str
    name: Wording
    role: Wording
    address: str
    phone: str
    emails: tuple[Email, ...]
    url: str | None = None


class Contacts(_Strict):
    source: str
    contacts: tuple[Contact, ...]


@lru_cache(maxsize=1)
def contacts() -> Contacts:
    return Contacts.model_validate(yaml.safe_load(DATA_FILE.read_text(encoding="utf-8")))


def contact_rows(language: str) -> list[dict[str, object]]:
    """The contacts as a page shows them, in `language`."""
    return [
        {
            "name": c.name.get(language),
            "role": c.role.get(language),
            "address": c.address,
            "phone": c.phone,
            "emails": [(e.address, e.purpose.get(language)) for e in c.emails],
            "url": c.url,
        }
        for c in contacts().contacts
    ]
