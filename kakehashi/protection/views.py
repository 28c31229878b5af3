"""Pages of the protective core for the two contact points (and the embassy, and anyone a
consent names): the inbox, an item with everything that can be done to it, and the forms
to file a report, send an inquiry or plan a consultation. Thin: forms read the input, one
service decides, the access policy says which forms to offer."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import ChoiceField
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kakehashi.access import request_actor
from kakehashi.access.policy import (
    agency_deciding_organization,
    contact_point_for,
    fee_policy_agency,
    grievance_handler,
    grievance_on_behalf_organization,
    item_members,
    item_recipient,
    item_side,
    return_support_party,
)
from kakehashi.accounts.models import Organization, OrganizationKind
from kakehashi.audit import log as audit_log
from kakehashi.core.errors import DomainError, InvalidInput, Problem
from kakehashi.core.files import file_download
from kakehashi.core.forms import AccessibleForm
from kakehashi.core.pages import form_refusal, page_refusal
from kakehashi.people.models import TestResult
from kakehashi.people.selectors import persons_visible_to
from kakehashi.registries.models import ImprovementOrder

from . import forms, selectors
from .models import GrievanceCategory, GrievanceStage, ItemKind, SharedItem, Stage
from .presenters import confidentiality_note, item_data, item_summary
from .selectors import employer_pays
from .services import common, exchange, fees, grievances, reports, returns


def _visible(request: HttpRequest, item_id: int, via: str = "") -> SharedItem:
    """The item, or the same 404 as for one that does not exist."""
    try:
        return selectors.item_get(request_actor(request), item_id, via=via)
    except DomainError as exc:
        page_refusal(exc)
        raise


def _require_contact_point(request: HttpRequest, country: str = "KG") -> None:
    if contact_point_for(request_actor(request), country) is None:
        raise Http404(_("Only the contact points file and follow up MOC items."))


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    kind = request.GET.get("kind", "")[:16]
    items = selectors.item_list(actor, kind=kind if kind in ItemKind.values else "")
    return render(
        request,
        "protection/inbox.html",
        {
            "nav": "protection",
            "inbox": selectors.inbox(actor),
            "items": [item_summary(i) for i in items[:200]],
            "kind": kind,
            "kinds": ItemKind.choices,
            "is_contact_point": actor.is_contact_point,
            "note": confidentiality_note(),
        },
    )


# --- one item ---------------------------------------------------------------------------------


def _item_forms(
    request: HttpRequest, item: SharedItem, bound: dict[str, AccessibleForm]
) -> dict[str, Any]:
    actor = request_actor(request)
    side = item_side(actor, item)
    offered: dict[str, Any] = {}

    def form(name: str, cls: type[AccessibleForm]) -> AccessibleForm:
        return bound.get(name) or cls(prefix=name)

    if side is not None:
        follow = form("follow", forms.FollowUpForm)
        members = item_members(item)
        cast(ChoiceField, follow.fields["owner_id"]).choices = [("", "—")] + [
            (
                m.user_id,
                f"{m.user.get_full_name() or m.user.get_username()} "
                f"({m.organization.display_name})",
            )
            for m in members
        ]
        allowed = common.TRANSITIONS.get(item.kind, {}).get(item.stage, ())
        cast(ChoiceField, follow.fields["stage"]).choices = [("", "—")] + [
            (s, Stage(s).label) for s in allowed
        ]
        offered["follow"] = follow
        if item.stage != Stage.DRAFT:
            consent = form("consent", forms.ConsentForm)
            cast(ChoiceField, consent.fields["to_organization_id"]).choices = [
                (o.pk, o.display_name)
                for o in Organization.objects.exclude(
                    pk__in=[item.from_organization_id, item.to_organization_id]
                ).order_by("kind", "name_en")
            ]
            offered["consent"] = consent
        offered["attachments"] = form("attachments", forms.AttachmentForm)
        if item.stage == Stage.DRAFT and actor.acts_for(item.from_organization_id):
            offered["file"] = True
    if item_recipient(actor, item) and item.acknowledged_at is None and item.stage != Stage.DRAFT:
        offered["acknowledge"] = True
    if (
        item.kind == ItemKind.INQUIRY
        and item.stage == Stage.OPEN
        and actor.acts_for(item.to_organization_id)
    ):
        offered["answer"] = form("answer", forms.AnswerForm)
    if item.kind == ItemKind.CONSULTATION and item.stage == Stage.PLANNED and side is not None:
        offered["minutes"] = form("minutes", forms.MinutesForm)
    if item.kind == ItemKind.INVESTIGATION:
        investigation = item.investigation
        if agency_deciding_organization(actor, investigation.agency) and item.stage != Stage.CLOSED:
            offered["result"] = form("result", forms.ResultForm)
            offered["decision"] = form("decision", forms.DecisionForm)
    if item.kind == ItemKind.MISCONDUCT and item.stage not in (Stage.DRAFT, Stage.CLOSED):
        report = item.misconductreport
        agency = report.subject_organization
        if agency is not None and agency_deciding_organization(actor, agency):
            offered["investigate"] = agency
    if (
        item.kind == ItemKind.MISCONDUCT
        and item.stage != Stage.DRAFT
        and actor.acts_as(OrganizationKind.JP_CONTACT_POINT)
    ):
        offered["measure"] = _measure_form(bound.get("measure"))
    returning = item.kind == ItemKind.RETURN and item.stage != Stage.CLOSED
    if returning and return_support_party(actor, item.country):
        offered["return"] = form("return", forms.ReturnForm)
    return offered


def _measure_form(bound: AccessibleForm | None) -> AccessibleForm:
    form = bound or forms.MeasureForm(prefix="measure")
    organizations = Organization.objects.filter(
        kind__in=[OrganizationKind.RECEIVING_ORGANIZATION, OrganizationKind.SUPPORT_ORGANIZATION]
    ).order_by("kind", "name_en")
    cast(ChoiceField, form.fields["organization_id"]).choices = [
        (o.pk, o.display_name) for o in organizations
    ]
    cast(ChoiceField, form.fields["improvement_order_id"]).choices = [("", "—")] + [
        (o.pk, f"{o.issued_on:%Y-%m-%d} · {o.receiving_organization.display_name}")
        for o in ImprovementOrder.objects.select_related("receiving_organization")
    ]
    return form


def _item_page(
    request: HttpRequest,
    item_id: int,
    bound: dict[str, AccessibleForm] | None = None,
    refusal: list[Problem] | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request_actor(request)
    item = _visible(request, item_id, via="page" if status == 200 else "")
    return render(
        request,
        "protection/item.html",
        {
            "nav": "protection",
            "item": item,
            "data": item_data(actor, item),
            "forms": _item_forms(request, item, bound or {}),
            "refusal": refusal,
            "note": confidentiality_note(),
        },
        status=status,
    )


@login_required
def item_view(request: HttpRequest, item_id: int) -> HttpResponse:
    return _item_page(request, item_id)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _actions(text: str, item: SharedItem) -> list[dict[str, Any]]:
    sides = {
        "JP": item.from_organization
        if item.from_organization.country == "JP"
        else item.to_organization
    }
    sides["KG"] = (
        item.to_organization if sides["JP"] == item.from_organization else item.from_organization
    )
    rows = []
    for line in _lines(text):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3:
            raise InvalidInput(
                [
                    Problem(
                        "invalid_format",
                        _("Write: action | JP or KG | YYYY-MM-DD."),
                        field="actions",
                    )
                ]
            )
        owner = sides.get(parts[1].upper())
        rows.append(
            {
                "description": parts[0],
                "owner_organization_id": owner.pk if owner else None,
                "due_on": parts[2],
            }
        )
    return rows


ACTIONS: dict[str, type[AccessibleForm] | None] = {
    "acknowledge": None,
    "file": None,
    "follow": forms.FollowUpForm,
    "consent": forms.ConsentForm,
    "attachments": forms.AttachmentForm,
    "answer": forms.AnswerForm,
    "minutes": forms.MinutesForm,
    "result": forms.ResultForm,
    "decision": forms.DecisionForm,
    "return": forms.ReturnForm,
    "measure": forms.MeasureForm,
}
DONE = {
    "acknowledge": _("Acknowledged."),
    "file": _("Filed: the other contact point sees it now."),
    "follow": _("The follow-up was recorded."),
    "consent": _("The written consent was recorded."),
    "attachments": _("The file was attached."),
    "answer": _("The answer was sent."),
    "minutes": _("The minutes were recorded."),
    "result": _("The result was reported to Japan's contact point."),
    "decision": _("The decision was recorded in the register; Japan's contact point was notified."),
    "return": _("Return support was recorded."),
    "measure": _("The corrective measure was recorded and linked to this report."),
}


@login_required
@require_POST
def item_action_view(request: HttpRequest, item_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    actor = request_actor(request)
    item = _visible(request, item_id)
    form_class = ACTIONS[action]
    form = None
    if form_class is not None:
        form = form_class(request.POST, request.FILES, prefix=action)
        if action == "follow":
            cast(ChoiceField, form.fields["owner_id"]).choices = [("", "—")] + [
                (m.user_id, "") for m in item_members(item)
            ]
            cast(ChoiceField, form.fields["stage"]).choices = [("", "—"), *Stage.choices]
        if action == "measure":
            form = _measure_form(form)
        if action == "consent":
            cast(ChoiceField, form.fields["to_organization_id"]).choices = [
                (o.pk, o.display_name) for o in Organization.objects.all()
            ]
        if not form.is_valid():
            return _item_page(request, item_id, {action: form}, status=422)
    data = form.cleaned_data if form is not None else {}
    try:
        if action == "acknowledge":
            common.item_acknowledge(actor=actor, item_id=item_id)
        elif action == "file":
            common.item_file(actor=actor, item_id=item_id)
        elif action == "follow":
            common.item_follow_up(actor=actor, item_id=item_id, **data)
        elif action == "consent":
            common.item_consent_record(actor=actor, item_id=item_id, **data)
        elif action == "attachments":
            upload = data["file"]
            common.attachment_add(
                actor=actor, item_id=item_id, name=upload.name, content=upload.read()
            )
        elif action == "answer":
            exchange.inquiry_answer(actor=actor, item_id=item_id, **data)
        elif action == "minutes":
            exchange.consultation_minutes(
                actor=actor,
                item_id=item_id,
                minutes=data["minutes"],
                actions=_actions(data["actions"], item),
            )
        elif action == "result":
            exchange.investigation_report(actor=actor, item_id=item_id, **data)
        elif action == "decision":
            exchange.investigation_decide(actor=actor, item_id=item_id, **data)
        elif action == "return":
            returns.return_case_update(actor=actor, item_id=item_id, **data)
        elif action == "measure":
            exchange.corrective_measure_record(actor=actor, data={**data, "report_ids": [item_id]})
    except DomainError as exc:
        if form is not None:
            problems = form_refusal(form, exc)
            return _item_page(request, item_id, {action: form}, problems, exc.status)
        return _item_page(request, item_id, refusal=page_refusal(exc), status=exc.status)
    messages.success(request, DONE[action])
    return redirect("protection:item", item_id=item_id)


@login_required
def attachment_view(request: HttpRequest, item_id: int, attachment_id: int) -> FileResponse:
    try:
        attachment = selectors.attachment_get(request_actor(request), item_id, attachment_id)
    except DomainError as exc:
        page_refusal(exc)
        raise
    return file_download(attachment)


@login_required
@require_POST
def investigate_view(request: HttpRequest, item_id: int) -> HttpResponse:
    """The ministry opens an investigation of the agency a report concerns (moc_kg §7(3))."""
    actor = request_actor(request)
    item = _visible(request, item_id)
    report = item.misconductreport
    try:
        investigation = exchange.investigation_open(
            actor=actor, agency_id=report.subject_organization_id or 0, report_ids=[item.pk]
        )
    except DomainError as exc:
        return _item_page(request, item_id, refusal=page_refusal(exc), status=exc.status)
    messages.success(request, _("The investigation was opened."))
    return redirect("protection:item", item_id=investigation.pk)


# --- new items -------------------------------------------------------------------------------

NEW: dict[str, tuple[Any, Any, str]] = {
    "misconduct": (forms.MisconductForm, _("File a misconduct report"), "moc_kg §4(1)"),
    "test-fraud": (forms.TestFraudForm, _("File a test-fraud report"), "moc_kg §5"),
    "inquiry": (forms.InquiryForm, _("Send an inquiry"), "moc_kg §6(4), §7(6)"),
    "consultation": (forms.ConsultationForm, _("Plan a consultation"), "moc_kg §4(2)"),
}


def _test_result_choices(request: HttpRequest) -> list[tuple[int, str]]:
    results = TestResult.objects.filter(
        person__in=persons_visible_to(request_actor(request))
    ).select_related("person")[:300]
    return [
        (r.pk, f"{r.person.full_name} · {r.test_code} {r.level} · {r.taken_on:%Y-%m-%d}")
        for r in results
    ]


def _agenda(text: str) -> list[dict[str, str]]:
    rows = []
    for line in _lines(text):
        category, _sep, title = line.partition(":")
        rows.append({"category": category.strip().lower()[:1], "title": title.strip()})
    return rows


@login_required
def new_item_view(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in NEW:
        raise Http404
    _require_contact_point(request)
    form_class, title, source = NEW[kind]
    form: AccessibleForm = form_class(request.POST or None)
    if kind == "test-fraud":
        cast(ChoiceField, form.fields["test_result_ids"]).choices = _test_result_choices(request)
    refusal = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            actor = request_actor(request)
            try:
                if kind == "misconduct":
                    data["case_ids"] = [
                        int(x)
                        for x in data.get("case_ids", "").replace(" ", "").split(",")
                        if x.isdigit()
                    ]
                    item: Any = reports.misconduct_report_file(actor=actor, data=data)
                elif kind == "test-fraud":
                    data["test_result_ids"] = [int(x) for x in data["test_result_ids"]]
                    item = reports.test_fraud_report_file(actor=actor, data=data)
                elif kind == "inquiry":
                    item = exchange.inquiry_send(actor=actor, data=data)
                else:
                    data["agenda"] = _agenda(data["agenda"])
                    item = exchange.consultation_plan(actor=actor, data=data)
            except DomainError as exc:
                refusal = form_refusal(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Sent: the other contact point sees it now."))
                return redirect("protection:item", item_id=item.pk)
        else:
            status = 422
    return render(
        request,
        "protection/new.html",
        {"nav": "protection", "form": form, "title": title, "source": source, "refusal": refusal},
        status=status,
    )


@login_required
def fee_policy_view(request: HttpRequest, agency_id: int) -> HttpResponse:
    """A sending agency declares whether employers pay all costs (the employer-pays mark)."""
    actor = request_actor(request)
    agency = fee_policy_agency(actor, agency_id)
    if agency is None:
        raise Http404(_("No such page."))
    if request.method == "POST":
        fees.fee_policy_declare(
            actor=actor,
            agency_id=agency.pk,
            employer_pays=request.POST.get("employer_pays") == "yes",
        )
        messages.success(request, _("The fee policy was recorded."))
        return redirect("protection:fee_policy", agency_id=agency.pk)
    return render(
        request,
        "protection/fee_policy.html",
        {"nav": "cases", "agency": agency, "employer_pays": employer_pays(agency.pk)},
    )


# --- grievances, for the organizations that handle them ------------------------------------------


@login_required
def grievance_list_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    form = forms.OnBehalfGrievanceForm(request.POST or None)
    refusal = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                grievance = grievances.grievance_file(actor=actor, data=dict(form.cleaned_data))
            except DomainError as exc:
                refusal, status = form_refusal(form, exc), exc.status
            else:
                messages.success(request, _("The grievance was filed for the worker."))
                if grievance_handler(actor, grievance) is not None:
                    return redirect("protection:grievance", grievance_id=grievance.pk)
                return redirect("protection:grievances")
        else:
            status = 422
    overdue = request.GET.get("overdue") == "1"
    today = timezone.localdate()
    rows = [
        {"g": g, "overdue": g.due_on < today and g.stage != GrievanceStage.CLOSED}
        for g in selectors.grievances_owned(actor, overdue=overdue)[:300]
    ]
    return render(
        request,
        "protection/grievances.html",
        {
            "nav": "grievances",
            "rows": rows,
            "overdue": overdue,
            "form": form if grievance_on_behalf_organization(actor) else None,
            "refusal": refusal,
        },
        status=status,
    )


def _grievance_page(
    request: HttpRequest, grievance_id: int, refusal: Any = None, status: int = 200
) -> HttpResponse:
    actor = request_actor(request)
    try:
        grievance = grievances.grievance_get(actor, grievance_id)
    except DomainError as exc:
        page_refusal(exc)
        raise
    handler = grievance_handler(actor, grievance)
    if handler is None:
        raise Http404  # the worker's own view is /me/grievances/
    if status == 200:  # the page itself, not a refused action shown again
        audit_log.record_read(grievance)
    stages = grievances.NEXT[GrievanceStage(grievance.stage)]
    return render(
        request,
        "protection/grievance.html",
        {
            "nav": "grievances",
            "grievance": grievance,
            "categories": [GrievanceCategory(c).label for c in grievance.categories],
            "thread": grievance.messages.select_related("author"),
            "stages": [(s, GrievanceStage(s).label) for s in stages],
            "may_forward": grievance.forwarded_to_id is None
            and contact_point_for(actor, grievance.person.nationality) is not None
            and bool(set(grievance.categories) & grievances.MOC_CATEGORIES),
            "refusal": refusal,
            "overdue": grievance.due_on < timezone.localdate()
            and grievance.stage != GrievanceStage.CLOSED,
        },
        status=status,
    )


@login_required
def grievance_view(request: HttpRequest, grievance_id: int) -> HttpResponse:
    return _grievance_page(request, grievance_id)


@login_required
@require_POST
def grievance_action_view(request: HttpRequest, grievance_id: int, action: str) -> HttpResponse:
    actor = request_actor(request)
    try:
        if action == "reply":
            grievances.grievance_write(
                actor=actor, grievance_id=grievance_id, text=request.POST.get("text", "")
            )
        elif action == "move":
            grievances.grievance_move(
                actor=actor,
                grievance_id=grievance_id,
                stage=request.POST.get("stage", ""),
                note=request.POST.get("note", ""),
            )
        elif action == "forward":
            grievance = grievances.grievance_forward(actor=actor, grievance_id=grievance_id)
            messages.success(request, _("Forwarded as a misconduct report."))
            return redirect("protection:item", item_id=grievance.forwarded_to_id)
        else:
            raise Http404
    except DomainError as exc:
        return _grievance_page(request, grievance_id, page_refusal(exc), exc.status)
    return redirect("protection:grievance", grievance_id=grievance_id)
