"""The personal-data rules as data (privacy/data/rules.yaml): how long the employer must
keep a worker's records, and when a leak must be reported to the Personal Information
Protection Commission and by when. Plain Python, no Django: tested without a database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field

DATA_FILE = Path(__file__).resolve().parent / "data" / "rules.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EmployerRecords(_Strict):
    years: int = Field(gt=0)
    source: str


class Retention(_Strict):
    employer_records: EmployerRecords
    no_longer_needed_source: str
    on_request_source: str


class Criterion(_Strict):
    key: str
    fact: str
    source: str
    # For a number: met when the fact is more than this.
    more_than: int | None = None


class Exemption(_Strict):
    fact: str
    source: str


class Preliminary(_Strict):
    days: int = Field(gt=0)
    source: str


class Final(_Strict):
    days: int = Field(gt=0)
    days_if_unauthorised_act: int = Field(gt=0)
    source: str


class NotifyPersons(_Strict):
    source: str


class Deadlines(_Strict):
    preliminary: Preliminary
    final: Final
    notify_persons: NotifyPersons


class IncidentRules(_Strict):
    criteria: tuple[Criterion, ...] = Field(min_length=1)
    exemption: Exemption
    report_source: str
    deadlines: Deadlines


class Rules(_Strict):
    retention: Retention
    incidents: IncidentRules

    def sources(self) -> list[str]:
        """Every citation in the file, for the check that each names a listed document."""
        r, i = self.retention, self.incidents
        found = [r.employer_records.source, r.no_longer_needed_source, r.on_request_source]
        found += [c.source for c in i.criteria]
        d = i.deadlines
        return [
            *found,
            i.exemption.source,
            i.report_source,
            d.preliminary.source,
            d.final.source,
            d.notify_persons.source,
        ]


@lru_cache(maxsize=1)
def rules() -> Rules:
    return Rules.model_validate(yaml.safe_load(DATA_FILE.read_text(encoding="utf-8")))


# --- retention ---------------------------------------------------------------------------


def employer_records_until(contract_ended_on: datetime.date) -> datetime.date:
    """The last day the employer must still keep the records of an employment that ended
    on `contract_ended_on` (ssw_standards_ordinance 第2条第1項: one year or more)."""
    return contract_ended_on + relativedelta(years=rules().retention.employer_records.years)


def retention_ends(last_end: datetime.date, years: int) -> datetime.date:
    """The day from which a person whose last case ended (or whose record was last used)
    on `last_end` is anonymised under a retention of `years`."""
    return last_end + relativedelta(years=years)


# --- incidents ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentFacts:
    sensitive_data: bool
    financial_damage_possible: bool
    unauthorised_act: bool
    persons_affected: int
    strongly_encrypted: bool = False


def criteria_met(facts: IncidentFacts) -> list[Criterion]:
    """The criteria of appi_enforcement_rules 第7条 the incident meets (none if the data was
    strongly encrypted)."""
    if getattr(facts, rules().incidents.exemption.fact):
        return []
    met = []
    for criterion in rules().incidents.criteria:
        value = getattr(facts, criterion.fact)
        if criterion.more_than is not None:
            if int(value) > criterion.more_than:
                met.append(criterion)
        elif value:
            met.append(criterion)
    return met


def report_required(facts: IncidentFacts) -> bool:
    """A report to the Commission and a notice to the persons are required (appi 第26条)."""
    return bool(criteria_met(facts))


@dataclass(frozen=True)
class Deadline:
    key: str  # "preliminary", "final" or "notify_persons"
    due_on: datetime.date | None  # None: promptly, no fixed day
    source: str


def deadlines(discovered_on: datetime.date, unauthorised_act: bool) -> list[Deadline]:
    """The preliminary report by the fifth day after discovery, the final report within 30
    days (60 where an unauthorised act caused it), the persons notified promptly."""
    d = rules().incidents.deadlines
    final_days = d.final.days_if_unauthorised_act if unauthorised_act else d.final.days
    return [
        Deadline(
            "preliminary",
            discovered_on + datetime.timedelta(days=d.preliminary.days),
            d.preliminary.source,
        ),
        Deadline("final", discovered_on + datetime.timedelta(days=final_days), d.final.source),
        Deadline("notify_persons", None, d.notify_persons.source),
    ]
