"""Forms for the case pages. They only collect input: the services validate it (with the
engine), and their problems are shown next to the fields (core.forms.apply_problems)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.core.forms import AccessibleForm
from kakehashi.people.models import Person
from kakehashi.procedures.schema import Definition, Step
from kakehashi.reference.models import BusinessCategory

from .services.documents import field_name


def _t(text: Any) -> str:
    return text.get(get_language() or "en") if text else ""


class EvidenceForm(AccessibleForm):
    """The evidence a step records, built from the step's definition."""

    def __init__(self, step: Step, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", step.key)
        super().__init__(*args, **kwargs)
        self.step = step
        for spec in step.evidence:
            label = _t(spec.label)
            help_text = _t(spec.help)
            field: forms.Field
            if spec.type == "date":
                field = forms.CharField(widget=forms.DateInput(attrs={"type": "date"}))
            elif spec.type == "integer":
                field = forms.CharField(
                    widget=forms.NumberInput(
                        attrs={
                            k: v for k, v in (("min", spec.min), ("max", spec.max)) if v is not None
                        }
                    )
                )
            elif spec.type == "boolean":
                field = forms.BooleanField()
            elif spec.type == "choice":
                field = forms.ChoiceField(
                    choices=[("", "—"), *((c.key, _t(c.label)) for c in spec.choices)]
                )
            else:
                field = forms.CharField(max_length=spec.max_length)
            field.label = label
            field.help_text = help_text
            field.required = spec.required and spec.type != "boolean"
            self.fields[spec.key] = field
        # The step's documents: PDF, JPEG or PNG (the service sniffs the content).
        for document in step.documents:
            upload = forms.FileField(
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
                ),
            )
            upload.label = _t(document.title)
            upload.help_text = (
                str(_("Required to record this step (not when it was refused)."))
                if document.required_unless
                else str(_("Required to record this step."))
                if document.required
                else str(_("Optional: attach it if you have it."))
            )
            self.fields[field_name(document.key)] = upload

    def uploads(self) -> dict[str, tuple[str, bytes]]:
        """The documents sent with the form: their names and contents."""
        found = {}
        for document in self.step.documents:
            upload = self.files.get(self.add_prefix(field_name(document.key)))
            if upload is not None:
                found[document.key] = (upload.name or "", upload.read())
        return found

    def evidence(self) -> dict[str, Any]:
        """The raw values, for the engine to check (an unchecked box is False)."""
        data: dict[str, Any] = {}
        for spec in self.step.evidence:
            key = self.add_prefix(spec.key)
            if spec.type == "boolean":
                data[spec.key] = key in self.data and self.data.get(key) not in ("", "false", "off")
            else:
                data[spec.key] = self.data.get(key, "")
        return data


class CaseForm(AccessibleForm):
    pattern = forms.ChoiceField(label=_("Recruitment pattern"), widget=forms.RadioSelect)
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Person"))
    business_category = forms.ModelChoiceField(
        queryset=BusinessCategory.objects.none(),
        label=_("Field and business category"),
        help_text=_("The skill test of this business category must have been passed."),
    )
    sending_agency = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        required=False,
        label=_("Certified sending agency"),
        help_text=_("Only for the pattern through a certified sending agency."),
    )
    receiving_organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        label=_("Receiving organization"),
    )

    def __init__(
        self,
        *args: Any,
        definition: Definition,
        persons: Any,
        receiving_organizations: list[Organization],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        cast(forms.ChoiceField, self.fields["pattern"]).choices = [
            (p.key, p.key) for p in definition.patterns
        ]
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = persons
        cast(
            forms.ModelChoiceField, self.fields["business_category"]
        ).queryset = BusinessCategory.objects.select_related("field")
        self.fields["business_category"].label_from_instance = lambda c: (  # type: ignore[attr-defined]
            f"{c.field.display_name} — {c.display_name}"
        )
        cast(
            forms.ModelChoiceField, self.fields["sending_agency"]
        ).queryset = Organization.objects.filter(
            kind=OrganizationKind.SENDING_AGENCY, country=definition.country
        ).order_by("name_en")
        if len(receiving_organizations) > 1:
            cast(
                forms.ModelChoiceField, self.fields["receiving_organization"]
            ).queryset = Organization.objects.filter(pk__in=[o.pk for o in receiving_organizations])
        else:
            del self.fields["receiving_organization"]

    def pattern_options(self) -> list[dict[str, Any]]:
        chosen = self.data.get("pattern") if self.is_bound else None
        return [
            {
                "key": p.key,
                "number": p.number,
                "title": _t(p.title),
                "description": _t(p.description),
                "checked": chosen == p.key,
            }
            for p in self.definition.patterns
        ]


class WithdrawForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Reason for withdrawing"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )
