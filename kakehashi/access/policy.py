"""Who may do what: one predicate per permission in docs/access.md. Services enforce them
(and refuse with 403); pages and endpoints ask the same predicates only to decide which
forms and buttons to offer. Nothing here writes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from django.utils.translation import gettext as _

from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.core.errors import InvalidInput, NotAllowed, Problem

from .actor import Actor

# Organizations whose staff register candidates: employers, agencies, the Center, the city.
REGISTERING_KINDS = (
    OrganizationKind.RECEIVING_ORGANIZATION,
    OrganizationKind.SENDING_AGENCY,
    OrganizationKind.SENDING_CONTACT_POINT,
    OrganizationKind.MUNICIPALITY,
    OrganizationKind.PARTNER_INSTITUTION,
)


class RegisteredPerson(Protocol):
    pk: Any
    created_by_organization_id: int
    presentations: Any  # related manager
    cases: Any  # related manager


class OfferLike(Protocol):
    receiving_organization_id: int
    country: str


# --- cases ---------------------------------------------------------------------------------


def case_opening_organizations(actor: Actor) -> tuple[Organization, ...]:
    """Receiving organizations the actor may open a case for (its own, as manager or clerk)."""
    return actor.organizations_of_kind(OrganizationKind.RECEIVING_ORGANIZATION, acting=True)


def may_open_cases(actor: Actor) -> bool:
    return bool(case_opening_organizations(actor))


def acting_receiving_organization(
    actor: Actor, organization_id: int | None, refusal: str, field: str
) -> Organization:
    """The receiving organization the actor acts for in a new case or job offer: the one
    named, or its only one. 403 with `refusal` if it acts for none (or not the one named);
    422 on `field` if it acts for several and named none."""
    candidates = list(case_opening_organizations(actor))
    if organization_id is not None:
        candidates = [o for o in candidates if o.pk == organization_id]
    if not candidates:
        raise NotAllowed(refusal, code="not_receiving_organization")
    if len(candidates) > 1:
        raise InvalidInput(
            [Problem("required", _("Choose the receiving organization."), field=field)]
        )
    return candidates[0]


# --- persons ------------------------------------------------------------------------------


def person_registering_organization(actor: Actor) -> Organization | None:
    """The organization a person registered by this actor belongs to, if any."""
    for org in actor.acting_organizations:
        if org.kind in REGISTERING_KINDS:
            return org
    return None


def may_manage_person(actor: Actor, person: RegisteredPerson) -> bool:
    """Change the record and present the person: staff of the registering organization."""
    return actor.acts_for(person.created_by_organization_id) is not None


def person_working_organizations(actor: Actor, person: RegisteredPerson) -> set[int]:
    """The organizations the actor acts for that work with this person: the one that
    registered them, those they were presented to, and the receiving organizations and
    agencies of their cases."""
    acting = {o.pk for o in actor.acting_organizations}
    if not acting:
        return set()
    involved = {person.created_by_organization_id}
    involved |= set(person.presentations.values_list("organization_id", flat=True))
    for receiving, agency in person.cases.values_list(
        "receiving_organization_id", "sending_agency_id"
    ):
        involved |= {receiving, agency}
    return acting & involved


def may_add_test_results(actor: Actor, person: RegisteredPerson) -> bool:
    return bool(person_working_organizations(actor, person))


def test_result_entering_organization(
    actor: Actor, person: RegisteredPerson
) -> Organization | None:
    """The organization a test result is entered for: one that works with the person,
    preferring a party other than a sending agency (whose entries need confirming)."""
    working = person_working_organizations(actor, person)
    found = [o for o in actor.acting_organizations if o.pk in working]
    found.sort(key=lambda o: o.kind == OrganizationKind.SENDING_AGENCY)
    return found[0] if found else None


def test_result_verifier(actor: Actor, nationality: str) -> Organization | None:
    """Confirm a test result with the test body: either contact point of the person's
    country's MOC (moc_kg §4(2)(d), §5)."""
    return actor.acts_as(OrganizationKind.JP_CONTACT_POINT) or actor.acts_as(
        OrganizationKind.SENDING_CONTACT_POINT, nationality
    )


def sees_all_presentations(actor: Actor, person: RegisteredPerson) -> bool:
    """The registering organization sees every presentation of its person; others see only
    those made to or by their own organizations."""
    return actor.member_of(person.created_by_organization_id)


# --- job offers (pattern 2) ---------------------------------------------------------------


def may_create_offers(actor: Actor) -> bool:
    return may_open_cases(actor)


def may_manage_offer(actor: Actor, offer: OfferLike) -> bool:
    """Change, submit, withdraw, record contacts, start cases: staff of the receiving
    organization (not viewers)."""
    return actor.acts_for(offer.receiving_organization_id) is not None


def offer_reviewer(actor: Actor, offer: OfferLike) -> Organization | None:
    """Publish or reject: staff of the Center of the offer's country (isa_kg_flow 2(1))."""
    return actor.acts_as(OrganizationKind.SENDING_CONTACT_POINT, offer.country)


def may_see_contacts(actor: Actor, offer: OfferLike) -> bool:
    """Contacts are personal data the candidate gave the employer: its members (viewers
    too) see them; the Center and the ISA do not."""
    return actor.member_of(offer.receiving_organization_id)


def review_countries(actor: Actor) -> list[str]:
    """The countries whose job offers the actor's Center reviews."""
    return [o.country for o in actor.organizations_of_kind(OrganizationKind.SENDING_CONTACT_POINT)]


# --- registries (MOC §6, §7, §8) ----------------------------------------------------------


def agency_deciding_organization(actor: Actor, agency: Organization) -> Organization | None:
    """The ministry of the agency's country decides on its certification (MOC §7(1), §7(4))."""
    return actor.acts_as(OrganizationKind.SENDING_CONTACT_POINT, agency.country)


def japan_contact_point(actor: Actor) -> Organization | None:
    """Japan's contact point records Japan's registries (MOC §6(3), §8)."""
    return actor.acts_as(OrganizationKind.JP_CONTACT_POINT)


def sees_reasons_of(actor: Actor, country: str) -> bool:
    """The reasons behind a decision of one side are that side's information, exchanged
    under the MOC: only the two contact points of that country's MOC see them (MOC §3)."""
    return actor.is_contact_point_for(country)


# --- what the contact points exchange (moc_kg §3–§5, §6(4), §7(3), §7(6), §8) ------------


class ItemLike(Protocol):
    kind: str
    country: str
    stage: str
    from_organization_id: int
    to_organization_id: int


def contact_point_for(actor: Actor, country: str) -> Organization | None:
    """The contact point the actor acts for in the MOC with `country`: Japan's, or that
    country's (the Center). Files items, answers inquiries, records consultations."""
    return actor.acts_as(OrganizationKind.JP_CONTACT_POINT) or actor.acts_as(
        OrganizationKind.SENDING_CONTACT_POINT, country
    )


def sees_moc_exchange(actor: Actor) -> bool:
    """Whose menu offers the MOC exchange: the contact points and the embassies (return
    support). Others reach an item only by a link, where a consent names them."""
    return actor.is_contact_point or actor.is_kind(OrganizationKind.EMBASSY)


def item_side(actor: Actor, item: ItemLike) -> Organization | None:
    """The side of the item the actor acts for (its originating contact point or the
    other one): follows it up, moves its stage, attaches files, records consent."""
    return actor.acts_for(item.from_organization_id) or actor.acts_for(item.to_organization_id)


def item_members(item: ItemLike) -> Any:
    """The staff of the item's two contact points: who may own it."""
    from kakehashi.accounts.models import Membership

    return Membership.objects.filter(
        organization_id__in=[item.from_organization_id, item.to_organization_id]
    ).select_related("user", "organization")


def item_recipient(actor: Actor, item: ItemLike) -> Organization | None:
    """The receiving contact point acknowledges an item."""
    return actor.acts_for(item.to_organization_id)


def sees_item_attachments(actor: Actor, item: ItemLike, consented: bool) -> bool:
    """The two contact points see the attachments; a third party only if the consent
    covers them (`consented`)."""
    return actor.is_contact_point_for(item.country) or consented


def sees_item_log(actor: Actor, item: ItemLike) -> bool:
    """Who read the item: the two contact points see it."""
    return actor.member_of(item.from_organization_id) or actor.member_of(item.to_organization_id)


def return_support_party(actor: Actor, country: str) -> Organization | None:
    """Records the temporary passport and the return (moc_kg §8): Japan's contact point,
    the ministry's (the Center) and the embassy of the person's country."""
    return contact_point_for(actor, country) or actor.acts_as(OrganizationKind.EMBASSY, country)


# --- fees (moc_kg §4(1)(e)) ---------------------------------------------------------------


def fee_recording_organization(actor: Actor, case: Any) -> Organization | None:
    """Records a fee the worker is asked to pay on a case, and the worker's signed
    acknowledgement: the sending agency of the case, or its receiving organization."""
    parties = actor.case_parties(case)
    return parties.get("sending_agency") or parties.get("receiving_organization")


def fee_policy_agency(actor: Actor, agency_id: int) -> Organization | None:
    """An agency declares its own fee policy."""
    org = actor.acts_for(agency_id)
    return org if org is not None and org.kind == OrganizationKind.SENDING_AGENCY else None


# --- workers and their grievances ---------------------------------------------------------


class GrievanceLike(Protocol):
    person_id: int
    owner_organization_id: int


def grievance_handler(actor: Actor, grievance: GrievanceLike) -> Organization | None:
    """Staff of the owning organization move a grievance on and answer it."""
    return actor.acts_for(grievance.owner_organization_id)


def may_write_in_grievance(actor: Actor, grievance: GrievanceLike) -> bool:
    """The worker and the owner's staff write in the thread."""
    return actor.person_id == grievance.person_id or grievance_handler(actor, grievance) is not None


def grievance_on_behalf_organization(actor: Actor) -> Organization | None:
    """Someone who files a grievance on a worker's behalf: staff of the Center, of a support
    organization or of Japan's contact point (who also own grievances)."""
    for kind in (
        OrganizationKind.SENDING_CONTACT_POINT,
        OrganizationKind.SUPPORT_ORGANIZATION,
        OrganizationKind.JP_CONTACT_POINT,
        OrganizationKind.MUNICIPALITY,
    ):
        org = actor.acts_as(kind)
        if org is not None:
            return org
    return None


def owns_grievances(actor: Actor) -> bool:
    """Whose menu offers grievances: the organizations that own them (the Center, support
    organizations, Japan's contact point)."""
    return actor.is_contact_point or actor.is_kind(OrganizationKind.SUPPORT_ORGANIZATION)


# --- the city as hub -------------------------------------------------------------------------


def hub_municipality(actor: Actor) -> Organization | None:
    """The city the actor works for (its staff keep the hub's records)."""
    return actor.acts_as(OrganizationKind.MUNICIPALITY)


def partner_institution(actor: Actor) -> Organization | None:
    """The partner institution whose pool the actor keeps."""
    return actor.acts_as(OrganizationKind.PARTNER_INSTITUTION)


def may_open_case_from_match(actor: Actor, need: Any) -> Organization | None:
    """The employer that recorded the need opens a case from one of its matches."""
    return actor.acts_for(need.receiving_organization_id)


# --- support plans ---------------------------------------------------------------------------


def support_deliverer(actor: Actor, deliverer_id: int) -> Organization | None:
    """The organization that delivers a support item (the employer or the entrusted
    registered support organization) records it."""
    return actor.acts_for(deliverer_id)


def stay_recorder(actor: Actor, case: Any) -> Organization | None:
    """After landing, the employer or the registered support organization it entrusted
    records the worker's stay (periods, extension applications, leave) and the events that
    call for a notification to immigration."""
    return actor.acts_for(case.receiving_organization_id) or (
        actor.acts_for(case.support_organization_id) if case.support_organization_id else None
    )


def notification_filer(actor: Actor, organization_id: int) -> Organization | None:
    """A notification to immigration is the employer's duty (immigration_act 第19条の18): its
    members draft and file it."""
    return actor.acts_for(organization_id)


def document_uploader(actor: Actor, case: Any, roles: Iterable[str]) -> Organization | None:
    """A step's document is uploaded by a party acting in one of the step's roles."""
    parties = actor.case_parties(case)
    return next((parties[r] for r in roles if r in parties), None)


def document_reviewer(actor: Actor, case: Any) -> Organization | None:
    """Japan's contact point checks the documents of any case; the city those of its
    employers' cases."""
    japan = japan_contact_point(actor)
    if japan is not None:
        return japan
    city = hub_municipality(actor)
    if city is not None and case.municipality_id == city.pk:
        return city
    return None


def sees_identity_documents(actor: Actor, case: Any) -> bool:
    """Images of a residence card or a passport page, personal data of the highest
    sensitivity: the worker, the employer, the entrusted support organization and Japan's
    contact point see them; the city, the agency and the Center do not."""
    if actor.person_id is not None and actor.person_id == case.person_id:
        return True
    if japan_contact_point(actor) is not None:
        return True
    ids = actor.organization_ids
    return case.receiving_organization_id in ids or (
        case.support_organization_id is not None and case.support_organization_id in ids
    )


def sees_support_work(actor: Actor) -> bool:
    """Whose menu offers support plans: employers and registered support organizations."""
    return actor.is_kind(OrganizationKind.SUPPORT_ORGANIZATION) or actor.is_kind(
        OrganizationKind.RECEIVING_ORGANIZATION
    )


def member_addresses(organization_id: int) -> list[str]:
    """The e-mail addresses of an organization's members (for its reminders)."""
    from kakehashi.accounts.models import Membership

    return [
        m.user.email
        for m in Membership.objects.filter(organization_id=organization_id).select_related("user")
        if m.user.email
    ]


def must_use_mfa(actor: Actor) -> bool:
    """A second factor is required of the staff who see what the governments exchange or
    decide on status: the contact points (the Center included), the immigration bureaus
    and the city (settings.MFA_REQUIRED_KINDS), and of anyone who may use /admin/. Everyone
    else may turn it on."""
    from django.conf import settings

    user = actor.user
    if user is None:
        return False
    if (user.is_staff or user.is_superuser) and settings.MFA_REQUIRED_FOR_STAFF:
        return True
    required = set(settings.MFA_REQUIRED_KINDS)
    return any(o.kind in required for o in actor.organizations)


def sees_identifiers(actor: Actor, person: RegisteredPerson) -> bool:
    """The full passport and residence-card numbers (shown masked to everyone else, and
    each full view logged): the person themselves, the organization that registered them,
    their employers and support organizations, and Japan's contact point (who checks the
    landing and the stay). The city, the Center and others see them masked."""
    if actor.person_id is not None:
        return actor.person_id == person.pk
    if japan_contact_point(actor) is not None or actor.member_of(person.created_by_organization_id):
        return True
    ids = actor.organization_ids
    if not ids:
        return False
    return any(
        receiving in ids or support in ids
        for receiving, support in person.cases.values_list(
            "receiving_organization_id", "support_organization_id"
        )
    )


# --- personal data (APPI; docs/privacy.md) ---------------------------------------------------


def personal_data_organization(actor: Actor, person: RegisteredPerson) -> Organization | None:
    """Answers a person's requests about their data: the export made on their request,
    their corrections, the erasure of their record. Staff of the organization that
    registered them (which keeps the record)."""
    return actor.acts_for(person.created_by_organization_id)


def incident_recording_organizations(actor: Actor) -> tuple[Organization, ...]:
    """Record an incident (a leak, loss or damage of personal data) and its reports: staff
    (managers and clerks) of any organization, for their own organization."""
    return actor.acting_organizations


def may_update_incident(actor: Actor, incident: Any) -> bool:
    """Staff of the organization that recorded the incident move it on; Japan's contact
    point, which sees every incident, only reads them."""
    return actor.acts_for(incident.organization_id) is not None


def sees_incidents(actor: Actor) -> bool:
    """Whose menu offers the incidents: members of any organization."""
    return bool(actor.organizations)


# --- bulk import (docs/architecture.md, "Bulk import") -------------------------------------

# What a file may import, and who may: those who may register persons import persons and
# their test results (the organizations that work with persons are the registering kinds);
# those who open cases import cases. Each row is still checked by its service.
IMPORT_KINDS = ("persons", "test_results", "cases")


def import_organizations(actor: Actor, kind: str) -> tuple[Organization, ...]:
    """The organizations the actor may import rows of `kind` for (none: not allowed)."""
    if kind in ("persons", "test_results"):
        organization = person_registering_organization(actor)
        return (organization,) if organization is not None else ()
    if kind == "cases":
        return case_opening_organizations(actor)
    return ()


def may_import(actor: Actor, kind: str) -> bool:
    return bool(import_organizations(actor, kind))
