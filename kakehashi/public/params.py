"""The query parameters of the public pages and feeds, checked in one place: `on` (the date
the registers are shown as of), and for the agency register `q` (a name) and `state`.

A wrong value is refused (HTTP 422) with a message that names the parameter, rather than
silently ignored: a worker who typed a date must not be shown today's register believing it
is the one of that date. A date after today is the one exception: no register exists for it
yet, so today's is shown and the page says so (`AsOf.future_requested`)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.core.errors import Problem

# The states of kakehashi.procedures.rules.certification_state_on, in the order of the filter.
AGENCY_STATES = ("certified", "suspended", "revoked", "expired", "applied", "refused", "none")
MAX_SEARCH_LENGTH = 100
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class BadParameter(Exception):
    """A query parameter the page cannot use; `problems` name it (`field`)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class AsOf:
    on: datetime.date  # the date the registers are shown as of
    today: datetime.date
    future_requested: datetime.date | None = None  # a date after today that was asked for

    @property
    def is_today(self) -> bool:
        return self.on == self.today


def as_of(params: QueryDict) -> AsOf:
    """`?on=YYYY-MM-DD`; empty or absent means today (in the site's time zone)."""
    today = timezone.localdate()
    raw = params.get("on", "").strip()
    if not raw:
        return AsOf(on=today, today=today)
    day = None
    if _ISO_DATE.fullmatch(raw):
        try:
            day = datetime.date.fromisoformat(raw)
        except ValueError:
            day = None
    if day is None:
        raise BadParameter(
            [
                Problem(
                    "invalid_date",
                    _(
                        "The parameter “%(name)s” must be a date written as YYYY-MM-DD, "
                        "for example %(example)s."
                    )
                    % {"name": "on", "example": today.isoformat()},
                    field="on",
                )
            ]
        )
    if day > today:
        return AsOf(on=today, today=today, future_requested=day)
    return AsOf(on=day, today=today)


def search(params: QueryDict) -> str:
    term = " ".join(params.get("q", "").split())
    if len(term) > MAX_SEARCH_LENGTH:
        raise BadParameter(
            [
                Problem(
                    "too_long",
                    _("The parameter “%(name)s” is too long (at most %(max)d characters).")
                    % {"name": "q", "max": MAX_SEARCH_LENGTH},
                    field="q",
                )
            ]
        )
    return term


def agency_state(params: QueryDict) -> str:
    state = params.get("state", "").strip()
    if state and state not in AGENCY_STATES:
        raise BadParameter(
            [
                Problem(
                    "invalid_choice",
                    _("The parameter “%(name)s” must be one of: %(choices)s.")
                    % {"name": "state", "choices": ", ".join(AGENCY_STATES)},
                    field="state",
                )
            ]
        )
    return state
