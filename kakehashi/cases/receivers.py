"""Keeps what a case stores of its parties in step with them: a receiving organization moved
to another municipality (hub) takes its cases' `municipality` with it, so that the city's
list (a filter on that one column) stays right."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from kakehashi.accounts.models import Organization, OrganizationKind

from .models import Case


@receiver(post_save, sender=Organization, dispatch_uid="cases.municipality_follows_employer")
def municipality_follows_employer(sender: Any, instance: Organization, **kwargs: Any) -> None:
    if instance.kind != OrganizationKind.RECEIVING_ORGANIZATION or kwargs.get("created"):
        return
    # One UPDATE of the rows that differ; the audit log records the organization's change.
    Case.objects.filter(receiving_organization=instance).exclude(
        municipality_id=instance.municipality_id
    ).update(municipality_id=instance.municipality_id)
