"""Filters for the public pages, which show presenter rows (plain dicts) rather than models."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from kakehashi.registries.models import CertificationAction

from ..presenters import STATE_BADGES, STATE_LABELS

register = template.Library()


@register.filter
def localized(row: dict[str, Any], prefix: str) -> str:
    """`row|localized:"name"` is row["name_ja"] on a Japanese page when there is one, else
    row["name_en"] (as Organization.display_name does)."""
    if get_language() == "ja" and row.get(f"{prefix}_ja"):
        return str(row[f"{prefix}_ja"])
    return str(row.get(f"{prefix}_en") or "")


@register.filter
def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))


@register.filter
def state_badge(state: str) -> str:
    return STATE_BADGES.get(state, "closed")


@register.filter
def action_label(action: str) -> str:
    try:
        return str(CertificationAction(action).label)
    except ValueError:
        return action
