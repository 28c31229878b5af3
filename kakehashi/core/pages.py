"""How a service error becomes a page."""

from __future__ import annotations

from typing import NoReturn

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .errors import DomainError


def refuse(error: DomainError) -> NoReturn:
    """A 404 or 403 from a service refuses the whole page; anything else is re-raised."""
    if error.status == 404:
        raise Http404(error.message) from error
    if error.status == 403:
        raise PermissionDenied(error.message) from error
    raise error
