"""The definitions in force, loaded once per process from settings.PROCEDURE_DEFINITIONS_DIR."""

from __future__ import annotations

import datetime
from functools import cache
from pathlib import Path

from django.conf import settings

from .loader import load_directory
from .schema import Definition, SswRules


@cache
def _load(directory: str) -> tuple[tuple[Definition, ...], SswRules]:
    definitions, rules = load_directory(Path(directory))
    return tuple(definitions), rules


def all_definitions() -> tuple[Definition, ...]:
    return _load(str(settings.PROCEDURE_DEFINITIONS_DIR))[0]


def ssw_rules() -> SswRules:
    return _load(str(settings.PROCEDURE_DEFINITIONS_DIR))[1]


def countries() -> list[str]:
    return sorted({d.country for d in all_definitions()})


def definition_in_force(country: str, on: datetime.date) -> Definition | None:
    """The version of a country's procedure in force on a date (R-P5)."""
    for definition in all_definitions():
        if definition.country == country and definition.in_force_on(on):
            return definition
    return None


def definition_version(country: str, version: str) -> Definition:
    """The exact version a case was opened under; a case keeps its version for life."""
    for definition in all_definitions():
        if definition.country == country and definition.version == version:
            return definition
    raise LookupError(f"No procedure definition {country} {version}")


def versions(country: str) -> list[Definition]:
    return sorted(
        (d for d in all_definitions() if d.country == country), key=lambda d: d.effective_from
    )


def reload() -> None:
    _load.cache_clear()
