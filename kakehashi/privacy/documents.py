"""The person's data as a PDF a person can read, in their language (the language of the
request): the same content as the JSON export (privacy/export.py), with codes put in words."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kakehashi.cases.models import CaseStatus, EventKind
from kakehashi.core.pdf import render_pdf
from kakehashi.people.forms import field_label
from kakehashi.people.models import Person, TestKind
from kakehashi.procedures import registry
from kakehashi.procedures.registry import ssw_rules
from kakehashi.protection.models import GrievanceCategory, GrievanceStage
from kakehashi.reference.countries import country_name
from kakehashi.support.plan import plan_items

from .export import PERSON_KEYS, person_export
from .models import CorrectionStatus

COUNTRY_KEYS = ("nationality", "current_country")


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _person_rows(data: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for key in PERSON_KEYS:
        value = data[key]
        if key in COUNTRY_KEYS and value:
            value = country_name(value)
        rows.append((str(field_label(Person, key)), value or "—"))
    return rows


def _evidence(step: Any, evidence: dict[str, Any], language: str) -> list[tuple[str, str]]:
    """A step's evidence in words: each field's label, a choice's label, yes or no."""
    fields = {f.key: f for f in step.evidence} if step is not None else {}
    rows = []
    for key, value in (evidence or {}).items():
        spec = fields.get(key)
        label = spec.label.get(language) if spec is not None else key
        if isinstance(value, bool):
            shown = str(_("yes") if value else _("no"))
        elif spec is not None and spec.choices:
            shown = next((c.label.get(language) for c in spec.choices if c.key == value), value)
        else:
            shown = value
        rows.append((label, "—" if shown in ("", None) else str(shown)))
    return rows


def _case_words(case: dict[str, Any], language: str) -> dict[str, Any]:
    try:
        definition = registry.definition_version(case["country"], case["procedure_version"])
    except LookupError:
        definition = None

    def step_of(key: str) -> Any:
        if definition is None or not key:
            return None
        try:
            return definition.step(key)
        except LookupError:
            return None

    def step_title(key: str) -> str:
        step = step_of(key)
        return step.title.get(language) if step is not None else key

    def document_title(step_key: str, key: str) -> str:
        step = step_of(step_key)
        spec = next((d for d in step.documents if d.key == key), None) if step else None
        return spec.title.get(language) if spec is not None else key

    pattern = case["pattern"]
    if definition is not None and definition.has_pattern(pattern):
        pattern = definition.pattern(pattern).title.get(language)
    items = plan_items()
    plan = case["support_plan"]
    return {
        **case,
        "pattern_title": pattern,
        "status_label": _label(CaseStatus, case["status"]),
        "steps": [
            {
                **s,
                "title": step_title(s["step"]),
                "facts": _evidence(step_of(s["step"]), s["evidence"], language),
            }
            for s in case["steps"]
        ],
        "documents": [
            {**d, "title": document_title(d["step"], d["document"])} for d in case["documents"]
        ],
        "events": [
            {**e, "kind_label": _label(EventKind, e["kind"]), "title": step_title(e["step"])}
            for e in case["events"]
        ],
        "support_items": [
            {**i, "title": items.title(i["item"], language)} for i in (plan or {}).get("items", [])
        ],
    }


def _test_name(code: str, language: str) -> str:
    if code == "skill":
        return str(TestKind.SKILL.label)
    rules = ssw_rules()
    for test in (*rules.japanese_tests, *(t for ts in rules.field_tests.values() for t in ts)):
        if test.code == code:
            return str(test.name.get(language))
    return code


def person_pdf(person: Person) -> bytes:
    language = (get_language() or "en")[:2]
    data = person_export(person)
    grievances = [
        {
            **g,
            "category_labels": [_label(GrievanceCategory, c) for c in g["categories"]],
            "stage_label": _label(GrievanceStage, g["stage"]),
        }
        for g in data["grievances"]
    ]
    tests = [{**t, "name": _test_name(t["test"], language)} for t in data["test_results"]]
    corrections = [
        {
            **c,
            "field_label": str(field_label(Person, c["field"])),
            "status_label": _label(CorrectionStatus, c["status"]),
        }
        for c in data["correction_requests"]
    ]
    return render_pdf(
        "privacy/pdf/my_data.html",
        {
            "data": data,
            "language": language,
            "person_rows": _person_rows(data["person"]),
            "cases": [_case_words(c, language) for c in data["cases"]],
            "grievances": grievances,
            "tests": tests,
            "corrections": corrections,
            "today": timezone.localdate(),
        },
    )
