"""Reads of the hub through the one access policy: needs, pools, matching (explained),
the city's dashboard, and statistics."""

from __future__ import annotations

import datetime
import statistics as pystats
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.access.visibility import case_visibility, need_visibility, pool_visibility
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.cases.models import Case, CaseStatus, CaseStep
from kakehashi.cases.selectors import case_evaluation
from kakehashi.core.errors import NotFound
from kakehashi.people.models import TestKind
from kakehashi.registries.models import FieldSuspension, ImprovementOrder

from .models import (
    LEVEL_RANK,
    CooperationConfirmation,
    EmployerNeed,
    NeedStatus,
    PoolCandidate,
    ProgrammeYear,
)


def needs_visible_to(actor: Actor) -> QuerySet[EmployerNeed]:
    return EmployerNeed.objects.filter(need_visibility(actor)).select_related(
        "receiving_organization", "field", "business_category"
    )


def need_get(actor: Actor, need_id: int) -> EmployerNeed:
    need = needs_visible_to(actor).filter(pk=need_id).first()
    if need is None:
        raise NotFound("need")
    return need


def pool_visible_to(actor: Actor) -> QuerySet[PoolCandidate]:
    return PoolCandidate.objects.filter(pool_visibility(actor)).select_related(
        "institution", "person", "field", "business_category"
    )


# --- matching, explained ----------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    key: str  # category, skill_test, japanese, availability
    met: bool
    detail: str


@dataclass(frozen=True)
class Match:
    candidate: PoolCandidate
    score: int
    criteria: tuple[Criterion, ...] = field(default_factory=tuple)


def _passed_tests(candidate: PoolCandidate) -> tuple[set[str], str]:
    categories: set[str] = set()
    best = ""
    for result in candidate.person.test_results.all():
        if not result.passed:
            continue
        if result.kind == TestKind.SKILL and result.business_category_id:
            categories.add(result.business_category.code if result.business_category else "")
        elif result.kind == TestKind.JAPANESE:
            level = "A2" if result.test_code == "jft_basic" else result.level
            if LEVEL_RANK.get(level, 0) > LEVEL_RANK.get(best, 0):
                best = level
    return categories, best


def matches_for(actor: Actor, need: EmployerNeed) -> list[Match]:
    """Candidates from the pools the actor may see, ranked by how many of the four criteria
    they meet, each criterion said in plain words: the business category (or at least the
    field), a passed skill test for the category, the Japanese level (a passed test, else the
    level the institution recorded), and availability by the date needed."""
    rows = []
    pool = (
        pool_visible_to(actor)
        .filter(field_id=need.field_id)
        .prefetch_related("person__test_results__business_category")
    )
    for candidate in pool:
        passed_categories, passed_level = _passed_tests(candidate)
        level = passed_level or candidate.japanese_level
        criteria = (
            Criterion(
                "category",
                candidate.business_category_id in (None, need.business_category_id),
                candidate.business_category.code if candidate.business_category else "",
            ),
            Criterion(
                "skill_test",
                need.business_category.code in passed_categories,
                ", ".join(sorted(passed_categories)) or candidate.tests_planned,
            ),
            Criterion(
                "japanese",
                LEVEL_RANK.get(level, 0) >= LEVEL_RANK.get(need.japanese_level, 0),
                level,
            ),
            Criterion(
                "availability",
                candidate.available_from <= need.needed_by,
                candidate.available_from.isoformat(),
            ),
        )
        rows.append(Match(candidate, sum(c.met for c in criteria), criteria))
    return sorted(rows, key=lambda m: (-m.score, m.candidate.available_from, m.candidate.pk))


# --- the city's dashboard -------------------------------------------------------------------


@dataclass
class Dashboard:
    city: Organization
    employers: list[dict[str, Any]]
    cases_by_step: list[tuple[str, int]]
    cases_by_field: list[tuple[str, int]]
    waiting_on: list[dict[str, Any]]
    deadlines: list[dict[str, Any]]
    orders: list[ImprovementOrder]
    suspensions: list[FieldSuspension]
    confirmations_missing: list[Organization]
    programme: ProgrammeYear | None


def dashboard(actor: Actor, city: Organization, today: datetime.date | None = None) -> Dashboard:
    """What the city's staff see first: its employers and their open needs, its employers'
    open cases by step and field and whom each waits on, deadlines in the next 60 days,
    registry events touching its employers, and the programme's current stage."""
    today = today or timezone.localdate()
    employers = list(
        Organization.objects.filter(
            municipality=city, kind=OrganizationKind.RECEIVING_ORGANIZATION
        ).order_by("name_en")
    )
    open_needs = Counter(
        EmployerNeed.objects.filter(
            receiving_organization__in=employers, status=NeedStatus.OPEN
        ).values_list("receiving_organization_id", flat=True)
    )
    cases = list(
        Case.objects.filter(case_visibility(actor), receiving_organization__in=employers)
        .filter(status=CaseStatus.OPEN)
        .select_related(
            "person", "field", "business_category", "receiving_organization", "sending_agency"
        )
    )
    by_step = Counter(c.current_step or "—" for c in cases)
    by_field = Counter(c.field.display_name for c in cases)
    waiting_on: list[dict[str, Any]] = []
    deadlines: list[dict[str, Any]] = []
    for case in cases[:200]:
        evaluation = case_evaluation(case, today)
        state = evaluation.state(case.current_step) if case.current_step else None
        roles = list(state.step.roles) if state else []
        waiting_on.append({"case": case, "step": state.step if state else None, "roles": roles})
        for deadline in evaluation.deadlines:
            if (
                not deadline.met
                and deadline.due_on
                and today <= deadline.due_on <= today + datetime.timedelta(days=60)
            ):
                deadlines.append({"case": case, "deadline": deadline})
    deadlines.sort(key=lambda d: d["deadline"].due_on)
    confirmed = set(
        CooperationConfirmation.objects.filter(municipality=city, checked=True).values_list(
            "receiving_organization_id", flat=True
        )
    )
    return Dashboard(
        city=city,
        employers=[
            {
                "organization": e,
                "open_needs": open_needs.get(e.pk, 0),
                "confirmed": e.pk in confirmed,
            }
            for e in employers
        ],
        cases_by_step=sorted(by_step.items(), key=lambda kv: -kv[1]),
        cases_by_field=sorted(by_field.items(), key=lambda kv: -kv[1]),
        waiting_on=waiting_on,
        deadlines=deadlines,
        orders=list(ImprovementOrder.objects.filter(receiving_organization__in=employers)),
        suspensions=list(
            FieldSuspension.objects.filter(field__in={c.field_id for c in cases})
            .exclude(ends_on__lt=today)
            .select_related("field")
        ),
        confirmations_missing=[e for e in employers if e.pk not in confirmed],
        programme=ProgrammeYear.objects.filter(municipality=city)
        .select_related("template")
        .first(),
    )


# --- statistics (R-H5) ----------------------------------------------------------------------


def cases_by(attribute: str, cases: QuerySet[Case]) -> list[tuple[str, int]]:
    rows = cases.values(attribute).annotate(n=Count("id")).order_by("-n", attribute)
    return [(str(r[attribute] or "—"), int(r["n"])) for r in rows]


def cases_by_month(cases: QuerySet[Case]) -> list[tuple[str, int]]:
    counts = Counter(c.strftime("%Y-%m") for c in cases.values_list("created_at", flat=True))
    return sorted(counts.items())


def median_days_per_step(cases: QuerySet[Case]) -> list[tuple[str, float]]:
    """For each step, the median number of days from the case's opening to it."""
    spans: dict[str, list[int]] = {}
    for step_key, happened, opened in CaseStep.objects.filter(case__in=cases).values_list(
        "step_key", "happened_on", "case__created_at"
    ):
        spans.setdefault(step_key, []).append(max(0, (happened - opened.date()).days))
    return sorted(((k, float(pystats.median(v))) for k, v in spans.items()), key=lambda kv: kv[1])
