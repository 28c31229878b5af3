"""Loading and validating procedure definitions.

A definition is edited by people who know the procedure, not the code: every problem
must name the file, the step (or pattern) and what is wrong, all problems at once."""

from __future__ import annotations

import copy
import datetime
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from kakehashi.procedures.loader import (
    SSW_RULES_FILE,
    DefinitionError,
    load_definition,
    load_directory,
    load_ssw_rules,
    validate_definition,
)
from kakehashi.procedures.schema import ROLES, Definition, SswRules

from .builders import DEFINITIONS_DIR, KG_FILE

NAME = "kg-test.yaml"


@pytest.fixture(scope="module")
def kg_raw_original() -> dict[str, Any]:
    return yaml.safe_load(KG_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def raw(kg_raw_original: dict[str, Any]) -> dict[str, Any]:
    """A fresh, mutable copy of the shipped KG definition."""
    return copy.deepcopy(kg_raw_original)


def step_of(raw: dict[str, Any], key: str) -> dict[str, Any]:
    (step,) = [s for s in raw["steps"] if s["key"] == key]
    return step


def pattern_of(raw: dict[str, Any], key: str) -> dict[str, Any]:
    (pattern,) = [p for p in raw["patterns"] if p["key"] == key]
    return pattern


def problems_of(raw: Any, name: str = NAME) -> list[str]:
    with pytest.raises(DefinitionError) as info:
        validate_definition(name, raw)
    assert str(info.value) == "\n".join(info.value.problems)
    return info.value.problems


def write_definition(directory: Path, name: str, raw: dict[str, Any]) -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# --- The shipped files ------------------------------------------------------------------


def test_shipped_directory_loads_kg_definition_and_ssw_rules(
    shipped: tuple[list[Definition], SswRules],
) -> None:
    definitions, rules = shipped
    assert [(d.country, d.version) for d in definitions] == [("KG", "2023-07")]
    assert rules.minimum_age == 18
    assert {t.code for t in rules.japanese_tests} == {"jft_basic", "jlpt"}


def test_shipped_kg_definition_has_the_four_patterns_of_the_leaflet(kg: Definition) -> None:
    assert [(p.number, p.key) for p in kg.patterns] == [
        (1, "direct"),
        (2, "via_center"),
        (3, "via_agency"),
        (4, "change_of_status"),
    ]
    assert kg.effective_from == datetime.date(2023, 7, 6)
    assert kg.in_force_on(datetime.date(2026, 11, 23))
    assert not kg.in_force_on(datetime.date(2023, 7, 5))


def test_only_what_the_leaflet_marks_kyrgyz_side_is_the_partner_side(kg: Definition) -> None:
    """Issue 7: only 3(3) is marked 【キルギス側の手続】; the visa steps are 5【日本側の手続】;
    contracts between the parties are marked neither."""
    partner = {s.key for s in kg.steps if s.partner_procedure}
    assert partner == {"center_registration"}
    assert {s.key for s in kg.steps if s.side == "KG"} == {"center_registration"}
    assert kg.step("visa_application").side == "JP"
    assert kg.step("visa_decision").side == "JP"
    assert {s.key for s in kg.steps if s.side is None} == {
        "employment_contract",
        "center_recruitment_contract",
        "job_offer_submitted",
        "job_offer_published",
        "candidate_contact",
        "agency_recruitment_contract",
        "candidates_provided",
    }
    for step in kg.steps:
        if step.side == "JP":
            assert "日本側の手続" in step.source.section or step.key in (
                "coe_decision",
                "coe_sent",
                "visa_decision",
                "change_of_status_decision",
            )


def test_a_partner_procedure_on_the_japanese_side_is_reported(raw: dict[str, Any]) -> None:
    step_of(raw, "visa_application")["partner_procedure"] = True
    assert problems_of(raw) == [
        f"{NAME}: step 'visa_application': a partner procedure is on side KG"
    ]


def test_load_definition_reads_a_single_file(kg: Definition) -> None:
    assert load_definition(KG_FILE) == kg


def test_unmodified_raw_definition_validates(raw: dict[str, Any], kg: Definition) -> None:
    assert validate_definition(NAME, raw) == kg


def test_roles_match_organization_kinds_of_accounts() -> None:
    from kakehashi.accounts.models import OrganizationKind

    assert set(OrganizationKind.values) == ROLES


# --- Cross-reference problems name file, step and problem -------------------------------


def test_unknown_role_is_reported_with_file_and_step(raw: dict[str, Any]) -> None:
    step_of(raw, "coe_sent")["roles"] = ["receiving_organization", "postman"]
    (problem,) = problems_of(raw)
    assert problem.startswith(f"{NAME}: step 'coe_sent': unknown role 'postman'")


def test_side_other_than_jp_or_the_country_is_reported(raw: dict[str, Any]) -> None:
    step_of(raw, "visa_application")["side"] = "RU"
    assert problems_of(raw) == [
        f"{NAME}: step 'visa_application': side must be JP, KG or empty, not 'RU'"
    ]


def test_side_of_the_country_itself_is_accepted(raw: dict[str, Any]) -> None:
    step_of(raw, "coe_sent")["side"] = "KG"
    assert validate_definition(NAME, raw).step("coe_sent").side == "KG"


def test_date_field_naming_no_evidence_field_is_reported(raw: dict[str, Any]) -> None:
    step_of(raw, "landing")["date_field"] = "arrived_on"
    assert problems_of(raw) == [
        f"{NAME}: step 'landing': date_field 'arrived_on' must name a required "
        "evidence field of type date"
    ]


def test_date_field_naming_a_text_field_is_reported(raw: dict[str, Any]) -> None:
    step_of(raw, "landing")["date_field"] = "port_of_entry"
    (problem,) = problems_of(raw)
    assert problem.startswith(f"{NAME}: step 'landing': date_field 'port_of_entry'")


def test_date_field_naming_an_optional_date_is_reported(raw: dict[str, Any]) -> None:
    step_of(raw, "employment_contract")["date_field"] = "work_starts_on"
    (problem,) = problems_of(raw)
    assert problem.startswith(f"{NAME}: step 'employment_contract': date_field 'work_starts_on'")


def test_unknown_rule_in_checks_is_reported(raw: dict[str, Any]) -> None:
    step_of(raw, "coe_application")["checks"].append({"rule": "has_passport"})
    (problem,) = problems_of(raw)
    assert problem.startswith(f"{NAME}: step 'coe_application': unknown rule 'has_passport'")


def test_unknown_rule_in_creation_checks_is_reported(raw: dict[str, Any]) -> None:
    pattern_of(raw, "direct")["creation_checks"].append({"rule": "is_friendly"})
    assert problems_of(raw) == [f"{NAME}: pattern 'direct': unknown rule 'is_friendly'"]


def test_prerequisite_that_comes_later_in_the_pattern_is_reported(raw: dict[str, Any]) -> None:
    entry = next(e for e in pattern_of(raw, "via_agency")["steps"] if e["step"] == "coe_decision")
    entry["requires"] = [{"step": "landing"}]
    assert problems_of(raw) == [
        f"{NAME}: pattern 'via_agency': step 'coe_decision': prerequisite 'landing' "
        "is not an earlier step of this pattern"
    ]


def test_prerequisite_outside_the_pattern_is_reported(raw: dict[str, Any]) -> None:
    entry = next(e for e in pattern_of(raw, "direct")["steps"] if e["step"] == "coe_application")
    entry["requires"] = [{"step": "center_registration", "kind": "advisory"}]
    (problem,) = problems_of(raw)
    assert "pattern 'direct': step 'coe_application': prerequisite 'center_registration'" in problem


def test_step_requiring_itself_is_reported(raw: dict[str, Any]) -> None:
    entry = next(e for e in pattern_of(raw, "direct")["steps"] if e["step"] == "coe_sent")
    entry["requires"] = [{"step": "coe_sent"}]
    (problem,) = problems_of(raw)
    assert "step 'coe_sent': prerequisite 'coe_sent' is not an earlier step" in problem


def test_pattern_step_that_is_not_defined_is_reported(raw: dict[str, Any]) -> None:
    pattern_of(raw, "direct")["steps"].insert(1, {"step": "medical_check"})
    assert problems_of(raw) == [
        f"{NAME}: pattern 'direct': step 'medical_check' is not defined in steps"
    ]


def test_pattern_step_listed_twice_is_reported(raw: dict[str, Any]) -> None:
    pattern_of(raw, "change_of_status")["steps"].append({"step": "employment_contract"})
    assert problems_of(raw) == [
        f"{NAME}: pattern 'change_of_status': step 'employment_contract' appears twice"
    ]


def test_duplicate_step_key_is_reported(raw: dict[str, Any]) -> None:
    raw["steps"].append(copy.deepcopy(step_of(raw, "landing")))
    assert problems_of(raw) == [f"{NAME}: step 'landing' is defined twice"]


def test_duplicate_pattern_key_is_reported(raw: dict[str, Any]) -> None:
    raw["patterns"].append(copy.deepcopy(pattern_of(raw, "direct")))
    assert problems_of(raw) == [f"{NAME}: pattern 'direct' is defined twice"]


def test_duplicate_evidence_field_is_reported(raw: dict[str, Any]) -> None:
    step = step_of(raw, "visa_application")
    step["evidence"].append(copy.deepcopy(step["evidence"][0]))
    assert problems_of(raw) == [
        f"{NAME}: step 'visa_application': evidence field 'applied_on' is listed twice"
    ]


def test_deadline_naming_an_unknown_step_is_reported(raw: dict[str, Any]) -> None:
    (deadline,) = step_of(raw, "coe_decision")["deadlines"]
    deadline["applies_to"].append("boarding")
    assert problems_of(raw) == [
        f"{NAME}: step 'coe_decision': deadline 'coe_validity' names unknown step 'boarding'"
    ]


@pytest.mark.parametrize("key", ["met_by", "reopens"])
def test_deadline_met_by_or_reopens_unknown_step_is_reported(raw: dict[str, Any], key: str) -> None:
    (deadline,) = step_of(raw, "coe_decision")["deadlines"]
    deadline[key] = "arrival" if key == "met_by" else ["reapply"]
    (problem,) = problems_of(raw)
    assert problem.startswith(f"{NAME}: step 'coe_decision': deadline 'coe_validity' names")


def test_source_document_not_in_sources_is_reported(raw: dict[str, Any]) -> None:
    step_of(raw, "coe_sent")["source"]["document"] = "seed999"
    assert problems_of(raw) == [
        f"{NAME}: step 'coe_sent': source document 'seed999' is not in the list of "
        "sources (reference/data/sources.yaml)"
    ]


def test_deadline_source_not_in_sources_is_reported(raw: dict[str, Any]) -> None:
    step_of(raw, "coe_decision")["deadlines"][0]["source"]["document"] = "rumour"
    assert problems_of(raw) == [
        f"{NAME}: step 'coe_decision' deadline 'coe_validity': source document 'rumour' "
        "is not in the list of sources (reference/data/sources.yaml)"
    ]


def test_pattern_source_not_in_sources_is_reported(raw: dict[str, Any]) -> None:
    pattern_of(raw, "via_center")["source"]["document"] = "blog"
    assert problems_of(raw) == [
        f"{NAME}: pattern 'via_center': source document 'blog' is not in the list of sources "
        "(reference/data/sources.yaml)"
    ]


def test_outcome_field_that_is_not_a_choice_is_reported(raw: dict[str, Any]) -> None:
    step_of(raw, "coe_decision")["outcome"]["field"] = "coe_number"
    assert problems_of(raw) == [
        f"{NAME}: step 'coe_decision': outcome field 'coe_number' must be a choice field"
    ]


def test_outcome_value_that_is_not_a_choice_is_reported(raw: dict[str, Any]) -> None:
    step_of(raw, "visa_decision")["outcome"]["closes_case"] = {"denied": "refused"}
    assert problems_of(raw) == [
        f"{NAME}: step 'visa_decision': outcome value 'denied' is not a choice of 'outcome'"
    ]


def test_choice_field_without_choices_is_reported(raw: dict[str, Any]) -> None:
    step_of(raw, "coe_sent")["evidence"][1]["choices"] = []
    assert problems_of(raw) == [f"{NAME}: step 'coe_sent': choice field 'method' has no choices"]


# --- Structural (pydantic) problems are mapped to the step -------------------------------


def test_missing_english_title_names_the_step(raw: dict[str, Any]) -> None:
    del step_of(raw, "candidate_contact")["title"]["en"]
    (problem,) = problems_of(raw)
    assert problem.startswith(f"{NAME}: step 'candidate_contact': title.en: ")
    assert "required" in problem.lower()


def test_missing_english_pattern_title_names_the_pattern(raw: dict[str, Any]) -> None:
    del pattern_of(raw, "via_center")["title"]["en"]
    (problem,) = problems_of(raw)
    assert problem.startswith(f"{NAME}: pattern 'via_center': title.en: ")


def test_unknown_key_in_a_step_is_reported(raw: dict[str, Any]) -> None:
    step_of(raw, "landing")["colour"] = "blue"
    (problem,) = problems_of(raw)
    assert problem.startswith(f"{NAME}: step 'landing': colour: ")


def test_lowercase_side_is_a_structural_problem_of_the_step(raw: dict[str, Any]) -> None:
    step_of(raw, "landing")["side"] = "jp"
    (problem,) = problems_of(raw)
    assert problem.startswith(f"{NAME}: step 'landing': side: ")


def test_effective_until_before_effective_from_is_reported(raw: dict[str, Any]) -> None:
    raw["effective_until"] = datetime.date(2023, 1, 1)
    (problem,) = problems_of(raw)
    assert problem.startswith(f"{NAME}: definition: effective_until: ")
    assert "before effective_from" in problem


def test_top_level_that_is_not_a_mapping_is_reported() -> None:
    assert problems_of(["steps"]) == [f"{NAME}: the file must hold a mapping at the top level"]


def test_invalid_yaml_is_reported_with_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "kg-broken.yaml"
    path.write_text("country: KG\nsteps: [\n  - key: x\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        load_definition(path)
    (problem,) = info.value.problems
    assert problem.startswith("kg-broken.yaml: not valid YAML")


# --- All problems at once ---------------------------------------------------------------


def test_two_cross_reference_problems_are_reported_together(raw: dict[str, Any]) -> None:
    step_of(raw, "coe_sent")["roles"] = ["postman"]
    step_of(raw, "landing")["checks"] = [{"rule": "weather_is_fine"}]
    problems = problems_of(raw)
    assert len(problems) == 2
    assert problems[0].startswith(f"{NAME}: step 'coe_sent': unknown role 'postman'")
    assert problems[1].startswith(f"{NAME}: step 'landing': unknown rule 'weather_is_fine'")


def test_two_structural_problems_are_reported_together(raw: dict[str, Any]) -> None:
    del step_of(raw, "coe_sent")["title"]["en"]
    del step_of(raw, "landing")["title"]["ja"]
    problems = problems_of(raw)
    assert len(problems) == 2
    assert problems[0].startswith(f"{NAME}: step 'coe_sent': title.en: ")
    assert problems[1].startswith(f"{NAME}: step 'landing': title.ja: ")


def test_problems_of_one_step_and_one_pattern_are_one_line_each(raw: dict[str, Any]) -> None:
    step_of(raw, "coe_sent")["side"] = "US"
    pattern_of(raw, "direct")["steps"].append({"step": "boarding"})
    problems = problems_of(raw)
    assert problems == [
        f"{NAME}: step 'coe_sent': side must be JP, KG or empty, not 'US'",
        f"{NAME}: pattern 'direct': step 'boarding' is not defined in steps",
    ]


# --- A directory of definitions ---------------------------------------------------------


def copy_ssw_rules(directory: Path) -> None:
    shutil.copy(DEFINITIONS_DIR / SSW_RULES_FILE, directory / SSW_RULES_FILE)


def write_kg_version(
    directory: Path, name: str, version: str, effective_from: str, until: str | None = None
) -> None:
    """The shipped KG file with another version and validity (edited as text: fast)."""
    text = KG_FILE.read_text(encoding="utf-8")
    header = f'version: "{version}"\neffective_from: {effective_from}\n'
    if until is not None:
        header += f"effective_until: {until}\n"
    text = text.replace('version: "2023-07"\neffective_from: 2023-07-06\n', header)
    assert header in text
    (directory / name).write_text(text, encoding="utf-8")


def test_overlapping_versions_of_one_country_are_rejected(tmp_path: Path) -> None:
    copy_ssw_rules(tmp_path)
    write_kg_version(tmp_path, "kg-2023.yaml", "2023-07", "2023-07-06")
    write_kg_version(tmp_path, "kg-2026.yaml", "2026-04", "2026-04-01")
    with pytest.raises(DefinitionError) as info:
        load_directory(tmp_path)
    assert info.value.problems == [
        "KG: versions '2023-07' and '2026-04' overlap; "
        "set effective_until of '2023-07' before 2026-04-01"
    ]


def test_versions_ending_the_day_before_the_next_are_accepted(tmp_path: Path) -> None:
    copy_ssw_rules(tmp_path)
    write_kg_version(tmp_path, "kg-2023.yaml", "2023-07", "2023-07-06", "2026-03-31")
    write_kg_version(tmp_path, "kg-2026.yaml", "2026-04", "2026-04-01")
    definitions, _ = load_directory(tmp_path)
    assert sorted((d.version, d.effective_until) for d in definitions) == [
        ("2023-07", datetime.date(2026, 3, 31)),
        ("2026-04", None),
    ]


def test_version_ending_on_the_day_the_next_starts_overlaps(tmp_path: Path) -> None:
    copy_ssw_rules(tmp_path)
    write_kg_version(tmp_path, "kg-2023.yaml", "2023-07", "2023-07-06", "2026-04-01")
    write_kg_version(tmp_path, "kg-2026.yaml", "2026-04", "2026-04-01")
    with pytest.raises(DefinitionError, match="overlap"):
        load_directory(tmp_path)


def test_problems_of_several_files_are_reported_together(
    tmp_path: Path, raw: dict[str, Any]
) -> None:
    copy_ssw_rules(tmp_path)
    bad_role = copy.deepcopy(raw)
    step_of(bad_role, "coe_sent")["roles"] = ["postman"]
    write_definition(tmp_path, "kg-a.yaml", bad_role)
    (tmp_path / "uz-b.yaml").write_text("country: [UZ\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        load_directory(tmp_path)
    assert len(info.value.problems) == 2
    assert info.value.problems[0].startswith("kg-a.yaml: step 'coe_sent': unknown role")
    assert info.value.problems[1].startswith("uz-b.yaml: not valid YAML")


def test_every_problem_of_a_file_in_a_directory_is_reported(
    tmp_path: Path, raw: dict[str, Any]
) -> None:
    copy_ssw_rules(tmp_path)
    step_of(raw, "coe_sent")["roles"] = ["postman"]
    step_of(raw, "landing")["side"] = "US"
    write_definition(tmp_path, "kg-2023.yaml", raw)
    with pytest.raises(DefinitionError) as info:
        load_directory(tmp_path)
    assert [p.split(": ")[1] for p in info.value.problems] == ["step 'coe_sent'", "step 'landing'"]


def test_missing_ssw_rules_file_is_reported(tmp_path: Path, raw: dict[str, Any]) -> None:
    write_definition(tmp_path, "kg-2023.yaml", raw)
    with pytest.raises(DefinitionError) as info:
        load_directory(tmp_path)
    assert info.value.problems == [f"{tmp_path}: {SSW_RULES_FILE} is missing"]


def test_invalid_ssw_rules_are_reported_with_the_file_name(tmp_path: Path) -> None:
    rules = yaml.safe_load((DEFINITIONS_DIR / SSW_RULES_FILE).read_text(encoding="utf-8"))
    rules["minimum_age"] = -1
    path = tmp_path / SSW_RULES_FILE
    path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        load_ssw_rules(path)
    (problem,) = info.value.problems
    assert problem.startswith(f"{SSW_RULES_FILE}: definition: minimum_age: ")
