"""Life after landing: the support plan of each worker, its mandatory items with who
delivers them and when, and the interviews every three months."""

from __future__ import annotations

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
