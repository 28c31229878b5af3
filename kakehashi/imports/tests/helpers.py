"""Files for the import tests: CSV and .xlsx built from rows of values."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook

PERSON_HEADER = [
    "family_name",
    "given_names",
    "nationality",
    "date_of_birth",
    "current_country",
    "passport_number",
    "passport_expiry",
]


def person_row(n: int, **changes: Any) -> list[Any]:
    values = {
        "family_name": f"IMPORTOVA{n:06d}",
        "given_names": "AIZADA",
        "nationality": "KG",
        "date_of_birth": "1999-04-01",
        "current_country": "KG",
        "passport_number": f"AC{n:07d}",
        "passport_expiry": "2031-01-31",
        **changes,
    }
    return [values[name] for name in PERSON_HEADER]


def csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
