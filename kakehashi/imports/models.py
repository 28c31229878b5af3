"""A bulk import of rows from a file (docs/architecture.md, "Bulk import"): who, for which
organization, what kind of rows, how far it got and what was wrong."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kakehashi.accounts.models import Organization


class ImportKind(models.TextChoices):
    PERSONS = "persons", _("Persons")
    TEST_RESULTS = "test_results", _("Test results")
    CASES = "cases", _("Cases")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


class ImportJob(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of rows"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("file name"), max_length=200)
    # The uploaded file in private storage, until the job has run (then deleted: empty).
    stored_file = models.CharField(max_length=200, blank=True)
    # The language the uploader read the page in: the errors are written in it.
    language = models.CharField(max_length=8, default="ja")
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # [{"row": 3, "column": "date_of_birth", "message": "..."}], the first MAX_ERRORS.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    # A problem with the whole file (unreadable, unknown column…), in the uploader's language.
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.kind})"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)
