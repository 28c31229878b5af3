"""The request boundary: input that no field of Kakehashi can take is refused here, before
any view, with a 4xx that names the field, for the pages, the feeds and the API alike.

- A body larger than MAX_BODY_BYTES: 413.
- A body the client says is JSON that is not UTF-8: 400.
- NUL, other control characters and lone surrogates (core/text.py) in a query parameter, a
  form field or any string of a JSON body: 422, naming the parameter or the JSON path.

The API and the feeds answer in the API's error format; pages with a short page of their
own (templates/errors/input.html)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .errors import Problem
from .text import forbidden_character

# The largest body accepted (documented in the README and the OpenAPI description); an
# upload path (UPLOAD_PATHS) takes files of ATTACHMENT_MAX_BYTES in all, and their form.
MAX_BODY_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
MAX_UPLOAD_BYTES = settings.ATTACHMENT_MAX_BYTES + 64 * 1024


# The paths that take files: attachments of MOC items, case documents, and a step's form
# (which carries the step's documents).
UPLOAD_PATHS = re.compile(r"(/attachments|/documents|^/cases/\d+/steps/[\w-]+)/?$")


# The bulk import's upload (kakehashi/imports): one CSV or Excel file of at most
# MAX_IMPORT_FILE_BYTES, and its form.
IMPORT_PATHS = re.compile(r"^/imports/new/?$")
MAX_IMPORT_FILE_BYTES = 32 * 1024 * 1024


def body_limit(request: HttpRequest) -> int:
    if IMPORT_PATHS.search(request.path):
        return MAX_IMPORT_FILE_BYTES + 64 * 1024
    return MAX_UPLOAD_BYTES if UPLOAD_PATHS.search(request.path) else MAX_BODY_BYTES


def _wants_json(request: HttpRequest) -> bool:
    path = request.path
    return path.startswith("/api/") or path.endswith((".json", ".csv"))


def _refuse(
    request: HttpRequest, status: int, code: str, message: str, problems: list[Problem]
) -> HttpResponse:
    if _wants_json(request):
        body = {"code": code, "message": message, "problems": [p.as_dict() for p in problems]}
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    return render(
        request,
        "errors/input.html",
        {"message": message, "problems": problems},
        status=status,
    )


def _too_large(request: HttpRequest) -> HttpResponse:
    message = _("The request is too large: at most %(size)s bytes are accepted.") % {
        "size": f"{body_limit(request):,}"
    }
    return _refuse(
        request,
        413,
        "too_large",
        message,
        [Problem("too_large", message, field="body")],
    )


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string in a JSON value (keys too), with the dotted path to it."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            yield child, str(key)
            yield from _strings(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}.{index}" if path else str(index))


def _control_problems(pairs: Iterator[tuple[str, str]]) -> list[Problem]:
    problems = []
    for name, text in pairs:
        character = forbidden_character(text)
        if character is not None:
            field = name if forbidden_character(name) is None else "?"
            problems.append(
                Problem(
                    "forbidden_character",
                    _("This text contains a control character (%(character)s); remove it.")
                    % {"character": character},
                    field=field,
                )
            )
    return problems


def _query_and_form(request: HttpRequest) -> Iterator[tuple[str, str]]:
    for params in (request.GET, request.POST):
        for key, values in params.lists():
            for value in values:
                yield key, key
                yield key, value


class InputBoundaryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > body_limit(request):
            return _too_large(request)
        try:
            problems = self._problems(request)
        except RequestDataTooBig:
            return _too_large(request)
        if problems is not None:
            return problems
        return self.get_response(request)

    def _problems(self, request: HttpRequest) -> HttpResponse | None:
        content_type = request.META.get("CONTENT_TYPE", "")
        pairs: list[tuple[str, str]] = []
        if content_type.startswith("application/json") and request.method not in ("GET", "HEAD"):
            try:
                data = json.loads(request.body.decode("utf-8")) if request.body else None
            except UnicodeDecodeError:
                message = _("The request body is not UTF-8 text.")
                return _refuse(
                    request,
                    400,
                    "invalid_encoding",
                    message,
                    [Problem("invalid_encoding", message, field="body")],
                )
            except ValueError:
                data = None  # not JSON: the API says so, naming the body
            pairs += _strings(data, "")
            pairs += ((k, v) for k, vs in request.GET.lists() for v in (k, *vs))
        else:
            pairs += _query_and_form(request)
        problems = _control_problems(iter(pairs))
        if not problems:
            return None
        return _refuse(request, 422, "invalid_input", _("Some fields are not valid."), problems)
