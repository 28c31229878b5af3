"""Grievances: the worker's own channel (or someone filing on their behalf), handled as a
case by its owner with stages, due dates and a message thread; forwarded to a misconduct
report when it concerns an intermediary (moc_kg §4(1)). The reporter's identity never
leaves the worker and the owner."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import (
    grievance_handler,
    grievance_on_behalf_organization,
    may_write_in_grievance,
)
from kakehashi.access.visibility import case_visibility, grievance_visibility
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.core import validation
from kakehashi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound, Problem
from kakehashi.people.models import Person
from kakehashi.people.selectors import persons_visible_to

from ..models import (
    Channel,
    Fee,
    Grievance,
    GrievanceCategory,
    GrievanceMessage,
    GrievanceStage,
    SubjectKind,
)
from ..selectors import fees_visible_to
from .reports import misconduct_report_file

MOC_CATEGORIES = {"a", "b", "c", "d", "e"}
# How long each stage may take before the grievance shows as overdue.
STAGE_DAYS = {
    GrievanceStage.RECEIVED: 3,
    GrievanceStage.ASSIGNED: 7,
    GrievanceStage.IN_PROGRESS: 30,
    GrievanceStage.RESOLVED: 14,
    GrievanceStage.CLOSED: 0,
}
NEXT = {
    GrievanceStage.RECEIVED: (GrievanceStage.ASSIGNED,),
    GrievanceStage.ASSIGNED: (GrievanceStage.IN_PROGRESS,),
    GrievanceStage.IN_PROGRESS: (GrievanceStage.RESOLVED,),
    GrievanceStage.RESOLVED: (GrievanceStage.CLOSED, GrievanceStage.IN_PROGRESS),
    GrievanceStage.CLOSED: (),
}


def _due(stage: str, today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(
        days=STAGE_DAYS[GrievanceStage(stage)]
    )


def grievance_owner(person: Person, categories: list[str], case: Any) -> Organization | None:
    """Matters of moc_kg §4(1) go to the Center of the worker's country; workplace and
    living problems to the case's support organization, else to Japan's contact point."""
    if set(categories) & MOC_CATEGORIES:
        return (
            Organization.objects.filter(
                kind=OrganizationKind.SENDING_CONTACT_POINT, country=person.nationality
            )
            .order_by("id")
            .first()
        )
    if case is not None and case.support_organization_id:
        return case.support_organization
    return (
        Organization.objects.filter(kind=OrganizationKind.JP_CONTACT_POINT).order_by("id").first()
    )


def _message(grievance: Grievance, actor: Actor, text: str, stage_to: str = "") -> GrievanceMessage:
    return GrievanceMessage.objects.create(
        grievance=grievance,
        author=actor.required_user,
        from_worker=actor.person_id == grievance.person_id,
        text=text,
        stage_to=stage_to,
    )


@transaction.atomic
def grievance_file(*, actor: Actor, data: dict[str, Any]) -> Grievance:
    """The worker files a grievance in their language, or someone files it on their behalf
    (naming who). It goes to its owner at once, due within three days."""
    problems: list[Problem] = []
    if actor.person_id is not None:
        person = Person.objects.get(pk=actor.person_id)
        on_behalf = ""
    else:
        if grievance_on_behalf_organization(actor) is None:
            raise NotAllowed(
                _(
                    "Only the worker, or the Center or a support organization for them, "
                    "files a grievance."
                )
            )
        found = persons_visible_to(actor).filter(pk=data.get("person_id") or 0).first()
        if found is None:
            raise InvalidInput([Problem("not_found", _("No such person."), field="person_id")])
        person = found
        on_behalf = validation.text_field(
            data.get("on_behalf_note"), "on_behalf_note", problems, required=True, max_length=200
        )
    categories = sorted(set(data.get("categories") or []))
    if not categories:
        problems.append(Problem("required", _("Choose at least one."), field="categories"))
    elif not set(categories) <= set(GrievanceCategory.values):
        problems.append(Problem("invalid_choice", _("Choose from the list."), field="categories"))
    description = validation.text_field(
        data.get("description"), "description", problems, required=True, max_length=5000
    )
    case = None
    if data.get("case_id"):
        case_model: Any = Grievance._meta.get_field("case").related_model
        case = (
            case_model.objects.filter(case_visibility(actor), pk=data["case_id"], person=person)
            .select_related("support_organization")
            .first()
        )
        if case is None:
            problems.append(Problem("not_found", _("No such case."), field="case_id"))
    fee = data.get("fee")
    if problems:
        raise InvalidInput(problems)
    owner = grievance_owner(person, categories, case)
    if owner is None:
        raise InvalidInput(
            [
                Problem(
                    "no_owner", _("Nobody is registered here to handle this."), field="categories"
                )
            ]
        )
    grievance = Grievance.objects.create(
        person=person,
        filed_by=actor.required_user,
        on_behalf_note=on_behalf,
        language=(data.get("language") or get_language() or "en")[:8],
        categories=categories,
        description=description,
        case=case,
        fee=fee,
        owner_organization=owner,
        due_on=_due(GrievanceStage.RECEIVED),
    )
    _message(grievance, actor, description, GrievanceStage.RECEIVED)
    return grievance


def grievance_get(actor: Actor, grievance_id: int) -> Grievance:
    grievance = (
        Grievance.objects.filter(grievance_visibility(actor), pk=grievance_id)
        .select_related("owner_organization", "person", "fee", "case")
        .first()
    )
    if grievance is None:
        raise NotFound("grievance")
    return grievance


@transaction.atomic
def grievance_write(*, actor: Actor, grievance_id: int, text: str) -> GrievanceMessage:
    """A message in the thread, from the worker or from the owner's staff."""
    grievance = grievance_get(actor, grievance_id)
    if not may_write_in_grievance(actor, grievance):
        raise NotAllowed(_("Only the worker and the organization handling it write here."))
    problems: list[Problem] = []
    text = validation.text_field(text, "text", problems, required=True, max_length=5000)
    if problems:
        raise InvalidInput(problems)
    if grievance.stage == GrievanceStage.CLOSED:
        raise Conflict(_("This grievance is closed."), code="closed")
    return _message(grievance, actor, text)


@transaction.atomic
def grievance_move(
    *, actor: Actor, grievance_id: int, stage: str, note: str = "", assignee_id: int | None = None
) -> Grievance:
    """The owner moves the grievance on (received → assigned → in progress → resolved →
    closed, or back to in progress); each stage gets its due date."""
    grievance = grievance_get(actor, grievance_id)
    org = grievance_handler(actor, grievance)
    if org is None:
        raise NotAllowed(_("Only the organization handling it moves it on."))
    problems: list[Problem] = []
    note = validation.text_field(note, "note", problems, max_length=2000)
    allowed = NEXT[GrievanceStage(grievance.stage)]
    if stage not in allowed:
        problems.append(
            Problem(
                "transition_not_allowed",
                _("From “%(stage)s” it can move to: %(allowed)s.")
                % {
                    "stage": GrievanceStage(grievance.stage).label,
                    "allowed": ", ".join(str(GrievanceStage(s).label) for s in allowed) or "—",
                },
                field="stage",
            )
        )
    if problems:
        raise InvalidInput(problems)
    locked = Grievance.objects.select_for_update().get(pk=grievance.pk)
    locked.stage = stage
    locked.due_on = _due(stage)
    if stage == GrievanceStage.ASSIGNED:
        locked.assignee = actor.required_user if assignee_id is None else locked.assignee
    locked.save()
    _message(locked, actor, note or str(GrievanceStage(stage).label), stage)
    return locked


@transaction.atomic
def grievance_forward(*, actor: Actor, grievance_id: int, subject_name: str = "") -> Grievance:
    """The owner, a contact point, forwards the grievance to a misconduct report. The report
    says it came from a worker but not who; the grievance keeps the link."""
    grievance = grievance_get(actor, grievance_id)
    if grievance_handler(actor, grievance) is None:
        raise NotAllowed(_("Only the organization handling it forwards it."))
    if grievance.forwarded_to_id is not None:
        raise Conflict(_("This grievance has already been forwarded."), code="already_forwarded")
    categories = [c for c in grievance.categories if c in MOC_CATEGORIES]
    if not categories:
        raise InvalidInput(
            [
                Problem(
                    "not_moc_conduct",
                    _("Only conduct under MOC §4(1)(a)–(e) becomes a misconduct report."),
                    field="categories",
                )
            ]
        )
    subject = None
    if grievance.fee is not None:
        subject = grievance.fee.charged_by
    elif grievance.case is not None and grievance.case.sending_agency_id:
        subject = grievance.case.sending_agency
    name = validation.text_field(subject_name, "subject_name", [], max_length=200) or (
        subject.name_en if subject else _("To be identified")
    )
    report = misconduct_report_file(
        actor=actor,
        data={
            "country": grievance.person.nationality,
            "categories": categories,
            "subject_name": name,
            "subject_kind": SubjectKind.LEGAL_ENTITY if subject else SubjectKind.INDIVIDUAL,
            "subject_country": subject.country if subject else grievance.person.nationality,
            "subject_organization_id": subject.pk if subject else None,
            "facts": grievance.description,
            "channel": Channel.WORKER,
            "channel_note": _("A worker's grievance"),
        },
    )
    locked = Grievance.objects.select_for_update().get(pk=grievance.pk)
    locked.forwarded_to = report
    locked.save(update_fields=["forwarded_to", "updated_at"])
    _message(locked, actor, _("Forwarded as a misconduct report to the other contact point."))
    return locked


# --- fees, from the worker's side ---------------------------------------------------------------


def _own_fee(actor: Actor, fee_id: int) -> Fee:
    if actor.person_id is None:
        raise NotAllowed(_("Only the worker answers a fee disclosure here."))
    fee = fees_visible_to(actor).filter(pk=fee_id, case__person_id=actor.person_id).first()
    if fee is None:
        raise NotFound("fee")
    return fee


@transaction.atomic
def fee_acknowledge_by_worker(*, actor: Actor, fee_id: int) -> Any:
    """The worker confirms they were shown the basis, the amount and the breakdown, in
    their language, and understood them (moc_kg §4(1)(e))."""
    from ..models import FeeAcknowledgement

    fee = _own_fee(actor, fee_id)
    if fee.acknowledgements.exists():
        raise Conflict(_("This fee is already acknowledged."), code="already_acknowledged")
    if fee.disputes.exists():
        raise Conflict(_("You disputed this fee; your grievance is open."), code="disputed")
    return FeeAcknowledgement.objects.create(
        fee=fee,
        acknowledged_on=timezone.localdate(),
        language=(get_language() or "en")[:8],
        document_reference="",
        recorded_by=actor.required_user,
        by_worker=True,
    )


@transaction.atomic
def fee_dispute(*, actor: Actor, fee_id: int, reason: str) -> Grievance:
    """The worker disputes a fee: a grievance (MOC §4(1)(e)) owned by the Center opens."""
    fee = _own_fee(actor, fee_id)
    if fee.acknowledgements.exists():
        raise Conflict(_("You acknowledged this fee already."), code="already_acknowledged")
    if fee.disputes.exists():
        raise Conflict(_("You disputed this fee already."), code="disputed")
    return grievance_file(
        actor=actor,
        data={"categories": ["e"], "description": reason, "case_id": fee.case_id, "fee": fee},
    )
