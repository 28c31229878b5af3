"""The forms of the protective core's pages. They only read the input; the services check
it (the same rules as the API)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kakehashi.core.forms import AccessibleForm, DateField

from .models import (
    Channel,
    ConsentScope,
    ConsultationKind,
    CorrectiveMeasure,
    Currency,
    FeePurpose,
    FraudKind,
    GrievanceCategory,
    MisconductCategory,
    Outcome,
    ReturnReason,
    Stage,
    SubjectKind,
)

TEXTAREA = forms.Textarea(attrs={"rows": 4})


def _ids(help_text: Any, label: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=500, help_text=help_text)


class ChannelMixin(forms.Form):
    channel = forms.ChoiceField(label=_("Where it came from"), choices=Channel.choices)
    channel_note = forms.CharField(
        label=_("Who sent it"),
        required=False,
        max_length=200,
        help_text=_("For a forwarded report: the sender and how it reached you."),
    )


class MisconductForm(ChannelMixin, AccessibleForm):
    country = forms.ChoiceField(
        label=_("Under the MOC with"), choices=[("KG", _("Kyrgyz Republic"))]
    )
    categories = forms.MultipleChoiceField(
        label=_("Conduct (MOC §4(1))"),
        choices=MisconductCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    subject_name = forms.CharField(label=_("Who it concerns"), max_length=200)
    subject_kind = forms.ChoiceField(
        label=_("An individual or a legal entity"), choices=SubjectKind.choices
    )
    subject_country = forms.ChoiceField(
        label=_("Country of the intermediary"),
        choices=[("KG", _("Kyrgyz Republic")), ("JP", _("Japan"))],
    )
    facts = forms.CharField(label=_("Facts"), widget=TEXTAREA, max_length=5000)
    occurred_from = DateField(label=_("First happened on"), required=False)
    occurred_until = DateField(label=_("Last happened on"), required=False)
    places = forms.CharField(label=_("Places"), required=False, max_length=300)
    case_ids = _ids(_("Numbers of the cases affected, separated by commas."), _("Cases"))
    due_on = DateField(label=_("Follow up by"), required=False)


class TestFraudForm(ChannelMixin, AccessibleForm):
    country = forms.ChoiceField(
        label=_("Under the MOC with"), choices=[("KG", _("Kyrgyz Republic"))]
    )
    fraud_kind = forms.ChoiceField(label=_("Kind of fraud"), choices=FraudKind.choices)
    facts = forms.CharField(label=_("Facts"), widget=TEXTAREA, max_length=5000)
    test_result_ids = forms.MultipleChoiceField(
        label=_("Test results concerned"), widget=forms.CheckboxSelectMultiple
    )
    due_on = DateField(label=_("Follow up by"), required=False)


class InquiryForm(AccessibleForm):
    country = forms.ChoiceField(
        label=_("Under the MOC with"), choices=[("KG", _("Kyrgyz Republic"))]
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    question = forms.CharField(label=_("Question"), widget=TEXTAREA, max_length=5000)
    due_on = DateField(label=_("Answer needed by"))
    case_id = forms.IntegerField(label=_("Case number (if any)"), required=False, min_value=1)


class ConsultationForm(AccessibleForm):
    country = forms.ChoiceField(
        label=_("Under the MOC with"), choices=[("KG", _("Kyrgyz Republic"))]
    )
    consultation_kind = forms.ChoiceField(label=_("Kind"), choices=ConsultationKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    meets_on = DateField(label=_("Date of the meeting"))
    place = forms.CharField(label=_("Place or means"), required=False, max_length=200)
    agenda = forms.CharField(
        label=_("Agenda"),
        widget=TEXTAREA,
        max_length=3000,
        help_text=_(
            "One item a line, starting with its category of MOC §4(2), e.g. "
            "“b: Deposits taken by unlicensed brokers”."
        ),
    )


class FollowUpForm(AccessibleForm):
    stage = forms.ChoiceField(
        label=_("Move to"), choices=[("", "—"), *Stage.choices], required=False
    )
    outcome = forms.ChoiceField(
        label=_("Outcome (when closing a report)"),
        choices=[("", "—"), *Outcome.choices],
        required=False,
    )
    due_on = DateField(label=_("Due on"), required=False)
    owner_id = forms.TypedChoiceField(
        label=_("Owner"), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ConsentForm(AccessibleForm):
    to_organization_id = forms.TypedChoiceField(label=_("Shown to"), coerce=int)
    scope = forms.ChoiceField(label=_("What may be shown"), choices=ConsentScope.choices)
    purpose = forms.CharField(label=_("For what purpose"), max_length=300)
    consented_on = DateField(label=_("Written consent given on"))
    document_reference = forms.CharField(
        label=_("Reference of the written consent"),
        max_length=100,
        help_text=_("For example the number and date of the letter."),
    )


class AttachmentForm(AccessibleForm):
    file = forms.FileField(
        label=_("File (PDF, JPEG or PNG, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


class AnswerForm(AccessibleForm):
    answer = forms.CharField(label=_("Answer"), widget=TEXTAREA, max_length=5000)


class MinutesForm(AccessibleForm):
    minutes = forms.CharField(label=_("Minutes"), widget=TEXTAREA, max_length=5000)
    actions = forms.CharField(
        label=_("Action items"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=3000,
        help_text=_(
            "One a line: the action, then “|”, “JP” or “KG” for its owner, “|” and the due "
            "date, e.g. “Send the list of deposits refunded | KG | 2027-01-31”."
        ),
    )


class ResultForm(AccessibleForm):
    guidance = forms.CharField(
        label=_("Guidance and supervision"), widget=TEXTAREA, required=False, max_length=5000
    )
    result = forms.CharField(label=_("Result"), widget=TEXTAREA, max_length=5000)


class DecisionForm(AccessibleForm):
    action = forms.ChoiceField(
        label=_("Decision on the certification"),
        choices=[("suspended", _("Suspend")), ("revoked", _("Revoke"))],
    )
    effective_on = DateField(label=_("Effective on"), required=False)
    reason = forms.CharField(
        label=_("Reason (shared with Japan's contact point only)"), widget=TEXTAREA, max_length=2000
    )


class ReturnForm(AccessibleForm):
    temporary_passport_requested_on = DateField(
        label=_("Temporary passport requested on"), required=False
    )
    return_on = DateField(label=_("Planned return date"), required=False)
    returned_on = DateField(label=_("Returned on"), required=False)


class MeasureForm(AccessibleForm):
    organization_id = forms.TypedChoiceField(
        label=_("Receiving or support organization"), coerce=int
    )
    kind = forms.ChoiceField(label=_("Measure"), choices=CorrectiveMeasure.Kind.choices)
    improvement_order_id = forms.TypedChoiceField(
        label=_("Improvement order in the register"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    description = forms.CharField(label=_("What was done"), widget=TEXTAREA, max_length=5000)
    taken_on = DateField(label=_("Taken on"))


class ReturnOpenForm(AccessibleForm):
    reason = forms.ChoiceField(label=_("Why the stay ends"), choices=ReturnReason.choices)


class FeeForm(AccessibleForm):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=FeePurpose.choices)
    basis = forms.CharField(
        label=_("Basis of calculation"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=0)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    breakdown = forms.CharField(
        label=_("Breakdown"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        help_text=_(
            "One part a line: what it pays for, “|”, the amount, e.g. “Japanese course | 30000”."
        ),
    )


def breakdown_lines(text: str) -> list[dict[str, str]]:
    """The breakdown typed one part a line, "what it pays for | amount"."""
    rows = []
    for line in text.splitlines():
        if line.strip():
            item, _sep, amount = line.rpartition("|")
            rows.append({"item": item.strip(), "amount": amount.strip()})
    return rows


class FeeAcknowledgementForm(AccessibleForm):
    acknowledged_on = DateField(label=_("Signed on"))
    language = forms.ChoiceField(
        label=_("Language of the statement"),
        choices=[("ky", "Кыргызча"), ("ru", "Русский"), ("ja", "日本語"), ("en", "English")],
    )
    document_reference = forms.CharField(label=_("Signed statement (reference)"), max_length=100)


class OnBehalfGrievanceForm(AccessibleForm):
    person_id = forms.IntegerField(label=_("Person number"), min_value=1)
    on_behalf_note = forms.CharField(
        label=_("Filed on the worker's behalf by"),
        max_length=200,
        help_text=_("Who brought it and how, e.g. “the worker by phone, in Kyrgyz”."),
    )
    categories = forms.MultipleChoiceField(
        label=_("What is it about?"),
        choices=GrievanceCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label=_("What happened?"), widget=TEXTAREA, max_length=5000)
