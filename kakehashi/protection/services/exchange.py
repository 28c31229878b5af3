"""Investigations of certified agencies (moc_kg §7(3)), Japan's corrective measures
(§4(2)(c)), inquiries (§6(4), §7(6)) and consultations (§4(2))."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import agency_deciding_organization, contact_point_for, item_side
from kakehashi.access.visibility import case_visibility
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.core import validation
from kakehashi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound, Problem
from kakehashi.registries.models import ImprovementOrder
from kakehashi.registries.services import agency_decision_record

from ..models import (
    ActionItem,
    AgendaCategory,
    AgendaItem,
    Consultation,
    ConsultationKind,
    CorrectiveMeasure,
    Inquiry,
    Investigation,
    ItemKind,
    SharedItem,
    Stage,
)
from ..selectors import item_get, items_visible_to
from .common import day, new_item, record, text
from .reports import _country, _linked

# --- investigations (moc_kg §7(3)) ------------------------------------------------------------


@transaction.atomic
def investigation_open(
    *, actor: Actor, agency_id: int, report_ids: list[int], due_on: Any = None
) -> Investigation:
    """The sending country's ministry opens an investigation of a certified agency on
    Japan's report (moc_kg §7(3)), linked to the report(s) it answers."""
    problems: list[Problem] = []
    agency = Organization.objects.filter(pk=agency_id, kind=OrganizationKind.SENDING_AGENCY).first()
    if agency is None:
        raise InvalidInput([Problem("not_found", _("No such sending agency."), field="agency_id")])
    ministry = agency_deciding_organization(actor, agency)
    if ministry is None:
        raise NotAllowed(_("Only the agency's ministry investigates it (MOC §7(3))."))
    reports = _linked(
        SharedItem,
        report_ids,
        items_visible_to(actor).filter(kind=ItemKind.MISCONDUCT).exclude(stage=Stage.DRAFT),
        "report_ids",
        problems,
    )
    if not reports and not problems:
        problems.append(
            Problem(
                "required",
                _("Name Japan's report(s) the investigation answers."),
                field="report_ids",
            )
        )
    due = day(due_on, "due_on", problems)
    if problems:
        raise InvalidInput(problems)
    investigation: Investigation = new_item(
        Investigation,
        actor=actor,
        sender=ministry,
        country=agency.country,
        kind=ItemKind.INVESTIGATION,
        title=agency.name_en,
        stage=Stage.UNDER_INVESTIGATION,
        due_on=due,
        agency=agency,
    )
    investigation.reports.set(reports)
    for report in reports:
        record(report, "investigation", actor, ministry, note=investigation.reference)
    return investigation


def _investigation(actor: Actor, item_id: int) -> tuple[Investigation, Organization]:
    visible = item_get(actor, item_id)
    investigation = Investigation.objects.select_for_update().filter(pk=visible.pk).first()
    if investigation is None:
        raise NotFound("investigation")
    ministry = agency_deciding_organization(actor, investigation.agency)
    if ministry is None:
        raise NotAllowed(_("Only the agency's ministry records its investigation."))
    return investigation, ministry


@transaction.atomic
def investigation_report(
    *, actor: Actor, item_id: int, guidance: str, result: str
) -> Investigation:
    """Record the guidance and supervision given and the result, and report it to Japan
    (moc_kg §7(3)): Japan's contact point sees the result in its inbox."""
    investigation, ministry = _investigation(actor, item_id)
    problems: list[Problem] = []
    guidance = text(guidance, "guidance", problems)
    result = text(result, "result", problems, required=True)
    if problems:
        raise InvalidInput(problems)
    if investigation.stage not in (Stage.UNDER_INVESTIGATION, Stage.RESULT_REPORTED):
        raise Conflict(_("This investigation is closed."), code="closed")
    before = investigation.stage
    investigation.guidance, investigation.result = guidance, result
    investigation.stage = Stage.RESULT_REPORTED
    investigation.result_reported_at = timezone.now()
    # Japan acknowledges the result as a new arrival.
    investigation.acknowledged_at = None
    investigation.acknowledged_by = None
    investigation.save()
    record(
        investigation,
        "result",
        actor,
        ministry,
        stage_from=before,
        stage_to=Stage.RESULT_REPORTED,
    )
    return investigation


@transaction.atomic
def investigation_decide(
    *,
    actor: Actor,
    item_id: int,
    action: str,
    effective_on: Any = None,
    reason: str = "",
) -> Investigation:
    """A result that leads to a suspension or revocation: recorded through the agency's
    certification decisions (which notify Japan, publish the register and flag the open
    cases), and linked to the investigation."""
    investigation, _ministry = _investigation(actor, item_id)
    if action not in ("suspended", "revoked"):
        raise InvalidInput(
            [Problem("invalid_choice", _("Choose suspended or revoked."), field="action")]
        )
    decision = agency_decision_record(
        actor=actor,
        agency_id=investigation.agency_id,
        action=action,
        effective_on=validation.date_field(effective_on, "effective_on", [], required=False),
        reason=reason,
    )
    investigation.decisions.add(decision)
    record(investigation, "decision", actor, _ministry, note=action)
    return investigation


# --- corrective measures (moc_kg §4(2)(c)) ---------------------------------------------------


@transaction.atomic
def corrective_measure_record(*, actor: Actor, data: dict[str, Any]) -> CorrectiveMeasure:
    """Japan's contact point records a measure against a receiving organization or a
    support organization, linked to the reports behind it (and to the improvement order in
    Japan's register, for an order)."""
    japan = actor.acts_as(OrganizationKind.JP_CONTACT_POINT)
    if japan is None:
        raise NotAllowed(_("Only Japan's contact point records its corrective measures."))
    problems: list[Problem] = []
    target = Organization.objects.filter(
        pk=int(data.get("organization_id") or 0),
        kind__in=[OrganizationKind.RECEIVING_ORGANIZATION, OrganizationKind.SUPPORT_ORGANIZATION],
    ).first()
    if target is None:
        problems.append(
            Problem(
                "not_found",
                _("Choose a receiving organization or a registered support organization."),
                field="organization_id",
            )
        )
    kind = str(data.get("kind") or "")
    if kind not in CorrectiveMeasure.Kind.values:
        problems.append(
            Problem(
                "invalid_choice",
                _("Choose one of: %(allowed)s.")
                % {"allowed": ", ".join(CorrectiveMeasure.Kind.values)},
                field="kind",
            )
        )
    order = None
    if data.get("improvement_order_id"):
        order = ImprovementOrder.objects.filter(
            pk=data["improvement_order_id"], receiving_organization=target
        ).first()
        if order is None:
            problems.append(
                Problem(
                    "not_found",
                    _("No such improvement order to this organization."),
                    field="improvement_order_id",
                )
            )
    elif kind == CorrectiveMeasure.Kind.IMPROVEMENT_ORDER:
        problems.append(
            Problem(
                "required",
                _("Name the improvement order in the register."),
                field="improvement_order_id",
            )
        )
    description = text(data.get("description"), "description", problems, required=True)
    taken_on = day(data.get("taken_on"), "taken_on", problems, required=True)
    validation.not_in_future(taken_on, "taken_on", problems, timezone.localdate())
    reports = _linked(
        SharedItem,
        data.get("report_ids"),
        items_visible_to(actor).filter(kind=ItemKind.MISCONDUCT),
        "report_ids",
        problems,
    )
    if problems:
        raise InvalidInput(problems)
    assert target is not None
    measure = CorrectiveMeasure.objects.create(
        organization=target,
        kind=kind,
        improvement_order=order,
        description=description,
        taken_on=taken_on,
        recorded_by=actor.required_user,
    )
    measure.reports.set(reports)
    for report in reports:
        record(report, "measure", actor, japan, note=str(CorrectiveMeasure.Kind(kind).label))
    return measure


# --- inquiries (moc_kg §6(4), §7(6)) ---------------------------------------------------------


@transaction.atomic
def inquiry_send(*, actor: Actor, data: dict[str, Any]) -> Inquiry:
    """A contact point asks the other side about a case, an agency or an organization,
    with a date by which it needs the answer."""
    problems: list[Problem] = []
    country = _country(data.get("country"), problems)
    sender = contact_point_for(actor, country) if country else None
    if country and sender is None:
        raise NotAllowed(_("Only a contact point sends an inquiry to the other side."))
    subject = validation.text_field(
        data.get("subject"), "subject", problems, required=True, max_length=200
    )
    question = text(data.get("question"), "question", problems, required=True)
    due = day(data.get("due_on"), "due_on", problems, required=True)
    if due is not None and due < timezone.localdate():
        problems.append(
            Problem("date_in_past", _("The answer cannot be due before today."), field="due_on")
        )
    case = None
    if data.get("case_id"):
        case_model: Any = Inquiry._meta.get_field("case").related_model
        case = case_model.objects.filter(case_visibility(actor), pk=data["case_id"]).first()
        if case is None:
            problems.append(Problem("not_found", _("No such case."), field="case_id"))
    organization = None
    if data.get("organization_id"):
        organization = Organization.objects.filter(pk=data["organization_id"]).first()
        if organization is None:
            problems.append(
                Problem("not_found", _("No such organization."), field="organization_id")
            )
    if problems:
        raise InvalidInput(problems)
    assert sender is not None
    return new_item(
        Inquiry,
        actor=actor,
        sender=sender,
        country=country,
        kind=ItemKind.INQUIRY,
        title=subject,
        stage=Stage.OPEN,
        due_on=due,
        question=question,
        case=case,
        organization=organization,
    )


@transaction.atomic
def inquiry_answer(*, actor: Actor, item_id: int, answer: str) -> Inquiry:
    """The asked side gives the necessary information (moc_kg §6(4), §7(6))."""
    visible = item_get(actor, item_id)
    inquiry = Inquiry.objects.select_for_update().filter(pk=visible.pk).first()
    if inquiry is None:
        raise NotFound("inquiry")
    org = actor.acts_for(inquiry.to_organization_id)
    if org is None:
        raise NotAllowed(_("Only the contact point that was asked answers."))
    problems: list[Problem] = []
    answer = text(answer, "answer", problems, required=True)
    if problems:
        raise InvalidInput(problems)
    if inquiry.stage != Stage.OPEN:
        raise Conflict(_("This inquiry is no longer open."), code="not_open")
    inquiry.answer = answer
    inquiry.answered_at = timezone.now()
    inquiry.answered_by = actor.required_user
    inquiry.stage = Stage.ANSWERED
    inquiry.closed_on = timezone.localdate()
    if inquiry.acknowledged_at is None:
        inquiry.acknowledged_at, inquiry.acknowledged_by = timezone.now(), actor.required_user
    inquiry.save()
    record(inquiry, "answered", actor, org, stage_from=Stage.OPEN, stage_to=Stage.ANSWERED)
    return inquiry


# --- consultations (moc_kg §4(2)) -------------------------------------------------------------


@transaction.atomic
def consultation_plan(*, actor: Actor, data: dict[str, Any]) -> Consultation:
    """A regular or ad-hoc consultation with its agenda, each item in one of the
    categories (a)–(f) of moc_kg §4(2), and the reports and inquiries it discusses."""
    problems: list[Problem] = []
    country = _country(data.get("country"), problems)
    sender = contact_point_for(actor, country) if country else None
    if country and sender is None:
        raise NotAllowed(_("Only a contact point arranges a consultation."))
    kind = str(data.get("consultation_kind") or "")
    if kind not in ConsultationKind.values:
        problems.append(
            Problem("invalid_choice", _("Choose regular or ad hoc."), field="consultation_kind")
        )
    title = validation.text_field(
        data.get("title"), "title", problems, required=True, max_length=200
    )
    meets_on = day(data.get("meets_on"), "meets_on", problems, required=True)
    place = validation.text_field(data.get("place"), "place", problems, max_length=200)
    agenda = []
    for index, entry in enumerate(data.get("agenda") or []):
        category = str((entry or {}).get("category") or "")
        if category not in AgendaCategory.values:
            problems.append(
                Problem(
                    "invalid_choice",
                    _("The categories are a to f."),
                    field=f"agenda.{index}.category",
                )
            )
        item_title = validation.text_field(
            (entry or {}).get("title"),
            f"agenda.{index}.title",
            problems,
            required=True,
            max_length=200,
        )
        agenda.append((category, item_title))
    if not agenda:
        problems.append(Problem("required", _("Give at least one agenda item."), field="agenda"))
    discusses = _linked(
        SharedItem, data.get("item_ids"), items_visible_to(actor), "item_ids", problems
    )
    if problems:
        raise InvalidInput(problems)
    assert sender is not None
    consultation: Consultation = new_item(
        Consultation,
        actor=actor,
        sender=sender,
        country=country,
        kind=ItemKind.CONSULTATION,
        title=title,
        stage=Stage.PLANNED,
        consultation_kind=kind,
        meets_on=meets_on,
        place=place,
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(consultation=consultation, category=c, title=t) for c, t in agenda
    )
    consultation.discusses.set(discusses)
    return consultation


@transaction.atomic
def consultation_minutes(
    *, actor: Actor, item_id: int, minutes: str, actions: list[dict[str, Any]]
) -> Consultation:
    """Record the minutes of a consultation held, and its action items, each with an
    owner (one of the two contact points) and a due date."""
    visible = item_get(actor, item_id)
    consultation = Consultation.objects.select_for_update().filter(pk=visible.pk).first()
    if consultation is None:
        raise NotFound("consultation")
    org = item_side(actor, consultation)
    if org is None:
        raise NotAllowed(_("Only the two contact points record the minutes."))
    problems: list[Problem] = []
    minutes = text(minutes, "minutes", problems, required=True)
    sides = {consultation.from_organization_id, consultation.to_organization_id}
    rows = []
    for index, entry in enumerate(actions or []):
        entry = entry or {}
        description = validation.text_field(
            entry.get("description"),
            f"actions.{index}.description",
            problems,
            required=True,
            max_length=300,
        )
        owner_id = entry.get("owner_organization_id")
        if owner_id not in sides:
            problems.append(
                Problem(
                    "invalid_choice",
                    _("The owner is one of the two contact points."),
                    field=f"actions.{index}.owner_organization_id",
                )
            )
        due = day(entry.get("due_on"), f"actions.{index}.due_on", problems, required=True)
        rows.append((description, int(owner_id or 0), due))
    if problems:
        raise InvalidInput(problems)
    if consultation.stage != Stage.PLANNED:
        raise Conflict(_("The minutes of this consultation are recorded."), code="already_held")
    consultation.minutes = minutes
    consultation.stage = Stage.HELD
    consultation.closed_on = consultation.meets_on
    consultation.save()
    ActionItem.objects.bulk_create(
        ActionItem(consultation=consultation, description=d, owner_organization_id=o, due_on=due)
        for d, o, due in rows
    )
    record(consultation, "minutes", actor, org, stage_from=Stage.PLANNED, stage_to=Stage.HELD)
    return consultation


@transaction.atomic
def action_item_done(*, actor: Actor, action_id: int, done_on: Any = None) -> ActionItem:
    action = ActionItem.objects.select_for_update().filter(pk=action_id).first()
    if action is None:
        raise NotFound("action item")
    item_get(actor, action.consultation_id)  # 404 unless the actor sees the consultation
    if actor.acts_for(action.owner_organization_id) is None:
        raise NotAllowed(_("Only the owner of the action marks it done."))
    problems: list[Problem] = []
    done = day(done_on, "done_on", problems) or timezone.localdate()
    validation.not_in_future(done, "done_on", problems, timezone.localdate())
    if problems:
        raise InvalidInput(problems)
    action.done_on = done
    action.save(update_fields=["done_on"])
    return action
