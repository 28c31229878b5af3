"""The actor of a request, resolved once per request from the signed-in user (pages) or the
user behind the bearer token (the API sets `request.user` when it authenticates)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .actor import Actor

_ATTR = "_kakehashi_actor"


def request_actor(request: HttpRequest) -> Actor:
    """The actor for `request.user`, built on first use and kept for the request."""
    user = getattr(request, "user", None)
    cached: Actor | None = getattr(request, _ATTR, None)
    if cached is None or cached.user is not user:
        cached = Actor.of(user)
        setattr(request, _ATTR, cached)
    return cached


def organizations(request: HttpRequest) -> dict[str, Any]:
    """Template context: the signed-in user's organizations, shown in every page's header,
    and the actor, for templates that ask the policy which actions to offer."""
    from .policy import (
        hub_municipality,
        owns_grievances,
        partner_institution,
        sees_moc_exchange,
        sees_support_work,
    )

    actor = request_actor(request)
    return {
        "user_organizations": actor.organizations,
        "actor": actor,
        "sees_moc_exchange": sees_moc_exchange(actor),
        "owns_grievances": owns_grievances(actor),
        "sees_support_work": sees_support_work(actor),
        "is_hub": hub_municipality(actor) is not None
        or partner_institution(actor) is not None
        or actor.is_kind("receiving_organization"),
    }
