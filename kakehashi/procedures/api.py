"""Procedure definitions, readable by every signed-in user (R-P3, R-P5)."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from kakehashi.core.errors import NotFound
from kakehashi.core.schemas import Day

from . import registry
from .schema import Definition, Text

router = Router(tags=["procedures"])


class DefinitionSummary(Schema):
    country: str
    version: str
    name: Text
    effective_from: datetime.date
    effective_until: datetime.date | None
    in_force: bool
    patterns: list[str]


@router.get("", response=list[DefinitionSummary])
def list_procedures(request: HttpRequest) -> list[dict[str, object]]:
    today = timezone.localdate()
    return [
        {
            "country": d.country,
            "version": d.version,
            "name": d.name,
            "effective_from": d.effective_from,
            "effective_until": d.effective_until,
            "in_force": d.in_force_on(today),
            "patterns": [p.key for p in d.patterns],
        }
        for d in registry.all_definitions()
    ]


@router.get("/{country}", response=Definition)
def get_procedure(
    request: HttpRequest, country: str, on: Day | None = None, version: str | None = None
) -> Definition:
    """The definition in force on `on` (default today), or an exact `version`."""
    country = country.upper()
    if version:
        try:
            return registry.definition_version(country, version)
        except LookupError as exc:
            raise NotFound("procedure version") from exc
    definition = registry.definition_in_force(country, on or timezone.localdate())
    if definition is None:
        raise NotFound("procedure")
    return definition
