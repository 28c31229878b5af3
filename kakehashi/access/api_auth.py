"""How the API knows who is calling: a bearer token, or the signed-in browser session.

Without a valid token or session every method gets 401 (the API's error format), never a
CSRF refusal; a signed-in session still needs its CSRF token to write. Public reads accept
anonymous callers, and still recognize a signed-in one (who may be shown more, such as a
reason the caller's organization may read)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from kakehashi.accounts.services import api_token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class CsrfFailed(Exception):
    """A signed-in browser session sent a write without its CSRF token."""


class BrowserSession(APIKeyCookie):
    """The signed-in browser session (the pages' own requests). A request that carries an
    Authorization header, or no signed-in session, is not judged by it."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        if "HTTP_AUTHORIZATION" in request.META or not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise CsrfFailed
        return request.user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


def anyone(request: HttpRequest) -> bool:
    """Public reads: whoever calls (after the token and the session had their say)."""
    return True


SIGNED_IN = [BearerToken(), BrowserSession()]
PUBLIC_READ = [BearerToken(), BrowserSession(), anyone]
