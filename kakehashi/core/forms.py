"""Forms collect input for the pages and show the services' errors next to the field they
name. Dates are read by the one date parser (core.dates), with its bounds."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from .dates import DateProblem, parse_date
from .errors import DomainError, Problem
from .validation import date_message


class DateInput(forms.DateInput):
    """A browser date picker that sends YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateField(forms.Field):
    """A date written YYYY-MM-DD, between 1900-01-01 and 2100-12-31 (core.dates)."""

    widget = DateInput

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        try:
            return parse_date(value)
        except DateProblem as problem:
            raise forms.ValidationError(date_message(problem), code=problem.code) from problem


class AccessibleForm(forms.Form):
    """Marks invalid fields with aria-invalid and points them at their error text."""

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_errors()

    def mark_errors(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = (
                    f"id_{self.prefix + '-' if self.prefix else ''}{name}_error"
                )


def apply_problems(
    form: AccessibleForm, error: DomainError, field_map: dict[str, str] | None = None
) -> list[Problem]:
    """Put each problem of a service error on its form field. Problems without a field
    (or naming a field the form lacks) are returned, to be shown above the form."""
    field_map = field_map or {}
    loose = []
    for problem in error.problems or []:
        name = field_map.get(problem.field or "", problem.field or "")
        if name and name in form.fields:
            form.add_error(name, problem.message)
        else:
            loose.append(problem)
    if not error.problems:
        loose.append(Problem(error.code, error.message))
    form.mark_errors()
    return loose
