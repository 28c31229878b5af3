"""The upload form of the import page. It only collects the choice and the file; the file
is checked by the import (reader.py) and the rows by the services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kakehashi.accounts.models import Organization
from kakehashi.core.forms import AccessibleForm

from .models import ImportKind


class UploadForm(AccessibleForm):
    kind = forms.ChoiceField(label=_("What the file holds"))
    organization = forms.TypedChoiceField(
        label=_("For the organization"), coerce=int, required=False, empty_value=None
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8) or Excel workbook (.xlsx); the first row names the columns."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(
        self,
        *args: Any,
        kinds: Iterable[str] = (),
        organizations: Iterable[Organization] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        allowed = set(kinds)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "—"), *((k, v) for k, v in ImportKind.choices if k in allowed)]
        organizations = list(organizations)
        if len(organizations) > 1:
            organization = self.fields["organization"]
            assert isinstance(organization, forms.ChoiceField)
            organization.choices = [
                ("", "—"),
                *((str(o.pk), o.display_name) for o in organizations),
            ]
            organization.help_text = _("For cases: the receiving organization that opens them.")
        else:
            del self.fields["organization"]
