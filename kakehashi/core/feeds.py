"""The one public-feed format, JSON and CSV, for every list anyone may read without an
account (the public registers, the job board), and the caching rules of public pages.

JSON: {"generated_at": …, <what the list is of: "as_of" or "filters">, "items": [...],
"count": n}, with the same keys in every item (the count last: the feed is streamed as
its rows are read, in constant memory). CSV: UTF-8 with a byte-order mark (so
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
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, cast

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from .errors import Problem

CACHE_SECONDS = 60
# Rows joined into one chunk of a streamed feed.
CHUNK_ROWS = 500
UTF8_BOM = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Row = Mapping[str, Any]


def cache_publicly(response: HttpResponseBase) -> HttpResponseBase:
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def cache_privately(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, max_age=CACHE_SECONDS)
    return response


def generated_at() -> str:
    return timezone.localtime().isoformat(timespec="seconds")


class FeedResponse(StreamingHttpResponse):
    """A feed sent as it is made, in constant memory whatever its length. `content` reads
    the whole stream, for callers that want it at once (the tests)."""

    @property
    def content(self) -> bytes:  # type: ignore[override]
        if not hasattr(self, "_whole"):
            self._whole = b"".join(cast(Iterator[bytes], self.streaming_content))
        return self._whole

    @property
    def text(self) -> str:  # type: ignore[override]
        return self.content.decode(self.charset)


def _batched(parts: Iterable[str], size: int = CHUNK_ROWS) -> Iterator[bytes]:
    """Pieces of text joined into chunks of `size` pieces: a write per chunk, not per row."""
    batch: list[str] = []
    for part in parts:
        batch.append(part)
        if len(batch) >= size:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()


def json_feed(
    items: Iterable[Row], columns: Sequence[str] | None = None, **about: Any
) -> HttpResponseBase:
    """The JSON feed: when it was made, what it is of (`about`), the items (only `columns`
    of each, in that order, when given) and how many, streamed as the rows come (pass a
    generator or a queryset's iterator to keep memory flat)."""

    def parts() -> Iterator[str]:
        head = json.dumps({"generated_at": generated_at(), **about}, ensure_ascii=False)
        yield head[:-1] + ', "items": ['
        count = 0
        for row in items:
            item = {key: row[key] for key in (columns or row)}
            text = json.dumps(item, cls=DjangoJSONEncoder, ensure_ascii=False)
            yield ("," if count else "") + "\n " + text
            count += 1
        yield f'\n], "count": {count}}}\n'

    response = FeedResponse(_batched(parts()), content_type="application/json; charset=utf-8")
    return cache_publicly(response)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _Line:
    """A file-like object whose write returns what was written (csv.writer's output, one
    line at a time, for streaming)."""

    def write(self, text: str) -> str:
        return text


def csv_feed(filename: str, columns: Sequence[str], rows: Iterable[Row]) -> HttpResponseBase:
    """The CSV feed of `rows` (flat mappings), one row a line under a header of `columns`,
    streamed as the rows come."""
    writer = csv.writer(_Line())

    def parts() -> Iterator[str]:
        yield UTF8_BOM + writer.writerow(columns)
        for row in rows:
            yield writer.writerow([_cell(row[key]) for key in columns])

    response = FeedResponse(_batched(parts()), content_type="text/csv; charset=utf-8")
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
