"""Reads of the organization directory."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Organization


def organization_directory() -> QuerySet[Organization]:
    """Organizations are not secret: every signed-in user can read the directory (the API
    requires sign-in for it; docs/access.md)."""
    return Organization.objects.select_related("municipality").order_by("kind", "name_en")
