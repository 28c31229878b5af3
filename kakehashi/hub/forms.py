"""The hub's forms; the services check the input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kakehashi.core.forms import AccessibleForm, DateField

from .models import JAPANESE_LEVELS, ConfirmationScope


class NeedForm(AccessibleForm):
    field = forms.ChoiceField(label=_("Field"))
    business_category = forms.ChoiceField(label=_("Business category"))
    positions = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=500)
    japanese_level = forms.ChoiceField(
        label=_("Japanese level required"), choices=JAPANESE_LEVELS[1:]
    )
    needed_by = DateField(label=_("Needed by"))
    housing_offered = forms.BooleanField(label=_("Housing offered"), required=False)
    support_offered = forms.CharField(label=_("Support offered"), required=False, max_length=300)


class PoolForm(AccessibleForm):
    person_id = forms.TypedChoiceField(label=_("Candidate"), coerce=int)
    field = forms.ChoiceField(label=_("Field"))
    business_category = forms.ChoiceField(label=_("Business category"), required=False)
    japanese_level = forms.ChoiceField(
        label=_("Japanese level"), choices=JAPANESE_LEVELS, required=False
    )
    tests_planned = forms.CharField(label=_("Tests planned"), required=False, max_length=200)
    available_from = DateField(label=_("Available from"))


class ConfirmationForm(AccessibleForm):
    receiving_organization_id = forms.TypedChoiceField(label=_("Employer"), coerce=int)
    scope = forms.ChoiceField(label=_("Submitted as"), choices=ConfirmationScope.choices)
    submitted_on = DateField(label=_("Submitted on"))
    checked = forms.BooleanField(label=_("Checked"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
