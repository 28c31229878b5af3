"""Acceptance cases (受入れ案件): one person, one receiving organization, one field and
business category, one recruitment pattern, evaluated under one procedure version.

State is written only by kakehashi.cases.services; every write adds a CaseEvent in the
same transaction."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kakehashi.accounts.models import Organization
from kakehashi.core.files import private_storage, random_name
from kakehashi.core.models import AppendOnlyError as AppendOnlyError  # tests import it here
from kakehashi.core.models import AppendOnlyModel


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Case(models.Model):
    reference = models.CharField(max_length=32, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    receiving_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="received_cases"
    )
    sending_agency = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sent_cases",
    )
    support_organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supported_cases",
    )
    field = models.ForeignKey("reference.Field", on_delete=models.PROTECT)
    business_category = models.ForeignKey("reference.BusinessCategory", on_delete=models.PROTECT)
    country = models.CharField(max_length=2, help_text="partner country whose procedure applies")
    procedure_version = models.CharField(max_length=40)
    pattern = models.CharField(max_length=40)
    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    # Derived from the steps by the engine and stored so lists can filter and sort on it.
    current_step = models.CharField(max_length=60, blank=True)
    # The nearest unmet deadline (services.common.sync_derived), stored so that "what is
    # waiting on me" sorts by an index instead of a MIN over every open case's deadlines.
    next_due = models.DateField(null=True, blank=True)
    # The receiving organization's municipality (hub), kept with the case (save() and
    # receivers.py) so that the city's list filters one indexed column without a join.
    municipality = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hub_cases",
        editable=False,
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["receiving_organization", "status", "-id"]),
            models.Index(fields=["sending_agency", "status"]),
            models.Index(fields=["country", "status"]),
            models.Index(fields=["current_step"]),
            models.Index(fields=["municipality", "status", "-id"]),
            # The waiting work: open cases at the reader's steps by nearest deadline
            # (cases_awaiting); ascending is NULLS LAST on PostgreSQL, the order it wants.
            models.Index(
                fields=["current_step", "next_due", "updated_at", "id"],
                condition=models.Q(status="open"),
                name="case_open_by_next_due",
            ),
            # The city's figures by step and field (hub dashboard), from the index alone.
            models.Index(
                fields=["municipality", "status", "current_step", "field"],
                name="case_city_step_field",
            ),
            # The city's waiting work (hub dashboard), in the same order.
            models.Index(
                fields=["municipality", "next_due", "updated_at", "id"],
                condition=models.Q(status="open"),
                name="case_open_city_by_next_due",
            ),
        ]
        constraints = [
            # A person has at most one open case with a receiving organization.
            models.UniqueConstraint(
                fields=["person", "receiving_organization"],
                condition=models.Q(status="open"),
                name="one_open_case_per_person_and_employer",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.municipality_id is None:
            self.municipality_id = (
                Organization.objects.filter(pk=self.receiving_organization_id)
                .values_list("municipality_id", flat=True)
                .first()
            )
        super().save(*args, **kwargs)


class CaseStep(models.Model):
    """A completion of one procedure step. A step done again (e.g. a new COE after the old
    one expired) gets a new round; the unique constraint makes a double completion fail."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    step_key = models.CharField(max_length=60)
    round = models.PositiveSmallIntegerField(default=1)
    happened_on = models.DateField()
    evidence = models.JSONField(default=dict)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT)
    completed_at = models.DateTimeField(auto_now_add=True)
    # Set when a reviewer rejects a document the step rested on: the step is to do again
    # (a new round); the completion stays, for the history.
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["case_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "step_key", "round"], name="one_completion_per_step_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.step_key}#{self.round}"


class EventKind(models.TextChoices):
    CREATED = "created", _("Case created")
    STEP_COMPLETED = "step_completed", _("Step completed")
    FLAG_RAISED = "flag_raised", _("Flag raised")
    FLAG_CLEARED = "flag_cleared", _("Flag cleared")
    STATUS_CHANGED = "status_changed", _("Status changed")
    DOCUMENT_UPLOADED = "document_uploaded", _("Document uploaded")
    DOCUMENT_CHECKED = "document_checked", _("Document checked")
    DOCUMENT_REJECTED = "document_rejected", _("Document rejected")


class CaseEvent(AppendOnlyModel):
    """Append-only history: who did what to the case, when, with the state before/after."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    step_key = models.CharField(max_length=60, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT
    )
    at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.step_key}"


class CaseFlag(models.Model):
    """A warning that stays on a case until cleared (e.g. unlicensed placement, R-P4)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="flags")
    code = models.CharField(max_length=60)
    params = models.JSONField(default=dict)
    source = models.CharField(max_length=300)
    step_key = models.CharField(max_length=60, blank=True)
    raised_at = models.DateTimeField(auto_now_add=True)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case_id", "id"]
        indexes = [models.Index(fields=["code", "cleared_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.code}"


class CaseDeadline(models.Model):
    """A date the procedure sets (e.g. entry within 3 months of COE issue), kept in step
    with the engine's evaluation so that lists can sort by what expires first."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    key = models.CharField(max_length=60)
    due_on = models.DateField(db_index=True)
    met = models.BooleanField(default=False)
    source = models.CharField(max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="one_deadline_per_key")]
        # Deadlines still to meet, by date (the city's "next 60 days").
        indexes = [
            models.Index(
                fields=["due_on", "case"],
                condition=models.Q(met=False),
                name="deadline_unmet_by_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.key} {self.due_on}"


def _document_name(instance: CaseDocument, filename: str) -> str:
    return random_name("cases")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Not yet checked")
    CHECKED = "checked", _("Checked")
    REJECTED = "rejected", _("Rejected")


class CaseDocument(models.Model):
    """A document of a case's step, as uploaded: the content sniffed (PDF, JPEG or PNG),
    stored under a random name in private storage, served only through the access policy.
    Uploading the same document again adds a version; the old ones are kept."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    step_key = models.SlugField(max_length=60)
    document_key = models.SlugField(max_length=60)
    version = models.PositiveSmallIntegerField(default=1)
    file = models.FileField(storage=private_storage, upload_to=_document_name, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    reason = models.TextField(_("why"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    review_status = models.CharField(
        _("review"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    review_reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by_organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case_id", "step_key", "document_key", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "step_key", "document_key", "version"],
                name="one_document_per_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.step_key}/{self.document_key} v{self.version}"


class DocumentDownload(AppendOnlyModel):
    """Every download of a case document: who, for which organization, when."""

    document = models.ForeignKey(CaseDocument, on_delete=models.PROTECT, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.document_id} by {self.user_id}"
