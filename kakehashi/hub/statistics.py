"""The hub's statistics (R-H5): the dataset of Kyrgyz residents in Japan, and the system's
own figures. Each table is (label, value) rows; pages draw the chart beside the table and
offer the CSV. Public tables hide counts below SMALL_COUNT so nobody can be singled out."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kakehashi.cases.models import Case, CaseStatus

from .selectors import cases_by, cases_by_month, median_days_per_step

DATA_FILE = Path(__file__).resolve().parent / "data" / "kg_residents.yaml"
SMALL_COUNT = 5

STATUS_NAMES: dict[str, Any] = {
    "student": _("Student"),
    "dependent": _("Dependent"),
    "engineer_humanities": _("Engineer / Specialist in Humanities / International Services"),
    "technical_intern": _("Technical intern training"),
    "permanent_resident": _("Permanent resident"),
    "ssw": _("Specified Skilled Worker"),
    "spouse": _("Spouse or child of a Japanese national"),
    "designated_activities": _("Designated activities"),
}


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    rows: list[tuple[str, float]]
    source: str = ""


@lru_cache(maxsize=1)
def _snapshots() -> list[dict[str, Any]]:
    return list(yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))["snapshots"])


def resident_tables() -> list[Table]:
    tables = []
    for snap in _snapshots():
        area = _("in Japan") if snap["area"] == "JP" else _("in the city")
        rows = sorted(
            ((str(STATUS_NAMES.get(k, k)), float(v)) for k, v in snap["by_status"].items()),
            key=lambda kv: -kv[1],
        )
        rest = float(snap["total"]) - sum(v for _k, v in rows)
        if rest > 0:
            rows.append((str(_("Other statuses")), rest))
        tables.append(
            Table(
                key=f"residents-{snap['area']}-{snap['date']}",
                title=str(
                    _("Kyrgyz nationals resident %(area)s on %(date)s (total %(total)s)")
                    % {"area": area, "date": snap["date"], "total": snap["total"]}
                ),
                rows=rows,
                source=snap["source"],
            )
        )
    return tables


def _labelled(rows: list[tuple[str, int]], names: dict[str, str]) -> list[tuple[str, float]]:
    return [(names.get(k, k), float(v)) for k, v in rows]


def case_tables(cases: QuerySet[Case], names: dict[str, dict[str, str]]) -> list[Table]:
    refused = cases.filter(status=CaseStatus.REFUSED)
    return [
        Table(
            "cases-by-route",
            str(_("Cases by route")),
            _labelled(cases_by("pattern", cases), names["pattern"]),
        ),
        Table(
            "cases-by-field",
            str(_("Cases by field")),
            _labelled(cases_by("field__code", cases), names["field"]),
        ),
        Table(
            "cases-by-step",
            str(_("Open cases by the step they wait for")),
            _labelled(
                cases_by("current_step", cases.filter(status=CaseStatus.OPEN)), names["step"]
            ),
        ),
        Table(
            "cases-by-month",
            str(_("Cases opened by month")),
            [(k, float(v)) for k, v in cases_by_month(cases)],
        ),
        Table(
            "median-days",
            str(_("Median days from opening to each step")),
            [(names["step"].get(k, k), v) for k, v in median_days_per_step(cases)],
        ),
        Table(
            "refusals",
            str(_("Refused cases by the step that refused them")),
            _labelled(cases_by("current_step", refused), names["step"]),
        ),
    ]


def suppressed(table: Table) -> Table:
    """The public version: counts below SMALL_COUNT become 0 and are shown as "fewer than
    5" (the page says so), so no person can be singled out."""
    return Table(
        table.key,
        table.title,
        [(label, value if value >= SMALL_COUNT else 0.0) for label, value in table.rows],
        table.source,
    )


def agency_table(today: Any) -> Table:
    """Sending agencies by their certification for Japan today (the public register's)."""
    from collections import Counter

    from kakehashi.registries.messages import CERTIFICATION_STATES
    from kakehashi.registries.selectors import agency_register

    counts = Counter(entry.state for entry in agency_register(today))
    return Table(
        "agencies-by-state",
        str(_("Sending agencies by certification")),
        [(str(CERTIFICATION_STATES.get(k, k)), float(v)) for k, v in counts.most_common()],
    )


def exchange_tables() -> list[Table]:
    """Grievances and misconduct reports by category: for the contact points only (what
    they exchange is confidential; counts are theirs too)."""
    from collections import Counter

    from kakehashi.protection.models import (
        Grievance,
        GrievanceCategory,
        MisconductCategory,
        MisconductReport,
    )

    grievances: Counter[str] = Counter()
    for categories in Grievance.objects.values_list("categories", flat=True):
        grievances.update(categories)
    reports: Counter[str] = Counter()
    for categories in MisconductReport.objects.exclude(stage="draft").values_list(
        "categories", flat=True
    ):
        reports.update(categories)
    return [
        Table(
            "grievances-by-category",
            str(_("Grievances by category")),
            [(str(GrievanceCategory(k).label), float(v)) for k, v in grievances.most_common()],
        ),
        Table(
            "reports-by-category",
            str(_("Misconduct reports by category")),
            [(str(MisconductCategory(k).label)[:3], float(v)) for k, v in reports.most_common()],
        ),
    ]
