"""Errors that services raise and every interface (API, pages, commands) turns into a
response a person can act on. Each carries a stable machine code and a message."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Problem:
    """One thing wrong: which rule (code), in words (message), where (field), and why: the
    source as people read it (document title and section, in their language) and as a
    reference into the project's list of sources (`source_ref`, e.g. "moc_kg §7(4)")."""

    code: str
    message: str
    field: str | None = None
    source: str | None = None
    severity: str = "error"
    source_ref: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            data["field"] = self.field
        if self.source:
            data["source"] = self.source
        if self.source_ref:
            data["source_ref"] = self.source_ref
        return data


@dataclass
class DomainError(Exception):
    """Base of the errors services raise. `status` is the HTTP status it maps to."""

    code: str
    message: str
    problems: list[Problem] = field(default_factory=list)
    status: int = 400
    # The record a conflict is about, when the caller may open it (e.g. the person already
    # registered): {"person_id": 12}.
    existing: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.problems:
            data["problems"] = [p.as_dict() for p in self.problems]
        if self.existing:
            data["existing"] = dict(self.existing)
        return data


# "No such …" in words, for each kind of object a service looks up.
_NOT_FOUND = {
    "case": gettext_lazy("No such case."),
    "person": gettext_lazy("No such person."),
    "step": gettext_lazy("No such step."),
    "procedure": gettext_lazy("No procedure for this country."),
    "procedure version": gettext_lazy("No such version of the procedure."),
    "job offer": gettext_lazy("No such job offer."),
    "contact": gettext_lazy("No such contact."),
    "notice": gettext_lazy("No such notice."),
    "agency": gettext_lazy("No such sending agency."),
    "organization": gettext_lazy("No such organization."),
    "field suspension": gettext_lazy("No such field suspension."),
}


class NotFound(DomainError):
    """Missing, or not visible to the actor: both look the same to the caller."""

    def __init__(self, what: str = "object") -> None:
        message = str(_NOT_FOUND.get(what, gettext_lazy("Not found.")))
        super().__init__(code="not_found", message=message, status=404)


class NotAllowed(DomainError):
    def __init__(
        self, message: str, code: str = "forbidden", problems: list[Problem] | None = None
    ) -> None:
        super().__init__(code=code, message=message, problems=problems or [], status=403)


class InvalidInput(DomainError):
    """Input that fails validation; each problem names the field and the rule (HTTP 422)."""

    def __init__(self, problems: list[Problem], message: str | None = None) -> None:
        from django.utils.translation import gettext as _

        super().__init__(
            code="invalid_input",
            message=message or _("Some fields are not valid."),
            problems=problems,
            status=422,
        )


class RuleRefused(DomainError):
    """A transition the procedure or the MOC does not allow now (HTTP 409)."""

    def __init__(self, problems: list[Problem], message: str | None = None) -> None:
        first = problems[0].message if problems else ""
        super().__init__(
            code=problems[0].code if len(problems) == 1 else "refused",
            message=message or first,
            problems=problems,
            status=409,
        )


class Conflict(DomainError):
    def __init__(
        self,
        message: str,
        code: str = "conflict",
        problems: list[Problem] | None = None,
        existing: dict[str, int] | None = None,
    ) -> None:
        super().__init__(
            code=code,
            message=message,
            problems=problems or [],
            status=409,
            existing=existing or {},
        )
