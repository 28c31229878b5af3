"""The user's signed-in sessions: recorded on sign-in, seen at most once a minute, removed on
sign-out; the user ends any of them from /accounts/sessions/."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .models import SignedInSession, User


def _address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@receiver(user_logged_in)
def _signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not request.session.session_key:
        return
    SignedInSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "address": _address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        },
    )


@receiver(user_logged_out)
def _signed_out(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and request.session.session_key:
        SignedInSession.objects.filter(session_key=request.session.session_key).delete()


def sessions_of(user: User) -> Any:
    return SignedInSession.objects.filter(user=user)


def session_end(*, user: User, session_id: int) -> bool:
    """End one of the user's sessions: removed from the session store, so that its cookie
    signs in no more."""
    record = SignedInSession.objects.filter(user=user, pk=session_id).first()
    if record is None:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore
    store(session_key=record.session_key).delete()
    record.delete()
    return True


class SeenMiddleware:
    """Notes when a signed-in session was last used (at most once a minute)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        key = getattr(getattr(request, "session", None), "session_key", None)
        user = getattr(request, "user", None)
        if key and user is not None and user.is_authenticated:
            recent = timezone.now() - datetime.timedelta(minutes=1)
            SignedInSession.objects.filter(session_key=key, last_seen_at__lt=recent).update(
                last_seen_at=timezone.now()
            )
        return response
