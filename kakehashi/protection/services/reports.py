"""Misconduct reports (moc_kg §4(1)(a)–(e)) and test-fraud reports (moc_kg §5): filed by a
contact point, or forwarded from the city, an employer, a support organization or a worker;
drafted automatically from a contract with a prohibited term."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import contact_point_for
from kakehashi.access.visibility import case_visibility
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.core import validation
from kakehashi.core.errors import InvalidInput, NotAllowed, Problem
from kakehashi.people.models import Person, TestResult
from kakehashi.people.selectors import persons_visible_to
from kakehashi.procedures.labels import CONTRACT_NAMES, PROHIBITED_TERM_NAMES
from kakehashi.reference.countries import country_problems

from ..models import (
    FraudKind,
    ItemKind,
    MisconductCategory,
    MisconductReport,
    Stage,
    SubjectKind,
    TestFraudReport,
)
from .common import channel_fields, day, new_item, text


def _filing_side(actor: Actor, country: str) -> Organization:
    org = contact_point_for(actor, country)
    if org is None:
        raise NotAllowed(
            _("Only a contact point files a report; others send theirs to a contact point.")
        )
    return org


def _country(value: Any, problems: list[Problem], field: str = "country") -> str:
    code = str(value or "").upper()[:2]
    problems += country_problems([code], field) if code else []
    if not code:
        problems.append(Problem("required", _("This field is required."), field=field))
    return code


def _linked(model: Any, ids: Any, visible: Any, field: str, problems: list[Problem]) -> list[Any]:
    """Rows of `model` named by `ids` that the actor can see; a problem for any other."""
    wanted = sorted({int(i) for i in ids or []})
    found = list(visible.filter(pk__in=wanted))
    if len(found) != len(wanted):
        missing = sorted(set(wanted) - {o.pk for o in found})
        problems.append(
            Problem(
                "not_found",
                _("Not found: %(ids)s.") % {"ids": ", ".join(map(str, missing[:10]))},
                field=field,
            )
        )
    return found


def _cases(actor: Actor, ids: Any, problems: list[Problem]) -> list[Any]:
    case_model: Any = MisconductReport._meta.get_field("cases").related_model
    visible = case_model.objects.filter(case_visibility(actor))
    return _linked(case_model, ids, visible, "case_ids", problems)


@transaction.atomic
def misconduct_report_file(*, actor: Actor, data: dict[str, Any]) -> MisconductReport:
    """A contact point files a report (or forwards one a party sent): the categories of
    moc_kg §4(1), whom it concerns, the facts, dates and places, and the persons and cases
    affected. The other contact point sees it at once in its inbox."""
    problems: list[Problem] = []
    country = _country(data.get("country"), problems)
    sender = _filing_side(actor, country) if country else None
    categories = sorted(set(data.get("categories") or []))
    if not categories:
        problems.append(
            Problem("required", _("Choose at least one category of §4(1)."), field="categories")
        )
    elif not set(categories) <= set(MisconductCategory.values):
        problems.append(
            Problem("invalid_choice", _("The categories are a to e."), field="categories")
        )
    subject_kind = str(data.get("subject_kind") or "")
    if subject_kind not in SubjectKind.values:
        problems.append(
            Problem(
                "invalid_choice",
                _("Choose an individual or a legal entity."),
                field="subject_kind",
            )
        )
    subject_name = validation.text_field(
        data.get("subject_name"), "subject_name", problems, required=True, max_length=200
    )
    subject_country = _country(data.get("subject_country"), problems, "subject_country")
    subject_org = None
    if data.get("subject_organization_id"):
        subject_org = Organization.objects.filter(pk=data["subject_organization_id"]).first()
        if subject_org is None:
            problems.append(
                Problem("not_found", _("No such organization."), field="subject_organization_id")
            )
    facts = text(data.get("facts"), "facts", problems, required=True)
    occurred_from = day(data.get("occurred_from"), "occurred_from", problems)
    occurred_until = day(data.get("occurred_until"), "occurred_until", problems)
    today = timezone.localdate()
    validation.not_in_future(occurred_from, "occurred_from", problems, today)
    validation.not_in_future(occurred_until, "occurred_until", problems, today)
    validation.period(occurred_from, occurred_until, "occurred_until", problems, same_day=True)
    places = validation.text_field(data.get("places"), "places", problems, max_length=300)
    due_on = day(data.get("due_on"), "due_on", problems)
    channel = channel_fields(data, problems)
    persons = _linked(
        Person, data.get("person_ids"), persons_visible_to(actor), "person_ids", problems
    )
    cases = _cases(actor, data.get("case_ids"), problems)
    if problems:
        raise InvalidInput(problems)
    assert sender is not None
    report: MisconductReport = new_item(
        MisconductReport,
        actor=actor,
        sender=sender,
        country=country,
        kind=ItemKind.MISCONDUCT,
        title=subject_name,
        stage=Stage.RECEIVED,
        due_on=due_on,
        categories=categories,
        subject_name=subject_name,
        subject_kind=subject_kind,
        subject_country=subject_country,
        subject_organization=subject_org,
        facts=facts,
        occurred_from=occurred_from,
        occurred_until=occurred_until,
        places=places,
        **channel,
    )
    report.persons.set(persons)
    report.cases.set(cases)
    return report


def _contract_facts(case: Any, step_key: str, terms: list[str]) -> str:
    """The draft's facts, in English (the MOC's authentic language), which both sides read."""
    with translation.override("en"):
        return _(
            "The %(contract)s of case %(case)s was recorded with: %(terms)s. Drafted from the "
            "contract's prohibited-terms checklist; check the contract before filing."
        ) % {
            "contract": str(CONTRACT_NAMES.get(step_key, _("contract"))),
            "case": case.reference,
            "terms": "; ".join(str(PROHIBITED_TERM_NAMES.get(t, t)) for t in terms),
        }


def misconduct_draft_from_contract(
    *, actor: Actor, case: Any, step_key: str, terms: list[str], organization: Organization
) -> MisconductReport | None:
    """A contract recorded with a prohibited term (moc_kg §4(1)(a), (b)) drafts a report
    for Japan's contact point to review and file. Called by the case service in the step's
    transaction. Without a Japanese contact point registered, nothing is drafted."""
    sender = (
        Organization.objects.filter(kind=OrganizationKind.JP_CONTACT_POINT).order_by("id").first()
    )
    if sender is None:
        return None
    categories = sorted(
        {"a" if term in ("term_deposit", "term_manages_property") else "b" for term in terms}
    )
    agency = case.sending_agency
    subject = agency or organization
    from ..models import Channel

    report: MisconductReport = new_item(
        MisconductReport,
        actor=actor,
        sender=sender,
        recorded_for=organization,
        country=case.country,
        kind=ItemKind.MISCONDUCT,
        title=subject.name_en,
        stage=Stage.DRAFT,
        categories=categories,
        subject_name=subject.name_en,
        subject_kind=SubjectKind.LEGAL_ENTITY,
        subject_country=subject.country,
        subject_organization=subject,
        facts=_contract_facts(case, step_key, terms),
        channel=Channel.RECEIVING_ORGANIZATION
        if organization.kind == OrganizationKind.RECEIVING_ORGANIZATION
        else Channel.CONTACT_POINT,
        channel_organization=organization,
    )
    report.cases.set([case])
    report.persons.set([case.person])
    return report


@transaction.atomic
def test_fraud_report_file(*, actor: Actor, data: dict[str, Any]) -> TestFraudReport:
    """A contact point reports impersonation, a forged or altered certificate or other
    fraud in a test (moc_kg §5), naming the test results concerned. While the report is
    open, those results do not count towards eligibility."""
    problems: list[Problem] = []
    country = _country(data.get("country"), problems)
    sender = _filing_side(actor, country) if country else None
    fraud_kind = str(data.get("fraud_kind") or "")
    if fraud_kind not in FraudKind.values:
        problems.append(
            Problem(
                "invalid_choice",
                _("Choose one of: %(allowed)s.") % {"allowed": ", ".join(FraudKind.values)},
                field="fraud_kind",
            )
        )
    facts = text(data.get("facts"), "facts", problems, required=True)
    due_on = day(data.get("due_on"), "due_on", problems)
    visible_results = TestResult.objects.filter(person__in=persons_visible_to(actor))
    results = _linked(
        TestResult, data.get("test_result_ids"), visible_results, "test_result_ids", problems
    )
    if not results and not any(p.field == "test_result_ids" for p in problems):
        problems.append(
            Problem("required", _("Name the test results concerned."), field="test_result_ids")
        )
    channel = channel_fields(data, problems)
    if problems:
        raise InvalidInput(problems)
    assert sender is not None
    title = ", ".join(sorted({f"{r.test_code} {r.level}".strip() for r in results}))
    report: TestFraudReport = new_item(
        TestFraudReport,
        actor=actor,
        sender=sender,
        country=country,
        kind=ItemKind.TEST_FRAUD,
        title=title[:200],
        stage=Stage.RECEIVED,
        due_on=due_on,
        fraud_kind=fraud_kind,
        facts=facts,
        **channel,
    )
    report.test_results.set(results)
    return report
