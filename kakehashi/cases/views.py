"""Case pages: list, detail with the procedure timeline and step forms, new case, withdraw.
Thin: each view calls one selector or service; errors come from the services."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kakehashi.access import Actor, request_actor
from kakehashi.access.policy import (
    case_opening_organizations,
    fee_policy_agency,
    fee_recording_organization,
    japan_contact_point,
    may_import,
    may_open_cases,
)
from kakehashi.audit import log as audit_log
from kakehashi.core.errors import DomainError, NotAllowed, NotFound, Problem
from kakehashi.core.files import file_download
from kakehashi.core.forms import apply_problems
from kakehashi.core.pages import address_before_id, form_refusal, list_page, page_refusal
from kakehashi.core.pdf import pdf_response, worker_language
from kakehashi.people.selectors import person_list
from kakehashi.procedures import registry
from kakehashi.protection.forms import (
    FeeAcknowledgementForm,
    FeeForm,
    ReturnOpenForm,
    breakdown_lines,
)
from kakehashi.protection.selectors import fees_of_case, return_items_of_case
from kakehashi.protection.services.fees import fee_acknowledgement_record, fee_record
from kakehashi.protection.services.returns import return_case_open
from kakehashi.reference.models import Field
from kakehashi.support.selectors import plan_of_case
from kakehashi.support.stay import stay_deadlines

from . import services
from .documents import checklist_pdf
from .forms import CaseForm, EvidenceForm, WithdrawForm
from .models import CaseStatus
from .presenters import case_detail, case_documents, case_summary, document_checklist
from .selectors import CaseFilters, case_evaluation, case_get_for_user, case_list
from .services import documents

SEARCH_KEY = "case_search"
FILTERS = ("pattern", "step", "field", "status")


def _definition_choices() -> dict[str, Any]:
    language = get_language() or "en"
    patterns: dict[str, str] = {}
    steps: dict[str, str] = {}
    for definition in registry.all_definitions():
        for pattern in definition.patterns:
            patterns.setdefault(pattern.key, f"{pattern.number}. {pattern.title.get(language)}")
        for step in definition.steps:
            steps.setdefault(step.key, step.title.get(language))
    return {"patterns": patterns, "steps": steps}


@login_required
def case_list_view(request: HttpRequest) -> HttpResponse:
    """Filters that are not personal data (pattern, step, field, status) are in the URL;
    the name search is kept in the session, never in a URL."""
    values = {k: request.GET.get(k, "") for k in FILTERS}
    search = request.session.get(SEARCH_KEY, "")
    filters = CaseFilters(search=search, **{k: v or None for k, v in values.items()})
    page = list_page(request, case_list(request_actor(request), filters), order=["-id"], size=25)
    choices = _definition_choices()
    context = {
        "nav": "cases",
        "page": page,
        "rows": [
            {**row, "pattern_label": choices["patterns"].get(row["pattern"], row["pattern"])}
            for row in (case_summary(c) for c in page)
        ],
        # Each row's link: the address resolved once, not once a row.
        "detail_base": address_before_id("cases:detail"),
        "values": values,
        "search": search,
        "query": urlencode({k: v for k, v in values.items() if v}),
        "patterns": choices["patterns"],
        "steps": choices["steps"],
        "fields": Field.objects.all(),
        "statuses": CaseStatus.choices,
        "can_open": may_open_cases(request_actor(request)),
        "can_import": may_import(request_actor(request), "cases"),
    }
    template = "cases/list.html#results" if getattr(request, "htmx", False) else "cases/list.html"
    return render(request, template, context)


@login_required
@require_POST
def case_search_view(request: HttpRequest) -> HttpResponse:
    request.session[SEARCH_KEY] = request.POST.get("search", "").strip()[:100]
    query = urlencode({k: request.POST[k] for k in FILTERS if request.POST.get(k)})
    return redirect(reverse("cases:list") + (f"?{query}" if query else ""))


def _get_case(actor: Actor, case_id: int) -> Any:
    try:
        return case_get_for_user(actor, case_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _render_detail(
    request: HttpRequest,
    case: Any,
    *,
    bound: EvidenceForm | None = None,
    refusal: list[Any] | None = None,
    withdraw_form: WithdrawForm | None = None,
    fee_form: FeeForm | None = None,
    fee_refusal: list[Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    evaluation = case_evaluation(case)
    detail = case_detail(case, request_actor(request), evaluation)
    forms = []
    for action in detail["next_actions"]:
        if not action["can_complete"]:
            continue
        step = evaluation.definition.step(action["step"])
        form = bound if bound is not None and bound.step.key == step.key else EvidenceForm(step)
        forms.append(
            {"action": action, "form": form, "refusal": refusal if form is bound else None}
        )
    # A refusal for a step that has no form here (e.g. waiting for an earlier step).
    refusal_top = refusal if refusal and not any(f["refusal"] for f in forms) else None
    labels = {
        s.key: {f.key: f for f in evaluation.definition.step(s.key).evidence}
        for s in evaluation.steps
    }
    for step in detail["steps"]:
        if step["completion"]:
            step["evidence_rows"] = _evidence_rows(
                step["completion"]["evidence"], labels[step["key"]]
            )
    actor = request_actor(request)
    may_record_fees = fee_recording_organization(actor, case) is not None
    plan = plan_of_case(actor, case.pk)
    context = {
        "nav": "cases",
        "return_items": list(return_items_of_case(actor, case.pk)),
        "support_plan": plan,
        "checklist": document_checklist(actor, case, detail["next_actions"]),
        "case_documents": case_documents(actor, case),
        "stay_deadlines": stay_deadlines(case) if plan else [],
        "return_form": ReturnOpenForm(prefix="return") if japan_contact_point(actor) else None,
        "fees": list(fees_of_case(actor, case.pk)),
        "fee_policy_agency": fee_policy_agency(actor, case.sending_agency_id or 0),
        "fee_form": (fee_form or FeeForm(prefix="fee")) if may_record_fees else None,
        "ack_form": FeeAcknowledgementForm(prefix="ack") if may_record_fees else None,
        "fee_refusal": fee_refusal,
        "case": detail,
        "forms": forms,
        "refusal_top": refusal_top,
        "can_withdraw": "receiving_organization" in detail["your_roles"] and case.status == "open",
        "withdraw_form": withdraw_form or WithdrawForm(),
        "person": case.person,
        "today": timezone.localdate(),
    }
    return render(request, "cases/detail.html", context, status=status)


def _evidence_rows(evidence: dict[str, Any], specs: dict[str, Any]) -> list[tuple[str, str]]:
    language = get_language() or "en"
    rows = []
    for key, value in evidence.items():
        spec = specs.get(key)
        if spec is None:
            continue
        shown = str(value)
        if spec.type == "boolean":
            shown = _("yes") if value else _("no")
        elif spec.type == "choice":
            shown = next((c.label.get(language) for c in spec.choices if c.key == value), shown)
        rows.append((spec.label.get(language), shown))
    return rows


@login_required
@require_POST
def case_fee_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record a fee the worker is asked to pay (moc_kg §4(1)(e))."""
    actor = request_actor(request)
    case = _get_case(actor, case_id)
    form = FeeForm(request.POST, prefix="fee")
    if not form.is_valid():
        return _render_detail(request, case, fee_form=form, status=422)
    data = {**form.cleaned_data, "case_id": case.pk}
    data["breakdown"] = breakdown_lines(data["breakdown"])
    try:
        fee_record(actor=actor, data=data)
    except DomainError as exc:
        refusal = form_refusal(form, exc)
        return _render_detail(request, case, fee_form=form, fee_refusal=refusal, status=exc.status)
    messages.success(request, _("The fee was recorded."))
    return redirect("cases:detail", case_id=case.pk)


@login_required
@require_POST
def case_return_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """Japan's contact point asks for return support (MOC §8), e.g. when a stay ends under a
    suspension of the field."""
    actor = request_actor(request)
    case = _get_case(actor, case_id)
    form = ReturnOpenForm(request.POST, prefix="return")
    if not form.is_valid():
        return _render_detail(request, case, status=422)
    try:
        item = return_case_open(actor=actor, case_id=case.pk, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        return _render_detail(request, case, refusal=page_refusal(exc), status=exc.status)
    messages.success(
        request, _("Return support was asked for; the ministry and the embassy see it.")
    )
    return redirect("protection:item", item_id=item.pk)


@login_required
@require_POST
def case_fee_acknowledge_view(request: HttpRequest, case_id: int, fee_id: int) -> HttpResponse:
    """Record the worker's signed acknowledgement of a fee."""
    actor = request_actor(request)
    case = _get_case(actor, case_id)
    form = FeeAcknowledgementForm(request.POST, prefix="ack")
    if not form.is_valid():
        problems = [
            Problem("invalid_input", str(e), field=f) for f, es in form.errors.items() for e in es
        ]
        return _render_detail(request, case, fee_refusal=problems, status=422)
    try:
        fee_acknowledgement_record(actor=actor, fee_id=fee_id, **form.cleaned_data)
    except DomainError as exc:
        return _render_detail(request, case, fee_refusal=page_refusal(exc), status=exc.status)
    messages.success(request, _("The worker's acknowledgement was recorded."))
    return redirect("cases:detail", case_id=case.pk)


@login_required
def case_detail_view(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _get_case(request_actor(request), case_id)
    audit_log.record_read(case)
    return _render_detail(request, case)


@login_required
@require_POST
def case_complete_step_view(request: HttpRequest, case_id: int, step_key: str) -> HttpResponse:
    actor = request_actor(request)
    case = _get_case(actor, case_id)
    definition = registry.definition_version(case.country, case.procedure_version)
    try:
        step = definition.step(step_key)
    except KeyError as exc:
        raise Http404(step_key) from exc
    form = EvidenceForm(step, request.POST, request.FILES)
    form.is_valid()  # only to render the values back; the service decides
    try:
        result = services.case_complete_step(
            actor=actor,
            case_id=case.pk,
            step_key=step_key,
            evidence=form.evidence(),
            documents=form.uploads(),
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        loose = (
            apply_problems(form, exc)
            if exc.status == 422
            else [*exc.problems] or [Problem(exc.code, exc.message)]
        )
        return _render_detail(
            request, _get_case(actor, case_id), bound=form, refusal=loose, status=exc.status
        )
    messages.success(
        request, _("Recorded: %(step)s.") % {"step": step.title.get(get_language() or "en")}
    )
    for problem in [*result.warnings, *result.flags]:
        messages.warning(request, problem.message)
    return redirect("cases:detail", case_id=case.pk)


@login_required
@require_POST
def case_withdraw_view(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = request_actor(request)
    case = _get_case(actor, case_id)
    form = WithdrawForm(request.POST)
    try:
        services.case_withdraw(
            actor=actor,
            case_id=case.pk,
            reason=request.POST.get("reason", ""),
        )
    except NotAllowed as exc:
        messages.error(request, exc.message)
        return redirect("cases:detail", case_id=case.pk)
    except DomainError as exc:
        form.is_valid()
        apply_problems(form, exc)
        return _render_detail(request, case, withdraw_form=form, status=exc.status)
    messages.success(request, _("The case was withdrawn."))
    return redirect("cases:detail", case_id=case.pk)


@login_required
def case_new_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    receiving = list(case_opening_organizations(actor))
    if not receiving:
        raise PermissionDenied(
            _("Only staff of a receiving organization open cases, for their own organization.")
        )
    country = request.GET.get("country", "KG").upper()
    definition = registry.definition_in_force(country, timezone.localdate())
    if definition is None:
        raise Http404(_("No procedure for this country."))
    form = CaseForm(
        request.POST or None,
        definition=definition,
        persons=person_list(actor),
        receiving_organizations=receiving,
    )
    refusal: list[Any] = []
    warnings: list[Any] = []
    existing_url = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            category = data["business_category"]
            try:
                result = services.case_create(
                    actor=actor,
                    person_id=data["person"].pk,
                    field_code=category.field.code,
                    category_code=category.code,
                    pattern=data["pattern"],
                    country=definition.country,
                    receiving_organization_id=(
                        data["receiving_organization"].pk
                        if data.get("receiving_organization")
                        else None
                    ),
                    sending_agency_id=data["sending_agency"].pk
                    if data.get("sending_agency")
                    else None,
                )
            except DomainError as exc:
                refusal = apply_problems(
                    form, exc, {"field": "business_category", "person": "person"}
                )
                if "case_id" in exc.existing:
                    existing_url = reverse("cases:detail", args=[exc.existing["case_id"]])
                status = exc.status
            else:
                messages.success(
                    request,
                    _("Case %(reference)s was opened.") % {"reference": result.case.reference},
                )
                for problem in [*result.warnings, *result.flags]:
                    messages.warning(request, problem.message)
                return redirect("cases:detail", case_id=result.case.pk)
        else:
            status = 422
    context = {
        "nav": "cases",
        "form": form,
        "definition": definition,
        "definition_name": definition.name.get(get_language() or "en"),
        "refusal": refusal,
        "existing_url": existing_url,
        "warnings": warnings,
    }
    return render(request, "cases/new.html", context, status=status)


@login_required
def case_checklist_pdf_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """The checklist of the documents for the case's next step, as PDF."""
    actor = request_actor(request)
    case = _get_case(actor, case_id)  # 404 for a case the actor may not see
    language = worker_language(request.GET.get("lang"))
    return pdf_response(checklist_pdf(case, actor, language), f"checklist-{case.reference}")


# --- documents of the case ------------------------------------------------------------------


def _document_refusal(request: HttpRequest, case_id: int, exc: DomainError) -> HttpResponse:
    if isinstance(exc, NotFound):
        raise Http404(exc.message) from exc
    actor = request_actor(request)
    problems = [*exc.problems] or [Problem(exc.code, exc.message)]
    return _render_detail(request, _get_case(actor, case_id), refusal=problems, status=exc.status)


@login_required
@require_POST
def case_document_upload_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """A document of a step, from the checklist (a first upload, or a new version)."""
    upload = request.FILES.get("file")
    try:
        documents.document_upload(
            actor=request_actor(request),
            case_id=case_id,
            step_key=request.POST.get("step_key", ""),
            document_key=request.POST.get("document_key", ""),
            name=(upload.name or "") if upload else "",
            content=upload.read() if upload else b"",
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        return _document_refusal(request, case_id, exc)
    messages.success(request, _("The document was uploaded."))
    return redirect(reverse("cases:detail", args=[case_id]) + "#checklist")


@login_required
@require_POST
def case_document_review_view(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse:
    try:
        documents.document_review(
            actor=request_actor(request),
            case_id=case_id,
            document_id=document_id,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        return _document_refusal(request, case_id, exc)
    messages.success(request, _("The review was recorded."))
    return redirect(reverse("cases:detail", args=[case_id]) + "#documents")


@login_required
def case_document_view(request: HttpRequest, case_id: int, document_id: int) -> FileResponse:
    """The file, as a download, to those the policy lets see it; each download is logged."""
    try:
        document = documents.document_download(request_actor(request), case_id, document_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return file_download(document)
