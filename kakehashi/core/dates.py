"""The one date parser and the one validity-period check (plain Python, no Django, so the
procedure engine uses them too).

Dates are ISO 8601 calendar dates (YYYY-MM-DD), between 1900-01-01 and 2100-12-31: a date
outside that range is a typing mistake in this domain (a birth in 1890, a passport valid
for a century), and PostgreSQL and SQLite disagree about dates beyond year 9999."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class DateProblem(Exception):
    """Why a value is not an acceptable date: a code (invalid_date, date_too_early,
    date_too_late, before_start) and the parameters its message needs."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


def parse_date(
    value: Any, *, earliest: datetime.date = EARLIEST, latest: datetime.date = LATEST
) -> datetime.date:
    """A date from a date, or from text written YYYY-MM-DD; refused outside the bounds."""
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        text = str(value).strip()
        if not _ISO_DATE.fullmatch(text):
            raise DateProblem("invalid_date", {"value": text[:40]})
        try:
            day = datetime.date.fromisoformat(text)
        except ValueError as exc:
            raise DateProblem("invalid_date", {"value": text[:40]}) from exc
    check_bounds(day, earliest=earliest, latest=latest)
    return day


def check_bounds(
    day: datetime.date, *, earliest: datetime.date = EARLIEST, latest: datetime.date = LATEST
) -> datetime.date:
    if day < earliest:
        raise DateProblem("date_too_early", {"earliest": earliest.isoformat()})
    if day > latest:
        raise DateProblem("date_too_late", {"latest": latest.isoformat()})
    return day


def period_problem(
    starts_on: datetime.date | None, ends_on: datetime.date | None, *, same_day: bool = False
) -> DateProblem | None:
    """A validity period must end after it starts (on the same day too, if `same_day`)."""
    if starts_on is None or ends_on is None:
        return None
    if ends_on < starts_on or (ends_on == starts_on and not same_day):
        return DateProblem("before_start", {"start": starts_on.isoformat(), "same_day": same_day})
    return None
