"""Reads of persons through the acting user (docs/access.md)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.accounts.selectors import memberships_of
from kakehashi.core.errors import NotFound

from .models import Person, Presentation


def person_visibility(user: Any) -> Q:
    """A person is visible to the organization that registered them, to receiving
    organizations they were presented to, to everyone who can see one of their cases, and
    to the Japanese contact point; the sending country's contact point sees its nationals."""
    from kakehashi.cases.selectors import case_visibility

    q = Q(pk__in=[])
    org_ids = []
    for membership in memberships_of(user):
        org = membership.organization
        org_ids.append(org.pk)
        if org.kind == OrganizationKind.JP_CONTACT_POINT:
            return Q(pk__isnull=False)
        if org.kind == OrganizationKind.SENDING_CONTACT_POINT:
            q |= Q(nationality=org.country)
    if not org_ids:
        return q
    from kakehashi.cases.models import Case

    visible_cases = Case.objects.filter(case_visibility(user)).values("person_id")
    return (
        q
        | Q(created_by_organization_id__in=org_ids)
        | Q(pk__in=Presentation.objects.filter(organization_id__in=org_ids).values("person_id"))
        | Q(pk__in=visible_cases)
    )


def persons_visible_to(user: Any) -> QuerySet[Person]:
    return Person.objects.filter(person_visibility(user))


def person_list(user: Any, search: str | None = None) -> QuerySet[Person]:
    qs = persons_visible_to(user).select_related("created_by_organization")
    for word in (search or "").split():
        qs = qs.filter(
            Q(family_name__icontains=word)
            | Q(given_names__icontains=word)
            | Q(native_name__icontains=word)
        )
    return qs.order_by("family_name", "given_names", "id")


def person_get_for_user(user: Any, person_id: int) -> Person:
    person = persons_visible_to(user).filter(pk=person_id).first()
    if person is None:
        raise NotFound("person")
    return person


def person_acting_organization_ids(user: Any, person: Person) -> set[int]:
    """The organizations the user acts for (not as a viewer) that work with this person:
    the one that registered them, those they were presented to, and the receiving
    organizations and agencies of their cases."""
    from kakehashi.cases.models import Case

    acting = {m.organization_id for m in memberships_of(user) if m.can_act}
    involved = {person.created_by_organization_id}
    involved |= set(
        Presentation.objects.filter(person=person).values_list("organization_id", flat=True)
    )
    for receiving, agency in Case.objects.filter(person=person).values_list(
        "receiving_organization_id", "sending_agency_id"
    ):
        involved |= {receiving, agency}
    return acting & involved


# Organizations whose staff register candidates: employers, agencies, the Center, the city.
REGISTERING_KINDS = frozenset(
    {
        OrganizationKind.RECEIVING_ORGANIZATION,
        OrganizationKind.SENDING_AGENCY,
        OrganizationKind.SENDING_CONTACT_POINT,
        OrganizationKind.MUNICIPALITY,
    }
)


def registering_organization_of(user: Any) -> Organization | None:
    """The organization a new person registered by this user belongs to, if any."""
    for membership in memberships_of(user):
        if membership.can_act and membership.organization.kind in REGISTERING_KINDS:
            return membership.organization
    return None


def may_manage_person(user: Any, person: Person) -> bool:
    """Change the record and present the person: staff of the registering organization."""
    return any(
        m.can_act and m.organization_id == person.created_by_organization_id
        for m in memberships_of(user)
    )


def may_add_test_results(user: Any, person: Person) -> bool:
    return bool(person_acting_organization_ids(user, person))


def presentations_visible_to(user: Any, person: Person) -> list[Presentation]:
    """All presentations for the registering organization; for others only those made to
    or by their own organizations (who else was offered the person is not theirs to know)."""
    own = {m.organization_id for m in memberships_of(user)}
    rows = list(person.presentations.select_related("organization", "presented_by_organization"))
    if person.created_by_organization_id in own:
        return rows
    return [p for p in rows if p.organization_id in own or p.presented_by_organization_id in own]
