"""The JSON API under /api/v1/ (OpenAPI docs at /api/v1/docs).

Authentication: `Authorization: Bearer <token>` (see `manage.py issue_api_token`), or the
browser session. Every error is JSON: {"code": ..., "message": ..., "problems": [...]},
with 401 unauthenticated, 403 not allowed, 404 not found (also for what the caller may
not see), 409 refused by a rule or conflicting, 422 invalid input."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from kakehashi.accounts.services import api_token_authenticate
from kakehashi.core.errors import DomainError


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class CsrfFailed(Exception):
    """A signed-in browser session sent a write without its CSRF token."""


class BrowserSession(APIKeyCookie):
    """The signed-in browser session (the pages' own requests). A request that carries a
    bearer token, or no signed-in session, is not judged by it: without a valid token
    such a request is unauthenticated (401), never a CSRF failure."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        if "HTTP_AUTHORIZATION" in request.META or not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise CsrfFailed
        return request.user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


api = NinjaAPI(
    title="Kakehashi API",
    version="1",
    description=__doc__ or "",
    urls_namespace="api-v1",
    auth=[BearerToken(), BrowserSession()],
)


def _error(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.as_dict())


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for error in exc.errors:
        loc = [
            str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "payload")
        ]
        problems.append(
            {
                "code": error.get("type", "invalid"),
                "message": error.get("msg", ""),
                "field": ".".join(loc),
            }
        )
    body = {
        "code": "invalid_input",
        "message": _("Some fields are not valid."),
        "problems": problems,
    }
    return _error(request, 422, body)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {
        "code": "unauthenticated",
        "message": _("Sign in, or send a valid token as 'Authorization: Bearer <token>'."),
    }
    return _error(request, 401, body)


@api.exception_handler(CsrfFailed)
def on_csrf_failed(request: HttpRequest, exc: CsrfFailed) -> HttpResponse:
    body = {
        "code": "csrf_failed",
        "message": _(
            "This request came from a signed-in page without its security token; "
            "reload the page and try again."
        ),
    }
    return _error(request, 403, body)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, {"code": "not_found", "message": _("Not found.")})


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, {"code": "error", "message": str(exc)})


def _register_routers() -> None:
    from kakehashi.accounts.api import router as organizations
    from kakehashi.cases.api import router as cases
    from kakehashi.joboffers.api import public_router as public_jobs
    from kakehashi.joboffers.api import router as job_offers
    from kakehashi.people.api import router as persons
    from kakehashi.procedures.api import router as procedures
    from kakehashi.reference.api import router as fields

    api.add_router("/organizations", organizations)
    api.add_router("/persons", persons)
    api.add_router("/procedures", procedures)
    api.add_router("/fields", fields)
    api.add_router("/cases", cases)
    api.add_router("/job-offers", job_offers)
    api.add_router("/public/jobs", public_jobs)  # the public job board: no sign-in

    from kakehashi.registries.api import router as registries

    api.add_router("/registries", registries)


_register_routers()
