"""The dated rules of the stay after landing (support/data/stay_rules.yaml): the longest
period of stay per grant, the five-year total and the leave not counted in it, the window
for an extension and the special period while one is pending, and the notifications to
immigration with their deadlines. Plain Python: date arithmetic only, no Django.

Deadlines for a filing move off the holidays of the administrative organs (weekends,
national holidays from the maintained `holidays` library, 29 December to 3 January)."""

from __future__ import annotations

import datetime
from functools import cache, lru_cache
from pathlib import Path

import holidays
import yaml
from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict, Field

from kakehashi.reference.sources import Wording

DATA_FILE = Path(__file__).resolve().parent / "data" / "stay_rules.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class _Dated(_Strict):
    starts: datetime.date = Field(alias="from")
    until: datetime.date | None = None
    source: str

    def applies_on(self, day: datetime.date) -> bool:
        return self.starts <= day and (self.until is None or day <= self.until)


class PeriodRule(_Dated):
    max_months: int = Field(gt=0)


class Cap(_Strict):
    years: int = Field(gt=0)
    source: str


class Exclusion(_Dated):
    key: str
    title: Wording


class Extension(_Strict):
    opens_months_before: int = Field(gt=0)
    opens_source: str
    special_period_months: int = Field(gt=0)
    special_period_source: str


class Window(_Strict):
    opens: str = Field(pattern=r"^\d\d-\d\d$")
    closes: str = Field(pattern=r"^\d\d-\d\d$")


class PeriodicRule(_Dated):
    period: str = Field(pattern=r"^(quarter|fiscal_year)$")
    due_days_after_period: int | None = None
    window: Window | None = None


class Notifications(_Strict):
    ad_hoc_days: int = Field(gt=0)
    ad_hoc_source: str
    deadline_source: str
    holidays_source: str
    periodic: tuple[PeriodicRule, ...]


class Warn(_Strict):
    stay_expiring_days: int = Field(gt=0)
    passport_expiring_days: int = Field(gt=0)


class StayRules(_Strict):
    periods_per_grant: tuple[PeriodRule, ...]
    total_cap: Cap
    exclusions: tuple[Exclusion, ...]
    extension: Extension
    notifications: Notifications
    warn: Warn

    def period_rule(self, granted_on: datetime.date) -> PeriodRule | None:
        return next((r for r in self.periods_per_grant if r.applies_on(granted_on)), None)

    def exclusions_on(self, day: datetime.date) -> tuple[Exclusion, ...]:
        """The kinds of leave not counted in the five-year total, by the rules in force on
        the day of the count."""
        return tuple(e for e in self.exclusions if e.applies_on(day))

    def exclusion(self, key: str) -> Exclusion | None:
        return next((e for e in self.exclusions if e.key == key), None)

    def periodic_rule(self, day: datetime.date) -> PeriodicRule | None:
        return next((r for r in self.notifications.periodic if r.applies_on(day)), None)

    def sources(self) -> list[str]:
        """Every citation in the file, for the check that each names a listed document."""
        found = [r.source for r in self.periods_per_grant] + [self.total_cap.source]
        found += [e.source for e in self.exclusions]
        found += [self.extension.opens_source, self.extension.special_period_source]
        n = self.notifications
        found += [n.ad_hoc_source, n.deadline_source, n.holidays_source]
        return found + [r.source for r in n.periodic]


@lru_cache(maxsize=1)
def stay_rules() -> StayRules:
    return StayRules.model_validate(yaml.safe_load(DATA_FILE.read_text(encoding="utf-8")))


# --- the calendar of the administrative organs ------------------------------------------


@cache
def _national_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("JP", years=year))


def is_administrative_holiday(day: datetime.date) -> bool:
    """admin_holidays_act 第1条: Saturdays and Sundays, national holidays, and 29 December
    to 3 January."""
    if day.weekday() >= 5:
        return True
    if (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3):
        return True
    return day in _national_holidays(day.year)


def filing_deadline(day: datetime.date) -> datetime.date:
    """admin_holidays_act 第2条: a filing deadline that falls on a holiday of the
    administrative organs is the next day that is not one."""
    while is_administrative_holiday(day):
        day += datetime.timedelta(days=1)
    return day


def ad_hoc_due(event_on: datetime.date) -> datetime.date:
    """An ad-hoc notification is due within 14 days of the event (immigration_act
    第19条の18第1項), moved off holidays."""
    days = stay_rules().notifications.ad_hoc_days
    return filing_deadline(event_on + datetime.timedelta(days=days))


# --- periodic notifications ----------------------------------------------------------------


class PeriodicPeriod(BaseModel):
    model_config = ConfigDict(frozen=True)
    starts_on: datetime.date
    ends_on: datetime.date
    opens_on: datetime.date
    due_on: datetime.date
    source: str


def periodic_period(today: datetime.date) -> PeriodicPeriod | None:
    """The periodic notification to be filed on `today`, if its filing time has begun: by the
    rule in force on the first day of filing. From April 2025, the year April–March, filed 1
    April–31 May; before, each quarter, within 14 days after it."""
    fiscal = _fiscal_year_period(today)
    if fiscal is not None:
        return fiscal
    return _quarter_period(today)


def _fiscal_year_period(today: datetime.date) -> PeriodicPeriod | None:
    opens = datetime.date(today.year, 4, 1)
    rule = stay_rules().periodic_rule(opens)
    if rule is None or rule.period != "fiscal_year" or today < opens:
        return None
    assert rule.window is not None
    month, day = (int(p) for p in rule.window.closes.split("-"))
    closes = datetime.date(today.year, month, day)
    if today > closes:
        return None
    return PeriodicPeriod(
        starts_on=datetime.date(today.year - 1, 4, 1),
        ends_on=datetime.date(today.year, 3, 31),
        opens_on=opens,
        due_on=filing_deadline(closes),
        source=rule.source,
    )


def _quarter_period(today: datetime.date) -> PeriodicPeriod | None:
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    rule = stay_rules().periodic_rule(quarter_start)
    if rule is None or rule.period != "quarter":
        return None
    assert rule.due_days_after_period is not None
    due = filing_deadline(quarter_start + datetime.timedelta(days=rule.due_days_after_period - 1))
    if today > due:
        return None
    previous = quarter_start - relativedelta(months=3)
    return PeriodicPeriod(
        starts_on=previous,
        ends_on=quarter_start - datetime.timedelta(days=1),
        opens_on=quarter_start,
        due_on=due,
        source=rule.source,
    )


# --- the five-year total -------------------------------------------------------------------


class Leave(BaseModel):
    model_config = ConfigDict(frozen=True)
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date


class TotalStay(BaseModel):
    model_config = ConfigDict(frozen=True)
    began_on: datetime.date
    counted_days: int
    excluded_days: int
    cap_years: int
    reached_on: datetime.date
    source: str


def total_stay(began_on: datetime.date, leave: list[Leave], today: datetime.date) -> TotalStay:
    """The time as an SSW (i) counted against the cap, from the first day of the stay to
    `today`, less the leave that the rules in force today exclude; and the day the cap is
    reached if no more leave is taken. Counted without gaps: time spent outside Japan with
    the status still counts (the conservative reading)."""
    rules = stay_rules()
    allowed = {e.key for e in rules.exclusions_on(today)}
    spans = sorted((x.starts_on, x.ends_on) for x in leave if x.kind in allowed)
    excluded_to_date = excluded_all = 0
    covered_until = began_on - datetime.timedelta(days=1)
    for start, end in spans:
        start = max(start, covered_until + datetime.timedelta(days=1))
        if end < start:
            continue
        excluded_all += (end - start).days + 1
        until_today = min(end, today)
        if until_today >= start:
            excluded_to_date += (until_today - start).days + 1
        covered_until = end
    elapsed = max((today - began_on).days + 1, 0)
    cap = rules.total_cap
    reached = began_on + relativedelta(years=cap.years) + datetime.timedelta(days=excluded_all)
    return TotalStay(
        began_on=began_on,
        counted_days=max(elapsed - excluded_to_date, 0),
        excluded_days=excluded_to_date,
        cap_years=cap.years,
        reached_on=reached - datetime.timedelta(days=1),
        source=cap.source,
    )


def extension_opens(expires_on: datetime.date) -> datetime.date:
    return expires_on - relativedelta(months=stay_rules().extension.opens_months_before)


def special_period_end(expires_on: datetime.date) -> datetime.date:
    """An application pending when the period ends: the worker may stay until the decision,
    at most this day (immigration_act 第21条第4項)."""
    return expires_on + relativedelta(months=stay_rules().extension.special_period_months)
