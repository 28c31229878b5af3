"""Forms of the personal-data pages. They parse what the browser sends; the rules are the
services' (privacy/services/), whose problems are put back on these fields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kakehashi.core.forms import AccessibleForm, DateField
from kakehashi.people.forms import field_label
from kakehashi.people.models import Person

from .models import CORRECTABLE_FIELDS, IncidentKind, IncidentStatus


def correctable_choices() -> list[tuple[str, Any]]:
    return [("", "—"), *((name, field_label(Person, name)) for name in CORRECTABLE_FIELDS)]


class ContactForm(AccessibleForm):
    """The worker's own phone and e-mail address, which they correct themselves."""

    prefix = "contact"

    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)


class CorrectionForm(AccessibleForm):
    prefix = "correction"

    field = forms.ChoiceField(label=_("What is wrong?"), choices=correctable_choices)
    value = forms.CharField(
        label=_("The correct value"),
        max_length=200,
        help_text=_(
            "Exactly as in your passport. Dates as YYYY-MM-DD, e.g. 1998-04-21; a country "
            "by its name or its two-letter code, e.g. KG."
        ),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example, which document shows the correct value."),
    )


class RefusalForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Why is it refused?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The worker reads this reason."),
    )


class ErasureForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Why is the data erased?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the person asked for it in writing on 2026-03-01."),
    )


# The languages of the export's PDF (the registering organization prints it for the person
# in theirs).
PDF_LANGUAGES = [
    ("ja", _("Japanese")),
    ("en", _("English")),
    ("ru", _("Russian")),
    ("ky", _("Kyrgyz")),
]

YES_NO = [("no", _("No")), ("yes", _("Yes"))]
YES_NO_FIELDS = (
    "sensitive_data",
    "financial_damage_possible",
    "unauthorised_act",
    "strongly_encrypted",
)


class IncidentForm(AccessibleForm):
    """Every field of an incident; the persons affected are chosen from those the
    organization sees (at most a few hundred listed; the API takes any)."""

    organization_id = forms.TypedChoiceField(
        label=_("Organization"), coerce=int, required=False, empty_value=None
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind of incident"), choices=[("", "—"), *IncidentKind.choices]
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What data, how it came to light, who may have it now."),
    )
    discovered_on = DateField(label=_("Discovered on"))
    sensitive_data = forms.ChoiceField(
        label=_("Is sensitive personal information involved?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text=_(
            "Such as medical records, criminal records or creed: sensitive personal "
            "information as the APPI defines it (Art. 2(3))."
        ),
    )
    financial_damage_possible = forms.ChoiceField(
        label=_("Could misuse of the data cause financial damage?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text=_("Such as bank account or card numbers, or passwords."),
    )
    unauthorised_act = forms.ChoiceField(
        label=_("Was it caused, or possibly caused, by an unauthorised act?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text=_("Such as unauthorised access, theft, or an employee taking data out."),
    )
    strongly_encrypted = forms.ChoiceField(
        label=_("Was the data protected by strong encryption?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    persons_affected = forms.IntegerField(
        label=_("Number of persons affected"), min_value=0, max_value=100_000_000
    )
    person_ids = forms.TypedMultipleChoiceField(
        label=_("Persons affected (optional)"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    cause = forms.CharField(
        label=_("Cause"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    measures = forms.CharField(
        label=_("Measures taken"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    preliminary_report_on = DateField(label=_("Preliminary report sent on"), required=False)
    final_report_on = DateField(label=_("Final report sent on"), required=False)
    persons_notified_on = DateField(label=_("Persons notified on"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=IncidentStatus.choices)

    def __init__(
        self,
        *args: Any,
        organizations: Iterable[Any] = (),
        persons: Iterable[Person] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in YES_NO_FIELDS:
            self.fields[name].initial = "no"
        orgs = list(organizations)
        field = self.fields["organization_id"]
        assert isinstance(field, forms.ChoiceField)
        if len(orgs) > 1:
            field.choices = [("", "—"), *((str(o.pk), o.display_name) for o in orgs)]
            field.required = True
        else:
            del self.fields["organization_id"]
        listed = [(str(p.pk), f"{p.family_name} {p.given_names} (#{p.pk})") for p in persons]
        people = self.fields["person_ids"]
        assert isinstance(people, forms.ChoiceField)
        if listed:
            people.choices = listed
        else:  # nobody to name: the number affected says it
            del self.fields["person_ids"]

    def incident_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)
