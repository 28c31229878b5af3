"""The second factor, enforced for every request: a signed-in user who has an authenticator
must enter a code in each new session, and one whom the policy requires to use MFA
(policy.must_use_mfa) must set one up first. Until then their pages lead to the code or
set-up page, and the API treats their session as not signed in (tokens are unaffected: a
token is made from a verified session)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from kakehashi.accounts import mfa

from .policy import must_use_mfa
from .requests import request_actor

# Pages open to a signed-in user before the second factor: the MFA pages themselves,
# signing out, the language switch, static files.
_OPEN = ("/accounts/mfa/", "/accounts/logout/", "/i18n/", "/static/")
# Remembered in the session: this user has no authenticator and need not have one.
_NONE_NEEDED = "mfa_none_needed"


class MfaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(_OPEN[0]) and request.user.is_authenticated:
            # The MFA pages ask whether it may be turned off: the policy's answer.
            request.mfa_required = must_use_mfa(request_actor(request))  # type: ignore[attr-defined]
        if (
            not request.user.is_authenticated
            or request.path.startswith(_OPEN)
            or request.session.get(_NONE_NEEDED)
            # django-otp's middleware (before this one): a code was accepted in this session
            # from a device the user still has.
            or getattr(request.user, "is_verified", lambda: False)()
        ):
            return self.get_response(request)
        if "HTTP_AUTHORIZATION" in request.META and request.path.startswith("/api/"):
            return self.get_response(request)  # a bearer token, judged by the API
        has_device = mfa.has_device(request.user)
        if not has_device and not must_use_mfa(request_actor(request)):
            request.session[_NONE_NEEDED] = True
            return self.get_response(request)
        if request.path.startswith("/api/"):
            request.user = AnonymousUser()
            return self.get_response(request)
        page = "accounts:mfa_verify" if has_device else "accounts:mfa_setup"
        target = reverse(page) + "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)


def forget_none_needed(request: HttpRequest) -> None:
    """After MFA is turned on in this session, the remembered "none needed" no longer holds."""
    request.session.pop(_NONE_NEEDED, None)
