"""The user's signed-in sessions: recorded on sign-in, seen at most once a minute, removed on
sign-out; the user ends any of them from /accounts/sessions/."""

from __future__ import annotations

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


def sessions_end_others(*, user: User, current: str | None) -> int:
    """End every session of the user but the current one (after a second factor is set up,
    a browser signed in before must sign in again with it). Returns how many ended."""
    ended = 0
    for record in SignedInSession.objects.filter(user=user).exclude(session_key=current or ""):
        ended += session_end(user=user, session_id=record.pk)
    return ended


class SeenMiddleware:
    """Notes when a signed-in session was last used, at most once a minute: the session
    itself remembers when it was last noted, so other requests touch no table."""

    SEEN = "kakehashi_seen_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or not session.session_key or user is None:
            return response
        if not user.is_authenticated:
            return response
        now = timezone.now()
        if now.timestamp() - session.get(self.SEEN, 0) >= 60:
            session[self.SEEN] = int(now.timestamp())
            SignedInSession.objects.filter(session_key=session.session_key).update(last_seen_at=now)
        return response
