"""Rate limits (django-ninja's throttles): on the API per caller, and on the public feeds per
address. Over the limit: 429 with Retry-After. The rates are settings.THROTTLE_RATES (a rate
of None turns a limit off), read at each request; the counts live in Django's cache, which a
deployment of several processes shares (docs/deployment.md)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja.throttling import AnonRateThrottle, BaseThrottle, SimpleRateThrottle


def _caller(request: HttpRequest) -> AbstractBaseUser | None:
    """The user the API's authentication found (a token or a session), if any; a public
    read lets anyone in with no user."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, AbstractBaseUser) else None


class _FromSettings(SimpleRateThrottle):
    scope = ""

    def __init__(self) -> None:  # the rate is read at each request, not once
        self.rate = None

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.THROTTLE_RATES.get(self.scope)
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class AnonymousThrottle(_FromSettings, AnonRateThrottle):
    """Callers without a token or a session, by address (public reads too, which let
    anyone in)."""

    scope = "anon"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if _caller(request) is not None:
            return None  # the signed-in limit applies
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignedInThrottle(_FromSettings):
    """Signed-in callers (token or session), by user."""

    scope = "user"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        caller = _caller(request)
        if caller is None:
            return None  # the anonymous limit applies
        return self.cache_format % {"scope": self.scope, "ident": caller.pk}


class FeedThrottle(_FromSettings, AnonRateThrottle):
    """The public feeds (JSON and CSV), by address."""

    scope = "feed"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


API_THROTTLES: list[BaseThrottle] = [AnonymousThrottle(), SignedInThrottle()]

# The public feeds served by pages: the registers, the job board and the statistics.
FEED_PATHS = re.compile(r"^/(public|jobs)/.*\.(json|csv)$")


class FeedThrottleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        if FEED_PATHS.match(request.path):
            throttle = FeedThrottle()
            if not throttle.allow_request(request):
                wait = throttle.wait()
                message = _("Too many requests: try again in a moment.")
                response = JsonResponse(
                    {"code": "throttled", "message": message, "problems": []}, status=429
                )
                if wait is not None:
                    response["Retry-After"] = str(math.ceil(wait))
                return response
        return self.get_response(request)
