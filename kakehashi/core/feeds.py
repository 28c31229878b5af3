"""The one public-feed format, JSON and CSV, for every list anyone may read without an
account (the public registers, the job board), and the caching rules of public pages.

JSON: {"generated_at": …, <what the list is of: "as_of" or "filters">, "count": n,
"items": [...]}, with the same keys in every item. CSV: UTF-8 with a byte-order mark (so
that Excel in Japan reads it as UTF-8), a header row of the JSON keys, CRLF line ends
(RFC 4180), and no cell a spreadsheet would run as a formula.

Caching. The data is public and may be a minute old, so:
- feeds are `Cache-Control: public, max-age=60`: they set no cookie and hold nothing
  per visitor, so any cache may keep them (and `Access-Control-Allow-Origin: *` lets other
  sites, e.g. the Kyrgyz side's, read them from a browser);
- HTML pages are `private, max-age=60`: the browser may keep them, a shared cache may not,
  because the layout carries a CSRF token for the language switch (and sets the CSRF cookie
  on a first visit); a shared cache would hand one visitor's token to everyone.
For a signed-in user, core.middleware.NoStoreForSignedInMiddleware turns both into
`no-store, private, max-age=0` (it runs after the view and lowers max-age to 0)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from .errors import Problem

CACHE_SECONDS = 60
UTF8_BOM = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Row = Mapping[str, Any]


def cache_publicly(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def cache_privately(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, max_age=CACHE_SECONDS)
    return response


def generated_at() -> str:
    return timezone.localtime().isoformat(timespec="seconds")


def json_feed(
    items: Sequence[Row], columns: Sequence[str] | None = None, **about: Any
) -> HttpResponse:
    """The JSON feed: when it was made, what it is of (`about`), how many, the items (only
    `columns` of each, in that order, when given)."""
    rows = [{key: row[key] for key in (columns or row)} for row in items]
    body = {"generated_at": generated_at(), **about, "count": len(rows), "items": rows}
    response = HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    return cache_publicly(response)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_feed(filename: str, columns: Sequence[str], rows: Iterable[Row]) -> HttpResponse:
    """The CSV feed of `rows` (flat mappings), one row a line under a header of `columns`."""
    buffer = io.StringIO()
    buffer.write(UTF8_BOM)
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[key]) for key in columns])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return cache_publicly(response)


def feed_error(problems: list[Problem], message: str, status: int = 422) -> HttpResponse:
    """A refused parameter of a feed (JSON or CSV alike), in the API's error format: each
    problem names the parameter."""
    body = {
        "code": "invalid_parameter",
        "message": message,
        "problems": [p.as_dict() for p in problems],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )
