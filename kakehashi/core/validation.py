"""Turning the plain checks of core.dates and core.text into problems that name the field
and say the rule in the reader's language. Services, forms and API schemas all use these,
so a bad date reads the same wherever it was typed."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from .dates import EARLIEST, LATEST, DateProblem, parse_date, period_problem
from .errors import Problem
from .text import forbidden_character


def date_message(problem: DateProblem) -> str:
    params = problem.params
    if problem.code == "date_too_early":
        return _("The date cannot be before %(earliest)s.") % params
    if problem.code == "date_too_late":
        return _("The date cannot be after %(latest)s.") % params
    if problem.code == "before_start" and params.get("same_day"):
        return _("The end cannot be before the start (%(start)s).") % params
    if problem.code == "before_start":
        return _("The end must be after the start (%(start)s).") % params
    return _("Not a date; write it as YYYY-MM-DD, for example 2026-04-01.")


def as_problem(problem: DateProblem, field: str) -> Problem:
    return Problem(problem.code, date_message(problem), field=field)


def date_field(
    value: Any,
    name: str,
    problems: list[Problem],
    *,
    required: bool = True,
    earliest: datetime.date = EARLIEST,
    latest: datetime.date = LATEST,
) -> datetime.date | None:
    """Check one date input; add a problem naming `name` if it is missing or wrong."""
    if value in (None, ""):
        if required:
            problems.append(Problem("required", _("This field is required."), field=name))
        return None
    try:
        return parse_date(value, earliest=earliest, latest=latest)
    except DateProblem as problem:
        problems.append(as_problem(problem, name))
        return None


def not_in_future(
    day: datetime.date | None, name: str, problems: list[Problem], today: datetime.date
) -> None:
    if day is not None and day > today:
        problems.append(
            Problem(
                "date_in_future",
                _("The date cannot be after today (%(today)s).") % {"today": today.isoformat()},
                field=name,
            )
        )


def period(
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    end_field: str,
    problems: list[Problem],
    *,
    same_day: bool = False,
) -> None:
    """The one validity-period check: the end comes after the start (or on the same day,
    where one day is a valid period)."""
    problem = period_problem(starts_on, ends_on, same_day=same_day)
    if problem is not None:
        problems.append(as_problem(problem, end_field))


def text_field(
    value: Any, name: str, problems: list[Problem], *, required: bool = False, max_length: int
) -> str:
    """Check one text input: present if required, within its length, and free of control
    characters (which the request boundary refuses too)."""
    text = str(value or "").strip()
    character = forbidden_character(text)
    if character is not None:
        problems.append(
            Problem(
                "forbidden_character",
                _("This text contains a control character (%(character)s); remove it.")
                % {"character": character},
                field=name,
            )
        )
    elif required and not text:
        problems.append(Problem("required", _("This field is required."), field=name))
    elif len(text) > max_length:
        problems.append(
            Problem("too_long", _("At most %(max)s characters.") % {"max": max_length}, field=name)
        )
    return text
