"""The bulk import pages: upload a file, then follow the job until its result or its errors.
Who may import which rows is the policy's (access.policy.may_import); who sees a job, the
visibility's (members of the organization it was made for)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kakehashi.access import Actor, request_actor
from kakehashi.access.policy import IMPORT_KINDS, import_organizations
from kakehashi.accounts.models import Organization
from kakehashi.core.errors import DomainError, NotFound
from kakehashi.core.pages import form_refusal

from .forms import UploadForm
from .kinds import KINDS
from .models import ImportKind
from .reader import MAX_ROWS
from .selectors import import_job_get, import_jobs_visible_to
from .services import job_create
from .tasks import run_import


def _allowed(actor: Actor) -> tuple[list[str], list[Organization]]:
    """The kinds the actor may import, and the organizations it may import them for."""
    kinds: list[str] = []
    organizations: dict[int, Organization] = {}
    for kind in IMPORT_KINDS:
        found = import_organizations(actor, kind)
        if found:
            kinds.append(kind)
            organizations.update((o.pk, o) for o in found)
    return kinds, list(organizations.values())


def _column_help() -> list[dict[str, Any]]:
    """Each kind's columns with the form's label and whether they are required."""
    described = []
    for key, label in ImportKind.choices:
        form = KINDS[key].form()
        described.append(
            {
                "kind": key,
                "label": label,
                "columns": [
                    {"name": name, "label": field.label, "required": field.required}
                    for name, field in form.fields.items()
                ],
            }
        )
    return described


def _page(request: HttpRequest, form: UploadForm, problems: Any = (), status: int = 200) -> Any:
    actor = request_actor(request)
    return render(
        request,
        "imports/list.html",
        {
            "nav": "imports",
            "form": form,
            "problems": problems,
            "jobs": import_jobs_visible_to(actor)[:20],
            "columns": _column_help(),
            "max_rows": MAX_ROWS,
        },
        status=status,
    )


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    kinds, organizations = _allowed(request_actor(request))
    if not kinds:
        raise PermissionDenied(_("Your organization cannot import these rows."))
    return _page(request, UploadForm(kinds=kinds, organizations=organizations))


@login_required
def import_new(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    kinds, organizations = _allowed(actor)
    if not kinds:
        raise PermissionDenied(_("Your organization cannot import these rows."))
    if request.method != "POST":
        return redirect("imports:list")
    form = UploadForm(request.POST, request.FILES, kinds=kinds, organizations=organizations)
    if not form.is_valid():
        return _page(request, form, status=422)
    data = form.cleaned_data
    try:
        job = job_create(
            actor=actor,
            kind=data["kind"],
            organization_id=data.get("organization") if data["kind"] == "cases" else None,
            upload=data["file"],
            language=get_language() or "ja",
        )
    except DomainError as error:
        problems = form_refusal(form, error)
        return _page(request, form, problems, status=error.status)
    run_import.enqueue(job.pk)
    return redirect("imports:detail", job_id=job.pk)


@login_required
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    try:
        job = import_job_get(request_actor(request), job_id)
    except NotFound as error:
        raise Http404(error.message) from error
    percent = round(100 * job.rows_done / job.rows_total) if job.rows_total else 0
    context = {"nav": "imports", "job": job, "percent": percent}
    template = "imports/job.html#status" if getattr(request, "htmx", False) else "imports/job.html"
    return render(request, template, context)
