"""The worker's own pages (/me/), phone first: their record, cases and what comes next,
deadlines, the parties working with them, the fees they are asked to pay (acknowledge or
dispute), their grievances, and where to get help. Opening the account (/join/) needs only
the code the registering party gave."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.forms import ChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kakehashi.access import Actor, request_actor
from kakehashi.audit import log as audit_log
from kakehashi.cases.presenters import case_detail
from kakehashi.cases.selectors import case_evaluation, cases_visible_to
from kakehashi.core.errors import DomainError
from kakehashi.core.pages import form_refusal, page_refusal
from kakehashi.people.models import Person
from kakehashi.people.workers import invitation_for_code, worker_account_open, worker_contact_update
from kakehashi.procedures.labels import roles_text
from kakehashi.protection.models import Grievance, GrievanceCategory, GrievanceStage
from kakehashi.protection.selectors import fees_visible_to
from kakehashi.protection.services import grievances
from kakehashi.reference.contacts import contact_rows
from kakehashi.support.plan import plan_items
from kakehashi.support.selectors import plan_of_case
from kakehashi.support.stay import stay_deadlines

from .forms import AccountForm, CodeForm, ContactForm, DisputeForm, GrievanceForm, MessageForm


def _worker(request: HttpRequest) -> tuple[Actor, Person]:
    actor = request_actor(request)
    if actor.person_id is None:
        raise Http404(_("These pages are for workers with their own account."))
    return actor, Person.objects.get(pk=actor.person_id)


@login_required
def me_view(request: HttpRequest) -> HttpResponse:
    actor, person = _worker(request)
    audit_log.record_read(person, detail="own page")
    cases = []
    for case in cases_visible_to(actor).select_related(
        "receiving_organization",
        "sending_agency",
        "support_organization",
        "field",
        "business_category",
    ):
        detail = case_detail(case, actor, case_evaluation(case))
        plan = plan_of_case(actor, case.pk)
        cases.append(
            {
                "case": case,
                "plan": plan,
                "support": [
                    {"title": plan_items().title(i.key, get_language() or "en"), "item": i}
                    for i in plan.items.select_related("deliverer")
                ]
                if plan
                else [],
                "interview": plan.interviews.filter(held_on__isnull=True).first() if plan else None,
                "stay": stay_deadlines(case) if plan else [],
                "detail": detail,
                "done": [s for s in detail["steps"] if s["status"] == "done"],
                "next": [{**a, "who": roles_text(a["roles"])} for a in detail["next_actions"]],
            }
        )
    return render(
        request,
        "portal/me.html",
        {
            "nav": "me",
            "person": person,
            "cases": cases,
            "contacts": contact_rows(get_language() or "en"),
        },
    )


@login_required
def contact_view(request: HttpRequest) -> HttpResponse:
    actor, person = _worker(request)
    form = ContactForm(request.POST or None, initial={"phone": person.phone, "email": person.email})
    refusal = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                worker_contact_update(actor=actor, **form.cleaned_data)
            except DomainError as exc:
                refusal, status = form_refusal(form, exc), exc.status
            else:
                messages.success(request, _("Your contact details were saved."))
                return redirect("portal:me")
        else:
            status = 422
    return render(
        request,
        "portal/contact.html",
        {"nav": "me", "form": form, "refusal": refusal},
        status=status,
    )


@login_required
def fees_view(request: HttpRequest, refusal: Any = None, status: int = 200) -> HttpResponse:
    actor, person = _worker(request)
    fees = list(
        fees_visible_to(actor)
        .filter(case__person_id=person.pk)
        .select_related("charged_by", "case")
        .prefetch_related("acknowledgements", "disputes")
    )
    return render(
        request,
        "portal/fees.html",
        {"nav": "fees", "fees": fees, "dispute_form": DisputeForm(), "refusal": refusal},
        status=status,
    )


@login_required
@require_POST
def fee_acknowledge_view(request: HttpRequest, fee_id: int) -> HttpResponse:
    actor, _person = _worker(request)
    try:
        grievances.fee_acknowledge_by_worker(actor=actor, fee_id=fee_id)
    except DomainError as exc:
        return fees_view(request, page_refusal(exc), exc.status)
    messages.success(request, _("Thank you: you confirmed that you understood this fee."))
    return redirect("portal:fees")


@login_required
@require_POST
def fee_dispute_view(request: HttpRequest, fee_id: int) -> HttpResponse:
    actor, _person = _worker(request)
    form = DisputeForm(request.POST)
    if not form.is_valid():
        return fees_view(request, [e for es in form.errors.values() for e in es], 422)
    try:
        grievance = grievances.fee_dispute(
            actor=actor, fee_id=fee_id, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        return fees_view(request, page_refusal(exc), exc.status)
    messages.success(request, _("Your dispute was sent to the Center as a grievance."))
    return redirect("portal:grievance", grievance_id=grievance.pk)


@login_required
def grievances_view(request: HttpRequest) -> HttpResponse:
    actor, person = _worker(request)
    form = GrievanceForm(request.POST or None)
    cases = list(cases_visible_to(actor))
    cast(ChoiceField, form.fields["case_id"]).choices = [("", "—")] + [
        (c.pk, c.reference) for c in cases
    ]
    refusal = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                grievance = grievances.grievance_file(actor=actor, data=dict(form.cleaned_data))
            except DomainError as exc:
                refusal, status = form_refusal(form, exc), exc.status
            else:
                messages.success(
                    request, _("Your grievance was sent. You will get an answer here.")
                )
                return redirect("portal:grievance", grievance_id=grievance.pk)
        else:
            status = 422
    return render(
        request,
        "portal/grievances.html",
        {
            "nav": "grievances",
            "grievances": Grievance.objects.filter(person=person).select_related(
                "owner_organization"
            ),
            "form": form,
            "refusal": refusal,
        },
        status=status,
    )


def _grievance_page(
    request: HttpRequest, grievance_id: int, form: MessageForm | None = None, status: int = 200
) -> HttpResponse:
    actor = request_actor(request)
    try:
        grievance = grievances.grievance_get(actor, grievance_id)
    except DomainError as exc:
        page_refusal(exc)
        raise
    return render(
        request,
        "portal/grievance.html",
        {
            "nav": "grievances",
            "grievance": grievance,
            "categories": [GrievanceCategory(c).label for c in grievance.categories],
            "stage": GrievanceStage(grievance.stage).label,
            "thread": grievance.messages.select_related("author"),
            "form": form or MessageForm(),
        },
        status=status,
    )


@login_required
def grievance_view(request: HttpRequest, grievance_id: int) -> HttpResponse:
    _worker(request)
    return _grievance_page(request, grievance_id)


@login_required
@require_POST
def grievance_message_view(request: HttpRequest, grievance_id: int) -> HttpResponse:
    actor, _person = _worker(request)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _grievance_page(request, grievance_id, form, 422)
    try:
        grievances.grievance_write(
            actor=actor, grievance_id=grievance_id, text=form.cleaned_data["text"]
        )
    except DomainError as exc:
        form_refusal(form, exc)
        return _grievance_page(request, grievance_id, form, exc.status)
    return redirect("portal:grievance", grievance_id=grievance_id)


# --- opening the account -------------------------------------------------------------------------


def join_view(request: HttpRequest, code: str = "") -> HttpResponse:
    """Enter the code (or follow the link that carries it), then choose a sign-in name and a
    password."""
    code = (request.POST.get("code") or code or request.GET.get("code", ""))[:20]
    code_form = CodeForm(initial={"code": code})
    account_form = None
    refusal = None
    status = 200
    if code:
        try:
            invitation = invitation_for_code(code)
        except DomainError as exc:
            code_form = CodeForm({"code": code})
            form_refusal(code_form, exc)
            status = exc.status
        else:
            account_form = AccountForm(request.POST if "username" in request.POST else None)
            if "username" in request.POST:
                if account_form.is_valid():
                    try:
                        user = worker_account_open(
                            code=code,
                            username=account_form.cleaned_data["username"],
                            password=account_form.cleaned_data["password"],
                        )
                    except DomainError as exc:
                        refusal, status = form_refusal(account_form, exc), exc.status
                    else:
                        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                        messages.success(request, _("Your account is ready. Welcome."))
                        return redirect("portal:me")
                else:
                    status = 422
            return render(
                request,
                "portal/join.html",
                {
                    "code": code,
                    "person": invitation.person,
                    "account_form": account_form,
                    "refusal": refusal,
                },
                status=status,
            )
    return render(
        request, "portal/join.html", {"code_form": code_form, "refusal": refusal}, status=status
    )
