"""The public feeds are streamed: a 100,000-row export, JSON or CSV, is sent in chunks as
its rows come, and the memory it takes does not grow with the rows (measured with
tracemalloc while the response is read, against a 10,000-row export)."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from collections.abc import Iterator
from typing import Any

import pytest

from kakehashi.core.feeds import csv_feed, json_feed

pytestmark = pytest.mark.sqlite  # no database: run once, in the SQLite stage

COLUMNS = ("id", "name", "country", "state", "note")


def rows(n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield {
            "id": i,
            "name": f"Agency {i} LLC «Ала-Тоо»",
            "country": "KG",
            "state": "certified",
            "note": "=not a formula" if i % 1000 == 0 else "x" * 40,
        }


def streamed(make: Any, n: int) -> tuple[int, int, int]:
    """Read the response of `make(rows(n))` chunk by chunk, keeping nothing. Returns the
    bytes sent, the chunks, and the peak of memory allocated meanwhile."""
    tracemalloc.start()
    try:
        response = make(rows(n))
        size = chunks = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            chunks += 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return size, chunks, peak


def as_json(items: Any) -> Any:
    return json_feed(items, COLUMNS, as_of="2026-12-03")


def as_csv(items: Any) -> Any:
    return csv_feed("agencies.csv", COLUMNS, items)


@pytest.mark.parametrize("make", [as_json, as_csv], ids=["json", "csv"])
def test_a_100k_row_export_streams_in_flat_memory(make: Any) -> None:
    small_size, _small_chunks, small_peak = streamed(make, 10_000)
    size, chunks, peak = streamed(make, 100_000)
    assert size > 9 * small_size  # ten times the rows, about ten times the bytes
    assert chunks >= 200  # sent in pieces (500 rows each), not at once
    # Ten times the rows, the same memory (within noise), and far below the body's size.
    assert peak < small_peak * 1.5 + 256 * 1024, (small_peak, peak)
    assert peak < size / 10, (peak, size)


def test_the_streamed_json_is_one_valid_document_with_its_count() -> None:
    body = json.loads(as_json(rows(1234)).content)
    assert list(body) == ["generated_at", "as_of", "items", "count"]
    assert body["count"] == 1234
    assert len(body["items"]) == 1234
    assert body["items"][7] == {
        "id": 7,
        "name": "Agency 7 LLC «Ала-Тоо»",
        "country": "KG",
        "state": "certified",
        "note": "x" * 40,
    }
    empty = json.loads(as_json(iter(())).content)
    assert empty["items"] == []
    assert empty["count"] == 0


def test_the_streamed_csv_has_its_header_bom_and_no_formula() -> None:
    text = as_csv(rows(1001)).content.decode("utf-8")
    assert text.startswith("\ufeffid,name,country,state,note\r\n")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(table) == 1002
    assert table[1][4] == "'=not a formula"  # a cell a spreadsheet would run, defused
    assert table[1001][0] == "1000"
