"""Organizations: a read-only directory for signed-in users."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from kakehashi.core.errors import NotFound
from kakehashi.core.pagination import page_by_id
from kakehashi.core.schemas import Limit

from .models import Organization
from .selectors import organization_directory

router = Router(tags=["organizations"])


class OrganizationOut(Schema):
    id: int
    kind: str
    name_ja: str
    name_en: str
    name_local: str
    country: str
    side: str
    municipality_id: int | None
    address: str
    phone: str
    email: str


class OrganizationPage(Schema):
    items: list[OrganizationOut]
    next_cursor: str | None


@router.get("", response=OrganizationPage)
def list_organizations(
    request: HttpRequest,
    kind: str | None = None,
    country: str | None = None,
    limit: Limit = 50,
    cursor: str | None = None,
) -> dict[str, object]:
    qs = organization_directory()
    if kind:
        qs = qs.filter(kind=kind)
    if country:
        qs = qs.filter(country=country.upper())
    items, next_cursor = page_by_id(qs, limit=limit, cursor=cursor, descending=False)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/{organization_id}", response=OrganizationOut)
def get_organization(request: HttpRequest, organization_id: int) -> Organization:
    org = organization_directory().filter(pk=organization_id).first()
    if org is None:
        raise NotFound("organization")
    return org
