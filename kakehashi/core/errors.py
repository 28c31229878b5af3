"""Errors that services raise and every interface (API, pages, commands) turns into a
response a person can act on. Each carries a stable machine code and a message."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong: which rule (code), in words (message), where (field), and why (source)."""

    code: str
    message: str
    field: str | None = None
    source: str | None = None
    severity: str = "error"

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            data["field"] = self.field
        if self.source:
            data["source"] = self.source
        return data


@dataclass
class DomainError(Exception):
    """Base of the errors services raise. `status` is the HTTP status it maps to."""

    code: str
    message: str
    problems: list[Problem] = field(default_factory=list)
    status: int = 400

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.problems:
            data["problems"] = [p.as_dict() for p in self.problems]
        return data


class NotFound(DomainError):
    """Missing, or not visible to the actor: both look the same to the caller."""

    def __init__(self, what: str = "object") -> None:
        super().__init__(code="not_found", message=f"No such {what}.", status=404)


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
        self, message: str, code: str = "conflict", problems: list[Problem] | None = None
    ) -> None:
        super().__init__(code=code, message=message, problems=problems or [], status=409)
