"""The worker's forms: opening the account, contact details, a grievance, a message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kakehashi.core.forms import AccessibleForm
from kakehashi.protection.models import GrievanceCategory


class CodeForm(AccessibleForm):
    code = forms.CharField(
        label=_("Your invitation code"),
        max_length=20,
        help_text=_("The code your agency, employer, the Center or the city gave you."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )


class AccountForm(AccessibleForm):
    username = forms.CharField(
        label=_("Choose a sign-in name"),
        max_length=30,
        help_text=_("Latin letters and digits, e.g. aizada.t"),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits."),
    )
    password_again = forms.CharField(
        label=_("The password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class ContactForm(AccessibleForm):
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)


class GrievanceForm(AccessibleForm):
    categories = forms.MultipleChoiceField(
        label=_("What is it about?"),
        choices=GrievanceCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_(
            "Write in your language: who, what, when and where. Your employer and agency "
            "will not see who wrote it."
        ),
    )
    case_id = forms.TypedChoiceField(
        label=_("Which case?"), coerce=int, required=False, empty_value=None
    )


class MessageForm(AccessibleForm):
    text = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class DisputeForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Why do you dispute this fee?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
