"""What anonymising a person changes in the parts of Kakehashi built on top of this app.

Apps above privacy in the layers (reminders) keep copies of a person's name that privacy
cannot import to erase. Such an app registers a handler here when it starts (its
apps.py), and `anonymise_person` calls every handler inside its transaction, with the
values that were erased (docs/adr/0011 describes the same pattern for registry decisions)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonAnonymised:
    person: Any  # people.Person, already anonymised
    # The values the person's record held before, e.g. {"full_name": "TESTOV AZAMAT"}.
    erased: dict[str, str]


Handler = Callable[[PersonAnonymised], int]
_handlers: dict[str, Handler] = {}


def on_person_anonymised(name: str, handler: Handler) -> None:
    """Register `handler` under `name` (registering a name again replaces it). It returns
    how many rows it changed, for the erasure's summary."""
    _handlers[name] = handler


def person_anonymised(event: PersonAnonymised) -> dict[str, int]:
    """Run every handler in the caller's transaction: a failure undoes the anonymisation."""
    return {name: handler(event) for name, handler in _handlers.items()}
