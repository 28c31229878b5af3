"""Forms for the registry pages; the services validate (core.forms.apply_problems)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kakehashi.core.forms import AccessibleForm

from .models import CertificationAction

DATE = forms.DateInput(attrs={"type": "date"})


class DecisionForm(AccessibleForm):
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[(a.value, a.label) for a in CertificationAction if a.value != "applied"],
    )
    effective_on = forms.CharField(
        label=_("Takes effect on"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty for today."),
    )
    valid_until = forms.CharField(
        label=_("Valid until"),
        widget=DATE,
        required=False,
        help_text=_("Required when certifying."),
    )
    certificate_number = forms.CharField(
        label=_("Certificate number"), required=False, max_length=60
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to refuse, suspend or revoke. A revocation's reason is published."),
    )


class ImprovementOrderForm(AccessibleForm):
    receiving_organization_id = forms.ChoiceField(label=_("Receiving organization"))
    issued_on = forms.CharField(label=_("Issued on"), widget=DATE)
    order_number = forms.CharField(label=_("Order number"), required=False, max_length=60)
    summary = forms.CharField(
        label=_("Summary (published)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class SupportRegistrationForm(AccessibleForm):
    organization_id = forms.ChoiceField(label=_("Support organization"))
    registration_number = forms.CharField(label=_("Registration number"), max_length=40)
    registered_on = forms.CharField(label=_("Registered on"), widget=DATE)
    valid_until = forms.CharField(label=_("Valid until"), widget=DATE, required=False)
    languages = forms.CharField(label=_("Support languages"), required=False, max_length=200)


class PlacementLicenceForm(AccessibleForm):
    holder_id = forms.ChoiceField(label=_("Licence holder"))
    licence_number = forms.CharField(label=_("Licence number"), max_length=40)
    valid_from = forms.CharField(label=_("Valid from"), widget=DATE)
    valid_until = forms.CharField(label=_("Valid until"), widget=DATE, required=False)
    countries = forms.CharField(
        label=_("Countries covered"),
        required=False,
        max_length=100,
        help_text=_("Two-letter codes, e.g. KG."),
    )


class FieldSuspensionForm(AccessibleForm):
    field = forms.ChoiceField(label=_("Field"))
    starts_on = forms.CharField(label=_("From"), widget=DATE)
    ends_on = forms.CharField(
        label=_("Until"),
        widget=DATE,
        required=False,
        help_text=_("Leave empty until the end is decided."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
