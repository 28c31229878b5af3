"""Keyset pagination for lists ordered newest first by id: stable while rows are added,
and as fast on page 1,000 as on page 1 (no OFFSET)."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db.models import F, Model, Q, QuerySet
from django.utils.translation import gettext as _

from .errors import InvalidInput, Problem

M = TypeVar("M", bound=Model)

MAX_LIMIT = 200


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, value = raw.split(":", 1)
        if prefix != "id":
            raise ValueError(prefix)
        return int(value)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            [Problem("invalid_cursor", _("This cursor is not valid."), field="cursor")]
        ) from exc


def page_by_id(
    qs: QuerySet[M], *, limit: int, cursor: str | None, descending: bool = True
) -> tuple[list[M], str | None]:
    """One page of `qs` and the cursor of the next page (None on the last page)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(
            [
                Problem(
                    "out_of_range",
                    _("limit must be between 1 and %(max)s.") % {"max": MAX_LIMIT},
                    field="limit",
                )
            ]
        )
    order = "-id" if descending else "id"
    qs = qs.order_by(order)
    if cursor:
        last = decode_cursor(cursor)
        qs = qs.filter(id__lt=last) if descending else qs.filter(id__gt=last)
    rows: list[Any] = list(qs[: limit + 1])
    next_cursor = encode_cursor(rows[limit - 1].pk) if len(rows) > limit else None
    return rows[:limit], next_cursor


# --- pages of the signed-in lists ------------------------------------------------------------


class KeysetPage:
    """One page of an HTML list read by key: the rows after the row `after` in the list's
    order, and whether more follow. There is no total and no page number (counting every
    visible row is what makes deep pages and big lists slow); the links are "First page"
    and "Next". The next page's key is the last row's id only, so no sort value (a name,
    say) ever reaches a URL."""

    def __init__(self, rows: list[Any], *, size: int, after: int | None) -> None:
        self.object_list = rows[:size]
        self.has_next = len(rows) > size
        self.is_first = after is None
        self.next_after = self.object_list[-1].pk if self.has_next else None

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or not self.is_first


def _order(name: str) -> tuple[str, bool]:
    return (name[1:], True) if name.startswith("-") else (name, False)


def _after(name: str, descending: bool, value: Any) -> Q:
    """Rows strictly after `value` on one column, NULL counting as the largest value
    (PostgreSQL's default: NULLS LAST ascending, NULLS FIRST descending)."""
    if value is None:
        return Q(**{f"{name}__isnull": False}) if descending else Q(pk__in=[])
    if descending:
        return Q(**{f"{name}__lt": value})
    return Q(**{f"{name}__gt": value}) | Q(**{f"{name}__isnull": True})


def _same(name: str, value: Any) -> Q:
    return Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})


def parse_after(raw: str | None) -> int | None:
    """The `after` parameter of a list page: a row id, or nothing for the first page."""
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise InvalidInput(
            [Problem("invalid_cursor", _("This page link is not valid."), field="after")]
        )
    return int(raw)


def keyset_page(
    qs: QuerySet[M], *, order: Sequence[str], size: int, after: int | None
) -> KeysetPage:
    """The page of `qs`, sorted by `order` (column names, "-" for descending, ending with
    "id" or "-id"), that follows the row `after`. The row's sort values are read from `qs`
    itself, so a row the reader may not see (or no longer exists) starts at the top."""
    columns = [_order(name) for name in order]
    if columns[-1][0] != "id":
        raise ValueError("the order must end with id, so that it is total")
    ordered = qs.order_by(
        *[
            F(name).desc(nulls_first=True) if desc else F(name).asc(nulls_last=True)
            for name, desc in columns
        ]
    )
    if after is not None:
        last = qs.filter(pk=after).values(*[name for name, _ in columns]).first()
        if last is None:
            after = None
        else:
            condition = Q(pk__in=[])
            for i, (name, desc) in enumerate(columns):
                step = _after(name, desc, last[name])
                for earlier, _desc in columns[:i]:
                    step &= _same(earlier, last[earlier])
                condition |= step
            ordered = ordered.filter(condition)
    # The page's ids first, from the list's own table and indexes, then its rows with what
    # they join: the sort never drags the joined tables along (SQLite joined every match
    # before sorting).
    ids = list(ordered.values_list("pk", flat=True)[: size + 1])
    rows = qs.model._default_manager.none() if not ids else qs.filter(pk__in=ids).order_by()
    by_id = {row.pk: row for row in rows}
    return KeysetPage([by_id[pk] for pk in ids if pk in by_id], size=size, after=after)
