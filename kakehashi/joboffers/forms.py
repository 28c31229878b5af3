"""Forms of the job offer pages. They only parse what the browser sends; the rules are the
services' (kakehashi/joboffers/services/), whose problems are put back on these fields with
kakehashi.core.forms.apply_problems. Field names are the services' data keys."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kakehashi.core.forms import AccessibleForm, DateInput
from kakehashi.core.forms import DateField as CoreDateField
from kakehashi.people.forms import category_choices, field_label
from kakehashi.reference.models import BusinessCategory, Field

from .models import CandidateContact, JapaneseLevel, JobOffer
from .services import PUBLISH, REJECT


def _max_length(model: type[Any], name: str) -> int | None:
    return getattr(model._meta.get_field(name), "max_length", None)


def field_choices() -> list[tuple[str, Any]]:
    return [("", "—"), *((f.code, f.display_name) for f in Field.objects.all())]


def level_choices() -> list[tuple[str, Any]]:
    return [("", "—"), *JapaneseLevel.choices]


class JobOfferForm(AccessibleForm):
    title = forms.CharField(
        label=field_label(JobOffer, "title"),
        max_length=_max_length(JobOffer, "title"),
        help_text=_("For example: Care worker (nursing home, day shift and night shift)."),
    )
    field = forms.ChoiceField(label=field_label(JobOffer, "field"))
    business_category = forms.ChoiceField(label=field_label(JobOffer, "business_category"))
    description = forms.CharField(
        label=field_label(JobOffer, "description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The work, the working hours, holidays, housing and support offered."),
    )
    positions = forms.IntegerField(label=field_label(JobOffer, "positions"), min_value=1)
    work_location = forms.CharField(
        label=field_label(JobOffer, "work_location"),
        max_length=_max_length(JobOffer, "work_location"),
        help_text=_("Prefecture and city, e.g. Niigata, Nagaoka. It is published."),
    )
    monthly_wage_jpy = forms.IntegerField(
        label=field_label(JobOffer, "monthly_wage_jpy"),
        min_value=1,
        help_text=_("Before tax, in yen."),
    )
    japanese_level_required = forms.ChoiceField(
        label=field_label(JobOffer, "japanese_level_required"),
        help_text=_("JFT-Basic A2 and JLPT N4 are the minimum for Specified Skilled Worker (i)."),
    )
    organization_info = forms.CharField(
        label=field_label(JobOffer, "organization_info"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the organization does, its size, and where it is. It is published."),
    )
    how_to_apply = forms.CharField(
        label=field_label(JobOffer, "how_to_apply"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "How candidates contact you directly: an e-mail address or phone number of the "
            "organization, and the languages you answer in. It is published."
        ),
    )
    closes_on = CoreDateField(
        label=field_label(JobOffer, "closes_on"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty to keep the offer open until you withdraw it."),
    )
    worker_pays_nothing = forms.BooleanField(
        label=_("The worker pays nothing: the employer pays every cost of recruitment"),
        required=False,
        help_text=_(
            "The offer then carries the employer-pays mark, and no fee to the worker can be "
            "recorded on it."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (
            ("field", field_choices()),
            ("japanese_level_required", level_choices()),
            (
                "business_category",
                category_choices(
                    BusinessCategory.objects.select_related("field").order_by(
                        "field__sort_order", "field__code", "code"
                    )
                ),
            ),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices


class ReviewForm(AccessibleForm):
    """The Center's decision. The button pressed gives the decision."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[(PUBLISH, _("Publish")), (REJECT, _("Reject"))]
    )
    note = forms.CharField(
        label=_("Note to the organization"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting: say what the organization must change."),
    )

    def __init__(self, *args: Any, offer_id: int | None = None, **kwargs: Any) -> None:
        # One form per offer on the review queue: ids stay unique on the page.
        if offer_id is not None:
            kwargs.setdefault("prefix", f"review-{offer_id}")
        super().__init__(*args, **kwargs)


class WithdrawForm(AccessibleForm):
    prefix = "withdraw"

    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        help_text=_("For example: the positions have been filled."),
    )


class ContactForm(AccessibleForm):
    prefix = "contact"

    family_name = forms.CharField(
        label=field_label(CandidateContact, "family_name"),
        max_length=_max_length(CandidateContact, "family_name"),
        help_text=_("In Latin letters, exactly as in the passport."),
    )
    given_names = forms.CharField(
        label=field_label(CandidateContact, "given_names"),
        max_length=_max_length(CandidateContact, "given_names"),
    )
    email = forms.EmailField(label=field_label(CandidateContact, "email"), required=False)
    phone = forms.CharField(
        label=field_label(CandidateContact, "phone"),
        max_length=_max_length(CandidateContact, "phone"),
        required=False,
        help_text=_("An e-mail address or a phone number is required."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    contacted_on = CoreDateField(
        label=field_label(CandidateContact, "contacted_on"), widget=DateInput()
    )
    message = forms.CharField(
        label=field_label(CandidateContact, "message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StartCaseForm(AccessibleForm):
    date_of_birth = CoreDateField(
        label=_("Date of birth"),
        widget=DateInput(),
        help_text=_("As in the passport. The candidate is registered as a Kyrgyz national."),
    )

    def __init__(self, *args: Any, contact_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"start-{contact_id}")
        super().__init__(*args, **kwargs)


class BoardFilterForm(forms.Form):
    """The public board's filters, sent with GET (none of them is personal data)."""

    field = forms.ChoiceField(label=_("Field"), required=False)
    location = forms.CharField(
        label=_("Place of work"),
        required=False,
        max_length=100,
        help_text=_("Prefecture or city, e.g. Niigata."),
    )
    japanese_level = forms.ChoiceField(
        label=_("Your Japanese level"),
        required=False,
        help_text=_("Offers asking for this level or less are shown."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["field"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("All fields")), *field_choices()[1:]]
        level = self.fields["japanese_level"]
        assert isinstance(level, forms.ChoiceField)
        level.choices = [("", _("Any level")), *JapaneseLevel.choices]


class RecruitmentContractForm(AccessibleForm):
    """The recruitment contract with the Center (isa_kg_flow 2(1))."""

    signed_on = CoreDateField(label=_("Date signed"))
    contract_number = forms.CharField(label=_("Contract number"), required=False, max_length=60)
