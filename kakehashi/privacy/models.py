"""Personal data under the APPI (docs/privacy.md): a worker's requests to correct their
record, the erasure (anonymisation) of a person, and the incidents (leaks, losses, damage)
an organization records with its reports to the Personal Information Protection Commission."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kakehashi.core import crypto
from kakehashi.people.models import IDENTIFIER_FIELDS

# The fields of a person's record a worker asks the registering organization to correct
# (their phone and e-mail address they correct themselves).
CORRECTABLE_FIELDS = (
    "family_name",
    "given_names",
    "native_name",
    "nationality",
    "date_of_birth",
    "passport_number",
    "passport_expiry",
    "current_country",
    "current_status_of_residence",
)


# Identifiers kept encrypted at rest, as on the person's record (core/crypto.py).
SEALED_FIELDS = IDENTIFIER_FIELDS


class CorrectionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("correction", "Waiting for an answer")
    ACCEPTED = "accepted", pgettext_lazy("correction", "Corrected")
    REFUSED = "refused", pgettext_lazy("correction", "Refused")


class CorrectionRequest(models.Model):
    """A worker asks for a field of their record to be corrected (appi 第34条): the field,
    the correct value as they wrote it, and a note. The registering organization accepts it
    (the record is changed through the person service) or refuses it with a reason."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="correction_requests"
    )
    field = models.CharField(_("what to correct"), max_length=40)
    # An identifier (SEALED_FIELDS) is stored encrypted; read `clear_value`.
    value = models.TextField(_("the correct value"))
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.OPEN
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by_organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"correction {self.pk} of person {self.person_id}"

    @property
    def clear_value(self) -> str:
        """The value asked for (an identifier is stored encrypted, like the record's)."""
        return crypto.unseal(self.value) if crypto.is_sealed(self.value) else self.value


class ErasureRule(models.TextChoices):
    REQUEST = "request", _("On the person's request")
    RETENTION = "retention", _("The retention period ended")


class Erasure(models.Model):
    """A person anonymised: who did it (or the daily job), when, why and under which rule.
    The person's row stays, without what identifies them, so that cases and statistics
    keep counting (docs/adr/0025)."""

    person = models.OneToOneField("people.Person", on_delete=models.PROTECT, related_name="erasure")
    rule = models.CharField(_("rule"), max_length=16, choices=ErasureRule.choices)
    source = models.CharField(max_length=200)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    # What was erased, counted: {"documents": 3, "history_rows": 7, ...}.
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"erasure of person {self.person_id}"


class IncidentKind(models.TextChoices):
    LEAK = "leak", _("Leak: shown or sent to someone not entitled to it")
    LOSS = "loss", _("Loss")
    DAMAGE = "damage", _("Damage: altered or made unusable")
    UNAUTHORISED_ACCESS = "unauthorised_access", _("Unauthorised access")


class IncidentStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("incident", "Open")
    CLOSED = "closed", pgettext_lazy("incident", "Closed")


class Incident(models.Model):
    """A leak, loss or damage of personal data (appi 第26条) that an organization records:
    what happened, how it came to light, whom it affects, the cause and the measures, and
    when the preliminary and final reports went to the Commission and the persons were
    notified. Whether a report is required and by when follows privacy/data/rules.yaml."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what happened"))
    kind = models.CharField(_("kind"), max_length=24, choices=IncidentKind.choices)
    discovered_on = models.DateField(_("discovered on"))
    sensitive_data = models.BooleanField(_("sensitive personal information involved"))
    financial_damage_possible = models.BooleanField(_("misuse may cause financial damage"))
    unauthorised_act = models.BooleanField(_("caused or likely caused by an unauthorised act"))
    strongly_encrypted = models.BooleanField(
        _("the data was protected by strong encryption"), default=False
    )
    persons_affected = models.PositiveIntegerField(_("number of persons affected"))
    persons = models.ManyToManyField("people.Person", blank=True, related_name="+")
    cause = models.TextField(_("cause"), blank=True)
    measures = models.TextField(_("measures taken"), blank=True)
    preliminary_report_on = models.DateField(_("preliminary report sent on"), null=True, blank=True)
    final_report_on = models.DateField(_("final report sent on"), null=True, blank=True)
    persons_notified_on = models.DateField(_("persons notified on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-discovered_on", "-id"]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return f"incident {self.pk}"
