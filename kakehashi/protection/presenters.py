"""An exchanged item as its reader may see it, for the API and the pages alike: the
common part, the kind's own fields, the history, and, for the two contact points, the
consents and the read log. Attachments are listed only to those who may download them."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kakehashi.access import Actor
from kakehashi.access.policy import item_side, sees_item_attachments, sees_item_log

from .models import (
    AgendaCategory,
    ConsentScope,
    ItemKind,
    MisconductCategory,
    SharedItem,
    Stage,
)
from .selectors import consented_scope, item_detail

# The MOC section each kind is exchanged under (moc_kg).
ITEM_SOURCES = {
    ItemKind.MISCONDUCT: "moc_kg §4(1)",
    ItemKind.TEST_FRAUD: "moc_kg §5",
    ItemKind.INVESTIGATION: "moc_kg §7(3)",
    ItemKind.INQUIRY: "moc_kg §6(4), §7(6)",
    ItemKind.CONSULTATION: "moc_kg §4(2)",
    ItemKind.RETURN: "moc_kg §8",
}


# What an event in an item's history says, in the reader's language.
EVENT_LABELS = {
    "drafted": gettext_lazy("Drafted"),
    "filed": gettext_lazy("Filed"),
    "acknowledged": gettext_lazy("Acknowledged"),
    "stage": gettext_lazy("Stage changed"),
    "owner": gettext_lazy("Owner set"),
    "due": gettext_lazy("Due date set"),
    "note": gettext_lazy("Note"),
    "consent": gettext_lazy("Written consent recorded"),
    "attachment": gettext_lazy("File attached"),
    "answered": gettext_lazy("Answered"),
    "minutes": gettext_lazy("Minutes recorded"),
    "result": gettext_lazy("Result reported"),
    "decision": gettext_lazy("Decision on the certification recorded"),
    "investigation": gettext_lazy("Investigation opened"),
    "measure": gettext_lazy("Corrective measure recorded"),
    "return": gettext_lazy("Return support recorded"),
}
OUTCOME_LABELS = {"founded": gettext_lazy("Founded"), "unfounded": gettext_lazy("Unfounded")}


def _stage(value: str) -> str:
    return str(Stage(value).label) if value in Stage.values else ""


def _event_note(note: str) -> str:
    """Outcome codes in a note are shown in words."""
    words = note.split(" ", 1)
    if words and words[0] in OUTCOME_LABELS:
        return " ".join([str(OUTCOME_LABELS[words[0]]), *words[1:]])
    return note


def _org(org: Any) -> dict[str, Any] | None:
    return {"id": org.pk, "name": org.display_name} if org is not None else None


def item_summary(item: SharedItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "reference": item.reference,
        "kind": item.kind,
        "kind_label": str(ItemKind(item.kind).label),
        "country": item.country,
        "title": item.title,
        "stage": item.stage,
        "stage_label": str(Stage(item.stage).label),
        "outcome": item.outcome,
        "from_organization": _org(item.from_organization),
        "to_organization": _org(item.to_organization),
        "owner": item.owner.get_username() if item.owner else None,
        "due_on": item.due_on,
        "overdue": bool(item.due_on and item.is_open and item.due_on < timezone.localdate()),
        "acknowledged_at": item.acknowledged_at,
        "created_at": item.created_at,
        "filed_at": item.filed_at,
        "source_ref": ITEM_SOURCES[ItemKind(item.kind)],
    }


def _details(detail: Any, kind: str) -> dict[str, Any]:
    if kind == ItemKind.MISCONDUCT:
        return {
            "categories": [
                {"code": c, "text": str(MisconductCategory(c).label)} for c in detail.categories
            ],
            "subject_name": detail.subject_name,
            "subject_kind": detail.subject_kind,
            "subject_country": detail.subject_country,
            "subject_organization": _org(detail.subject_organization),
            "facts": detail.facts,
            "occurred_from": detail.occurred_from,
            "occurred_until": detail.occurred_until,
            "places": detail.places,
            "person_ids": [p.pk for p in detail.persons.all()],
            "case_ids": [c.pk for c in detail.cases.all()],
            "cases": [{"id": c.pk, "reference": c.reference} for c in detail.cases.all()],
            "channel": detail.channel,
            "channel_label": detail.get_channel_display(),
            "channel_organization": _org(detail.channel_organization),
            "channel_note": detail.channel_note,
        }
    if kind == ItemKind.TEST_FRAUD:
        return {
            "fraud_kind": detail.fraud_kind,
            "fraud_kind_label": detail.get_fraud_kind_display(),
            "facts": detail.facts,
            "test_results": [
                {
                    "id": r.pk,
                    "person_id": r.person_id,
                    "test_code": r.test_code,
                    "level": r.level,
                    "taken_on": r.taken_on,
                    "certificate_number": r.certificate_number,
                }
                for r in detail.test_results.all()
            ],
        }
    if kind == ItemKind.INVESTIGATION:
        return {
            "agency": _org(detail.agency),
            "report_ids": [r.pk for r in detail.reports.all()],
            "guidance": detail.guidance,
            "result": detail.result,
            "result_reported_at": detail.result_reported_at,
            "decisions": [
                {"id": d.pk, "action": d.action, "effective_on": d.effective_on}
                for d in detail.decisions.all()
            ],
        }
    if kind == ItemKind.INQUIRY:
        return {
            "question": detail.question,
            "case_id": detail.case_id,
            "organization": _org(detail.organization),
            "answer": detail.answer,
            "answered_at": detail.answered_at,
        }
    if kind == ItemKind.CONSULTATION:
        return {
            "consultation_kind": detail.consultation_kind,
            "meets_on": detail.meets_on,
            "place": detail.place,
            "minutes": detail.minutes,
            "agenda": [
                {
                    "category": a.category,
                    "category_text": str(AgendaCategory(a.category).label),
                    "title": a.title,
                }
                for a in detail.agenda.all()
            ],
            "action_items": [
                {
                    "id": a.pk,
                    "description": a.description,
                    "owner": _org(a.owner_organization),
                    "due_on": a.due_on,
                    "done_on": a.done_on,
                }
                for a in detail.action_items.select_related("owner_organization")
            ],
            "item_ids": [i.pk for i in detail.discusses.all()],
        }
    if kind == ItemKind.RETURN:
        return {
            "case_id": detail.case_id,
            "reason": detail.reason,
            "reason_label": detail.get_reason_display(),
            "embassy": _org(detail.embassy),
            "temporary_passport_requested_on": detail.temporary_passport_requested_on,
            "return_on": detail.return_on,
            "returned_on": detail.returned_on,
        }
    return {}


def item_data(actor: Actor, item: SharedItem) -> dict[str, Any]:
    detail = item_detail(item)
    consented = consented_scope(actor, item)
    data = {
        **item_summary(item),
        "confidential": True,
        "details": _details(detail, item.kind),
        "events": [
            {
                "at": e.at,
                "action": e.action,
                "action_label": str(EVENT_LABELS.get(e.action, e.action)),
                "by": e.user.get_username() if e.user else "system",
                "organization": _org(e.organization),
                "stage_from": e.stage_from,
                "stage_to": e.stage_to,
                "stage_to_label": _stage(e.stage_to),
                "note": _event_note(e.note),
            }
            for e in item.events.select_related("user", "organization")
        ],
        "attachments": [],
        "consents": [],
        "reads": [],
        "linked": [
            item_summary(i)
            for i in [*item.investigations.all(), *item.discussed_in.all()]
            if i.stage != Stage.DRAFT
        ]
        if item_side(actor, item)
        else [],
        "measures": [
            {
                "id": m.pk,
                "organization": _org(m.organization),
                "kind": m.kind,
                "kind_label": m.get_kind_display(),
                "description": m.description,
                "taken_on": m.taken_on,
                "improvement_order_id": m.improvement_order_id,
            }
            for m in item.measures.select_related("organization")
        ]
        if item_side(actor, item)
        else [],
    }
    if sees_item_attachments(actor, item, consented == ConsentScope.ITEM_AND_ATTACHMENTS):
        data["attachments"] = [
            {
                "id": a.pk,
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "uploaded_at": a.uploaded_at,
            }
            for a in item.attachments.all()
        ]
    if sees_item_log(actor, item):
        data["consents"] = [
            {
                "to_organization": _org(c.to_organization),
                "scope": c.scope,
                "scope_label": c.get_scope_display(),
                "purpose": c.purpose,
                "consented_on": c.consented_on,
                "document_reference": c.document_reference,
                "consenting_organization": _org(c.consenting_organization),
                "recorded_by": c.recorded_by.get_username(),
                "recorded_at": c.recorded_at,
            }
            for c in item.consents.select_related(
                "to_organization", "consenting_organization", "recorded_by"
            )
        ]
        data["reads"] = [
            {
                "user": r.user.get_username(),
                "organization": _org(r.organization),
                "read_at": r.read_at,
                "via": r.via,
            }
            for r in item.reads.select_related("user", "organization")[:200]
        ]
    return data


def confidentiality_note() -> str:
    return _(
        "Confidential under the MOC (§3): shown to the two contact points, and to a third "
        "party only with the originating side's written consent. Every read is logged."
    )
