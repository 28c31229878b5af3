"""How a service error becomes a page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NoReturn

from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse

from .errors import DomainError, InvalidInput, Problem
from .forms import AccessibleForm, apply_problems
from .pagination import KeysetPage, keyset_page, parse_after


def refuse(error: DomainError) -> NoReturn:
    """A 404 or 403 from a service refuses the whole page; anything else is re-raised."""
    if error.status == 404:
        raise Http404(error.message) from error
    if error.status == 403:
        raise PermissionDenied(error.message) from error
    raise error


def form_refusal(
    form: AccessibleForm, error: DomainError, field_map: dict[str, str] | None = None
) -> list[Problem]:
    """A service's refusal of a form: 404 and 403 refuse the whole page; anything else
    (invalid input, a conflict such as a duplicate, a rule) goes next to the fields it
    names, the rest above the form."""
    if error.status in (403, 404):
        refuse(error)
    return apply_problems(form, error, field_map)


def page_refusal(error: DomainError) -> list[Problem]:
    """A service's refusal of an action without a form: 404 and 403 refuse the whole
    page; anything else is listed on the page it came from."""
    if error.status in (403, 404):
        refuse(error)
    return [*error.problems] or [Problem(error.code, error.message)]


def address_before_id(viewname: str) -> str:
    """The address of `viewname` (a page of one record, ".../<id>/") up to the id, for a
    list that links every row: resolved once, the id appended per row."""
    address = reverse(viewname, args=[0])
    assert address.endswith("/0/"), address
    return address[: -len("0/")]


def list_page(
    request: HttpRequest, qs: QuerySet[Any], *, order: Sequence[str], size: int
) -> KeysetPage:
    """The page of a signed-in list that `?after=` asks for (core/pagination.py); a
    mangled link is a 400."""
    try:
        after = parse_after(request.GET.get("after"))
    except InvalidInput as error:
        raise BadRequest(error.message) from error
    return keyset_page(qs, order=order, size=size, after=after)
