"""Who sees what: one query condition per kind of record, built from the actor.

Each function returns a `Q` over the record's own table (field names only, so this module
depends on no domain app). Selectors filter with it; a record outside it is reported like a
missing one (docs/adr/0005). The rules are written out in docs/access.md."""

from __future__ import annotations

from django.db.models import Q

from kakehashi.accounts.models import OrganizationKind

from .actor import Actor

NOTHING = Q(pk__in=[])
EVERYTHING = Q(pk__isnull=False)

# What the Center sees of its country's job offers: everything it was sent. A withdrawn
# offer stays visible if it had been submitted (it may have to come off the Center's site).
CENTER_OFFER_STATUSES = ("submitted", "published", "rejected")


def case_visibility(actor: Actor, prefix: str = "") -> Q:
    """The cases the actor's organizations are party to, or oversee by their role:
    - receiving organization, sending agency, support organization: their own cases;
    - municipality: cases of receiving organizations located in the city;
    - sending-country contact point (the Center): every case of its country;
    - Japanese contact point (ISA): every case (MOC §2, oversight).
    `prefix` puts the condition on a related table (e.g. "cases__" from persons)."""
    q = NOTHING
    if actor.person_id is not None:
        # A worker: their own cases.
        q |= Q(**{f"{prefix}person_id": actor.person_id})
    for org in actor.organizations:
        kind = org.kind
        if kind == OrganizationKind.RECEIVING_ORGANIZATION:
            q |= Q(**{f"{prefix}receiving_organization_id": org.pk})
        elif kind == OrganizationKind.SENDING_AGENCY:
            q |= Q(**{f"{prefix}sending_agency_id": org.pk})
        elif kind == OrganizationKind.SUPPORT_ORGANIZATION:
            q |= Q(**{f"{prefix}support_organization_id": org.pk})
        elif kind == OrganizationKind.MUNICIPALITY:
            q |= Q(**{f"{prefix}municipality_id": org.pk})  # kept with the case
        elif kind == OrganizationKind.SENDING_CONTACT_POINT:
            q |= Q(**{f"{prefix}country": org.country})
        elif kind == OrganizationKind.JP_CONTACT_POINT:
            q |= Q(**{f"{prefix}pk__isnull": False})
    return q


def person_visibility(actor: Actor) -> Q:
    """A person is visible to the organization that registered them, to receiving
    organizations they were presented to, to everyone who can see one of their cases, and
    to the Japanese contact point; the sending country's contact point sees its nationals.
    The condition joins presentations and cases: select persons `pk__in` it (no duplicates)."""
    if actor.is_kind(OrganizationKind.JP_CONTACT_POINT):
        return EVERYTHING
    if actor.person_id is not None:
        return Q(pk=actor.person_id)  # a worker: their own record
    ids = sorted(actor.organization_ids)
    if not ids:
        return NOTHING
    q = Q(created_by_organization_id__in=ids) | Q(presentations__organization_id__in=ids)
    for org in actor.organizations_of_kind(OrganizationKind.SENDING_CONTACT_POINT):
        q |= Q(nationality=org.country)
    return q | case_visibility(actor, prefix="cases__")


def job_offer_visibility(actor: Actor, prefix: str = "") -> Q:
    """- receiving organization (every member): its own offers, in every status;
    - sending-country contact point (the Center): its country's offers once submitted;
    - Japanese contact point (ISA): every offer (MOC §2, oversight).
    Nobody else sees an offer here; published offers are on the public board.
    `prefix` puts the condition on a related table (e.g. "job_offer__" from fees)."""
    q = NOTHING
    for org in actor.organizations:
        if org.kind == OrganizationKind.RECEIVING_ORGANIZATION:
            q |= Q(**{f"{prefix}receiving_organization_id": org.pk})
        elif org.kind == OrganizationKind.SENDING_CONTACT_POINT:
            q |= Q(**{f"{prefix}country": org.country}) & (
                Q(**{f"{prefix}status__in": CENTER_OFFER_STATUSES})
                | Q(**{f"{prefix}status": "withdrawn", f"{prefix}submitted_at__isnull": False})
            )
        elif org.kind == OrganizationKind.JP_CONTACT_POINT:
            q |= Q(**{f"{prefix}pk__isnull": False})
    return q


def notice_visibility(actor: Actor) -> Q:
    """Notices between the contact points: each is read by the organization it was sent to."""
    ids = sorted(actor.organization_ids)
    return Q(to_organization_id__in=ids) if ids else NOTHING


def awaiting_visibility(actor: Actor, steps_for_role: dict[str, list[str]]) -> Q:
    """Cases whose current step is one the actor's organizations record (acting members
    only): `steps_for_role` maps a procedure role to its step keys."""
    q = NOTHING
    for org in actor.acting_organizations:
        kind = org.kind
        own: Q
        if kind == OrganizationKind.RECEIVING_ORGANIZATION:
            own = Q(receiving_organization_id=org.pk)
        elif kind == OrganizationKind.SENDING_AGENCY:
            own = Q(sending_agency_id=org.pk)
        elif kind == OrganizationKind.SUPPORT_ORGANIZATION:
            own = Q(support_organization_id=org.pk)
        elif kind == OrganizationKind.SENDING_CONTACT_POINT:
            own = Q(country=org.country)
        else:
            continue
        q |= own & Q(current_step__in=steps_for_role.get(kind, []))
    return q


def shared_item_visibility(actor: Actor) -> Q:
    """What the contact points exchange under the MOC (protection.SharedItem) is the
    originating side's confidential information (moc_kg §3):
    - Japan's contact point: every item; a partner's contact point: its country's items;
      a draft only the side that drafts it;
    - the embassy of the item's country: its return-support items (moc_kg §8 names it);
    - any other organization: an item whose originating side's written consent names it.
    The condition joins consents: select items `pk__in` it (no duplicates)."""
    q = NOTHING
    filed = ~Q(stage="draft")
    for org in actor.organizations:
        own_draft = Q(stage="draft", from_organization_id=org.pk)
        if org.kind == OrganizationKind.JP_CONTACT_POINT:
            q |= filed | own_draft
        elif org.kind == OrganizationKind.SENDING_CONTACT_POINT:
            q |= Q(country=org.country) & (filed | own_draft)
        elif org.kind == OrganizationKind.EMBASSY:
            q |= Q(kind="return", country=org.country) & filed
    ids = sorted(actor.organization_ids)
    if ids:
        q |= Q(consents__to_organization_id__in=ids) & filed
    return q


def fee_visibility(actor: Actor) -> Q:
    """Fees are seen by whoever sees their case or their job offer."""
    return case_visibility(actor, prefix="case__") | (
        Q(job_offer__isnull=False) & job_offer_visibility(actor, prefix="job_offer__")
    )


def grievance_visibility(actor: Actor) -> Q:
    """A worker's grievance: the worker it concerns, and the organization that owns it (the
    Center, the support organization or Japan's contact point). Nobody else, not the
    employer or agency it names: for them it does not exist."""
    q = NOTHING
    if actor.person_id is not None:
        q |= Q(person_id=actor.person_id)
    ids = sorted(actor.organization_ids)
    if ids:
        q |= Q(owner_organization_id__in=ids)
    return q


def need_visibility(actor: Actor) -> Q:
    """An employer's needs: its own organization's members, and the city it is located in."""
    q = NOTHING
    for org in actor.organizations:
        if org.kind == OrganizationKind.RECEIVING_ORGANIZATION:
            q |= Q(receiving_organization_id=org.pk)
        elif org.kind == OrganizationKind.MUNICIPALITY:
            q |= Q(receiving_organization__municipality_id=org.pk)
    return q


def pool_visibility(actor: Actor) -> Q:
    """A partner institution's pool: the institution sees all of it; employers and cities
    only the candidates who consented to be presented (their consent is on record)."""
    q = NOTHING
    for org in actor.organizations:
        if org.kind == OrganizationKind.PARTNER_INSTITUTION:
            q |= Q(institution_id=org.pk)
        elif org.kind in (OrganizationKind.RECEIVING_ORGANIZATION, OrganizationKind.MUNICIPALITY):
            q |= Q(consented_at__isnull=False)
    return q


def notification_visibility(actor: Actor) -> Q:
    """A notification to immigration: its employer's members, and whoever sees its case."""
    ids = sorted(o.pk for o in actor.organizations)
    return Q(organization_id__in=ids) | (
        Q(case__isnull=False) & case_visibility(actor, prefix="case__")
    )


def incident_visibility(actor: Actor) -> Q:
    """Incidents (leaks, losses, damage of personal data): each organization's members see
    its own; Japan's contact point, which oversees the system (MOC §2), sees every one, to
    read (docs/privacy.md)."""
    if actor.is_kind(OrganizationKind.JP_CONTACT_POINT):
        return EVERYTHING
    ids = sorted(actor.organization_ids)
    return Q(organization_id__in=ids) if ids else NOTHING


def import_job_visibility(actor: Actor) -> Q:
    """Bulk imports: seen by the members of the organization they were made for."""
    return Q(organization_id__in=sorted(actor.organization_ids))
