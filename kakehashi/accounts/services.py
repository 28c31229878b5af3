"""Writes for accounts: API tokens, named and expiring, revoked by their owner."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.core import validation
from kakehashi.core.errors import InvalidInput, NotFound, Problem

from .models import ApiToken, User

TOKEN_PREFIX = "kk_"
MAX_DAYS = 365


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User, name: str = "API", days: Any = None) -> tuple[ApiToken, str]:
    """Create a named token for `user` that expires after `days` (settings.API_TOKEN_DAYS by
    default, at most a year). Returns the record and the token, which is shown only now: the
    database keeps its SHA-256 digest, never the token itself."""
    problems: list[Problem] = []
    label = validation.text_field(name, "name", problems, required=True, max_length=100)
    lifetime = settings.API_TOKEN_DAYS if days in (None, "") else days
    try:
        lifetime = int(lifetime)
    except (TypeError, ValueError):
        lifetime = 0
    if not 1 <= lifetime <= MAX_DAYS:
        problems.append(
            Problem(
                "out_of_range",
                _("A token lasts from 1 to %(max)s days.") % {"max": MAX_DAYS},
                field="days",
            )
        )
    if problems:
        raise InvalidInput(problems)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=user,
        name=label,
        prefix=token[:10],
        digest=_digest(token),
        expires_at=timezone.now() + datetime.timedelta(days=lifetime),
    )
    return record, token


def api_token_authenticate(token: str) -> User | None:
    """The active user behind a bearer token, or None. Records when it was last used."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    record = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(token), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if record is None or not record.user.is_active:
        return None
    now = timezone.now()
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_revoke_own(*, user: User, token_id: int) -> ApiToken:
    """The owner revokes one of its tokens; another user's token is not found."""
    record = ApiToken.objects.filter(user=user, pk=token_id).first()
    if record is None:
        raise NotFound("token")
    api_token_revoke(token=record)
    record.refresh_from_db()
    return record


def api_tokens_of(user: User) -> Any:
    return ApiToken.objects.filter(user=user)
