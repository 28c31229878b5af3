"""Reads of the hub through the one access policy: needs, pools, matching (explained),
the city's dashboard, and statistics."""

from __future__ import annotations

import datetime
import statistics as pystats
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, QuerySet
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.access.visibility import case_visibility, need_visibility, pool_visibility
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.cases.models import Case, CaseDeadline, CaseStatus, CaseStep
from kakehashi.core.errors import NotFound
from kakehashi.people.models import TestKind
from kakehashi.procedures import registry
from kakehashi.procedures.schema import Deadline, Step
from kakehashi.reference.models import Field
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


# The dashboard lists the most urgent open cases and deadlines, not all of them (the case
# list has the rest, filtered by step).
WAITING_ROWS = 25
DEADLINE_ROWS = 50


def _step(case: Case) -> Step | None:
    if not case.current_step:
        return None
    try:
        return registry.definition_version(case.country, case.procedure_version).step(
            case.current_step
        )
    except KeyError:
        return None


def _deadline(case: Case, key: str) -> Deadline | None:
    definition = registry.definition_version(case.country, case.procedure_version)
    return next((d for step in definition.steps for d in step.deadlines if d.key == key), None)


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
    # Counted by the database over the case's stored municipality and step (a city may have
    # tens of thousands of open cases): no case is loaded for the figures.
    open_cases = Case.objects.filter(case_visibility(actor), municipality=city).filter(
        status=CaseStatus.OPEN
    )
    by_step: Counter[str] = Counter()
    field_counts: Counter[int] = Counter()
    for step, field_id, n in (
        open_cases.order_by().values_list("current_step", "field_id").annotate(n=Count("id"))
    ):
        by_step[step or "—"] += n
        field_counts[field_id] += n
    fields = Field.objects.in_bulk(list(field_counts))
    by_field = Counter(
        {fields[pk].display_name: n for pk, n in field_counts.items() if pk in fields}
    )
    waiting_on: list[dict[str, Any]] = []
    for case in open_cases.select_related("receiving_organization").order_by(
        F("next_due").asc(nulls_last=True), "updated_at", "id"
    )[:WAITING_ROWS]:
        step = _step(case)
        waiting_on.append({"case": case, "step": step, "roles": list(step.roles) if step else []})
    deadlines = [
        {"case": row.case, "due_on": row.due_on, "deadline": _deadline(row.case, row.key)}
        # Joined, not `case__in`: the planner starts from the few deadlines in the window.
        for row in CaseDeadline.objects.filter(
            case_visibility(actor, prefix="case__"),
            case__municipality=city,
            case__status=CaseStatus.OPEN,
            met=False,
            due_on__gte=today,
            due_on__lte=today + datetime.timedelta(days=60),
        )
        .select_related("case")
        .order_by("due_on", "case_id")[:DEADLINE_ROWS]
    ]
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
            FieldSuspension.objects.filter(field__in=list(field_counts))
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
