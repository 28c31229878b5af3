"""Forms for the registry pages. They read the input (dates through the one date parser);
the services validate it and say what is wrong (core.forms.apply_problems)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kakehashi.core.forms import AccessibleForm, DateField
from kakehashi.procedures import registry
from kakehashi.reference.countries import country_choices_grouped

from .models import CertificationAction, DisclosureScope


class DecisionForm(AccessibleForm):
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[(a.value, a.label) for a in CertificationAction if a.value != "applied"],
    )
    effective_on = DateField(
        label=_("Takes effect on"), required=False, help_text=_("Leave empty for today.")
    )
    valid_until = DateField(
        label=_("Valid until"), required=False, help_text=_("Required when certifying.")
    )
    certificate_number = forms.CharField(
        label=_("Certificate number"), required=False, max_length=60
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required to refuse, suspend or revoke. It is shared with Japan's contact point "
            "only, unless you record written consent to disclose it."
        ),
    )


class DisclosureForm(AccessibleForm):
    decision_id = forms.IntegerField(widget=forms.HiddenInput)
    scope = forms.ChoiceField(label=_("Who may read the reason"), choices=DisclosureScope.choices)
    consented_on = DateField(label=_("Written consent given on"))
    consent_reference = forms.CharField(
        label=_("Reference of the written consent"),
        max_length=100,
        help_text=_("For example the number and date of the ministry's letter."),
    )


class ImprovementOrderForm(AccessibleForm):
    receiving_organization_id = forms.TypedChoiceField(
        label=_("Receiving organization"), coerce=int
    )
    issued_on = DateField(label=_("Issued on"))
    order_number = forms.CharField(label=_("Order number"), required=False, max_length=60)
    summary = forms.CharField(
        label=_("Summary (published)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SupportRegistrationForm(AccessibleForm):
    organization_id = forms.TypedChoiceField(label=_("Support organization"), coerce=int)
    registration_number = forms.CharField(label=_("Registration number"), max_length=40)
    registered_on = DateField(label=_("Registered on"))
    valid_until = DateField(label=_("Valid until"), required=False)
    languages = forms.CharField(label=_("Support languages"), required=False, max_length=200)


class PlacementLicenceForm(AccessibleForm):
    holder_id = forms.TypedChoiceField(label=_("Licence holder"), coerce=int)
    licence_number = forms.CharField(label=_("Licence number"), max_length=40)
    valid_from = DateField(label=_("Valid from"))
    valid_until = DateField(label=_("Valid until"), required=False)
    countries = forms.MultipleChoiceField(
        label=_("Countries covered"),
        choices=lambda: country_choices_grouped(registry.countries()),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("The countries whose nationals the holder may place."),
    )


class FieldSuspensionForm(AccessibleForm):
    field = forms.ChoiceField(label=_("Field"))
    starts_on = DateField(label=_("From"))
    ends_on = DateField(
        label=_("Until"), required=False, help_text=_("Leave empty until the end is decided.")
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OrderCloseForm(AccessibleForm):
    order_id = forms.IntegerField(widget=forms.HiddenInput)
    closed_on = DateField(label=_("Closed on"))
    note = forms.CharField(label=_("How the organization complied"), max_length=500)


class SuspensionEndForm(AccessibleForm):
    suspension_id = forms.IntegerField(widget=forms.HiddenInput)
    ends_on = DateField(label=_("Last day of the suspension"))
