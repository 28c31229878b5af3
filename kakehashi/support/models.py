"""Life after landing: the support plan of each worker, its mandatory items with who
delivers them and when, and the interviews every three months; the periods of stay,
extension applications and leave left out of the five-year total; and the notifications the
employer owes immigration."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SupportPlan(models.Model):
    """A worker's support plan, opened when their stay as an SSW begins (landing, or a change
    of status granted). The employer delivers it, or the registered support organization it
    entrusted."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="support_plan")
    starts_on = models.DateField(_("stay began on"))
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"plan of case {self.case_id}"


class SupportItem(models.Model):
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(max_length=40)
    deliverer = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    planned_on = models.DateField(_("planned on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    record = models.TextField(_("record"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan_id", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="one_item_per_key")]

    def __str__(self) -> str:
        return self.key


class Interview(models.Model):
    """An interview every three months; holding one schedules the next."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="interviews")
    due_on = models.DateField(_("due on"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    in_person = models.BooleanField(_("in person"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.due_on}"


class StayBasis(models.TextChoices):
    LANDING = "landing", _("Landing")
    CHANGE_OF_STATUS = "change_of_status", _("Change of status")
    EXTENSION = "extension", _("Extension")


class StayPeriod(models.Model):
    """A period of stay as granted (the residence card shows its end). The last one is the
    period in force."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="stay_periods")
    basis = models.CharField(_("basis"), max_length=20, choices=StayBasis.choices)
    granted_on = models.DateField(_("granted on"))
    expires_on = models.DateField(_("period of stay ends on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "granted_on", "id"]
        indexes = [models.Index(fields=["expires_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("granted_on")),
                name="stay_ends_after_grant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.granted_on}–{self.expires_on}"


class ExtensionOutcome(models.TextChoices):
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class ExtensionApplication(models.Model):
    """An application to extend the period of stay, and its decision."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="extension_applications"
    )
    applied_on = models.DateField(_("applied on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=ExtensionOutcome.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case_id", "applied_on", "id"]
        constraints = [
            # One application pending at a time.
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(outcome=""), name="one_pending_extension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.applied_on}"


class StayLeave(models.Model):
    """Leave that the rules may exclude from the five-year total (kinds in
    support/data/stay_rules.yaml)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="stay_leave")
    kind = models.SlugField(_("kind"), max_length=40)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case_id", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="leave_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.starts_on}–{self.ends_on}"


class NotificationKind(models.TextChoices):
    """What the employer notifies to immigration (immigration_act 第19条の18)."""

    CONTRACT_CHANGED = "contract_changed", _("Employment contract changed")
    CONTRACT_ENDED = "contract_ended", _("Employment contract ended")
    SUPPORT_PLAN_CHANGED = "support_plan_changed", _("Support plan changed")
    ACCEPTANCE_DIFFICULTY = "acceptance_difficulty", _("Acceptance has become difficult")
    STANDARDS_NOT_MET = "standards_not_met", _("A standard is no longer met")
    PERIODIC = "periodic", _("Periodic notification")


AD_HOC_KINDS = [k for k in NotificationKind.values if k != NotificationKind.PERIODIC]


class NotificationStatus(models.TextChoices):
    DUE = "due", _("Due")
    DRAFTED = "drafted", _("Drafted")
    FILED = "filed", _("Filed")


class ImmigrationNotification(models.Model):
    """A notification the employer owes immigration: ad hoc, about one worker, within 14 days
    of the event; or periodic, about all its workers, for a period. Moves due → drafted →
    filed (with the receipt number); past its deadline unfiled, or filed after it, it is
    late."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="immigration_notifications",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    event_on = models.DateField(_("date of the event"), null=True, blank=True)
    details = models.TextField(_("details"), blank=True)
    worker_stays = models.BooleanField(_("the worker stays in Japan"), null=True, blank=True)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period until"), null=True, blank=True)
    due_on = models.DateField(_("due on"))
    source = models.CharField(max_length=200)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.DUE,
    )
    drafted_at = models.DateTimeField(null=True, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["organization", "status", "due_on"])]
        constraints = [
            # One periodic notification per employer and period (the daily job writes it).
            models.UniqueConstraint(
                fields=["organization", "period_start"],
                condition=models.Q(kind="periodic"),
                name="one_periodic_notification_per_period",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="filed") | ~models.Q(receipt_number=""),
                name="filed_notification_has_receipt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} due {self.due_on}"

    def is_late(self, today: Any) -> bool:
        if self.filed_on is not None:
            return self.filed_on > self.due_on
        return today > self.due_on
