"""The personal-data rules without a database (privacy/data/rules.yaml): the employer's
one year, the criteria that make a leak reportable to the Commission, and the deadlines."""

from __future__ import annotations

import datetime

from kakehashi.privacy import rules
from kakehashi.privacy.rules import IncidentFacts
from kakehashi.reference.sources import unknown_documents

D = datetime.date


def facts(
    *,
    sensitive_data: bool = False,
    financial_damage_possible: bool = False,
    unauthorised_act: bool = False,
    persons_affected: int = 1,
    strongly_encrypted: bool = False,
) -> IncidentFacts:
    return IncidentFacts(
        sensitive_data,
        financial_damage_possible,
        unauthorised_act,
        persons_affected,
        strongly_encrypted,
    )


def test_every_citation_names_a_listed_document():
    for citation in rules.rules().sources():
        assert unknown_documents(citation) == [], citation


def test_the_employer_keeps_the_records_a_year_after_the_contract_ends():
    assert rules.employer_records_until(D(2026, 3, 31)) == D(2027, 3, 31)
    assert rules.employer_records_until(D(2024, 2, 29)) == D(2025, 2, 28)
    assert rules.retention_ends(D(2026, 3, 31), 5) == D(2031, 3, 31)
    assert rules.rules().retention.employer_records.source.startswith("ssw_standards_ordinance")


def test_a_leak_is_reportable_for_each_criterion_of_article_7():
    assert not rules.report_required(facts())
    assert [c.key for c in rules.criteria_met(facts(sensitive_data=True))] == ["sensitive_data"]
    assert [c.key for c in rules.criteria_met(facts(financial_damage_possible=True))] == [
        "financial_damage"
    ]
    assert [c.key for c in rules.criteria_met(facts(unauthorised_act=True))] == ["unauthorised_act"]
    # More than 1,000 persons: 1,000 is not, 1,001 is.
    assert not rules.report_required(facts(persons_affected=1000))
    assert [c.key for c in rules.criteria_met(facts(persons_affected=1001))] == ["many_persons"]
    sources = {
        c.key: c.source
        for c in rules.criteria_met(facts(sensitive_data=True, unauthorised_act=True))
    }
    assert sources == {
        "sensitive_data": "appi_enforcement_rules 第7条第1号",
        "unauthorised_act": "appi_enforcement_rules 第7条第3号",
    }


def test_strong_encryption_takes_a_leak_out_of_the_reports():
    assert not rules.report_required(
        facts(sensitive_data=True, persons_affected=5000, strongly_encrypted=True)
    )


def test_the_deadlines_run_from_discovery_and_are_60_days_after_an_unauthorised_act():
    found = {d.key: d for d in rules.deadlines(D(2026, 4, 1), unauthorised_act=False)}
    assert found["preliminary"].due_on == D(2026, 4, 6)
    assert found["final"].due_on == D(2026, 5, 1)
    assert found["final"].source == "appi_enforcement_rules 第8条第2項"
    assert found["notify_persons"].due_on is None
    unauthorised = {d.key: d for d in rules.deadlines(D(2026, 4, 1), unauthorised_act=True)}
    assert unauthorised["final"].due_on == D(2026, 5, 31)
    assert unauthorised["preliminary"].due_on == D(2026, 4, 6)
