"""Return support (moc_kg §8): when a stay is not allowed, Japan asks, and the ministry
with the Kyrgyz Embassy in Japan sees to a temporary passport and a smooth return."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import return_support_party
from kakehashi.access.visibility import case_visibility
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.core import validation
from kakehashi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound, Problem

from ..models import ItemKind, ReturnCase, ReturnReason, Stage
from ..selectors import item_get
from .common import day, new_item, record


def _embassy(country: str) -> Organization | None:
    return (
        Organization.objects.filter(kind=OrganizationKind.EMBASSY, country=country)
        .order_by("id")
        .first()
    )


def return_case_open_for_refusal(*, actor: Actor, case: Any, reason: str) -> ReturnCase | None:
    """Landing or a change of status was refused on a case: a return case opens, from
    Japan's contact point to the ministry's, and the embassy of the person's country sees
    it. Called by the case service in the step's transaction; where the contact points are
    not registered, nothing opens."""
    japan = (
        Organization.objects.filter(kind=OrganizationKind.JP_CONTACT_POINT).order_by("id").first()
    )
    if japan is None:
        return None
    if not Organization.objects.filter(
        kind=OrganizationKind.SENDING_CONTACT_POINT, country=case.country
    ).exists():
        return None
    return new_item(
        ReturnCase,
        actor=actor,
        sender=japan,
        country=case.country,
        kind=ItemKind.RETURN,
        title=str(case.person),
        stage=Stage.OPEN,
        case=case,
        reason=reason,
        embassy=_embassy(case.country),
    )


@transaction.atomic
def return_case_open(*, actor: Actor, case_id: int, reason: str) -> ReturnCase:
    """Japan's contact point opens a return case itself, e.g. when a stay ends under a
    suspension of the field (moc_kg §8)."""
    japan = actor.acts_as(OrganizationKind.JP_CONTACT_POINT)
    if japan is None:
        raise NotAllowed(_("Only Japan's contact point asks for return support."))
    case_model: Any = ReturnCase._meta.get_field("case").related_model
    case = (
        case_model.objects.filter(case_visibility(actor), pk=case_id)
        .select_related("person")
        .first()
    )
    if case is None:
        raise InvalidInput([Problem("not_found", _("No such case."), field="case_id")])
    if reason not in ReturnReason.values:
        raise InvalidInput(
            [
                Problem(
                    "invalid_choice",
                    _("Choose one of: %(allowed)s.") % {"allowed": ", ".join(ReturnReason.values)},
                    field="reason",
                )
            ]
        )
    if ReturnCase.objects.filter(case=case).exclude(stage=Stage.CLOSED).exists():
        raise Conflict(_("A return case is already open for this case."), code="already_open")
    return new_item(
        ReturnCase,
        actor=actor,
        sender=japan,
        country=case.country,
        kind=ItemKind.RETURN,
        title=str(case.person),
        stage=Stage.OPEN,
        case=case,
        reason=reason,
        embassy=_embassy(case.country),
    )


@transaction.atomic
def return_case_update(
    *,
    actor: Actor,
    item_id: int,
    temporary_passport_requested_on: Any = None,
    return_on: Any = None,
    returned_on: Any = None,
) -> ReturnCase:
    """Record the temporary-passport request, the planned return date and the return
    itself (which closes the case)."""
    visible = item_get(actor, item_id)
    item = ReturnCase.objects.select_for_update().filter(pk=visible.pk).first()
    if item is None:
        raise NotFound("return case")
    org = return_support_party(actor, item.country)
    if org is None:
        raise NotAllowed(
            _("Japan's contact point, the ministry and the embassy record return support.")
        )
    if item.stage == Stage.CLOSED:
        raise Conflict(_("This return case is closed."), code="closed")
    problems: list[Problem] = []
    today = timezone.localdate()
    requested = day(temporary_passport_requested_on, "temporary_passport_requested_on", problems)
    planned = day(return_on, "return_on", problems)
    returned = day(returned_on, "returned_on", problems)
    validation.not_in_future(requested, "temporary_passport_requested_on", problems, today)
    validation.not_in_future(returned, "returned_on", problems, today)
    if problems:
        raise InvalidInput(problems)
    changes = []
    if requested is not None:
        item.temporary_passport_requested_on = requested
        changes.append(f"temporary_passport_requested_on={requested}")
    if planned is not None:
        item.return_on = planned
        changes.append(f"return_on={planned}")
    if returned is not None:
        item.returned_on = returned
        item.stage, item.closed_on = Stage.CLOSED, returned
        changes.append(f"returned_on={returned}")
    if not changes:
        raise InvalidInput([Problem("required", _("Give at least one date."), field="return_on")])
    item.save()
    record(
        item,
        "return",
        actor,
        org,
        stage_to=Stage.CLOSED if returned is not None else "",
        note="; ".join(changes),
    )
    return item
