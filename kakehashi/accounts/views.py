"""The signed-in user's own API tokens: list them (name, when made, when last used, when
they expire), make one (shown once), revoke one."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kakehashi.core.errors import InvalidInput, NotFound

from .models import User
from .services import api_token_issue, api_token_revoke_own, api_tokens_of
from .sessions import session_end, sessions_of


def _user(request: HttpRequest) -> User:
    """The signed-in user (the views are behind login_required)."""
    return cast(User, request.user)


@login_required
def tokens_view(request: HttpRequest) -> HttpResponse:
    new_token = None
    problems = None
    status = 200
    if request.method == "POST":
        try:
            _record, new_token = api_token_issue(
                user=_user(request),
                name=request.POST.get("name", ""),
                days=request.POST.get("days") or None,
            )
        except InvalidInput as exc:
            problems, status = exc.problems, exc.status
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": api_tokens_of(_user(request))[:100],
            "new_token": new_token,
            "problems": problems,
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        api_token_revoke_own(user=_user(request), token_id=token_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    messages.success(request, _("The token was revoked: it no longer works."))
    return redirect("accounts:tokens")


@login_required
def sessions_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/sessions.html",
        {"sessions": sessions_of(_user(request))[:50], "current": request.session.session_key},
    )


@login_required
@require_POST
def session_end_view(request: HttpRequest, session_id: int) -> HttpResponse:
    if not session_end(user=_user(request), session_id=session_id):
        raise Http404(_("No such session."))
    messages.success(request, _("The session was ended: it is signed out."))
    return redirect("accounts:sessions")
