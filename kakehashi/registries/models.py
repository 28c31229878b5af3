"""The MOC's registries (shared/DOMAIN.md §4). History is kept as dated decisions so that
the state on any past date can be answered; nothing here is edited in place."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificationAction(models.TextChoices):
    """Decisions of the sending country's ministry on an agency (MOC §7(1), §7(4))."""

    CERTIFIED = "certified", _("Certified")
    SUSPENDED = "suspended", _("Suspended")
    RESUMED = "resumed", _("Resumed")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class AgencyCertificationDecision(models.Model):
    """One dated decision on a sending agency's certification for a destination country.
    Source: seed 003 (MOC) §7(1)–(2) certification, §7(4) revocation, §6(1)–(2) publication."""

    agency = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="certification_decisions"
    )
    destination_country = models.CharField(max_length=2, default="JP")
    action = models.CharField(max_length=16, choices=CertificationAction.choices)
    effective_on = models.DateField(_("effective on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    certificate_number = models.CharField(max_length=60, blank=True)
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency_id", "effective_on", "id"]
        indexes = [models.Index(fields=["agency", "destination_country", "effective_on"])]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.action} {self.effective_on}"


class PlacementLicence(models.Model):
    """A Japanese job-placement licence (職業紹介事業の許可). Selecting candidates is
    placement and needs one (seed 002, 3(2) note; R-P4)."""

    holder = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="placement_licences"
    )
    licence_number = models.CharField(max_length=40)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    countries = models.CharField(max_length=100, blank=True, help_text="ISO codes, comma-separated")

    class Meta:
        ordering = ["holder_id", "valid_from"]

    def __str__(self) -> str:
        return self.licence_number


class FieldSuspension(models.Model):
    """Japan temporarily suspends acceptance in a field (seed 003, MOC §8)."""

    field = models.ForeignKey(
        "reference.Field", on_delete=models.PROTECT, related_name="suspensions"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["field_id", "starts_on"]

    def __str__(self) -> str:
        return f"{self.field_id} {self.starts_on}–{self.ends_on or ''}"
