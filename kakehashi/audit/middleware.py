"""Binds who acts for the audit log during a request: the signed-in user (or the API
token's user: read when a row is written, since the API authenticates its caller after
the middleware has run), the client's address and the method and path.

The address is REMOTE_ADDR. Behind a reverse proxy that is the proxy's own address unless
the deployment puts the client's there (docs/security.md): replacing it from
X-Forwarded-For is the proxy's and the WSGI server's job, not the application's, which
cannot tell a forged header from a real one."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .log import bind


def _user_id_of(request: HttpRequest) -> Callable[[], int | None]:
    def user_id() -> int | None:
        user = getattr(request, "user", None)  # the session's, or the token's (access/api_auth)
        return user.pk if user is not None and user.is_authenticated else None

    return user_id


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with bind(
            user_id=_user_id_of(request),
            ip=request.META.get("REMOTE_ADDR"),
            path=f"{request.method} {request.path}",
        ):
            return self.get_response(request)
