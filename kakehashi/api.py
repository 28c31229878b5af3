"""The JSON API under /api/v1/ (OpenAPI docs at /api/v1/docs).

Authentication: `Authorization: Bearer <token>` (see `manage.py issue_api_token`), or the
browser session. Every error is JSON: {"code": ..., "message": ..., "problems": [...]},
with 401 unauthenticated, 403 not allowed, 404 not found (also for what the caller may
not see), 409 refused by a rule or conflicting, 413 a body over 1 MiB, 422 invalid input
(each problem names its field). Dates are YYYY-MM-DD from 1900-01-01 to 2100-12-31; lists
take `limit` from 1 to 200 and a `cursor`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from kakehashi.access.api_auth import SIGNED_IN, CsrfFailed, anyone
from kakehashi.core.boundary import MAX_BODY_BYTES
from kakehashi.core.errors import DomainError
from kakehashi.core.schemas import ErrorOut
from kakehashi.core.throttling import API_THROTTLES

# The errors each operation may answer, declared in the OpenAPI schema with one format.
ERROR_DESCRIPTIONS = {
    "401": "No valid bearer token and no signed-in session.",
    "403": "Signed in, but not allowed to do this (or a session without its CSRF token).",
    "404": "No such object, or not one the caller may see (the same answer for both).",
    "409": "Refused by a rule (procedure, MOC, law), or in conflict with another change.",
    "413": f"The request body is larger than {MAX_BODY_BYTES:,} bytes.",
    "422": "Input not valid: each problem names the field and the rule.",
}


class KakehashiAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """The generated schema, with every error response each operation can give."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        public = self._public_operation_ids()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorOut"] = ErrorOut.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        components.update(components["ErrorOut"].pop("$defs", {}))
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                codes = ["422"]
                if operation.get("operationId") in public:
                    # Anyone may call it; a token or a session only shows more.
                    operation["security"] = [*operation.get("security", []), {}]
                elif operation.get("security"):
                    codes.append("401")
                if "{" in path:
                    codes.append("404")
                if method in ("post", "put", "patch", "delete"):
                    codes += ["403", "409", "413"]
                responses = operation.setdefault("responses", {})
                for code in sorted(codes):
                    responses.setdefault(
                        code,
                        {
                            "description": ERROR_DESCRIPTIONS[code],
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/ErrorOut"}
                                }
                            },
                        },
                    )
        return schema

    def _public_operation_ids(self) -> set[str]:
        """Operations that accept anonymous callers (auth=PUBLIC_READ or auth=None)."""
        ids = set()
        for _prefix, router in self._routers:
            for path_view in router.path_operations.values():
                for operation in path_view.operations:
                    auth = operation.auth_param
                    if auth is None or (isinstance(auth, list) and anyone in auth):
                        ids.add(self.get_openapi_operation_id(operation))
        return ids


api = KakehashiAPI(
    title="Kakehashi API",
    version="1",
    description=__doc__ or "",
    urls_namespace="api-v1",
    auth=SIGNED_IN,
    throttle=API_THROTTLES,
)


def _error(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.as_dict())


def _validation_message(error: dict[str, Any]) -> str:
    """The schema's refusal in the caller's language (the custom ones, such as a date out
    of bounds, are already translated; pydantic's own are in English)."""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    messages = {
        "missing": _("This field is required."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        "bool_parsing": _("Enter true or false."),
        "bool_type": _("Enter true or false."),
        "string_type": _("Enter text."),
        "list_type": _("Enter a list."),
        "dict_type": _("Enter an object."),
        "model_attributes_type": _("Enter an object."),
        "json_invalid": _("The request body is not valid JSON."),
        "date_from_datetime_parsing": _("Not a date; write it as YYYY-MM-DD."),
        "date_parsing": _("Not a date; write it as YYYY-MM-DD."),
        "date_type": _("Not a date; write it as YYYY-MM-DD."),
        "greater_than_equal": _("Must be at least %(ge)s.") % {"ge": context.get("ge")},
        "less_than_equal": _("Must be at most %(le)s.") % {"le": context.get("le")},
        "string_too_long": _("At most %(max)s characters.") % {"max": context.get("max_length")},
    }
    return str(messages.get(kind, error.get("msg", "")))


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    message = _("The request is too large: at most %(size)s bytes are accepted.") % {
        "size": f"{MAX_BODY_BYTES:,}"
    }
    body = {"code": "too_large", "message": message}
    return _error(request, 413, body)


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
                "message": _validation_message(error),
                "field": ".".join(loc) or "body",
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

    from kakehashi.cases.api import suspension_router
    from kakehashi.registries.api import router as registries

    api.add_router("/registries", registries)

    from kakehashi.protection.api import router as protection

    api.add_router("/protection", protection)
    api.add_router("/registries/field-suspensions", suspension_router)

    from kakehashi.privacy.api import router as privacy

    api.add_router("/privacy", privacy)


_register_routers()
