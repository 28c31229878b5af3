"""The signed-in user's own API tokens: list them (name, when made, when last used, when
they expire), make one (shown once), revoke one."""

from __future__ import annotations

from typing import cast

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from kakehashi.core.errors import DomainError, InvalidInput, NotFound, Problem

from . import mfa
from .models import User
from .services import api_token_issue, api_token_revoke_own, api_tokens_of
from .sessions import session_end, sessions_end_others, sessions_of


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


# --- the second factor (accounts.mfa; whether it is required: access.mfa) -----------------


def _mfa_required(request: HttpRequest) -> bool:
    """The policy's answer, put on the request by the MFA middleware (access.mfa); when it
    is missing, assume required (nothing can then be turned off)."""
    return bool(getattr(request, "mfa_required", True))


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def mfa_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/mfa.html",
        {"status": mfa.status(_user(request)), "required": _mfa_required(request)},
    )


@login_required
def mfa_setup_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    device = mfa.setup_start(user)
    problems = None
    status = 200
    if request.method == "POST":
        try:
            codes = mfa.setup_confirm(user, request.POST.get("code"))
        except DomainError as exc:
            problems = exc.problems or [Problem(exc.code, exc.message)]
            status = exc.status
        else:
            device.refresh_from_db()
            otp_login(request, device)
            ended = sessions_end_others(user=user, current=request.session.session_key)
            request.session.pop("mfa_none_needed", None)
            return render(
                request,
                "accounts/mfa_codes.html",
                {"codes": codes, "next": _next(request), "ended": ended, "new": True},
            )
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "secret": mfa.secret_of(device),
            "qr": mark_safe(segno.make(device.config_url).svg_inline(scale=5, title=_("QR code"))),
            "required": _mfa_required(request),
            "next": _next(request),
            "problems": problems,
        },
        status=status,
    )


@login_required
def mfa_verify_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not mfa.has_device(user):
        return redirect("accounts:mfa_setup")
    problems = None
    status = 200
    if request.method == "POST":
        try:
            mfa.verify(request, user, request.POST.get("code"))
        except DomainError as exc:
            problems, status = exc.problems, exc.status
        else:
            return redirect(_next(request))
    return render(
        request,
        "accounts/mfa_verify.html",
        {"next": _next(request), "problems": problems},
        status=status,
    )


@login_required
@require_POST
def mfa_codes_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not mfa.has_device(user):
        return redirect("accounts:mfa_setup")
    codes = mfa.recovery_codes_new(user)
    return render(
        request, "accounts/mfa_codes.html", {"codes": codes, "next": reverse("accounts:mfa")}
    )


@login_required
@require_POST
def mfa_off_view(request: HttpRequest) -> HttpResponse:
    if _mfa_required(request):
        messages.error(request, _("Your organization requires a second factor: it stays on."))
        return redirect("accounts:mfa")
    mfa.turn_off(_user(request))
    messages.success(request, _("The second factor is turned off."))
    return redirect("accounts:mfa")
