"""Helpers the page views share: who is acting, and how a service error becomes a page."""

from __future__ import annotations

from typing import NoReturn

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from kakehashi.accounts.models import User

from .errors import DomainError


def acting_user(request: HttpRequest) -> User:
    """The signed-in user (views that call this are behind login_required)."""
    user = request.user
    assert isinstance(user, User), "the views are behind login_required"
    return user


def refuse(error: DomainError) -> NoReturn:
    """A 404 or 403 from a service refuses the whole page; anything else is re-raised."""
    if error.status == 404:
        raise Http404(error.message) from error
    if error.status == 403:
        raise PermissionDenied(error.message) from error
    raise error
