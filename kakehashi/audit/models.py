"""The audit log: one hash-chained table, written only by `log.record` and refused any
UPDATE, DELETE or TRUNCATE by the database (guard.py, installed by the migration).

A row names who acted (a user id, never a foreign key, or a label such as
"command:restore"), from where, what was done to which record, and which fields — never
their values. No personal data is kept, so erasing a person leaves the chain intact
(docs/security.md, "Audit log"; ADR 0024)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The prev_hash of the first row.
GENESIS = "0" * 64


class Action(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    READ = "read", _("read")
    REVEAL = "reveal", _("revealed")
    EXPORT = "export", _("exported")
    SIGN_IN = "sign_in", _("signed in")
    SIGN_OUT = "sign_out", _("signed out")


class AuditEntry(models.Model):
    # The chain's order. Assigned by log.record under the log's lock (last + 1), not by a
    # sequence: a sequence skips numbers on a rollback, and a gap must mean a removed row.
    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField()
    # The acting user's id, not a foreign key: removing a user never touches the log.
    actor_user_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=100, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Method and path ("GET /people/12/"), never the query string.
    request = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    target_model = models.CharField(max_length=100, blank=True)  # "people.person"
    target_pk = models.CharField(max_length=64, blank=True)
    fields = models.JSONField(default=list)  # names of fields, never their values
    detail = models.CharField(max_length=200, blank=True)
    # Unique: two rows can never follow the same row (the chain cannot fork).
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        # The last change of a kind of record (log.last_change: public feeds' ETag).
        indexes = [models.Index(fields=["target_model", "seq"])]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log entries")

    def __str__(self) -> str:
        return f"{self.seq} {self.action} {self.target_model} {self.target_pk}"
