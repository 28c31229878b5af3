"""The one public-feed format, JSON and CSV, for every list anyone may read without an
account (the public registers, the job board), and the caching rules of public pages.

JSON: {"generated_at": …, <what the list is of: "as_of" or "filters">, "items": [...],
"count": n}, with the same keys in every item (the count last: the feed is streamed as
its rows are read, in constant memory). CSV: UTF-8 with a byte-order mark (so
that Excel in Japan reads it as UTF-8), a header row of the JSON keys, CRLF line ends
(RFC 4180), and no cell a spreadsheet would run as a formula.

Paging. A JSON feed is sent a page at a time (`?limit=`, default 500, at most 1,000) with
the next page's address in `next` and in a `Link: <…>; rel="next"` header; the page after
is asked for by the position of the last item sent (`?cursor=`), so a row added or removed
meanwhile neither repeats nor skips another. `?all=true` sends the whole feed in one
streamed response (the dump), as does the CSV, which is always whole.

Conditional requests. A feed carries a weak ETag and Last-Modified derived from the last
write to the records it is made of (the audit log's newest entry for them) and from the
request (path, parameters, language, today's date, on which the registers depend);
If-None-Match or If-Modified-Since get a 304 without reading a row.

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

import base64
import binascii
import csv
import datetime
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .errors import InvalidInput, Problem

CACHE_SECONDS = 60
FEED_LIMIT = 500
FEED_MAX_LIMIT = 1000
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


# --- paging -------------------------------------------------------------------------------

T = TypeVar("T")
Position = tuple[Any, ...]


@dataclass(frozen=True)
class FeedPaging:
    limit: int | None  # None: the whole feed (?all=true)
    after: Position | None  # the position of the previous page's last item


def _bad(code: str, message: str, field: str) -> InvalidInput:
    return InvalidInput([Problem(code, message, field=field)])


def feed_paging(params: Mapping[str, str]) -> FeedPaging:
    """`?limit=`, `?cursor=` and `?all=` of a JSON feed, each refused by name if wrong."""
    whole = params.get("all", "")
    if whole not in ("", "true", "false"):
        raise _bad("invalid_choice", _("all must be true or false."), "all")
    raw = params.get("limit", "")
    limit = FEED_LIMIT
    if raw:
        if not raw.isdigit() or not 1 <= int(raw) <= FEED_MAX_LIMIT:
            raise _bad(
                "out_of_range",
                _("limit must be a whole number from 1 to %(max)s.") % {"max": FEED_MAX_LIMIT},
                "limit",
            )
        limit = int(raw)
    after = None
    cursor = params.get("cursor", "")
    if cursor:
        try:
            decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
            if not isinstance(decoded, list) or not decoded:
                raise ValueError(cursor)
            after = tuple(decoded)
        except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
            raise _bad("invalid_cursor", _("This cursor is not valid."), "cursor") from exc
    if whole == "true":
        if cursor or raw:
            raise _bad(
                "conflict", _("all=true sends the whole feed: leave out limit and cursor."), "all"
            )
        return FeedPaging(None, None)
    return FeedPaging(limit, after)


def _encode(position: Position) -> str:
    text = json.dumps(list(position), cls=DjangoJSONEncoder, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def feed_page(
    items: Iterable[T], position: Callable[[T], Position], paging: FeedPaging
) -> tuple[Iterable[T], Position | None]:
    """The items of the page `paging` asks for, and the position to continue from (None on
    the last page). `position(item)` must grow along the feed's order (a descending column
    enters negated). The whole feed is passed through as it comes."""
    if paging.limit is None:
        return items, None
    page: list[T] = []
    for item in items:
        if paging.after is not None and _before(position(item), paging.after):
            continue
        page.append(item)
        if len(page) > paging.limit:
            break
    if len(page) > paging.limit:
        return page[: paging.limit], position(page[paging.limit - 1])
    return page, None


def _before(position: Position, after: Position) -> bool:
    """Whether an item at `position` was already sent before `after` (inclusive). A cursor of
    the wrong shape or types counts as sending everything again from the start."""
    try:
        return position <= after
    except TypeError:
        return False


def next_link(request: HttpRequest, position: Position | None) -> str | None:
    if position is None:
        return None
    query = {k: v for k, v in request.GET.items() if k not in ("cursor", "all")}
    query["cursor"] = _encode(position)
    return request.build_absolute_uri(f"{request.path}?{urlencode(query)}")


def paged_json_feed(
    request: HttpRequest,
    paging: FeedPaging,
    items: Iterable[T],
    position: Callable[[T], Position],
    row: Callable[[T], Row],
    columns: Sequence[str] | None = None,
    **about: Any,
) -> HttpResponseBase:
    """The JSON feed of `items` as `paging` (feed_paging of the request, checked by the
    caller before any work) asks: a page, or all of it; with the next page's address in the
    body and a Link header."""
    page, after = feed_page(items, position, paging)
    nxt = next_link(request, after)
    rows = (row(item) for item in page)
    response = json_feed(rows, columns, **about, **({} if paging.limit is None else {"next": nxt}))
    if nxt:
        response["Link"] = f'<{nxt}>; rel="next"'
    return response


# --- conditional requests --------------------------------------------------------------------


def conditional(
    request: HttpRequest,
    changed: tuple[int, datetime.datetime] | None,
    build: Callable[[], HttpResponseBase],
) -> HttpResponseBase:
    """`build()`'s response with a weak ETag and Last-Modified made from `changed` (the
    number and time of the last write to what the feed shows), or a 304 if the client
    already has it. The ETag also covers the request and today's date."""
    version, at = changed if changed else (0, None)
    # What a feed shows depends on the date too (a certification lapses, a suspension
    # ends): it is as new as the last write or today's first moment, whichever is later.
    midnight = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    )
    at = max(at, midnight) if at else midnight
    key = "|".join(
        [
            str(version),
            request.get_full_path(),
            get_language() or "",
            timezone.localdate().isoformat(),
        ]
    )
    etag = "W/" + quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
    modified = int(at.timestamp())
    not_modified = get_conditional_response(request, etag=etag, last_modified=modified)
    response: HttpResponseBase = not_modified if not_modified is not None else build()
    if response.status_code in (200, 304):
        response["ETag"] = etag
        response["Last-Modified"] = http_date(modified)
        cache_publicly(response)
    return response
