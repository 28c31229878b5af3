"""Load procedure definitions and SSW rules from YAML and validate them.

Every problem is reported as `file: step 'key': problem`, all of them at once, so that
the person editing a definition can fix a file in one pass. No Django imports."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from kakehashi.reference import sources

from .evidence import FORMATS
from .rules import RULES
from .schema import ROLES, Definition, Pattern, Source, SswRules, Step

SSW_RULES_FILE = "jp_ssw_rules.yaml"


class DefinitionError(Exception):
    """One or more problems in definition files; `problems` lists them one per line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DefinitionError([f"{path.name}: not valid YAML: {exc}"]) from exc
    except OSError as exc:
        raise DefinitionError([f"{path.name}: cannot be read: {exc}"]) from exc


def _where(raw: Any, loc: tuple[int | str, ...]) -> tuple[str, tuple[int | str, ...]]:
    """Turn a pydantic location like ('steps', 3, 'roles') into "step 'coe_application'"."""
    if len(loc) >= 2 and loc[0] in ("steps", "patterns") and isinstance(loc[1], int):
        try:
            key = raw[loc[0]][loc[1]].get("key", f"#{loc[1] + 1}")
        except (KeyError, IndexError, TypeError, AttributeError):
            key = f"#{loc[1] + 1}"
        kind = "step" if loc[0] == "steps" else "pattern"
        return f"{kind} '{key}'", loc[2:]
    return "definition", loc


def _structure_problems(name: str, raw: Any, exc: ValidationError) -> list[str]:
    problems = []
    for error in exc.errors():
        where, rest = _where(raw, tuple(error["loc"]))
        path = ".".join(str(p) for p in rest)
        problems.append(f"{name}: {where}: {path + ': ' if path else ''}{error['msg']}")
    return problems


def _source_problems(name: str, where: str, source: Source, definition: Definition) -> list[str]:
    if source.document not in sources.documents():
        return [
            f"{name}: {where}: source document '{source.document}' is not in the list of "
            "sources (reference/data/sources.yaml)"
        ]
    return []


def _step_problems(name: str, step: Step, definition: Definition) -> list[str]:
    where = f"step '{step.key}'"
    problems = _source_problems(name, where, step.source, definition)
    for role in step.roles:
        if role not in ROLES:
            problems.append(f"{name}: {where}: unknown role '{role}' (known: {sorted(ROLES)})")
    if step.side not in (None, "JP", definition.country):
        problems.append(
            f"{name}: {where}: side must be JP, {definition.country} or empty, not '{step.side}'"
        )
    if step.partner_procedure and step.side != definition.country:
        problems.append(f"{name}: {where}: a partner procedure is on side {definition.country}")
    keys = [f.key for f in step.evidence]
    for dup in {k for k in keys if keys.count(k) > 1}:
        problems.append(f"{name}: {where}: evidence field '{dup}' is listed twice")
    date_field = step.evidence_field(step.date_field)
    if date_field is None or date_field.type != "date" or not date_field.required:
        problems.append(
            f"{name}: {where}: date_field '{step.date_field}' must name a required "
            "evidence field of type date"
        )
    for field in step.evidence:
        if field.format is not None and (field.type != "text" or field.format not in FORMATS):
            problems.append(
                f"{name}: {where}: field '{field.key}' has an unknown format '{field.format}' "
                f"(known, for text fields: {sorted(FORMATS)})"
            )
        if field.type == "choice" and not field.choices:
            problems.append(f"{name}: {where}: choice field '{field.key}' has no choices")
        if field.type != "choice" and field.choices:
            problems.append(f"{name}: {where}: field '{field.key}' has choices but is not a choice")
    for check in step.checks:
        if check.rule not in RULES:
            problems.append(
                f"{name}: {where}: unknown rule '{check.rule}' (known: {sorted(RULES)})"
            )
    for deadline in step.deadlines:
        problems += _source_problems(
            name, f"{where} deadline '{deadline.key}'", deadline.source, definition
        )
        for ref in (*deadline.applies_to, deadline.met_by, *deadline.reopens):
            if not any(s.key == ref for s in definition.steps):
                problems.append(
                    f"{name}: {where}: deadline '{deadline.key}' names unknown step '{ref}'"
                )
        if deadline.starts_from is not None:
            start_field = step.evidence_field(deadline.starts_from)
            if start_field is None or start_field.type != "date":
                problems.append(
                    f"{name}: {where}: deadline '{deadline.key}' starts_from "
                    f"'{deadline.starts_from}' must name an evidence field of type date"
                )
    document_keys = [d.key for d in step.documents]
    for dup in {k for k in document_keys if document_keys.count(k) > 1}:
        problems.append(f"{name}: {where}: document '{dup}' is listed twice")
    for document in step.documents:
        problems += _source_problems(
            name, f"{where} document '{document.key}'", document.source, definition
        )
        when = document.required_unless
        if when is not None:
            choice = step.evidence_field(when.field)
            known = {c.key for c in choice.choices} if choice is not None else set()
            if choice is None or choice.type != "choice" or not set(when.values) <= known:
                problems.append(
                    f"{name}: {where}: document '{document.key}' required_unless must name a "
                    "choice field of the step and some of its choices"
                )
        if document.provided_by not in ROLES | {"person"}:
            problems.append(
                f"{name}: {where}: document '{document.key}' is provided by unknown role "
                f"'{document.provided_by}' (known: person, {', '.join(sorted(ROLES))})"
            )
    if step.outcome is not None:
        outcome_field = step.evidence_field(step.outcome.field)
        if outcome_field is None or outcome_field.type != "choice":
            problems.append(
                f"{name}: {where}: outcome field '{step.outcome.field}' must be a choice field"
            )
        else:
            choices = {c.key for c in outcome_field.choices}
            for value in step.outcome.closes_case:
                if value not in choices:
                    problems.append(
                        f"{name}: {where}: outcome value '{value}' is not a choice of "
                        f"'{outcome_field.key}'"
                    )
    return problems


def _pattern_problems(name: str, pattern: Pattern, definition: Definition) -> list[str]:
    where = f"pattern '{pattern.key}'"
    problems = _source_problems(name, where, pattern.source, definition)
    known = {s.key for s in definition.steps}
    seen: list[str] = []
    for check in pattern.creation_checks:
        if check.rule not in RULES:
            problems.append(f"{name}: {where}: unknown rule '{check.rule}'")
    for entry in pattern.steps:
        if entry.step not in known:
            problems.append(f"{name}: {where}: step '{entry.step}' is not defined in steps")
        elif entry.step in seen:
            problems.append(f"{name}: {where}: step '{entry.step}' appears twice")
        for prerequisite in entry.requires or ():
            if prerequisite.step not in seen:
                problems.append(
                    f"{name}: {where}: step '{entry.step}': prerequisite "
                    f"'{prerequisite.step}' is not an earlier step of this pattern"
                )
        seen.append(entry.step)
    return problems


def validate_definition(name: str, raw: Any) -> Definition:
    """Build a Definition from parsed YAML, or raise DefinitionError naming every problem."""
    if not isinstance(raw, dict):
        raise DefinitionError([f"{name}: the file must hold a mapping at the top level"])
    try:
        definition = Definition.model_validate(raw)
    except ValidationError as exc:
        raise DefinitionError(_structure_problems(name, raw, exc)) from exc
    problems: list[str] = []
    for kind, keys in (
        ("step", [s.key for s in definition.steps]),
        ("pattern", [p.key for p in definition.patterns]),
    ):
        for dup in sorted({k for k in keys if keys.count(k) > 1}):
            problems.append(f"{name}: {kind} '{dup}' is defined twice")
    for step in definition.steps:
        problems += _step_problems(name, step, definition)
    for pattern in definition.patterns:
        problems += _pattern_problems(name, pattern, definition)
    if problems:
        raise DefinitionError(problems)
    return definition


def load_definition(path: Path) -> Definition:
    return validate_definition(path.name, _read_yaml(path))


def load_ssw_rules(path: Path) -> SswRules:
    raw = _read_yaml(path)
    try:
        rules = SswRules.model_validate(raw)
    except ValidationError as exc:
        raise DefinitionError(_structure_problems(path.name, raw, exc)) from exc
    problems = [
        f"{path.name}: {name}: source document '{key}' is not in the list of sources "
        "(reference/data/sources.yaml)"
        for name, value in rules.model_dump().items()
        if name.endswith("_source")
        for key in sources.unknown_documents(str(value))
    ]
    if problems:
        raise DefinitionError(problems)
    return rules


def load_directory(directory: Path) -> tuple[list[Definition], SswRules]:
    """Load every definition in a directory; report problems from all files together.
    Two versions of one country must not overlap in time."""
    problems: list[str] = []
    definitions: list[Definition] = []
    rules: SswRules | None = None
    for path in sorted(directory.glob("*.yaml")):
        try:
            if path.name == SSW_RULES_FILE:
                rules = load_ssw_rules(path)
            else:
                definitions.append(load_definition(path))
        except DefinitionError as exc:
            problems += exc.problems
    if rules is None and not any(SSW_RULES_FILE in p for p in problems):
        problems.append(f"{directory}: {SSW_RULES_FILE} is missing")
    problems += _overlap_problems(definitions)
    if problems:
        raise DefinitionError(problems)
    assert rules is not None
    return definitions, rules


def _overlap_problems(definitions: Iterable[Definition]) -> list[str]:
    problems = []
    by_country: dict[str, list[Definition]] = {}
    for definition in definitions:
        by_country.setdefault(definition.country, []).append(definition)
    for country, versions in by_country.items():
        versions.sort(key=lambda d: d.effective_from)
        for earlier, later in pairwise(versions):
            if earlier.effective_until is None or earlier.effective_until >= later.effective_from:
                problems.append(
                    f"{country}: versions '{earlier.version}' and '{later.version}' overlap; "
                    f"set effective_until of '{earlier.version}' before {later.effective_from}"
                )
    return problems
