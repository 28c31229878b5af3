"""Reads of what the contact points exchange, through the one access policy: an item the
reader may not see is reported like one that does not exist (docs/adr/0005), and every
read of an item is logged (moc_kg §3)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kakehashi.access import Actor
from kakehashi.access.policy import sees_item_attachments
from kakehashi.access.visibility import fee_visibility, shared_item_visibility
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.audit import log as audit_log
from kakehashi.core.errors import NotFound
from kakehashi.people.models import TestResult, Verification

from .models import (
    DONE_STAGES,
    ActionItem,
    Attachment,
    ConsentScope,
    Fee,
    FeePolicy,
    Grievance,
    GrievanceStage,
    ItemKind,
    ItemRead,
    SharedItem,
    Stage,
    TestFraudReport,
)


def items_visible_to(actor: Actor) -> QuerySet[SharedItem]:
    if not actor.is_authenticated:
        return SharedItem.objects.none()
    return SharedItem.objects.filter(
        pk__in=SharedItem.objects.filter(shared_item_visibility(actor)).values("pk")
    )


def item_list(
    actor: Actor, *, kind: str = "", stage: str = "", overdue: bool = False
) -> QuerySet[SharedItem]:
    qs = items_visible_to(actor).select_related("from_organization", "to_organization", "owner")
    if kind:
        qs = qs.filter(kind=kind)
    if stage:
        qs = qs.filter(stage=stage)
    if overdue:
        qs = qs.filter(_overdue())
    return qs


def _overdue(today: datetime.date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(due_on__lt=today) & ~Q(stage__in=[*DONE_STAGES, Stage.DRAFT])


def item_get(actor: Actor, item_id: int, *, via: str = "") -> SharedItem:
    """The item, if the actor may see it; with `via` ("page", "api" or "file") the read is
    logged, in the item's read log and in the audit log."""
    item = (
        items_visible_to(actor)
        .select_related("from_organization", "to_organization", "owner")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise NotFound("item")
    if via:
        with transaction.atomic():
            if actor.user is not None:
                ItemRead.objects.create(
                    item=item,
                    user=actor.user,
                    organization=_reading_organization(actor, item),
                    via=via,
                )
            audit_log.record_read(item, detail=f"via {via}")
    return item


def _reading_organization(actor: Actor, item: SharedItem) -> Organization | None:
    for org in actor.organizations:
        if org.pk in (item.from_organization_id, item.to_organization_id):
            return org
    consented = set(item.consents.values_list("to_organization_id", flat=True))
    return next((o for o in actor.organizations if o.pk in consented), None) or (
        actor.organizations[0] if actor.organizations else None
    )


def item_detail(item: SharedItem) -> SharedItem:
    """The child row with the kind's own fields (a MisconductReport, an Inquiry…)."""
    child = getattr(item, _CHILD[ItemKind(item.kind)], None)
    return child if child is not None else item


_CHILD = {
    ItemKind.MISCONDUCT: "misconductreport",
    ItemKind.TEST_FRAUD: "testfraudreport",
    ItemKind.INVESTIGATION: "investigation",
    ItemKind.INQUIRY: "inquiry",
    ItemKind.CONSULTATION: "consultation",
    ItemKind.RETURN: "returncase",
}


def consented_scope(actor: Actor, item: SharedItem) -> str | None:
    """The widest consent that names one of the actor's organizations, if any."""
    scopes = set(
        item.consents.filter(to_organization_id__in=actor.organization_ids).values_list(
            "scope", flat=True
        )
    )
    if ConsentScope.ITEM_AND_ATTACHMENTS in scopes:
        return ConsentScope.ITEM_AND_ATTACHMENTS
    return ConsentScope.ITEM if scopes else None


@dataclass(frozen=True)
class Inbox:
    """A contact point's inbox: what the other side sent that awaits acknowledgement, the
    open items by kind, overdue items and action items."""

    unacknowledged: int
    open_by_kind: dict[str, int]
    overdue: int
    drafts: int
    actions_due: int
    # Test results a sending agency entered that await this contact point's confirmation.
    confirmations: int = 0


def results_awaiting_confirmation(actor: Actor) -> QuerySet[TestResult]:
    """Results a sending agency entered for its candidates, waiting for a contact point of
    the person's country to confirm them with the test body (ADR 0017)."""
    if actor.is_kind(OrganizationKind.JP_CONTACT_POINT):
        countries = None
    else:
        countries = [
            o.country for o in actor.organizations_of_kind(OrganizationKind.SENDING_CONTACT_POINT)
        ]
        if not countries:
            return TestResult.objects.none()
    qs = TestResult.objects.filter(verification=Verification.PENDING).select_related(
        "person", "entered_by_organization", "business_category"
    )
    return qs if countries is None else qs.filter(person__nationality__in=countries)


def inbox(actor: Actor) -> Inbox:
    visible = items_visible_to(actor)
    mine = sorted(actor.organization_ids)
    unacknowledged = visible.filter(
        to_organization_id__in=mine, acknowledged_at__isnull=True
    ).exclude(stage=Stage.DRAFT)
    open_items = visible.exclude(stage__in=[*DONE_STAGES, Stage.DRAFT])
    by_kind = {row["kind"]: row["n"] for row in open_items.values("kind").annotate(n=Count("id"))}
    today = timezone.localdate()
    actions = ActionItem.objects.filter(
        consultation__in=visible, owner_organization_id__in=mine, done_on__isnull=True
    )
    return Inbox(
        unacknowledged=unacknowledged.count(),
        open_by_kind=by_kind,
        overdue=visible.filter(_overdue(today)).count(),
        drafts=visible.filter(stage=Stage.DRAFT).count(),
        actions_due=actions.count(),
        confirmations=results_awaiting_confirmation(actor).count(),
    )


def return_items_of_case(actor: Actor, case_id: int) -> QuerySet[SharedItem]:
    """The return-support items of a case the actor may see (the contact points, the
    embassy)."""
    return items_visible_to(actor).filter(kind=ItemKind.RETURN, returncase__case_id=case_id)


# --- test fraud: whether a result counts (moc_kg §5) ---------------------------------------


def fraud_holds(test_result_ids: Iterable[int]) -> dict[int, str]:
    """For each test result under a test-fraud report: "held" while a report is open
    (filed and not closed), "fraud" once one was closed as founded. Unfounded reports and
    drafts hold nothing. Internal: it says nothing of the report to the reader."""
    ids = list(test_result_ids)
    if not ids:
        return {}
    holds: dict[int, str] = {}
    rows = TestFraudReport.objects.filter(test_results__in=ids).values_list(
        "test_results", "stage", "outcome"
    )
    for result_id, stage, outcome in rows:
        if result_id not in ids:
            continue
        if stage == Stage.CLOSED and outcome == "founded":
            holds[result_id] = "fraud"
        elif stage not in (Stage.CLOSED, Stage.DRAFT) and holds.get(result_id) != "fraud":
            holds[result_id] = "held"
    return holds


# --- fees ----------------------------------------------------------------------------------


def fees_visible_to(actor: Actor) -> QuerySet[Fee]:
    if not actor.is_authenticated:
        return Fee.objects.none()
    return Fee.objects.filter(pk__in=Fee.objects.filter(fee_visibility(actor)).values("pk"))


def fees_of_case(actor: Actor, case_id: int) -> QuerySet[Fee]:
    return (
        fees_visible_to(actor)
        .filter(case_id=case_id)
        .select_related("charged_by")
        .prefetch_related("acknowledgements")
    )


def fees_of_offer(offer_id: int) -> QuerySet[Fee]:
    """The fees of a job offer: shown with the offer wherever it is shown (moc_kg §4(1)(e))."""
    return Fee.objects.filter(job_offer_id=offer_id).select_related("charged_by")


def employer_pays(agency_id: int) -> bool:
    """The agency's latest declaration says the employer pays all costs."""
    latest = FeePolicy.objects.filter(agency_id=agency_id).order_by("-declared_on", "-id").first()
    return bool(latest and latest.employer_pays)


def attachment_get(actor: Actor, item_id: int, attachment_id: int) -> Attachment:
    """An attachment the actor may download: the item's two contact points, or a third
    party whose consent covers attachments. The download is logged with the item's reads."""
    item = item_get(actor, item_id, via="file")
    scope = consented_scope(actor, item)
    if not sees_item_attachments(actor, item, scope == ConsentScope.ITEM_AND_ATTACHMENTS):
        raise NotFound("attachment")
    attachment = Attachment.objects.filter(pk=attachment_id, item=item).first()
    if attachment is None:
        raise NotFound("attachment")
    audit_log.record_read(attachment, fields=("file",), detail="download")
    return attachment


# --- grievances ----------------------------------------------------------------------------------


def grievances_owned(actor: Actor, *, overdue: bool = False) -> QuerySet[Grievance]:
    """The grievances the actor's organizations handle (not the worker's own view)."""
    ids = sorted(actor.organization_ids)
    qs = Grievance.objects.filter(owner_organization_id__in=ids).select_related(
        "owner_organization", "person", "assignee"
    )
    if overdue:
        qs = qs.filter(due_on__lt=timezone.localdate()).exclude(stage=GrievanceStage.CLOSED)
    return qs
