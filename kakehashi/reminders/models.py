"""Reminders the daily job writes to an organization's inbox (and e-mails to its members):
one per organization and key, so a second run on the same day writes nothing twice."""

from __future__ import annotations

from django.db import models


class Reminder(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=32)
    # What makes it the same reminder: e.g. "interview:12:2027-03-03".
    key = models.CharField(max_length=120)
    due_on = models.DateField()
    params = models.JSONField(default=dict)
    link = models.CharField(max_length=200, blank=True)
    created_on = models.DateField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="one_reminder_per_key")
        ]

    def __str__(self) -> str:
        return self.key
