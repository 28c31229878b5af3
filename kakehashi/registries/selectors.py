"""Reads of the MOC registries, "as of" any past date. The registers hold no personal data;
the reasons behind decisions are the deciding side's information (moc_kg §3): readers get
them only through `decision_reasons`, which asks the access policy."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case as DbCase
from django.db.models import F, Prefetch, Q, QuerySet, When

from kakehashi.access import Actor
from kakehashi.access.policy import sees_reasons_of
from kakehashi.access.visibility import notice_visibility
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.procedures.facts import CertificationDecision
from kakehashi.procedures.rules import certification_on
from kakehashi.reference.models import Field

from .models import (
    AgencyCertificationDecision,
    DisclosureScope,
    FieldSuspension,
    ImprovementOrder,
    Notice,
    PlacementLicence,
    SupportOrganizationRegistration,
    SupportRegistrationStatus,
)


@dataclass(frozen=True)
class AgencyEntry:
    agency: Organization
    state: str
    since: datetime.date | None  # the date the state took effect
    valid_until: datetime.date | None
    certificate_number: str
    last_changed_on: datetime.date | None  # effective date of the latest decision up to `on`
    last_recorded_at: datetime.datetime | None
    decisions: list[AgencyCertificationDecision]


def agency_register(
    on: datetime.date,
    *,
    destination: str = "JP",
    search: str = "",
    state: str = "",
    agency_id: int | None = None,
) -> list[AgencyEntry]:
    """Every sending agency with its certification state on `on`, computed from the dated
    history (MOC §6(1)–(2), §7(2)); decisions after `on` are ignored."""
    decisions = Prefetch(
        "certification_decisions",
        queryset=AgencyCertificationDecision.objects.filter(
            destination_country=destination, effective_on__lte=on
        ).order_by("effective_on", "id"),
        to_attr="decisions_until",
    )
    agencies = Organization.objects.filter(kind=OrganizationKind.SENDING_AGENCY).prefetch_related(
        decisions
    )
    if agency_id is not None:
        agencies = agencies.filter(pk=agency_id)
    for word in search.split():
        agencies = agencies.filter(
            Q(name_en__icontains=word) | Q(name_local__icontains=word) | Q(name_ja__icontains=word)
        )
    entries = []
    for agency in agencies.order_by("name_en", "id"):
        rows: list[AgencyCertificationDecision] = agency.decisions_until
        facts = tuple(
            CertificationDecision(
                action=d.action, effective_on=d.effective_on, valid_until=d.valid_until
            )
            for d in rows
        )
        result = certification_on(facts, on)
        certified = next((d for d in reversed(rows) if d.action == "certified"), None)
        last = rows[-1] if rows else None
        if state and result.state != state:
            continue
        entries.append(
            AgencyEntry(
                agency=agency,
                state=result.state,
                since=result.since,
                valid_until=result.valid_until,
                certificate_number=certified.certificate_number if certified else "",
                last_changed_on=last.effective_on if last else None,
                last_recorded_at=last.recorded_at if last else None,
                decisions=rows,
            )
        )
    return entries


def agency_entry(agency_id: int, on: datetime.date, destination: str = "JP") -> AgencyEntry | None:
    """One agency's register entry on `on` (None for an unknown agency)."""
    entries = agency_register(on, destination=destination, agency_id=agency_id)
    return entries[0] if entries else None


def agency_history(
    agency_id: int, destination: str = "JP"
) -> QuerySet[AgencyCertificationDecision]:
    return (
        AgencyCertificationDecision.objects.filter(
            agency_id=agency_id, destination_country=destination
        )
        .select_related("agency", "recorded_by_organization")
        .prefetch_related("disclosures")
        .order_by("effective_on", "id")
    )


def revocations(on: datetime.date) -> QuerySet[AgencyCertificationDecision]:
    return (
        AgencyCertificationDecision.objects.filter(action="revoked", effective_on__lte=on)
        .select_related("agency")
        .prefetch_related("disclosures")
        .order_by("-effective_on", "-id")
    )


def improvement_orders(on: datetime.date) -> QuerySet[ImprovementOrder]:
    """Orders issued by `on`, each with `closed_as_of`: its closing date if it was closed by
    `on`, else None (still open on that date)."""
    return (
        ImprovementOrder.objects.filter(issued_on__lte=on)
        .annotate(closed_as_of=DbCase(When(closed_on__lte=on, then=F("closed_on")), default=None))
        .select_related("receiving_organization")
    )


def support_organizations(on: datetime.date) -> QuerySet[SupportOrganizationRegistration]:
    """Registrations in force on `on`: registered by then, not cancelled by then, not expired."""
    return (
        SupportOrganizationRegistration.objects.filter(registered_on__lte=on)
        .exclude(status=SupportRegistrationStatus.CANCELLED, cancelled_on__lte=on)
        .exclude(valid_until__lt=on)
        .select_related("organization")
    )


def field_suspensions(
    on: datetime.date, *, include_past: bool = False
) -> QuerySet[FieldSuspension]:
    qs = FieldSuspension.objects.filter(starts_on__lte=on).select_related("field")
    if not include_past:
        qs = qs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    return qs.order_by("-starts_on", "-id")


def placement_licences(on: datetime.date) -> QuerySet[PlacementLicence]:
    return (
        PlacementLicence.objects.filter(valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .select_related("holder")
    )


def notices_for(actor: Actor) -> QuerySet[Notice]:
    return Notice.objects.filter(notice_visibility(actor)).select_related(
        "from_organization", "to_organization"
    )


def field_suspension_get(suspension_id: int) -> FieldSuspension | None:
    return FieldSuspension.objects.select_related("field").filter(pk=suspension_id).first()


def fields_closed_on(day: datetime.date) -> list[int]:
    """Ids of the fields that accept no new SSW (i) applications on `day`: not open yet,
    closed, or suspended by Japan (moc_kg §8)."""
    suspended = FieldSuspension.objects.filter(starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )
    closed = Field.objects.filter(
        Q(ssw1_open_from__isnull=True)
        | Q(ssw1_open_from__gt=day)
        | Q(ssw1_open_until__lt=day)
        | Q(pk__in=suspended.values("field_id"))
    )
    return list(closed.values_list("pk", flat=True))


def disclosure_scope(decision: AgencyCertificationDecision) -> str | None:
    """The widest consent recorded for the decision's reason (None: contact points only)."""
    scopes = {d.scope for d in decision.disclosures.all()}
    if DisclosureScope.PUBLIC in scopes:
        return DisclosureScope.PUBLIC
    return DisclosureScope.PARTIES if DisclosureScope.PARTIES in scopes else None


def reason_for(actor: Actor | None, decision: AgencyCertificationDecision) -> str:
    """The reason of a decision as `actor` may read it (moc_kg §3): the two contact points
    of the agency's country always; parties to its cases with consent "parties" or
    "public"; anyone (actor None: a public page) only with consent "public"."""
    if not decision.reason:
        return ""
    scope = disclosure_scope(decision)
    if scope == DisclosureScope.PUBLIC:
        return decision.reason
    if actor is None:
        return ""
    if sees_reasons_of(actor, decision.agency.country):
        return decision.reason
    return decision.reason if scope == DisclosureScope.PARTIES else ""


def decision_reasons(actor: Actor | None, decision_ids: list[int]) -> dict[int, str]:
    """The reasons `actor` may read, by decision id, in two queries."""
    decisions = (
        AgencyCertificationDecision.objects.filter(pk__in=decision_ids)
        .select_related("agency")
        .prefetch_related("disclosures")
    )
    return {d.pk: reason_for(actor, d) for d in decisions}
