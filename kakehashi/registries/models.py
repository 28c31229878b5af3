"""The MOC's registries (moc_kg §6, §7, §8). History is kept as dated decisions so that the
state on any past date can be answered; decisions are never edited in place."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CertificationAction(models.TextChoices):
    """Steps in an agency's certification for a destination country: its application, and
    the decisions of the sending country's ministry on it (MOC §7(1), §7(4))."""

    APPLIED = "applied", pgettext_lazy("certification decision", "Applied")
    REFUSED = "refused", pgettext_lazy("certification decision", "Refused")
    CERTIFIED = "certified", pgettext_lazy("certification decision", "Certified")
    SUSPENDED = "suspended", pgettext_lazy("certification decision", "Suspended")
    RESUMED = "resumed", pgettext_lazy("certification decision", "Resumed")
    REVOKED = "revoked", pgettext_lazy("certification decision", "Revoked")
    EXPIRED = "expired", pgettext_lazy("certification decision", "Expired")


class AgencyCertificationDecision(models.Model):
    """One dated decision on a sending agency's certification for a destination country.
    Source: moc_kg §7(1)–(2) certification, §7(4) revocation, §6(1)–(2) publication.

    The reason is the sending country's information, exchanged under the MOC: the two
    contact points see it; others only with written consent (ReasonDisclosure, moc_kg §3)."""

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
    recorded_by_organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency_id", "effective_on", "id"]
        indexes = [models.Index(fields=["agency", "destination_country", "effective_on"])]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.action} {self.effective_on}"


class DisclosureScope(models.TextChoices):
    """Who may read a reason beyond the two contact points, by the originating side's
    written consent (moc_kg §3)."""

    PARTIES = "parties", _("The parties to the cases it concerns")
    PUBLIC = "public", _("The public")


class ReasonDisclosure(models.Model):
    """The originating side's written consent to disclose the reason of a decision beyond
    the two contact points (moc_kg §3). Recorded by that side's contact point; never edited.
    The widest consent given counts."""

    decision = models.ForeignKey(
        AgencyCertificationDecision, on_delete=models.PROTECT, related_name="disclosures"
    )
    scope = models.CharField(max_length=16, choices=DisclosureScope.choices)
    consented_on = models.DateField(_("consent given on"))
    consent_reference = models.CharField(_("reference of the written consent"), max_length=100)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_by_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decision_id", "id"]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.scope}"


class PlacementLicence(models.Model):
    """A Japanese job-placement licence (職業紹介事業の許可). Selecting candidates is
    placement and needs one that covers the candidates' country (isa_kg_flow 3(2)※; R-P4)."""

    holder = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="placement_licences"
    )
    licence_number = models.CharField(max_length=40)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    # ISO 3166-1 alpha-2 codes of the countries the licence covers for placement.
    countries = models.JSONField(default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True, null=True)

    class Meta:
        ordering = ["holder_id", "valid_from"]

    def __str__(self) -> str:
        return self.licence_number


class FieldSuspension(models.Model):
    """Japan temporarily suspends acceptance in a field (moc_kg §8: 一時的に停止). It lasts
    from `starts_on` to `ends_on` inclusive; Japan's contact point ends it on a date."""

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
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["field_id", "starts_on"]

    def __str__(self) -> str:
        return f"{self.field_id} {self.starts_on}–{self.ends_on or ''}"


class ImprovementOrder(models.Model):
    """An improvement order (改善命令) to a receiving organization. Japan notifies the
    partner country concerned (moc_kg §6(3)), which publishes it (§7(5))."""

    receiving_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="improvement_orders"
    )
    order_number = models.CharField(_("order number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"))
    summary = models.TextField(_("summary (published)"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Open until the organization has complied and Japan closes it on a date.
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.CharField(_("how it was closed"), max_length=500, blank=True)

    class Meta:
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"{self.receiving_organization_id} {self.issued_on}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class SupportRegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CANCELLED = "cancelled", _("Cancelled")


class SupportOrganizationRegistration(models.Model):
    """A registered support organization (登録支援機関). Japan shares the list with its MOC
    partners (moc_kg §6(3)), which publish it (§7(5))."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="support_registrations"
    )
    registration_number = models.CharField(_("registration number"), max_length=40, unique=True)
    registered_on = models.DateField(_("registered on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    languages = models.CharField(_("support languages"), max_length=200, blank=True)
    status = models.CharField(
        max_length=16,
        choices=SupportRegistrationStatus.choices,
        default=SupportRegistrationStatus.REGISTERED,
    )
    cancelled_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["registration_number"]

    def __str__(self) -> str:
        return self.registration_number


class NoticeKind(models.TextChoices):
    AGENCY_DECISION = "agency_decision", _("Sending agency certification decision")
    IMPROVEMENT_ORDER = "improvement_order", _("Improvement order to a receiving organization")
    SUPPORT_ORGANIZATIONS = "support_organizations", _("Registered support organizations list")
    FIELD_SUSPENSION = "field_suspension", _("Suspension of acceptance in a field")
    FIELD_SUSPENSION_ENDED = "field_suspension_ended", _("End of a suspension in a field")


class Notice(models.Model):
    """What one contact point tells the other under the MOC of one partner country
    (moc_kg §6(1)–(3), §7(2), §7(4), §8), written in the same transaction as the decision
    it reports. Its text is written when it is read, in the reader's language, from its
    kind and payload (registries/notices.py)."""

    kind = models.CharField(max_length=32, choices=NoticeKind.choices)
    # The partner country whose MOC the notice is sent under.
    country = models.CharField(max_length=2)
    from_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="notices_sent"
    )
    to_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="notices_received"
    )
    payload = models.JSONField(default=dict)
    source = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["to_organization", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to_organization_id}"
