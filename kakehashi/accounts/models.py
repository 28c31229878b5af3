"""Organizations (the parties of DOMAIN.md §2), users, their memberships, API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kakehashi.reference import prefectures


class OrganizationKind(models.TextChoices):
    """The parties of the framework (shared/DOMAIN.md §2). Procedure steps name these as roles."""

    RECEIVING_ORGANIZATION = "receiving_organization", _("Receiving organization")
    MUNICIPALITY = "municipality", _("Municipality (hub)")
    JP_CONTACT_POINT = "jp_contact_point", _("Japanese contact point (ISA)")
    IMMIGRATION_BUREAU = "immigration_bureau", _("Regional immigration bureau")
    SENDING_CONTACT_POINT = "sending_contact_point", _("Sending-country contact point")
    SENDING_AGENCY = "sending_agency", _("Sending agency")
    SUPPORT_ORGANIZATION = "support_organization", _("Registered support organization")
    EMBASSY = "embassy", _("Embassy")
    PARTNER_INSTITUTION = "partner_institution", _("Partner institution")
    PROGRAM_COORDINATOR = "program_coordinator", _("Program coordinator")


class Organization(models.Model):
    kind = models.CharField(max_length=32, choices=OrganizationKind.choices, db_index=True)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_local = models.CharField(_("name (local script)"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, help_text="ISO 3166-1 alpha-2")
    # For organizations located in a Japanese city: the municipality (hub) they belong to.
    municipality = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="located_organizations",
        limit_choices_to={"kind": OrganizationKind.MUNICIPALITY},
    )
    # For organizations in Japan: the prefecture (JIS X 0401) whose minimum wage applies.
    prefecture = models.CharField(
        _("prefecture"), max_length=2, blank=True, choices=prefectures.CHOICES
    )
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def side(self) -> str:
        """JP for Japanese parties, otherwise the partner country's code (e.g. KG)."""
        return "JP" if self.country == "JP" else self.country

    @property
    def display_name(self) -> str:
        language = get_language() or ""
        if language == "ky" and self.name_local:
            return self.name_local
        if get_language() == "ja" and self.name_ja:
            return self.name_ja
        return self.name_en


class User(AbstractUser):
    preferred_language = models.CharField(max_length=8, blank=True)


class MemberRole(models.TextChoices):
    MANAGER = "manager", _("Manager")
    CLERK = "clerk", _("Clerk")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    """A user works for an organization in a role. Managers and clerks act; viewers read."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=MemberRole.choices, default=MemberRole.CLERK)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"

    @property
    def can_act(self) -> bool:
        return self.role in (MemberRole.MANAGER, MemberRole.CLERK)


class ApiToken(models.Model):
    """A named bearer token for the API that expires. Only a SHA-256 digest is stored; the
    token is shown once. Its owner lists and revokes it (page and command) and sees when it
    was last used."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class WorkerAccount(models.Model):
    """A worker's own sign-in, tied to their person record. It belongs to no organization:
    the worker sees only their own data (docs/access.md, "Workers")."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="worker_account")
    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="worker_account"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} → person {self.person_id}"


class SignedInSession(models.Model):
    """One of a user's signed-in sessions, so that they can see where they are signed in
    and end a session (the session itself lives in Django's session store)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-last_seen_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
