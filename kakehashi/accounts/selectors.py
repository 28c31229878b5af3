"""Who a user is in the framework: the organizations they belong to and may act for."""

from __future__ import annotations

from typing import Any

from .models import Membership, Organization, OrganizationKind, User

_CACHE_ATTR = "_kakehashi_memberships"


def memberships_of(user: Any) -> list[Membership]:
    """The user's memberships with their organizations, fetched once per user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organization"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def organizations_of(user: Any) -> list[Organization]:
    return [m.organization for m in memberships_of(user)]


def acting_organizations_of(user: Any) -> list[Organization]:
    """Organizations the user may act for (manager or clerk, not viewer)."""
    return [m.organization for m in memberships_of(user) if m.can_act]


def organization_ids_of(user: Any, kind: str | None = None) -> list[int]:
    return [o.pk for o in organizations_of(user) if kind is None or o.kind == kind]


def is_member_of_kind(user: Any, kind: OrganizationKind) -> bool:
    return any(o.kind == kind for o in organizations_of(user))


def organizations_visible_to(user: User) -> Any:
    """Organizations are not secret: every signed-in user can read the directory."""
    return Organization.objects.select_related("municipality").order_by("kind", "name_en")
