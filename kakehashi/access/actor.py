"""The actor: who is acting, for which organizations, in which capacity.

Resolved once per request (pages: `ActorMiddleware`; the API: its authentication) from the
user's memberships, and passed to every selector and service. Each question about "who
acts for whom" is a method here, so no view, endpoint or service works it out again
(docs/access.md)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.translation import gettext as _

from kakehashi.accounts.models import (
    MemberRole,
    Membership,
    Organization,
    OrganizationKind,
    User,
    WorkerAccount,
)
from kakehashi.core.errors import NotAllowed

# The two contact points of the MOC (moc_kg §2): the only parties that see what the two
# governments exchange (MOC §3).
CONTACT_POINT_KINDS = frozenset(
    {OrganizationKind.JP_CONTACT_POINT, OrganizationKind.SENDING_CONTACT_POINT}
)


class CaseParties(Protocol):
    """What the actor needs to know of a case to say which parts it plays in it."""

    receiving_organization_id: int
    sending_agency_id: int | None
    support_organization_id: int | None
    country: str


@dataclass(frozen=True)
class Actor:
    """A user (or the system, for scheduled work) and the memberships it acts through.
    Managers and clerks act; viewers only read (`Membership.can_act`)."""

    user: User | None
    memberships: tuple[Membership, ...] = ()
    system: bool = False
    # A worker's own account: the person record it is tied to (accounts.WorkerAccount).
    person_id: int | None = None

    # --- building one -------------------------------------------------------------------

    @classmethod
    def of(cls, user: Any) -> Actor:
        """The actor for a user: their memberships with the organizations, in one query."""
        if isinstance(user, Actor):
            return user
        if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
            return ANONYMOUS
        memberships = tuple(
            Membership.objects.filter(user=user).select_related("organization").order_by("id")
        )
        person_id = (
            None
            if memberships
            else WorkerAccount.objects.filter(user=user).values_list("person_id", flat=True).first()
        )
        return cls(user=user, memberships=memberships, person_id=person_id)

    @classmethod
    def for_system(cls, organization: Organization) -> Actor:
        """Scheduled work done on an organization's behalf (e.g. recording a certification
        expiry for the ministry): no user, one acting membership, never saved."""
        membership = Membership(organization=organization, role=MemberRole.MANAGER)
        return cls(user=None, memberships=(membership,), system=True)

    # --- who it is ----------------------------------------------------------------------

    @property
    def is_worker(self) -> bool:
        """Signed in with a worker's own account (sees only their own record)."""
        return self.person_id is not None

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None or self.system

    @property
    def required_user(self) -> User:
        """The signed-in user, for a write that records who did it (scheduled work, which
        has no user, cannot make such a write)."""
        if self.user is None:
            raise NotAllowed(_("Only a signed-in user can do this."))
        return self.user

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None

    @property
    def label(self) -> str:
        """The name history rows show for this actor."""
        return self.user.get_username() if self.user is not None else "system"

    @property
    def organizations(self) -> tuple[Organization, ...]:
        return tuple(m.organization for m in self.memberships)

    @property
    def organization_ids(self) -> frozenset[int]:
        return frozenset(m.organization_id for m in self.memberships)

    @property
    def acting_organizations(self) -> tuple[Organization, ...]:
        return tuple(m.organization for m in self.memberships if m.can_act)

    def member_of(self, organization_id: int | None) -> bool:
        """Belongs to the organization, in any role (viewers too)."""
        return organization_id is not None and organization_id in self.organization_ids

    def acts_for(self, organization_id: int | None) -> Organization | None:
        """The organization, if the actor may act for it (manager or clerk)."""
        return next(
            (o for o in self.acting_organizations if o.pk == organization_id and o.pk), None
        )

    def organizations_of_kind(
        self, kind: str, *, country: str | None = None, acting: bool = False
    ) -> tuple[Organization, ...]:
        """Its organizations of a kind (and country), only those it acts for if `acting`."""
        pool: Iterable[Organization] = self.acting_organizations if acting else self.organizations
        return tuple(
            o for o in pool if o.kind == kind and (country is None or o.country == country)
        )

    def acts_as(self, kind: str, country: str | None = None) -> Organization | None:
        """The first organization of this kind (and country) the actor acts for."""
        found = self.organizations_of_kind(kind, country=country, acting=True)
        return found[0] if found else None

    def is_kind(self, kind: str, country: str | None = None) -> bool:
        """A member (in any role) of an organization of this kind."""
        return bool(self.organizations_of_kind(kind, country=country))

    def require(
        self, kind: str, message: str, *, country: str | None = None, code: str = "forbidden"
    ) -> Organization:
        """The organization of this kind the actor acts for, or a 403 with `message`."""
        organization = self.acts_as(kind, country)
        if organization is None:
            raise NotAllowed(message, code=code)
        return organization

    def require_for(self, organization_id: int, message: str) -> Organization:
        organization = self.acts_for(organization_id)
        if organization is None:
            raise NotAllowed(message)
        return organization

    @property
    def is_contact_point(self) -> bool:
        """A member of one of the MOC's two contact points (moc_kg §2)."""
        return any(o.kind in CONTACT_POINT_KINDS for o in self.organizations)

    def is_contact_point_for(self, country: str) -> bool:
        """Japan's contact point, or the sending contact point of `country`: the two sides
        of that country's MOC."""
        return self.is_kind(OrganizationKind.JP_CONTACT_POINT) or self.is_kind(
            OrganizationKind.SENDING_CONTACT_POINT, country
        )

    # --- its parts in a case ------------------------------------------------------------

    def case_parties(self, case: CaseParties) -> dict[str, Organization]:
        """The procedure roles the actor may act in on this case, each with the organization
        through which it holds it (viewers act in none)."""
        parties: dict[str, Organization] = {}
        for org in self.acting_organizations:
            if org.pk == case.receiving_organization_id:
                parties.setdefault("receiving_organization", org)
            if org.pk == case.sending_agency_id:
                parties.setdefault("sending_agency", org)
            if org.pk == case.support_organization_id:
                parties.setdefault("support_organization", org)
            if org.kind == OrganizationKind.SENDING_CONTACT_POINT and org.country == case.country:
                parties.setdefault("sending_contact_point", org)
        return parties

    def case_roles(self, case: CaseParties) -> frozenset[str]:
        return frozenset(self.case_parties(case))


ANONYMOUS = Actor(user=None)
