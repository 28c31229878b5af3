"""Pages that explain the procedure definitions (procedures/definitions/*.yaml) to any
signed-in user: which patterns there are, and for each step who records it, what it
waits for, what it records, which deadlines and rules apply, and where it comes from."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from kakehashi.reference import sources

from . import registry
from .engine import prerequisites
from .labels import roles_text, side_name
from .schema import (
    Check,
    Deadline,
    Definition,
    EvidenceField,
    Pattern,
    PatternStep,
    Step,
    Text,
)

# The rules a step or pattern runs (procedures/rules.py), in words.
RULE_NAMES: dict[str, Any] = {
    "ssw1_eligible": gettext_lazy("SSW (i) eligibility: age, skill test, Japanese test"),
    "field_accepting": gettext_lazy("Field open and not suspended"),
    "agency_certified": gettext_lazy("Sending agency certified on that date"),
    "placement_licence": gettext_lazy("Placement licence (flag)"),
    "person_location_abroad": gettext_lazy("The person lives outside Japan"),
    "person_location_in_japan": gettext_lazy("The person lives in Japan"),
    "filed_within_period_of_stay": gettext_lazy("Filed before the current period of stay ends"),
    "minimum_wage": gettext_lazy("The wage reaches the regional minimum wage"),
    "cooperation_confirmation": gettext_lazy(
        "The employer's cooperation confirmation is with the city (advice)"
    ),
    "no_prohibited_terms": gettext_lazy(
        "No contract has a deposit, management of money, property or passport, a penalty "
        "or another undue transfer"
    ),
}

EVIDENCE_TYPES: dict[str, Any] = {
    "date": gettext_lazy("date"),
    "text": gettext_lazy("text"),
    "integer": gettext_lazy("whole number"),
    "boolean": gettext_lazy("yes or no"),
    "choice": gettext_lazy("choice"),
}

PERSON_LOCATIONS: dict[str, Any] = {
    "abroad": gettext_lazy("The person lives outside Japan."),
    "in_japan": gettext_lazy("The person already lives in Japan."),
}


def _t(text: Text | None) -> str:
    return text.get(get_language() or "en") if text else ""


def _roles(roles: tuple[str, ...]) -> str:
    return roles_text(roles)


EFFECTS: dict[str, Any] = {
    "block": gettext_lazy("(refuses the step if not met)"),
    "invalid": gettext_lazy("(refuses the evidence if not met)"),
    "flag": gettext_lazy("(raises a flag, does not refuse)"),
}


def _rule(check: Check) -> dict[str, Any]:
    return {
        "code": check.rule,
        "name": str(RULE_NAMES.get(check.rule, check.rule)),
        "effect": str(EFFECTS[check.effect]),
    }


def _period(deadline: Deadline) -> str:
    parts = []
    if deadline.months:
        parts.append(
            ngettext("%(count)d month", "%(count)d months", deadline.months)
            % {"count": deadline.months}
        )
    if deadline.days:
        parts.append(
            ngettext("%(count)d day", "%(count)d days", deadline.days) % {"count": deadline.days}
        )
    # Translators: between the months and the days of a period, e.g. "1 month and 10 days".
    return _(" and ").join(parts)


def _starts_from(step: Step, deadline: Deadline) -> str:
    """The label of the evidence date a deadline counts from ("" for the step's date)."""
    field = step.evidence_field(deadline.starts_from) if deadline.starts_from else None
    return _t(field.label) if field else ""


def _evidence(field: EvidenceField) -> dict[str, Any]:
    return {
        "label": _t(field.label),
        "type": str(EVIDENCE_TYPES.get(field.type, field.type)),
        "required": field.required,
        "help": _t(field.help),
        "choices": [_t(c.label) for c in field.choices],
    }


def _step(
    definition: Definition, pattern: Pattern, number: int, entry: PatternStep
) -> dict[str, Any]:
    step = definition.step(entry.step)

    def title(key: str) -> str:
        return _t(definition.step(key).title)

    return {
        "number": number,
        "key": step.key,
        "title": _t(step.title),
        "description": _t(step.description),
        "roles": _roles(step.roles),
        "side": step.side or "",
        "side_name": side_name(step.side),
        "performed_by": _t(step.performed_by),
        "prerequisites": [
            {"title": title(p.step), "advisory": p.kind == "advisory"}
            for p in prerequisites(pattern, entry)
        ],
        "evidence": [_evidence(f) for f in step.evidence],
        "deadlines": [
            {
                "title": _t(d.title),
                "period": _period(d),
                "applies_to": ", ".join(f"“{title(k)}”" for k in d.applies_to),
                "starts_from": _starts_from(step, d),
                "met_by": title(d.met_by),
                "reopens": ", ".join(f"“{title(k)}”" for k in d.reopens),
                "source_ref": definition.cite(d.source),
            }
            for d in step.deadlines
        ],
        "checks": [_rule(c) for c in step.checks],
        "source_ref": definition.cite(step.source),
        "quote": step.source.quote or "",
    }


def _pattern(definition: Definition, pattern: Pattern) -> dict[str, Any]:
    return {
        "key": pattern.key,
        "number": pattern.number,
        "title": _t(pattern.title),
        "description": _t(pattern.description),
        "person_location": str(PERSON_LOCATIONS.get(pattern.person_location, "")),
        "requires_sending_agency": pattern.requires_sending_agency,
        "creation_checks": [_rule(c) for c in pattern.creation_checks],
        "source_ref": definition.cite(pattern.source),
        "steps": [
            _step(definition, pattern, number, entry)
            for number, entry in enumerate(pattern.steps, start=1)
        ],
    }


def _summary(definition: Definition, today: datetime.date) -> dict[str, Any]:
    return {
        "country": definition.country,
        "name": _t(definition.name),
        "version": definition.version,
        "effective_from": definition.effective_from,
        "effective_until": definition.effective_until,
        "in_force": definition.in_force_on(today),
    }


def _documents_cited(definition: Definition) -> list[dict[str, Any]]:
    """The documents of the list of sources this definition cites, in the page's language."""
    keys = {s.source.document for s in definition.steps}
    keys |= {p.source.document for p in definition.patterns}
    keys |= {d.source.document for s in definition.steps for d in s.deadlines}
    language = get_language() or "en"
    return [
        {"key": key, "title": document.title.get(language), "url": document.url or ""}
        for key, document in sources.documents().items()
        if key in keys
    ]


@login_required
def procedure_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    definitions = sorted(registry.all_definitions(), key=lambda d: (d.country, d.effective_from))
    return render(
        request,
        "procedures/list.html",
        {
            "nav": "procedures",
            "definitions": [_summary(d, today) for d in definitions],
            "today": today,
        },
    )


@login_required
def procedure_detail(request: HttpRequest, country: str) -> HttpResponse:
    if country not in registry.countries():
        raise Http404(_("No procedure for this country."))
    today = timezone.localdate()
    version = request.GET.get("version")
    if version:
        try:
            definition = registry.definition_version(country, version)
        except LookupError as error:
            raise Http404(_("No such version of the procedure.")) from error
    else:
        definition = registry.definition_in_force(country, today) or registry.versions(country)[-1]
    return render(
        request,
        "procedures/detail.html",
        {
            "nav": "procedures",
            "definition": _summary(definition, today),
            "patterns": [_pattern(definition, p) for p in definition.patterns],
            "sources": _documents_cited(definition),
            "versions": [_summary(d, today) for d in registry.versions(country)],
            "today": today,
        },
    )
