"""Workers' own accounts: the registering party invites the worker with a one-time code
(or the link that carries it); the worker chooses a sign-in name and a password. No e-mail
address is needed. The worker then sees only their own record (access.visibility) and may
correct their contact details; every other change goes through the party that manages the
record."""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import may_manage_person
from kakehashi.accounts.models import User, WorkerAccount
from kakehashi.core import validation
from kakehashi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound, Problem

from .models import Person, PersonEvent, PersonEventKind, WorkerInvitation
from .selectors import person_get_for_user

# Letters and digits that cannot be mistaken for one another when typed from a phone.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
VALID_FOR = datetime.timedelta(days=14)
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,29}$")


def _normalize(code: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", str(code).upper())


def _digest(code: str) -> str:
    return hashlib.sha256(_normalize(code).encode()).hexdigest()


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: WorkerInvitation
    code: str  # shown once, never stored


@transaction.atomic
def worker_invite(*, actor: Actor, person_id: int) -> IssuedInvitation:
    """The party that registered the person issues a one-time code, valid for 14 days;
    earlier unused codes for the person stop working."""
    person = person_get_for_user(actor, person_id)
    if not may_manage_person(actor, person):
        raise NotAllowed(_("Only the organization that registered this person invites them."))
    if WorkerAccount.objects.filter(person=person).exists():
        raise Conflict(_("This person already has an account."), code="already_has_account")
    organization = actor.acts_for(person.created_by_organization_id)
    assert organization is not None
    now = timezone.now()
    WorkerInvitation.objects.filter(
        person=person, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    raw = "".join(secrets.choice(ALPHABET) for _ in range(10))
    code = f"{raw[:5]}-{raw[5:]}"
    invitation = WorkerInvitation.objects.create(
        person=person,
        digest=_digest(code),
        created_by=actor.required_user,
        created_by_organization=organization,
        expires_at=now + VALID_FOR,
    )
    return IssuedInvitation(invitation=invitation, code=code)


def invitation_for_code(code: str) -> WorkerInvitation:
    """The invitation a code opens, if it is unused, not revoked and not expired."""
    invitation = (
        WorkerInvitation.objects.select_related("person")
        .filter(digest=_digest(code), used_at__isnull=True, revoked_at__isnull=True)
        .filter(expires_at__gt=timezone.now())
        .first()
    )
    if invitation is None:
        raise InvalidInput(
            [
                Problem(
                    "invalid_code",
                    _("This code does not work: it is wrong, used or expired. Ask for a new one."),
                    field="code",
                )
            ]
        )
    return invitation


@transaction.atomic
def worker_account_open(*, code: str, username: str, password: str) -> User:
    """The worker opens their account with the code, a sign-in name and a password."""
    invitation = invitation_for_code(code)
    locked = WorkerInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.used_at is not None:
        raise Conflict(_("This code has already been used."), code="code_used")
    problems: list[Problem] = []
    name = str(username or "").strip().lower()
    if not USERNAME.match(name):
        problems.append(
            Problem(
                "invalid_username",
                _(
                    "Use 3 to 30 Latin letters, digits, dots, hyphens or underscores, "
                    "starting with a letter or digit."
                ),
                field="username",
            )
        )
    elif User.objects.filter(username__iexact=name).exists():
        problems.append(
            Problem(
                "username_taken", _("This sign-in name is taken; choose another."), field="username"
            )
        )
    user = User(username=name)
    try:
        validate_password(password, user)
    except ValidationError as error:
        problems += [Problem("weak_password", str(m), field="password") for m in error.messages]
    if problems:
        raise InvalidInput(problems)
    user.set_password(password)
    try:
        user.save()
        WorkerAccount.objects.create(user=user, person=locked.person)
    except IntegrityError as exc:
        raise Conflict(
            _("This person already has an account."), code="already_has_account"
        ) from exc
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    return user


@transaction.atomic
def worker_contact_update(*, actor: Actor, phone: str, email: str) -> Person:
    """The worker corrects their own phone number and e-mail address; the change is in the
    record's history."""
    if actor.person_id is None:
        raise NotAllowed(_("Only the worker corrects their own contact details here."))
    person = Person.objects.select_for_update().filter(pk=actor.person_id).first()
    if person is None:
        raise NotFound("person")
    problems: list[Problem] = []
    phone = validation.text_field(phone, "phone", problems, max_length=40)
    email = validation.text_field(email, "email", problems, max_length=254)
    if phone and not re.fullmatch(r"\+?[0-9 ()-]{6,40}", phone):
        problems.append(
            Problem(
                "invalid_phone",
                _("Write the number with digits, e.g. +996 555 123 456."),
                field="phone",
            )
        )
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        problems.append(
            Problem("invalid_email", _("This is not an e-mail address."), field="email")
        )
    if problems:
        raise InvalidInput(problems)
    changes = {
        name: [getattr(person, name), value]
        for name, value in (("phone", phone), ("email", email))
        if getattr(person, name) != value
    }
    if changes:
        person.phone, person.email = phone, email
        person.save(update_fields=["phone", "email", "updated_at"])
        PersonEvent.objects.create(
            person=person, kind=PersonEventKind.CHANGED, actor=actor.required_user, changes=changes
        )
    return person
