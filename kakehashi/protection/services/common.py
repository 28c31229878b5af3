"""What every exchanged item shares: its two sides, filing, acknowledging, stages, owner and
due date, history, consent (moc_kg §3) and attachments."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import item_members, item_recipient, item_side
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.core import validation
from kakehashi.core.errors import Conflict, InvalidInput, NotAllowed, Problem, RuleRefused
from kakehashi.core.files import checked_upload
from kakehashi.reference.citations import sourced

from ..models import (
    Attachment,
    Channel,
    ConsentScope,
    ItemConsent,
    ItemEvent,
    ItemKind,
    Outcome,
    SharedItem,
    Stage,
)
from ..selectors import item_get

MOC = "moc_kg"
MAX_TEXT = 5000

# The stages each kind moves through; a stage may be followed by the ones listed.
FOLLOW_UP = {
    Stage.RECEIVED: (Stage.UNDER_INVESTIGATION, Stage.MEASURES_TAKEN, Stage.CLOSED),
    Stage.UNDER_INVESTIGATION: (Stage.MEASURES_TAKEN, Stage.CLOSED),
    Stage.MEASURES_TAKEN: (Stage.CLOSED,),
}
TRANSITIONS: dict[str, Any] = {
    ItemKind.MISCONDUCT: FOLLOW_UP,
    ItemKind.TEST_FRAUD: FOLLOW_UP,
    ItemKind.INVESTIGATION: {
        Stage.UNDER_INVESTIGATION: (Stage.CLOSED,),
        Stage.RESULT_REPORTED: (Stage.CLOSED,),
    },
    ItemKind.RETURN: {Stage.OPEN: (Stage.CLOSED,)},
    ItemKind.INQUIRY: {Stage.OPEN: (Stage.CLOSED,)},
    ItemKind.CONSULTATION: {Stage.PLANNED: (Stage.CLOSED,)},
}
# Closing a report says whether it was founded (moc_kg §5: an unfounded test-fraud report
# lets the results count again).
NEEDS_OUTCOME = (ItemKind.MISCONDUCT, ItemKind.TEST_FRAUD)


def text(value: Any, name: str, problems: list[Problem], *, required: bool = False) -> str:
    return validation.text_field(value, name, problems, required=required, max_length=MAX_TEXT)


def day(value: Any, name: str, problems: list[Problem], *, required: bool = False) -> Any:
    return validation.date_field(value, name, problems, required=required)


def other_side(sender: Organization, country: str) -> Organization:
    """The contact point on the other side of `country`'s MOC."""
    if sender.kind == OrganizationKind.JP_CONTACT_POINT:
        other = (
            Organization.objects.filter(
                kind=OrganizationKind.SENDING_CONTACT_POINT, country=country
            )
            .order_by("id")
            .first()
        )
    else:
        other = (
            Organization.objects.filter(kind=OrganizationKind.JP_CONTACT_POINT)
            .order_by("id")
            .first()
        )
    if other is None:
        raise RuleRefused(
            [
                Problem(
                    "no_contact_point",
                    _("The other side's contact point is not registered here."),
                    field="country",
                    **sourced(f"{MOC} §2"),
                )
            ]
        )
    return other


def record(
    item: SharedItem,
    action: str,
    actor: Actor,
    organization: Organization | None,
    *,
    stage_from: str = "",
    stage_to: str = "",
    note: str = "",
) -> ItemEvent:
    return ItemEvent.objects.create(
        item=item,
        user=actor.user,
        organization=organization,
        action=action,
        stage_from=stage_from,
        stage_to=stage_to,
        note=note[:500],
    )


def channel_fields(data: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    """Where a forwarded report came from: a channel, optionally the organization, and a
    note on who sent it."""
    channel = str(data.get("channel") or Channel.CONTACT_POINT)
    if channel not in Channel.values:
        problems.append(
            Problem(
                "invalid_choice",
                _("Choose one of: %(allowed)s.") % {"allowed": ", ".join(Channel.values)},
                field="channel",
            )
        )
    organization = None
    org_id = data.get("channel_organization_id")
    if org_id:
        organization = Organization.objects.filter(pk=org_id).first()
        if organization is None:
            problems.append(
                Problem("not_found", _("No such organization."), field="channel_organization_id")
            )
    note = validation.text_field(data.get("channel_note"), "channel_note", problems, max_length=200)
    return {"channel": channel, "channel_organization": organization, "channel_note": note}


def new_item(
    model: type[SharedItem],
    *,
    actor: Actor,
    sender: Organization,
    country: str,
    kind: str,
    title: str,
    stage: str,
    due_on: datetime.date | None = None,
    recorded_for: Organization | None = None,
    **fields: Any,
) -> Any:
    """Create an item from `sender` to the other side and record it as filed (or drafted).
    `recorded_for`: the organization the history names, when it is not the sender (a draft
    made from an employer's contract)."""
    item = model.objects.create(
        kind=kind,
        country=country,
        title=title,
        from_organization=sender,
        to_organization=other_side(sender, country),
        stage=stage,
        due_on=due_on,
        created_by=actor.required_user,
        filed_at=None if stage == Stage.DRAFT else timezone.now(),
        **fields,
    )
    action = "drafted" if stage == Stage.DRAFT else "filed"
    record(item, action, actor, recorded_for or sender, stage_to=stage)
    return item


def _locked(actor: Actor, item_id: int) -> SharedItem:
    visible = item_get(actor, item_id)
    return SharedItem.objects.select_for_update().get(pk=visible.pk)


def _side(actor: Actor, item: SharedItem) -> Organization:
    org = item_side(actor, item)
    if org is None:
        raise NotAllowed(_("Only the two contact points follow up this item."))
    return org


@transaction.atomic
def item_acknowledge(*, actor: Actor, item_id: int) -> SharedItem:
    """The receiving contact point acknowledges the item (once; again changes nothing)."""
    item = _locked(actor, item_id)
    org = item_recipient(actor, item)
    if org is None:
        raise NotAllowed(_("Only the contact point the item was sent to acknowledges it."))
    if item.acknowledged_at is None:
        item.acknowledged_at = timezone.now()
        item.acknowledged_by = actor.required_user
        item.save(update_fields=["acknowledged_at", "acknowledged_by", "updated_at"])
        record(item, "acknowledged", actor, org)
    return item


@transaction.atomic
def item_file(*, actor: Actor, item_id: int) -> SharedItem:
    """The drafting contact point files a draft: the other side receives it now."""
    item = _locked(actor, item_id)
    org = actor.acts_for(item.from_organization_id)
    if org is None:
        raise NotAllowed(_("Only the contact point that drafted the item files it."))
    if item.stage != Stage.DRAFT:
        raise Conflict(_("This item has already been filed."), code="already_filed")
    first = Stage.RECEIVED if item.kind in NEEDS_OUTCOME else Stage.OPEN
    item.stage, item.filed_at = first, timezone.now()
    item.save(update_fields=["stage", "filed_at", "updated_at"])
    record(item, "filed", actor, org, stage_from=Stage.DRAFT, stage_to=first)
    return item


@transaction.atomic
def item_follow_up(
    *,
    actor: Actor,
    item_id: int,
    stage: str | None = None,
    outcome: str = "",
    owner_id: int | None = None,
    due_on: Any = None,
    note: str = "",
) -> SharedItem:
    """Move the item to its next stage (closing a report says whether it was founded), and
    set its owner and due date. Either contact point follows up; the history says who."""
    item = _locked(actor, item_id)
    org = _side(actor, item)
    problems: list[Problem] = []
    note = validation.text_field(note, "note", problems, max_length=500)
    due = day(due_on, "due_on", problems) if due_on not in (None, "") else None
    owner = None
    if owner_id is not None:
        membership = item_members(item).filter(user_id=owner_id).first()
        if membership is None:
            problems.append(
                Problem(
                    "not_a_member",
                    _("The owner must be a member of one of the two contact points."),
                    field="owner_id",
                )
            )
        else:
            owner = membership.user
    if stage:
        allowed = TRANSITIONS.get(item.kind, {}).get(item.stage, ())
        if stage not in allowed:
            problems.append(
                Problem(
                    "transition_not_allowed",
                    _("From “%(stage)s” the item can move to: %(allowed)s.")
                    % {
                        "stage": Stage(item.stage).label,
                        "allowed": ", ".join(str(Stage(s).label) for s in allowed) or "—",
                    },
                    field="stage",
                )
            )
        if stage == Stage.CLOSED and item.kind in NEEDS_OUTCOME and outcome not in Outcome.values:
            problems.append(
                Problem(
                    "required",
                    _("Say whether the report was founded or unfounded."),
                    field="outcome",
                )
            )
    if problems:
        raise InvalidInput(problems)
    fields = ["updated_at"]
    if stage:
        before = item.stage
        item.stage = stage
        fields.append("stage")
        if stage == Stage.CLOSED:
            item.closed_on = timezone.localdate()
            item.outcome = outcome if item.kind in NEEDS_OUTCOME else ""
            fields += ["closed_on", "outcome"]
        record(
            item,
            "stage",
            actor,
            org,
            stage_from=before,
            stage_to=stage,
            note=" ".join(x for x in (outcome, note) if x),
        )
    if owner is not None:
        item.owner = owner
        fields.append("owner")
        record(item, "owner", actor, org, note=owner.get_username())
    if due is not None:
        item.due_on = due
        fields.append("due_on")
        record(item, "due", actor, org, note=due.isoformat())
    if not stage and owner is None and due is None and note:
        record(item, "note", actor, org, note=note)
    item.save(update_fields=fields)
    return item


@transaction.atomic
def item_consent_record(
    *,
    actor: Actor,
    item_id: int,
    to_organization_id: int,
    scope: str,
    purpose: str,
    consented_on: Any,
    document_reference: str,
) -> ItemConsent:
    """Record the originating side's written consent to show the item to a third party
    (moc_kg §3): to whom, for what, when, and the document. Either contact point records
    it (the other side holds the consent it received in writing)."""
    item = _locked(actor, item_id)
    org = _side(actor, item)
    problems: list[Problem] = []
    target = Organization.objects.filter(pk=to_organization_id).first()
    if target is None:
        problems.append(
            Problem("not_found", _("No such organization."), field="to_organization_id")
        )
    elif target.pk in (item.from_organization_id, item.to_organization_id):
        problems.append(
            Problem(
                "not_a_third_party",
                _("The two contact points see the item already; name a third party."),
                field="to_organization_id",
            )
        )
    if scope not in ConsentScope.values:
        problems.append(
            Problem(
                "invalid_choice",
                _("Choose one of: %(allowed)s.") % {"allowed": ", ".join(ConsentScope.values)},
                field="scope",
            )
        )
    purpose = validation.text_field(purpose, "purpose", problems, required=True, max_length=300)
    reference = validation.text_field(
        document_reference, "document_reference", problems, required=True, max_length=100
    )
    consented = day(consented_on, "consented_on", problems, required=True)
    validation.not_in_future(consented, "consented_on", problems, timezone.localdate())
    if item.stage == Stage.DRAFT:
        problems.append(
            Problem("draft", _("A draft cannot be shown to anyone; file it first."), field="item")
        )
    if problems:
        raise InvalidInput(problems)
    assert target is not None
    consent = ItemConsent.objects.create(
        item=item,
        to_organization=target,
        scope=scope,
        purpose=purpose,
        consented_on=consented,
        document_reference=reference,
        consenting_organization=item.from_organization,
        recorded_by=actor.required_user,
    )
    record(item, "consent", actor, org, note=f"{target.name_en} ({scope})")
    return consent


# --- attachments ---------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, actor: Actor, item_id: int, name: str, content: bytes) -> Attachment:
    """Attach a PDF, JPEG or PNG file of at most ATTACHMENT_MAX_BYTES to an item. Stored
    under a random name in private storage; the item's two contact points (and a third
    party whose consent covers attachments) download it through the access policy."""
    item = _locked(actor, item_id)
    org = _side(actor, item)
    problems: list[Problem] = []
    checked = checked_upload(name, content, "file", problems)
    if problems or checked is None:
        raise InvalidInput(problems)
    label, mime = checked
    attachment = Attachment(
        item=item,
        name=label,
        content_type=mime,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor.required_user,
        uploaded_by_organization=org,
    )
    attachment.file.save("upload", ContentFile(content), save=False)
    attachment.save()
    record(item, "attachment", actor, org, note=label)
    return attachment
