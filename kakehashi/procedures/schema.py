"""The shape of a procedure definition file (docs/procedures.md explains each key).

Plain Python and pydantic only: no Django imports, so the engine and its tests run
without a database. Structural checks live here; cross-references are checked in
loader.py so that every error can name the file, the step and the problem."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

# The roles a step can name: the organization kinds of shared/DOMAIN.md §2.
# kakehashi.accounts.models.OrganizationKind must list the same values (tested).
ROLES = frozenset(
    {
        "receiving_organization",
        "municipality",
        "jp_contact_point",
        "immigration_bureau",
        "sending_contact_point",
        "sending_agency",
        "support_organization",
        "embassy",
        "partner_institution",
        "program_coordinator",
    }
)

KEY_PATTERN = r"^[a-z][a-z0-9_]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in every language the definition speaks. Japanese and English are required."""

    ja: str = Field(min_length=1)
    en: str = Field(min_length=1)
    ru: str | None = None
    ky: str | None = None

    def get(self, language: str) -> str:
        value = (
            getattr(self, language[:2], None) if language[:2] in {"ja", "en", "ru", "ky"} else None
        )
        return value or self.en


class Source(Strict):
    """Where a step or rule comes from: a document of the project's list of sources
    (reference/data/sources.yaml) and its section."""

    document: str = Field(pattern=KEY_PATTERN)
    section: str
    quote: str | None = None

    def cite(self) -> str:
        """The citation reference, e.g. "isa_kg_flow 4【日本側の手続】"."""
        return f"{self.document} {self.section}".strip()


class Choice(Strict):
    key: str = Field(pattern=KEY_PATTERN)
    label: Text


class EvidenceField(Strict):
    key: str = Field(pattern=KEY_PATTERN)
    type: Literal["date", "text", "integer", "boolean", "choice"]
    label: Text
    required: bool = True
    help: Text | None = None
    choices: tuple[Choice, ...] = ()
    max_length: int = Field(default=200, ge=1, le=5000)
    min: int | None = None
    max: int | None = None
    # A published number format (procedures/evidence.py FORMATS), for a text field.
    format: str | None = None


class Prerequisite(Strict):
    step: str
    kind: Literal["blocking", "advisory"] = "blocking"


class Check(Strict):
    """A named rule (see rules.py) run when the step is completed. `block` refuses the
    completion (409); `invalid` refuses its evidence (422, on the field the rule names);
    `flag` lets it through and raises a flag on the case. A rule's warnings are shown
    whatever the effect."""

    rule: str
    effect: Literal["block", "invalid", "flag"] = "block"


class Deadline(Strict):
    """A period that starts on this step's date, or on the date one of its evidence fields
    records (`starts_from`). Steps in `applies_to` must happen on or before its last day;
    once it has passed unmet, they are blocked and the steps in `reopens` may be done
    again (a new round). It is met when `met_by` is done."""

    key: str = Field(pattern=KEY_PATTERN)
    title: Text
    months: int = Field(default=0, ge=0)
    days: int = Field(default=0, ge=0)
    starts_from: str | None = None
    applies_to: tuple[str, ...] = ()
    met_by: str
    reopens: tuple[str, ...] = ()
    source: Source


class Outcome(Strict):
    """A choice evidence field whose value may end the case (e.g. a refused COE)."""

    field: str
    closes_case: dict[str, Literal["refused", "withdrawn"]] = Field(default_factory=dict)


class RequiredUnless(Strict):
    """A document needed unless a choice field of the step has one of these values (no COE
    when it was refused)."""

    field: str
    values: tuple[str, ...] = Field(min_length=1)


class DocumentSpec(Strict):
    """A document a step needs (`required`: the step cannot be recorded without it) or
    accepts: the case's checklist for its next step lists it with who provides it (a role,
    or "person": the worker). Identity documents (a residence card) are personal data of the
    highest sensitivity: shown only to the parties that need them."""

    key: str = Field(pattern=KEY_PATTERN)
    title: Text
    required: bool = True
    required_unless: RequiredUnless | None = None
    identity: bool = False
    provided_by: str
    source: Source

    def required_for(self, evidence: Mapping[str, Any]) -> bool:
        if not self.required:
            return False
        unless = self.required_unless
        return unless is None or evidence.get(unless.field) not in unless.values


class Step(Strict):
    key: str = Field(pattern=KEY_PATTERN)
    title: Text
    description: Text | None = None
    roles: tuple[str, ...] = Field(min_length=1)
    # Whose procedure the source document says the step is: "JP" (【日本側の手続】), the
    # partner country's code (【キルギス側の手続】), or None where it says neither (a
    # contract between the parties, for example).
    side: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    performed_by: Text | None = None
    partner_procedure: bool = False
    date_field: str
    evidence: tuple[EvidenceField, ...] = Field(min_length=1)
    checks: tuple[Check, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    outcome: Outcome | None = None
    documents: tuple[DocumentSpec, ...] = ()
    source: Source

    def evidence_field(self, key: str) -> EvidenceField | None:
        return next((f for f in self.evidence if f.key == key), None)


class PatternStep(Strict):
    step: str
    # None: the previous step of the pattern, blocking. An empty list: no prerequisite.
    requires: tuple[Prerequisite, ...] | None = None


class Pattern(Strict):
    key: str = Field(pattern=KEY_PATTERN)
    number: int = Field(ge=1)
    title: Text
    description: Text
    person_location: Literal["abroad", "in_japan"]
    requires_sending_agency: bool = False
    creation_checks: tuple[Check, ...] = ()
    steps: tuple[PatternStep, ...] = Field(min_length=1)
    source: Source


class Definition(Strict):
    country: str = Field(pattern=r"^[A-Z]{2}$")
    name: Text
    version: str = Field(min_length=1)
    effective_from: datetime.date
    effective_until: datetime.date | None = None
    steps: tuple[Step, ...] = Field(min_length=1)
    patterns: tuple[Pattern, ...] = Field(min_length=1)

    @field_validator("effective_until")
    @classmethod
    def _until_after_from(cls, value: datetime.date | None, info: object) -> datetime.date | None:
        data = getattr(info, "data", {})
        start = data.get("effective_from")
        if value is not None and start is not None and value < start:
            raise ValueError("effective_until is before effective_from")
        return value

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    def pattern(self, key: str) -> Pattern:
        for pattern in self.patterns:
            if pattern.key == key:
                return pattern
        raise KeyError(key)

    def has_pattern(self, key: str) -> bool:
        return any(p.key == key for p in self.patterns)

    def in_force_on(self, day: datetime.date) -> bool:
        if day < self.effective_from:
            return False
        return self.effective_until is None or day <= self.effective_until

    def cite(self, source: Source) -> str:
        return source.cite()


class JapaneseTest(Strict):
    code: str = Field(pattern=KEY_PATTERN)
    name: Text
    levels: tuple[str, ...] = ()  # lowest first; empty for pass/fail tests
    minimum: str | None = None


class SswRules(Strict):
    """Japan's SSW(i) eligibility rules that do not depend on the partner country. Each
    `*_source` is a citation of the project's list of sources ("document section")."""

    version: str
    effective_from: datetime.date
    minimum_age: int = Field(ge=0)
    minimum_age_source: str
    japanese_tests: tuple[JapaneseTest, ...]
    japanese_tests_source: str
    # field code -> additional tests required in that field (e.g. care: care Japanese test)
    field_tests: dict[str, tuple[JapaneseTest, ...]] = Field(default_factory=dict)
    field_tests_source: str
    skill_test_source: str
    exemption_source: str
    coe_validity_source: str
