"""What the engine knows about a case: plain, immutable data gathered by the Django layer
(kakehashi.cases.facts) and passed in. The engine never queries anything itself."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Completion:
    """A recorded step. `seq` orders completions of one case (a newer one has a larger seq)."""

    step_key: str
    round: int
    seq: int
    happened_on: datetime.date
    evidence: Mapping[str, Any] = field(default_factory=dict)
    # A completion set aside (a document it rested on was rejected): the step is to do again.
    voided: bool = False


@dataclass(frozen=True)
class TestFact:
    kind: str  # "skill" or "japanese"
    test_code: str
    passed: bool
    taken_on: datetime.date
    category: str | None = None  # business category code, for skill tests
    level: str = ""
    # Whether the result counts: "counts"; "unverified" (a sending agency entered it for its
    # own candidate and no contact point has confirmed it); "held" (under an open test-fraud
    # report); "fraud" (a report found it fraudulent). Only "counts" counts (moc_kg §5).
    status: str = "counts"


@dataclass(frozen=True)
class ExemptionFact:
    kind: str
    field: str  # field code the exemption covers


@dataclass(frozen=True)
class PersonFacts:
    date_of_birth: datetime.date
    nationality: str
    current_country: str
    tests: tuple[TestFact, ...] = ()
    exemptions: tuple[ExemptionFact, ...] = ()


@dataclass(frozen=True)
class Period:
    starts_on: datetime.date
    ends_on: datetime.date | None = None  # inclusive; None: open-ended
    note: str = ""

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


@dataclass(frozen=True)
class FieldFacts:
    code: str
    category: str
    open_from: datetime.date | None
    open_until: datetime.date | None = None
    category_from: datetime.date | None = None
    category_until: datetime.date | None = None
    suspensions: tuple[Period, ...] = ()


@dataclass(frozen=True)
class CertificationDecision:
    """A dated decision of the sending country's ministry (certified, suspended, resumed,
    revoked, expired); `valid_until` is the end of a certification's validity."""

    action: str
    effective_on: datetime.date
    valid_until: datetime.date | None = None
    reason: str = ""


@dataclass(frozen=True)
class Licence:
    """A Japanese job-placement licence: valid for a period, for the countries it names."""

    period: Period
    countries: tuple[str, ...] = ()

    def covers(self, day: datetime.date, country: str) -> bool:
        return self.period.covers(day) and country in self.countries


@dataclass(frozen=True)
class AgencyFacts:
    name: str
    decisions: tuple[CertificationDecision, ...] = ()
    placement_licences: tuple[Licence, ...] = ()


@dataclass(frozen=True)
class MinimumWage:
    """A regional minimum wage (hourly, in yen) in force from a date, with its source."""

    effective_from: datetime.date
    hourly_yen: int
    source: str


@dataclass(frozen=True)
class WorkplaceFacts:
    """Where the person will work: the prefecture and its minimum wages, oldest first."""

    prefecture: str
    minimum_wages: tuple[MinimumWage, ...] = ()
    # Whether the municipality has a checked cooperation confirmation of the employer on
    # record (R-H6); None where no municipality keeps them here.
    cooperation_confirmed: bool | None = None

    def minimum_wage_on(self, day: datetime.date) -> MinimumWage | None:
        in_force = [w for w in self.minimum_wages if w.effective_from <= day]
        return max(in_force, key=lambda w: w.effective_from) if in_force else None


@dataclass(frozen=True)
class CaseFacts:
    pattern: str
    today: datetime.date
    person: PersonFacts
    field: FieldFacts
    agency: AgencyFacts | None = None
    status: str = "open"
    completions: tuple[Completion, ...] = ()
    country: str = "KG"  # the partner country whose procedure applies
    workplace: WorkplaceFacts | None = None
