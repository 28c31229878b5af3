"""What each kind of row is: its columns and how one row is written. A row is read by the
same form as the page that registers one record (people/forms.py, cases/forms.py) and
written by the same service (person_create, test_result_add, case_create), so a rule reads
the same whether one record is typed or a thousand are imported. The columns are the
forms' field names; docs/architecture.md, "Bulk import", lists them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kakehashi.access import Actor
from kakehashi.accounts.models import Organization
from kakehashi.cases.forms import CaseForm
from kakehashi.cases.services import case_create
from kakehashi.core.errors import DomainError, NotFound
from kakehashi.people.forms import PersonForm, TestResultForm
from kakehashi.people.selectors import person_list
from kakehashi.people.services import person_create, test_result_add
from kakehashi.procedures import registry


@dataclass(frozen=True)
class RowError:
    """What is wrong with one row: its number in the file (the header is row 1), the
    column (empty when the whole row is concerned) and the rule, in the reader's words."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class RowInvalid(Exception):
    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(errors)
        self.errors = errors  # (column, message)


def form_errors(form: forms.Form) -> RowInvalid:
    return RowInvalid(
        [
            ("" if name == NON_FIELD_ERRORS else name, str(message))
            for name, messages in form.errors.items()
            for message in messages
        ]
    )


def domain_errors(error: DomainError, columns: dict[str, str] | None = None) -> RowInvalid:
    """A service's refusal, each problem on the column it names."""
    columns = columns or {}
    found = [
        (columns.get(p.field or "", p.field or ""), str(p.message)) for p in error.problems or []
    ]
    return RowInvalid(found or [("", str(error.message))])


class _Context:
    """What the rows of one import share: who acts, for which organization, and what is
    costly to build once per row (the case form's procedure definition)."""

    def __init__(self, actor: Actor, organization: Organization) -> None:
        self.actor = actor
        self.organization = organization
        self._definition: Any = None

    @property
    def definition(self) -> Any:
        if self._definition is None:
            self._definition = registry.definition_in_force("KG", timezone.localdate())
        return self._definition


# --- persons ---------------------------------------------------------------------------------


def _person(context: _Context, values: dict[str, str]) -> None:
    form = PersonForm(values)
    if not form.is_valid():
        raise form_errors(form)
    try:
        person_create(actor=context.actor, data=form.person_data())
    except DomainError as error:
        raise domain_errors(error) from error


# --- test results ----------------------------------------------------------------------------


class TestResultRowForm(TestResultForm):
    """The page's test-result form, without its prefix, with the person it is for."""

    prefix = None  # type: ignore[assignment]
    field_order = ["person"]
    person = forms.IntegerField(label=gettext_lazy("Person"), min_value=1)


def _test_result(context: _Context, values: dict[str, str]) -> None:
    form = TestResultRowForm(values)
    if not form.is_valid():
        raise form_errors(form)
    try:
        test_result_add(
            actor=context.actor, person_id=form.cleaned_data["person"], data=form.result_data()
        )
    except NotFound as error:
        raise RowInvalid([("person", str(error.message))]) from error
    except DomainError as error:
        raise domain_errors(error) from error


# --- cases -----------------------------------------------------------------------------------


class CaseRowForm(CaseForm):
    """The page's new-case form: the business category by its code, the person and the
    sending agency by their record numbers, for the organization the import is made for."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["business_category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.to_field_name = "code"


# Where case_create names a field the file does not have.
CASE_COLUMNS = {"field": "business_category", "receiving_organization": ""}


def _case(context: _Context, values: dict[str, str]) -> None:
    if context.definition is None:
        raise RowInvalid([("", _("No procedure for this country."))])
    form = CaseRowForm(
        values,
        definition=context.definition,
        persons=person_list(context.actor),
        receiving_organizations=[context.organization],
    )
    if not form.is_valid():
        raise form_errors(form)
    data = form.cleaned_data
    category = data["business_category"]
    try:
        case_create(
            actor=context.actor,
            person_id=data["person"].pk,
            field_code=category.field.code,
            category_code=category.code,
            pattern=data["pattern"],
            country=context.definition.country,
            receiving_organization_id=context.organization.pk,
            sending_agency_id=data["sending_agency"].pk if data.get("sending_agency") else None,
        )
    except DomainError as error:
        raise domain_errors(error, CASE_COLUMNS) from error


@dataclass(frozen=True)
class Kind:
    key: str
    write: Callable[[_Context, dict[str, str]], None]
    form: Callable[[], forms.Form]

    @property
    def columns(self) -> dict[str, bool]:
        """Column name → required, in the form's order."""
        return {name: field.required for name, field in self.form().fields.items()}


def _case_form() -> forms.Form:
    definition = registry.definition_in_force("KG", timezone.localdate())
    return CaseRowForm(definition=definition, persons=None, receiving_organizations=[])


KINDS: dict[str, Kind] = {
    "persons": Kind("persons", _person, PersonForm),
    "test_results": Kind("test_results", _test_result, TestResultRowForm),
    "cases": Kind("cases", _case, _case_form),
}


def context_for(actor: Actor, organization: Organization) -> _Context:
    return _Context(actor, organization)
