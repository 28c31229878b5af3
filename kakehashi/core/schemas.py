"""Types the API's schemas share, so that every endpoint reads input the same way and the
OpenAPI schema declares every limit: dates through the one date parser (core.dates, with
its bounds), page sizes, and the error format."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from .dates import EARLIEST, LATEST, DateProblem, parse_date
from .pagination import MAX_LIMIT
from .validation import date_message


def _day(value: Any) -> datetime.date:
    if isinstance(value, (int, float, bool)):
        # JSON numbers are not dates (pydantic would read them as Unix time).
        raise PydanticCustomError("invalid_date", date_message(DateProblem("invalid_date")))
    try:
        return parse_date(value)
    except DateProblem as problem:
        raise PydanticCustomError(problem.code, date_message(problem)) from problem


DATE_SCHEMA = {
    "type": "string",
    "format": "date",
    "formatMinimum": EARLIEST.isoformat(),
    "formatMaximum": LATEST.isoformat(),
    "description": f"YYYY-MM-DD, from {EARLIEST.isoformat()} to {LATEST.isoformat()}",
}

# A date in the API: YYYY-MM-DD within the bounds of core.dates.
Day = Annotated[datetime.date, BeforeValidator(_day), WithJsonSchema(DATE_SCHEMA)]

# A page size: 1 to MAX_LIMIT.
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description=f"page size, 1 to {MAX_LIMIT}")]


class ProblemOut(Schema):
    code: str
    message: str
    field: str | None = None
    source: str | None = None
    source_ref: str | None = None


class ErrorOut(Schema):
    """Every error response: a stable code, a sentence in the caller's language, and the
    problems (each naming its field and, for a legal rule, its source)."""

    code: str
    message: str
    problems: list[ProblemOut] = []
    existing: dict[str, int] | None = Field(
        None,
        description="On a conflict, the record it is about when the caller may open it, "
        'e.g. {"person_id": 12}.',
    )
