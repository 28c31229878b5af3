"""Regional minimum wages as dated, sourced reference data (data/minimum_wages.yaml), for
the procedure engine's minimum-wage rule. Plain Python: loaded once and checked (known
prefecture, known source document, no two figures of a prefecture on one day)."""

from __future__ import annotations

import datetime
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from . import sources
from .prefectures import CODES

DATA_FILE = Path(__file__).resolve().parent / "data" / "minimum_wages.yaml"


class Figure(BaseModel):
    """An hourly minimum wage in force in a prefecture from a date, with its source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prefecture: str
    hourly_yen: int = Field(ge=1, le=100_000)
    effective_from: datetime.date
    source: str
    confirmed: bool


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    minimum_wages: tuple[Figure, ...]


def load(path: Path = DATA_FILE) -> dict[str, tuple[Figure, ...]]:
    data = _File.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    problems = []
    by_prefecture: dict[str, list[Figure]] = {}
    for figure in data.minimum_wages:
        if figure.prefecture not in CODES:
            problems.append(f"unknown prefecture '{figure.prefecture}'")
        for key in sources.unknown_documents(figure.source):
            problems.append(f"source document '{key}' is not in the list of sources")
        days = [w.effective_from for w in by_prefecture.get(figure.prefecture, [])]
        if figure.effective_from in days:
            problems.append(f"two figures for {figure.prefecture} on {figure.effective_from}")
        by_prefecture.setdefault(figure.prefecture, []).append(figure)
    if problems:
        raise ValueError(f"{path.name}: " + "; ".join(problems))
    return {
        code: tuple(sorted(figures, key=lambda w: w.effective_from))
        for code, figures in by_prefecture.items()
    }


@cache
def minimum_wages() -> dict[str, tuple[Figure, ...]]:
    return load()


def for_prefecture(code: str) -> tuple[Figure, ...]:
    return minimum_wages().get(code, ())
