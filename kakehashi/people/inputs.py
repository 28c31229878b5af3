"""The typed input of the person services, built at the boundary (the API's schemas, the
pages' forms) and checked by the services, which never re-parse loose text."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields
from typing import Any, TypedDict


@dataclass(frozen=True)
class PersonData:
    """A person's record as registered. `mrz` is the passport's machine-readable zone (the
    two lines at the bottom of the photo page), checked when given and not stored."""

    family_name: str
    given_names: str
    nationality: str
    date_of_birth: datetime.date
    current_country: str
    native_name: str = ""
    passport_number: str = ""
    passport_expiry: datetime.date | None = None
    current_status_of_residence: str = ""
    email: str = ""
    phone: str = ""
    mrz: str = ""

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> PersonData:
        """From already-typed values (a schema's or a form's), ignoring unknown keys;
        missing text is empty."""
        known = {k: v for k, v in data.items() if k in cls.names()}
        for name in ("native_name", "passport_number", "current_status_of_residence"):
            known[name] = known.get(name) or ""
        for name in ("email", "phone", "mrz"):
            known[name] = known.get(name) or ""
        return cls(**known)


class PersonChanges(TypedDict, total=False):
    """A change to some fields of a person's record (already typed)."""

    family_name: str
    given_names: str
    native_name: str
    nationality: str
    date_of_birth: datetime.date
    passport_number: str
    passport_expiry: datetime.date | None
    current_country: str
    current_status_of_residence: str
    email: str
    phone: str
    mrz: str


@dataclass(frozen=True)
class TestResultData:
    kind: str
    taken_on: datetime.date
    passed: bool
    test_code: str = ""
    business_category: str | None = None
    level: str = ""
    certificate_number: str = ""
