"""Forms of the person pages. They only parse what the browser sends (types, dates, choices);
the rules are the services' (kakehashi/people/services.py), whose problems are put back on
these fields with kakehashi.core.forms.apply_problems."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kakehashi.accounts.models import Organization
from kakehashi.core.forms import AccessibleForm, DateField, DateInput
from kakehashi.procedures import registry
from kakehashi.procedures.registry import ssw_rules
from kakehashi.reference.countries import country_choices_grouped
from kakehashi.reference.models import BusinessCategory

from .inputs import PersonChanges, PersonData, TestResultData
from .models import Person, TestKind, TestResult

__all__ = ["DateInput", "PersonForm", "TestResultForm"]


def _nationalities() -> list[Any]:
    return [("", "—"), *country_choices_grouped(registry.countries())]


def _residences() -> list[Any]:
    """Candidates live in a partner country or, changing status, in Japan."""
    return [("", "—"), *country_choices_grouped([*registry.countries(), "JP"])]


def field_label(model: type[Any], name: str) -> Any:
    """The model field's verbose name, still lazy: translated when the form is shown."""
    return capfirst(model._meta.get_field(name).verbose_name)


def _max_length(model: type[Any], name: str) -> int | None:
    return getattr(model._meta.get_field(name), "max_length", None)


class PersonForm(AccessibleForm):
    """Every field of people.services.PERSON_FIELDS, labelled with the model's names."""

    family_name = forms.CharField(
        label=field_label(Person, "family_name"),
        max_length=_max_length(Person, "family_name"),
        help_text=_("In Latin letters, exactly as in the passport."),
    )
    given_names = forms.CharField(
        label=field_label(Person, "given_names"), max_length=_max_length(Person, "given_names")
    )
    native_name = forms.CharField(
        label=field_label(Person, "native_name"),
        max_length=_max_length(Person, "native_name"),
        required=False,
        help_text=_("For example in Cyrillic."),
    )
    nationality = forms.ChoiceField(
        label=field_label(Person, "nationality"), choices=_nationalities
    )
    date_of_birth = DateField(label=field_label(Person, "date_of_birth"))
    passport_number = forms.CharField(
        label=field_label(Person, "passport_number"),
        max_length=_max_length(Person, "passport_number"),
        required=False,
        help_text=_("6 to 9 letters and digits, as in the passport."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    passport_expiry = DateField(label=field_label(Person, "passport_expiry"), required=False)
    mrz = forms.CharField(
        label=_("Machine-readable zone of the passport"),
        required=False,
        max_length=100,
        help_text=_(
            "Optional: the two lines of letters, digits and < at the bottom of the photo page. "
            "Their check digits are checked, and they must match the record."
        ),
        widget=forms.Textarea(
            attrs={"rows": 2, "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    current_country = forms.ChoiceField(
        label=field_label(Person, "current_country"), choices=_residences
    )
    current_status_of_residence = forms.CharField(
        label=field_label(Person, "current_status_of_residence"),
        max_length=_max_length(Person, "current_status_of_residence"),
        required=False,
        help_text=_("Only for a person living in Japan, e.g. Student or Technical Intern."),
    )
    email = forms.EmailField(label=field_label(Person, "email"), required=False)
    phone = forms.CharField(
        label=field_label(Person, "phone"),
        max_length=_max_length(Person, "phone"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def person_data(self) -> PersonData:
        """The record, typed, as person_create takes it."""
        return PersonData.from_mapping(dict(self.cleaned_data))

    def person_changes(self) -> PersonChanges:
        """Every field of the form, as person_update takes it."""
        return cast(
            PersonChanges,
            {k: v for k, v in self.cleaned_data.items() if v is not None or k == "passport_expiry"},
        )


def _text(text: Any) -> str:
    return str(text.get(get_language() or "en")) if text else ""


def test_code_choices() -> list[tuple[str, Any]]:
    """ "skill" for a skill test; the Japanese tests that SSW (i) accepts, and those a field
    also asks for (reference/ssw_rules: japanese_tests and field_tests)."""
    rules = ssw_rules()
    japanese: list[tuple[str, str]] = []
    seen: set[str] = set()
    tests = list(rules.japanese_tests) + [t for ts in rules.field_tests.values() for t in ts]
    for test in tests:
        if test.code not in seen:
            seen.add(test.code)
            japanese.append((test.code, _text(test.name)))
    return [
        ("", "—"),
        (str(TestKind.SKILL.label), [("skill", str(_("Skill test (for a business category)")))]),
        (str(TestKind.JAPANESE.label), japanese),
    ]


def level_help() -> str:
    rules = ssw_rules()
    parts = [f"{_text(t.name)}: {', '.join(t.levels)}" for t in rules.japanese_tests if t.levels]
    return str(_("For a Japanese test with levels: %(levels)s.")) % {"levels": "; ".join(parts)}


def category_choices(categories: Iterable[BusinessCategory]) -> list[tuple[str, Any]]:
    """Business categories grouped by their field, in the reference data's order."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for category in categories:
        groups.setdefault(category.field.display_name, []).append(
            (category.code, category.display_name)
        )
    return [("", "—"), *groups.items()]


class TestResultForm(AccessibleForm):
    prefix = "test"

    kind = forms.ChoiceField(label=_("Kind of test"), choices=[("", "—"), *TestKind.choices])
    test_code = forms.ChoiceField(label=field_label(TestResult, "test_code"))
    business_category = forms.ChoiceField(
        label=_("Business category"),
        required=False,
        help_text=_("For a skill test: the business category it tests."),
    )
    level = forms.CharField(
        label=field_label(TestResult, "level"),
        max_length=_max_length(TestResult, "level"),
        required=False,
    )
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("", "—"), ("yes", _("Passed")), ("no", _("Not passed"))],
        coerce=lambda value: value == "yes",
    )
    taken_on = DateField(label=field_label(TestResult, "taken_on"))
    certificate_number = forms.CharField(
        label=field_label(TestResult, "certificate_number"),
        max_length=_max_length(TestResult, "certificate_number"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        test_code = self.fields["test_code"]
        assert isinstance(test_code, forms.ChoiceField)
        test_code.choices = test_code_choices()
        category = self.fields["business_category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = category_choices(
            BusinessCategory.objects.select_related("field").order_by(
                "field__sort_order", "field__code", "code"
            )
        )
        self.fields["level"].help_text = level_help()

    def result_data(self) -> TestResultData:
        data = self.cleaned_data
        return TestResultData(
            kind=data["kind"],
            taken_on=data["taken_on"],
            passed=data["passed"],
            test_code=data.get("test_code") or "",
            business_category=data.get("business_category") or None,
            level=data.get("level") or "",
            certificate_number=data.get("certificate_number") or "",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind, code = cleaned.get("kind"), cleaned.get("test_code")
        if kind and code and (kind == TestKind.SKILL) != (code == "skill"):
            self.add_error(
                "test_code",
                _("This test does not match the kind of test chosen."),
            )
        return cleaned


class PresentForm(AccessibleForm):
    prefix = "present"

    organization_id = forms.TypedChoiceField(
        label=_("Receiving organization"),
        coerce=int,
        help_text=_("The organization will see this person's record and can open a case."),
    )

    def __init__(
        self, *args: Any, organizations: Iterable[Organization] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *((str(o.pk), o.display_name) for o in organizations)]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
