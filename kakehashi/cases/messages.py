"""Words for the engine's findings: one whole sentence per code, with named placeholders,
translated through the gettext catalogues (locale/). Refusals, warnings and flags are all
rendered here, so the API, the pages and the commands say the same thing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from kakehashi.core.errors import Problem
from kakehashi.procedures.labels import CONTRACT_NAMES, PROHIBITED_TERM_NAMES, roles_text
from kakehashi.procedures.rules import Finding
from kakehashi.procedures.schema import Text
from kakehashi.reference.citations import sourced
from kakehashi.reference.countries import country_name
from kakehashi.reference.prefectures import prefecture_name
from kakehashi.registries.messages import CERTIFICATION_STATES

MESSAGES: dict[str, Any] = {
    # Order and roles
    "prerequisite_missing": gettext_lazy("First complete “%(step)s”."),
    "advisory_prerequisite": gettext_lazy(
        "“%(step)s” is not recorded yet. The Japanese procedure does not wait for it, "
        "but it should be done."
    ),
    "not_acting_role": gettext_lazy("Only %(roles)s can record this step."),
    "already_completed": gettext_lazy("This step has already been recorded."),
    "case_closed": gettext_lazy("This case is closed (%(status)s); no more steps can be recorded."),
    "deadline_expired": gettext_lazy(
        "%(deadline)s ended on %(due)s (counted from %(started)s). "
        "Record “%(redo)s” again to continue."
    ),
    # An agency's certification changed while cases are open (moc_kg §7(3), §7(4)). The
    # ministry's reason is not part of the message (moc_kg §3); presenters add it for the
    # readers allowed to see it.
    "agency_revoked": gettext_lazy(
        "The ministry revoked the certification of %(agency)s on %(date)s. It may no longer "
        "act as a sending agency: it records nothing more on this case, and steps that need a "
        "certified agency are refused. Steps already recorded stay valid; to continue, hire "
        "the person directly or through another certified agency in a new case."
    ),
    "agency_suspended": gettext_lazy(
        "The ministry suspended the certification of %(agency)s on %(date)s. Until it is "
        "resumed, the agency records nothing on this case and steps that need a certified "
        "agency are refused; steps already recorded stay valid."
    ),
    "agency_expired": gettext_lazy(
        "The certification of %(agency)s expired on %(date)s. Until the ministry certifies it "
        "again, the agency records nothing on this case and steps that need a certified "
        "agency are refused."
    ),
    "agency_cannot_act": gettext_lazy(
        "%(agency)s cannot record steps: its certification is %(state)s. Only a certified "
        "agency acts as a sending agency."
    ),
    # Patterns and parties
    "unknown_pattern": gettext_lazy("Unknown pattern. Choose one of: %(allowed)s."),
    "procedure_not_in_force": gettext_lazy("No procedure for %(country)s is in force on %(date)s."),
    "agency_required": gettext_lazy(
        "This pattern needs the sending agency certified by the sending country's ministry."
    ),
    "agency_not_applicable": gettext_lazy(
        "Only the certified-sending-agency pattern names a sending agency."
    ),
    "agency_not_certified": gettext_lazy(
        "%(agency)s is not certified for Japan by the sending country's ministry on %(date)s "
        "(status: %(state)s)."
    ),
    "unlicensed_placement": gettext_lazy(
        "%(agency)s selected the candidates but holds no Japanese job-placement licence "
        "covering %(country)s. Selecting candidates is job placement and needs one."
    ),
    "nationality_mismatch": gettext_lazy(
        "This procedure is for nationals of %(country)s; the person is a national of "
        "%(nationality)s."
    ),
    "person_in_japan": gettext_lazy("The person lives in Japan: use the change-of-status pattern."),
    "person_not_in_japan": gettext_lazy(
        "The person does not live in Japan: use one of the patterns for hiring from abroad."
    ),
    # Eligibility and fields
    "under_minimum_age": gettext_lazy(
        "The person is %(age)s on %(date)s; the minimum age is %(minimum)s."
    ),
    "skill_test_missing": gettext_lazy(
        "No passed skill test for the business category “%(category)s” is on record."
    ),
    "japanese_test_missing": gettext_lazy(
        "No passed Japanese test accepted for SSW (i) is on record (accepted: %(accepted)s)."
    ),
    "field_test_missing": gettext_lazy("This field also requires a pass in the %(test)s."),
    "field_not_open": gettext_lazy(
        "The field “%(field)s” does not accept new SSW (i) applications on %(date)s."
    ),
    "category_not_in_force": gettext_lazy(
        "The business category “%(category)s” is not in force on %(date)s."
    ),
    "field_suspended": gettext_lazy(
        "Japan has suspended acceptance in “%(field)s” from %(from)s%(until)s; "
        "new applications are refused on %(date)s."
    ),
    # Test results that do not count (moc_kg §5; docs/adr/0017)
    "test_result_held": gettext_lazy(
        "The result of “%(test)s” taken on %(taken_on)s is under a test-fraud report "
        "between the contact points and does not count until the report is closed."
    ),
    "test_result_fraudulent": gettext_lazy(
        "The result of “%(test)s” taken on %(taken_on)s was found fraudulent by the "
        "contact points and does not count."
    ),
    "test_result_unverified": gettext_lazy(
        "The result of “%(test)s” taken on %(taken_on)s was entered by the sending "
        "agency and counts once a contact point has confirmed it with the test body."
    ),
    # Prohibited contract terms (moc_kg §4(1)(a), (b))
    "prohibited_contract_term": gettext_lazy(
        "The %(step)s contains a prohibited term: %(term)s. No application can be filed on "
        "it. A draft misconduct report awaits the contact point's review."
    ),
    # Cooperation confirmation with the municipality (R-H6)
    "no_cooperation_confirmation": gettext_lazy(
        "The city has no checked cooperation confirmation of this employer on record. Submit "
        "it to the municipality of the workplace (and of residence) before applying."
    ),
    # Change of status (Immigration Control Act Art. 20)
    "filed_after_period_of_stay": gettext_lazy(
        "The application was filed on %(filed)s, after the current period of stay ended on "
        "%(until)s. A change of status must be applied for while the period of stay lasts."
    ),
    # Minimum wage (Minimum Wage Act Arts. 4, 9)
    "below_minimum_wage": gettext_lazy(
        "A monthly wage of %(wage)s yen for %(hours)s hours is %(hourly)s yen an hour, below "
        "the minimum wage of %(prefecture)s on %(date)s (%(minimum)s yen an hour)."
    ),
    "minimum_wage_unknown": gettext_lazy(
        "No regional minimum wage is on record for %(prefecture)s on %(date)s, so the wage "
        "could not be checked against it. Check it yourself."
    ),
    # Evidence
    "required": gettext_lazy("This field is required."),
    "unknown_field": gettext_lazy(
        "This step does not record this field (it records: %(allowed)s)."
    ),
    "invalid_date": gettext_lazy("“%(value)s” is not a date; use YYYY-MM-DD."),
    "date_too_early": gettext_lazy("The date cannot be before %(earliest)s."),
    "date_too_late": gettext_lazy("The date cannot be after %(latest)s."),
    "forbidden_character": gettext_lazy(
        "This text contains a control character (%(character)s); remove it."
    ),
    "invalid_integer": gettext_lazy("“%(value)s” is not a whole number."),
    "out_of_range": gettext_lazy("The number must be between %(min)s and %(max)s."),
    "invalid_boolean": gettext_lazy("“%(value)s” is not yes or no."),
    "invalid_choice": gettext_lazy("“%(value)s” is not one of: %(allowed)s."),
    "too_long": gettext_lazy("At most %(max)s characters."),
    "invalid_format": gettext_lazy("Write it in the published format, like %(example)s."),
    "document_missing": gettext_lazy(
        "Upload the %(document)s first: this step cannot be recorded without it."
    ),
    "date_in_future": gettext_lazy("The date cannot be after today (%(today)s)."),
    "before_prerequisite": gettext_lazy("The date cannot be before “%(step)s” (%(date)s)."),
}


def _status_label(status: str) -> str:
    from .models import CaseStatus

    return str(CaseStatus(status).label) if status in CaseStatus.values else status


def _text(value: Any) -> str:
    if isinstance(value, Text):
        return value.get(get_language() or "en")
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _field_name(code: str) -> str:
    from kakehashi.reference.models import BusinessCategory, Field

    obj = (
        Field.objects.filter(code=code).first()
        or BusinessCategory.objects.filter(code=code).first()
    )
    return obj.display_name if obj else code


def render(finding: Finding) -> str:
    params: dict[str, Any] = {k: _text(v) for k, v in finding.params.items()}
    if finding.code == "not_acting_role":
        params["roles"] = roles_text(finding.params.get("roles", []))
    for key in ("field", "category"):
        if key in finding.params and finding.code != "unknown_field":
            params[key] = _field_name(str(finding.params[key]))
    if finding.code == "field_test_missing" and (get_language() or "").startswith("ja"):
        params["test"] = str(finding.params.get("test_ja") or params.get("test", ""))
    if finding.code == "case_closed":
        params["status"] = _status_label(str(finding.params.get("status", "")))
    if finding.code in ("agency_not_certified", "agency_cannot_act"):
        params["state"] = str(
            CERTIFICATION_STATES.get(str(finding.params.get("state")), params["state"])
        )
    if "prefecture" in finding.params:
        code = str(finding.params["prefecture"])
        params["prefecture"] = (
            prefecture_name(code, get_language() or "en")
            if code
            else _("the workplace's prefecture (not recorded)")
        )
    if finding.code == "unlicensed_placement":
        params["country"] = country_name(str(finding.params.get("country", "")))
    if finding.code == "field_suspended":
        params["until"] = (
            _(" until %(date)s") % {"date": params["until"]} if params["until"] else ""
        )
    if finding.code == "prohibited_contract_term":
        term, step = str(finding.params.get("term")), str(finding.params.get("step"))
        params["term"] = str(PROHIBITED_TERM_NAMES.get(term, term))
        params["step"] = str(CONTRACT_NAMES.get(step, _("contract")))
    template = MESSAGES.get(finding.code)
    if template is None:
        return finding.code
    try:
        return str(template) % params
    except (KeyError, ValueError, TypeError):
        return str(template)


def problems(findings: Iterable[Finding], severity: str = "error") -> list[Problem]:
    return [
        Problem(
            code=f.code,
            message=render(f),
            field=f.field,
            severity=severity,
            **sourced(None if f.source == "evidence" else f.source),
        )
        for f in findings
    ]


def as_dicts(findings: Iterable[Finding]) -> list[Mapping[str, Any]]:
    return [p.as_dict() for p in problems(findings)]
