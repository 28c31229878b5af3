"""Pages shown to a signed-in user may hold personal data: no browser or proxy may keep them
(NoStoreForSignedInMiddleware). Reads of read-only requests may go to a replica
(ReplicaRoutingMiddleware, with core/db_router.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from . import db_router


class NoStoreForSignedInMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
            patch_cache_control(response, private=True)
        return response


# The browser that wrote is read from the primary for a few seconds (settings
# REPLICA_PIN_SECONDS), so that it sees its own change although the replica is a moment
# behind: a signed cookie with its time, read back only while it is younger than that.
PIN_COOKIE = "kakehashi_primary"
_PIN_SALT = "kakehashi.core.db_router.pin"
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReplicaRoutingMiddleware:
    """Marks each request for the database router (core/db_router.py): reads of a read-only
    request may go to the replica; any other request, and a browser that wrote moments
    ago, read the primary. Installed first, and only when a replica is configured."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # A streamed response (the CSV and JSON feeds) reads while it is sent: its mark
        # stays until the response is closed.
        request_finished.connect(db_router.forget_request, dispatch_uid="kakehashi-reads")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.REPLICA_PIN_SECONDS
        pinned = (
            request.get_signed_cookie(PIN_COOKIE, default=None, salt=_PIN_SALT, max_age=seconds)
            is not None
        )
        state = db_router.mark_request(replica=request.method in READ_ONLY_METHODS and not pinned)
        try:
            response = self.get_response(request)
            if request.method not in READ_ONLY_METHODS or state.wrote:
                response.set_signed_cookie(
                    PIN_COOKIE,
                    "1",
                    salt=_PIN_SALT,
                    max_age=seconds,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
        except BaseException:
            db_router.forget_request()
            raise
        if not response.streaming:
            db_router.forget_request()
        return response
