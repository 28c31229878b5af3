"""Named rules that a definition attaches to steps (`checks:`) or patterns
(`creation_checks:`). Each returns findings; none touches a database.

A finding carries a stable code, the parameters its message needs, and the source of the
rule: a citation of the project's list of sources (reference/data/sources.yaml), such as
"moc_kg §7(4)". Messages themselves are written (and translated) in kakehashi.cases.messages."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .facts import AgencyFacts, CaseFacts, CertificationDecision, FieldFacts, TestFact
from .schema import JapaneseTest, SswRules

# Documents of the project's list of sources (reference/data/sources.yaml).
KG_FLOW = "isa_kg_flow"  # the ISA's leaflet on accepting Kyrgyz nationals
MOC = "moc_kg"  # the Japan–Kyrgyz Memorandum of Cooperation
IMMIGRATION_ACT = "immigration_act"
MINIMUM_WAGE_ACT = "minimum_wage_act"
BASIC_POLICY = "ssw_basic_policy"


@dataclass(frozen=True)
class Finding:
    code: str
    source: str
    params: Mapping[str, Any] = field(default_factory=dict)
    field: str | None = None
    # "warning": shown, never refuses (e.g. no minimum wage on record for the prefecture).
    severity: str = "error"


@dataclass(frozen=True)
class RuleContext:
    facts: CaseFacts
    rules: SswRules
    on: datetime.date  # the date the rule is judged at (the step's date, or today)
    evidence: Mapping[str, Any] = field(default_factory=dict)


Rule = Callable[[RuleContext], list[Finding]]


# --- Sending agency certification (MOC §7(1), §7(4); isa_kg_flow 3(1)) -----------------


@dataclass(frozen=True)
class Certification:
    """An agency's certification on a date: its state, the decision that set it, the date
    the state began, and the end of the validity in force (if any)."""

    state: str
    decision: CertificationDecision | None = None
    since: datetime.date | None = None
    valid_until: datetime.date | None = None


def certification_on(
    decisions: tuple[CertificationDecision, ...], day: datetime.date
) -> Certification:
    """Replay the decisions that took effect up to `day`, in date order (same-day ones in
    the order given). A certification (suspended or not) lapses the day after its
    `valid_until`, whether or not an expiry is recorded; a later decision sees it lapsed.
    After a revocation or a new application there is no validity until a new certification."""
    state, last, since, valid_until = "none", None, None, None

    def lapse(at: datetime.date) -> None:
        nonlocal state, since
        if state in ("certified", "suspended") and valid_until is not None and at > valid_until:
            state, since = "expired", valid_until + datetime.timedelta(days=1)

    for decision in sorted(decisions, key=lambda d: d.effective_on):
        if decision.effective_on > day:
            break
        lapse(decision.effective_on)
        action = decision.action
        if action == "certified":
            state, valid_until = "certified", decision.valid_until
        elif action == "resumed" and state == "suspended":
            state = "certified"
            valid_until = decision.valid_until or valid_until
        elif action == "applied" and state not in ("certified", "suspended"):
            state, valid_until = "applied", None
        elif action == "refused" and state == "applied":
            state = "refused"
        elif action == "suspended" and state == "certified":
            state = "suspended"
        elif action == "revoked" and state in ("certified", "suspended"):
            # A revoked certification has no validity left (MOC §7(4)).
            state, valid_until = "revoked", None
        elif action == "expired" and state in ("certified", "suspended", "expired"):
            state = "expired"
        else:
            continue
        last, since = decision, decision.effective_on
    lapse(day)
    return Certification(state=state, decision=last, since=since, valid_until=valid_until)


def certification_state_on(
    decisions: tuple[CertificationDecision, ...], day: datetime.date
) -> tuple[str, CertificationDecision | None]:
    """The certification state on `day` (none, applied, refused, certified, suspended,
    revoked or expired) with the decision that set it; see certification_on."""
    result = certification_on(decisions, day)
    return result.state, result.decision


def agency_certified(ctx: RuleContext) -> list[Finding]:
    source = f"{KG_FLOW} 3(1); {MOC} §7(1), §7(4)"
    agency: AgencyFacts | None = ctx.facts.agency
    if agency is None:
        return [Finding("agency_required", source)]
    state, decision = certification_state_on(agency.decisions, ctx.on)
    if state == "certified":
        return []
    params: dict[str, Any] = {"agency": agency.name, "state": state, "date": ctx.on.isoformat()}
    if decision is not None:
        params["since"] = decision.effective_on.isoformat()
    return [Finding("agency_not_certified", source, params)]


def agency_may_act(facts: CaseFacts) -> list[Finding]:
    """An agency whose certification is suspended, revoked or has lapsed records nothing
    more on any case until the ministry certifies it again (MOC §7(3), §7(4))."""
    agency = facts.agency
    if agency is None:
        return []
    state, decision = certification_state_on(agency.decisions, facts.today)
    if state == "certified":
        return []
    params: dict[str, Any] = {"agency": agency.name, "state": state}
    if decision is not None:
        params["since"] = decision.effective_on.isoformat()
    return [Finding("agency_cannot_act", f"{MOC} §7(3), §7(4)", params)]


# --- Placement licence (isa_kg_flow 3(2)※; R-P4) --------------------------------------


def placement_licence(ctx: RuleContext) -> list[Finding]:
    """Selecting candidates is placement (あっせん) and needs a Japanese licence that covers
    the country the candidates come from."""
    if not ctx.evidence.get("selected_by_agency"):
        return []
    agency = ctx.facts.agency
    country = ctx.facts.country
    if agency is not None and any(
        licence.covers(ctx.on, country) for licence in agency.placement_licences
    ):
        return []
    name = agency.name if agency else ""
    return [
        Finding("unlicensed_placement", f"{KG_FLOW} 3(2)※", {"agency": name, "country": country})
    ]


# --- Field open for new applications (MOC §8; the basic policy's fields) ----------------


def field_accepting(ctx: RuleContext) -> list[Finding]:
    fld: FieldFacts = ctx.facts.field
    day = ctx.on
    findings = []
    if fld.open_from is None or day < fld.open_from or (fld.open_until and day > fld.open_until):
        findings.append(
            Finding(
                "field_not_open",
                f"{BASIC_POLICY} 分野別運用方針",
                {"field": fld.code, "date": day.isoformat()},
            )
        )
    if (fld.category_from and day < fld.category_from) or (
        fld.category_until and day > fld.category_until
    ):
        findings.append(
            Finding(
                "category_not_in_force",
                f"{BASIC_POLICY} 分野別運用方針（業務区分）",
                {"category": fld.category, "date": day.isoformat()},
            )
        )
    for suspension in fld.suspensions:
        if suspension.covers(day):
            findings.append(
                Finding(
                    "field_suspended",
                    f"{MOC} §8",
                    {
                        "field": fld.code,
                        "date": day.isoformat(),
                        "from": suspension.starts_on.isoformat(),
                        "until": suspension.ends_on.isoformat() if suspension.ends_on else "",
                    },
                )
            )
    return findings


# --- SSW(i) eligibility: age, skill test, Japanese tests, exemptions (jp_ssw_rules.yaml) ---


def _age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _meets(test: JapaneseTest, level: str) -> bool:
    if not test.levels or test.minimum is None:
        return True
    if level not in test.levels:
        return False
    return test.levels.index(level) >= test.levels.index(test.minimum)


def _japanese_passes(ctx: RuleContext, tests: tuple[JapaneseTest, ...]) -> list[TestFact]:
    by_code = {t.code: t for t in tests}
    return [
        t
        for t in ctx.facts.person.tests
        if t.kind == "japanese"
        and t.passed
        and t.taken_on <= ctx.on
        and t.test_code in by_code
        and _meets(by_code[t.test_code], t.level)
    ]


def _passed_any(ctx: RuleContext, tests: tuple[JapaneseTest, ...]) -> bool:
    return any(t.status == "counts" for t in _japanese_passes(ctx, tests))


# Why a passed result does not count (moc_kg §5: test fraud is shared and acted on; a
# result its own sending agency entered waits for a contact point's confirmation, ADR 0017).
NOT_COUNTING = {
    "held": "test_result_held",
    "fraud": "test_result_fraudulent",
    "unverified": "test_result_unverified",
}


def _not_counting(tests: list[TestFact]) -> list[Finding]:
    return [
        Finding(
            NOT_COUNTING[t.status],
            f"{MOC} §5",
            {"test": f"{t.test_code} {t.level}".strip(), "taken_on": t.taken_on.isoformat()},
        )
        for t in tests
        if t.status in NOT_COUNTING
    ]


def ssw1_eligible(ctx: RuleContext) -> list[Finding]:
    person, rules, fld = ctx.facts.person, ctx.rules, ctx.facts.field
    findings = []
    age = _age_on(person.date_of_birth, ctx.on)
    if age < rules.minimum_age:
        findings.append(
            Finding(
                "under_minimum_age",
                rules.minimum_age_source,
                {"age": age, "minimum": rules.minimum_age, "date": ctx.on.isoformat()},
            )
        )
    exempt = any(e.field == fld.code for e in person.exemptions)
    if exempt:
        return findings
    skill_passes = [
        t
        for t in person.tests
        if t.kind == "skill" and t.passed and t.category == fld.category and t.taken_on <= ctx.on
    ]
    if not any(t.status == "counts" for t in skill_passes):
        findings += _not_counting(skill_passes)
        findings.append(
            Finding("skill_test_missing", rules.skill_test_source, {"category": fld.category})
        )
    if not _passed_any(ctx, rules.japanese_tests):
        findings += _not_counting(_japanese_passes(ctx, rules.japanese_tests))
        accepted = ", ".join(
            f"{t.name.en} {t.minimum}+" if t.minimum else t.name.en for t in rules.japanese_tests
        )
        findings.append(
            Finding("japanese_test_missing", rules.japanese_tests_source, {"accepted": accepted})
        )
    for test in rules.field_tests.get(fld.code, ()):
        if not _passed_any(ctx, (test,)):
            findings += _not_counting(_japanese_passes(ctx, (test,)))
            findings.append(
                Finding(
                    "field_test_missing",
                    rules.field_tests_source,
                    {"test": test.name.en, "test_ja": test.name.ja, "field": fld.code},
                )
            )
    return findings


# --- Pattern fits the person (isa_kg_flow: "キルギスから新たに" vs "日本に在留する方") ----


def person_location_abroad(ctx: RuleContext) -> list[Finding]:
    if ctx.facts.person.current_country == "JP":
        return [Finding("person_in_japan", f"{KG_FLOW} ●キルギスから新たに受け入れる場合")]
    return []


def person_location_in_japan(ctx: RuleContext) -> list[Finding]:
    if ctx.facts.person.current_country != "JP":
        return [Finding("person_not_in_japan", f"{KG_FLOW} ●日本に在留する方を受け入れる場合")]
    return []


# --- Change of status within the period of stay (Immigration Control Act Art. 20) -------


def filed_within_period_of_stay(ctx: RuleContext) -> list[Finding]:
    """A change of status is applied for while the current period of stay lasts; filed in
    time, the person may stay until the decision, at most two months after that period
    ends (the special period, a deadline of the step)."""
    until = ctx.evidence.get("current_period_until")
    if not until:
        return []
    ends = datetime.date.fromisoformat(str(until))
    if ctx.on <= ends:
        return []
    return [
        Finding(
            "filed_after_period_of_stay",
            f"{IMMIGRATION_ACT} 第20条第2項、第6項",
            {"filed": ctx.on.isoformat(), "until": ends.isoformat()},
            field="filed_on",
        )
    ]


# --- Pay at least the regional minimum wage (Minimum Wage Act Arts. 4, 9) ---------------


def minimum_wage(ctx: RuleContext) -> list[Finding]:
    """The monthly wage divided by the contracted monthly hours must reach the regional
    minimum wage of the workplace's prefecture in force when work starts (or, without a
    start date, when the contract is signed). Where no figure is on record for the
    prefecture, a warning says the check could not be made."""
    wage, hours = ctx.evidence.get("monthly_wage_jpy"), ctx.evidence.get("monthly_hours")
    if not wage or not hours:
        return []
    starts = ctx.evidence.get("work_starts_on")
    day = datetime.date.fromisoformat(str(starts)) if starts else ctx.on
    workplace = ctx.facts.workplace
    figure = workplace.minimum_wage_on(day) if workplace else None
    if figure is None:
        prefecture = workplace.prefecture if workplace else ""
        return [
            Finding(
                "minimum_wage_unknown",
                f"{MINIMUM_WAGE_ACT} 第4条、第9条",
                {"prefecture": prefecture, "date": day.isoformat()},
                field="monthly_wage_jpy",
                severity="warning",
            )
        ]
    hourly = int(wage) / int(hours)
    if hourly >= figure.hourly_yen:
        return []
    return [
        Finding(
            "below_minimum_wage",
            f"{MINIMUM_WAGE_ACT} 第4条、第9条; {figure.source}",
            {
                "hourly": f"{hourly:,.0f}",
                "minimum": f"{figure.hourly_yen:,}",
                "prefecture": workplace.prefecture if workplace else "",
                "date": day.isoformat(),
                "wage": f"{int(wage):,}",
                "hours": int(hours),
            },
            field="monthly_wage_jpy",
        )
    ]


# --- Prohibited contract terms (moc_kg §4(1)(a), (b)) -------------------------------------

# The checklist each employment or recruitment contract answers (evidence keys of the
# contract steps), with the MOC item each term falls under.
PROHIBITED_TERMS: dict[str, str] = {
    "term_deposit": f"{MOC} §4(1)(a)",
    "term_manages_property": f"{MOC} §4(1)(a)",
    "term_penalty": f"{MOC} §4(1)(b)",
    "term_undue_transfer": f"{MOC} §4(1)(b)",
}


def prohibited_terms_in(evidence: Mapping[str, Any]) -> list[str]:
    """The checklist items a contract's evidence answers "yes"."""
    return [key for key in PROHIBITED_TERMS if evidence.get(key) is True]


def no_prohibited_terms(ctx: RuleContext) -> list[Finding]:
    """No application goes to immigration on a contract with a deposit or guarantee money,
    management of the worker's or relatives' money, property or passport, a penalty for
    breach, or any other undue transfer of money or property (moc_kg §4(1)(a), (b))."""
    latest: dict[str, Any] = {}
    for completion in sorted(ctx.facts.completions, key=lambda c: c.seq):
        if any(key in completion.evidence for key in PROHIBITED_TERMS):
            latest[completion.step_key] = completion
    findings = []
    for step_key, completion in latest.items():
        for term in prohibited_terms_in(completion.evidence):
            findings.append(
                Finding(
                    "prohibited_contract_term",
                    PROHIBITED_TERMS[term],
                    {"term": term, "step": step_key},
                )
            )
    return findings


# --- Cooperation confirmation with the municipality (協力確認書; R-H6) -------------------------


def cooperation_confirmation(ctx: RuleContext) -> list[Finding]:
    """Advice, never a refusal: the employer should have submitted its cooperation
    confirmation to the municipality before applying (source marked unconfirmed)."""
    workplace = ctx.facts.workplace
    if workplace is None or workplace.cooperation_confirmed is not False:
        return []
    return [
        Finding(
            "no_cooperation_confirmation",
            "isa_cooperation_confirmation",
            severity="warning",
        )
    ]


RULES: dict[str, Rule] = {
    "cooperation_confirmation": cooperation_confirmation,
    "no_prohibited_terms": no_prohibited_terms,
    "agency_certified": agency_certified,
    "filed_within_period_of_stay": filed_within_period_of_stay,
    "minimum_wage": minimum_wage,
    "placement_licence": placement_licence,
    "field_accepting": field_accepting,
    "ssw1_eligible": ssw1_eligible,
    "person_location_abroad": person_location_abroad,
    "person_location_in_japan": person_location_in_japan,
}
