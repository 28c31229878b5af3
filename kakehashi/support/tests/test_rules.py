"""The dated rules of the stay (support/data/stay_rules.yaml) without a database: the period
per grant by the day of the grant, the five-year total with the exclusions in force on the
day of the count, filing deadlines off the holidays of the administrative organs, and the
periodic notification's period (quarterly, then yearly from April 2025)."""

from __future__ import annotations

import datetime

from kakehashi.reference.sources import unknown_documents
from kakehashi.support.rules import (
    Leave,
    ad_hoc_due,
    filing_deadline,
    is_administrative_holiday,
    periodic_period,
    special_period_end,
    stay_rules,
    total_stay,
)

D = datetime.date


def test_every_citation_names_a_listed_document():
    for citation in stay_rules().sources():
        assert unknown_documents(citation) == [], citation


def test_the_period_per_grant_changed_on_30_september_2025():
    rules = stay_rules()
    before, after = rules.period_rule(D(2025, 9, 29)), rules.period_rule(D(2025, 9, 30))
    assert before is not None
    assert before.max_months == 12
    assert after is not None
    assert after.max_months == 36
    assert after.source.startswith("ssw_operation_guidelines_2025")
    assert rules.period_rule(D(2019, 3, 31)) is None  # before the status existed


def test_the_administrative_holidays():
    assert is_administrative_holiday(D(2026, 12, 5))  # Saturday
    assert is_administrative_holiday(D(2026, 12, 29))  # year-end (Tuesday)
    assert is_administrative_holiday(D(2027, 1, 2))
    assert is_administrative_holiday(D(2026, 4, 29))  # Showa Day (Wednesday), from `holidays`
    assert is_administrative_holiday(D(2026, 5, 6))  # substitute holiday for Constitution Day
    assert not is_administrative_holiday(D(2026, 12, 28))  # Monday, a working day
    assert not is_administrative_holiday(D(2027, 1, 4))


def test_a_deadline_on_a_holiday_moves_to_the_next_working_day():
    assert ad_hoc_due(D(2026, 3, 2)) == D(2026, 3, 16)  # 14 days on: a Monday
    assert ad_hoc_due(D(2026, 4, 15)) == D(2026, 4, 30)  # the 29th is Showa Day
    assert ad_hoc_due(D(2026, 12, 20)) == D(2027, 1, 4)  # 3 January, then the first Monday
    assert filing_deadline(D(2026, 5, 2)) == D(2026, 5, 7)  # Golden Week


def test_the_yearly_periodic_notification_from_april_2025():
    period = periodic_period(D(2026, 4, 1))
    assert period is not None
    assert (period.starts_on, period.ends_on) == (D(2025, 4, 1), D(2026, 3, 31))
    assert period.due_on == D(2026, 6, 1)  # 31 May 2026 is a Sunday
    assert periodic_period(D(2026, 3, 31)) is None  # the window is closed
    assert periodic_period(D(2026, 6, 2)) is None
    assert periodic_period(D(2025, 5, 15)) is not None  # the first yearly one


def test_the_quarterly_periodic_notification_before_april_2025():
    period = periodic_period(D(2024, 4, 3))
    assert period is not None
    assert (period.starts_on, period.ends_on) == (D(2024, 1, 1), D(2024, 3, 31))
    assert period.due_on == D(2024, 4, 15)  # the 14th is a Sunday
    assert periodic_period(D(2024, 4, 16)) is None
    assert periodic_period(D(2024, 10, 1)).starts_on == D(2024, 7, 1)  # type: ignore[union-attr]


def test_the_five_year_total_leaves_out_leave_only_under_the_rule_in_force():
    began = D(2022, 4, 1)
    leave = [
        Leave(kind="maternity_childcare", starts_on=D(2023, 1, 1), ends_on=D(2023, 12, 31)),
        Leave(kind="illness_injury", starts_on=D(2023, 6, 1), ends_on=D(2024, 1, 30)),  # overlaps
        Leave(kind="unknown", starts_on=D(2024, 5, 1), ends_on=D(2024, 5, 31)),
    ]
    # Counted before the revision: nothing is excluded.
    early = total_stay(began, leave, D(2025, 9, 29))
    assert early.excluded_days == 0
    assert early.reached_on == D(2027, 3, 31)
    # Counted after it: 2023-01-01 to 2024-01-30 (395 days, the overlap once) is left out.
    later = total_stay(began, leave, D(2026, 4, 1))
    assert later.excluded_days == 395
    assert later.counted_days == (D(2026, 4, 1) - began).days + 1 - 395
    assert later.reached_on == D(2027, 3, 31) + datetime.timedelta(days=395)


def test_the_special_period_while_an_extension_is_pending():
    assert special_period_end(D(2026, 12, 31)) == D(2027, 2, 28)
