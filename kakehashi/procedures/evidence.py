"""Checking the evidence a step records against the step's fields (plain Python)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from dateutil.relativedelta import relativedelta

from kakehashi.core.dates import DateProblem, parse_date
from kakehashi.core.text import forbidden_character

from .rules import Finding
from .schema import Step

# How far ahead an evidence date may lie (a planned start of work, the end of a period of
# stay). The step's own date may not be after today (engine._date_problems).
FUTURE_YEARS = 10

# Numbers whose format a public source publishes, by the `format` of a text field. Where no
# format is published (the COE and visa numbers), none is invented.
FORMATS: dict[str, tuple[re.Pattern[str], str, str]] = {
    # 2 letters, 8 digits, 2 letters.
    "residence_card_number": (
        re.compile(r"^[A-Z]{2}[0-9]{8}[A-Z]{2}$"),
        "AB12345678CD",
        "isa_residence_card 在留カード番号",
    ),
}

_TRUE = {True, "true", "True", "on", "1", "yes"}
_FALSE = {False, "false", "False", "off", "0", "no", ""}


def clean_evidence(
    step: Step, raw: Mapping[str, Any], today: datetime.date
) -> tuple[dict[str, Any], list[Finding]]:
    """Check evidence against the step's fields. Returns JSON-ready values (dates as ISO
    strings) and one finding per bad field, naming the field and the rule broken."""
    latest = today + relativedelta(years=FUTURE_YEARS)
    cleaned: dict[str, Any] = {}
    errors: list[Finding] = []
    source = "evidence"
    known = {f.key for f in step.evidence}
    for key in raw:
        if key not in known:
            errors.append(Finding("unknown_field", source, {"allowed": sorted(known)}, field=key))
    for spec in step.evidence:
        value = raw.get(spec.key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if spec.required and spec.type != "boolean":
                errors.append(Finding("required", source, field=spec.key))
            elif spec.type == "boolean":
                cleaned[spec.key] = False
            continue
        if spec.type == "date":
            try:
                cleaned[spec.key] = parse_date(value, latest=latest).isoformat()
            except DateProblem as problem:
                errors.append(Finding(problem.code, source, problem.params, field=spec.key))
        elif spec.type == "integer":
            try:
                number = int(str(value).strip())
            except ValueError:
                errors.append(
                    Finding("invalid_integer", source, {"value": str(value)}, field=spec.key)
                )
                continue
            if (spec.min is not None and number < spec.min) or (
                spec.max is not None and number > spec.max
            ):
                errors.append(
                    Finding(
                        "out_of_range", source, {"min": spec.min, "max": spec.max}, field=spec.key
                    )
                )
                continue
            cleaned[spec.key] = number
        elif spec.type == "boolean":
            if not isinstance(value, (bool, int, str)):
                errors.append(
                    Finding("invalid_boolean", source, {"value": str(value)}, field=spec.key)
                )
            elif value in _TRUE:
                cleaned[spec.key] = True
            elif value in _FALSE:
                cleaned[spec.key] = False
            else:
                errors.append(
                    Finding("invalid_boolean", source, {"value": str(value)}, field=spec.key)
                )
        elif spec.type == "choice":
            keys = [c.key for c in spec.choices]
            if not isinstance(value, str) or value not in keys:
                errors.append(
                    Finding(
                        "invalid_choice",
                        source,
                        {"value": str(value), "allowed": keys},
                        field=spec.key,
                    )
                )
            else:
                cleaned[spec.key] = value
        else:
            text = str(value).strip()
            if spec.format is not None:  # a number: written with spaces or in lower case too
                text = text.upper().replace(" ", "")
            character = forbidden_character(text)
            if character is not None:
                errors.append(
                    Finding("forbidden_character", source, {"character": character}, field=spec.key)
                )
            elif len(text) > spec.max_length:
                errors.append(Finding("too_long", source, {"max": spec.max_length}, field=spec.key))
            elif spec.format is not None:
                pattern, example, citation = FORMATS[spec.format]
                if pattern.match(text):
                    cleaned[spec.key] = text
                else:
                    errors.append(
                        Finding("invalid_format", citation, {"example": example}, field=spec.key)
                    )
            else:
                cleaned[spec.key] = text
    return cleaned, errors
