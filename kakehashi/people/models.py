"""Candidates and workers (特定技能外国人等), their test results and exemptions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kakehashi.core import crypto
from kakehashi.core.models import AppendOnlyModel
from kakehashi.core.search import search_key

# The person's identifiers: encrypted at rest, masked wherever shown, in full only to whom
# access.policy.sees_identifiers allows (docs/security.md, "Identifiers").
IDENTIFIER_FIELDS = frozenset({"passport_number"})
# What the search key is made of (core/search.py).
NAME_FIELDS = frozenset({"family_name", "given_names", "native_name"})


class Person(models.Model):
    family_name = models.CharField(_("family name (as in passport)"), max_length=100)
    given_names = models.CharField(_("given names (as in passport)"), max_length=150)
    native_name = models.CharField(_("name in native script"), max_length=200, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, help_text="ISO 3166-1 alpha-2")
    date_of_birth = models.DateField(_("date of birth"))
    # Encrypted at rest; found by its keyed hash (core/crypto.py); shown masked unless the
    # policy lets the reader see it (access.policy.sees_identifiers), and each full view
    # is logged.
    passport_number = crypto.EncryptedTextField(_("passport number"), max_length=20, blank=True)
    passport_digest = models.CharField(max_length=64, blank=True, editable=False)
    passport_expiry = models.DateField(_("passport expiry"), null=True, blank=True)
    # Where the person lives now: decides whether the overseas patterns or change of status apply.
    current_country = models.CharField(_("country of residence"), max_length=2)
    current_status_of_residence = models.CharField(
        _("current status of residence (if in Japan)"), max_length=100, blank=True
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    created_by_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="registered_persons"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the personal data was erased (privacy.services.erasure): the record stays for
    # the statistics and can no longer be changed.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The names as search finds them, in Latin letters (core/search.py); indexed by
    # trigrams: pg_trgm on PostgreSQL, an FTS5 trigram table on SQLite (migration 0008).
    search_key = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["family_name", "given_names", "id"]
        indexes = [
            models.Index(fields=["family_name", "given_names"]),
            models.Index(fields=["nationality", "date_of_birth"]),
        ]
        constraints = [
            # One person per passport: the same number of the same country is a duplicate.
            models.UniqueConstraint(
                fields=["nationality", "passport_digest"],
                condition=~Q(passport_digest=""),
                name="one_person_per_passport",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keeps the passport number's keyed hash (core/crypto.py) and the names' search key
        (core/search.py) with them."""
        update_fields = kwargs.get("update_fields")
        saving = None if update_fields is None else set(update_fields)
        derived = []
        # Only what a partial save touches is derived again (a deferred name is not loaded).
        if saving is None or "passport_number" in saving:
            self.passport_digest = crypto.digest("passport", self.passport_number or "")
            derived.append("passport_digest")
        if saving is None or saving & NAME_FIELDS:
            self.search_key = search_key(self.family_name, self.given_names, self.native_name)
            derived.append("search_key")
        if update_fields is not None:
            kwargs["update_fields"] = [*update_fields, *derived]
        super().save(*args, **kwargs)

    @property
    def passport_masked(self) -> str:
        return crypto.mask(self.passport_number)

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_names}"


class TestKind(models.TextChoices):
    SKILL = "skill", _("Skill test")
    JAPANESE = "japanese", _("Japanese language test")


class Verification(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed (entered by an independent party)")
    PENDING = "pending", _("Awaiting confirmation by a contact point")
    CONFIRMED = "confirmed", _("Confirmed")


class TestResult(models.Model):
    """A test taken: a skill test for a business category, or a Japanese test with a level.
    Which tests count is in reference/data/ssw_rules.yaml."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="test_results")
    kind = models.CharField(max_length=16, choices=TestKind.choices)
    test_code = models.SlugField(_("test"), max_length=40)
    business_category = models.ForeignKey(
        "reference.BusinessCategory", null=True, blank=True, on_delete=models.PROTECT
    )
    level = models.CharField(_("level"), max_length=8, blank=True)
    passed = models.BooleanField(_("passed"))
    taken_on = models.DateField(_("date taken"))
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)
    # Who entered the result, and whether it has to be and has been confirmed. A result a
    # sending agency enters for its own candidate counts only once a contact point has
    # confirmed it with the test body (moc_kg §4(2)(d), §5; docs/adr/0017).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_by_organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(null=True, blank=True)
    verification = models.CharField(
        _("verification"),
        max_length=16,
        choices=Verification.choices,
        default=Verification.NOT_NEEDED,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_by_organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_basis = models.CharField(_("how it was confirmed"), max_length=200, blank=True)

    class Meta:
        ordering = ["-taken_on", "id"]

    def __str__(self) -> str:
        return f"{self.test_code} {self.level} ({'pass' if self.passed else 'fail'})"


class ExemptionKind(models.TextChoices):
    TECHNICAL_INTERN_II = "technical_intern_ii", _("Completed technical intern training (ii)")


class Exemption(models.Model):
    """A recorded ground that exempts the person from the tests for one field."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exemptions")
    kind = models.CharField(max_length=32, choices=ExemptionKind.choices)
    field = models.ForeignKey("reference.Field", on_delete=models.PROTECT)
    evidence = models.CharField(_("evidence"), max_length=300)
    recorded_on = models.DateField()

    def __str__(self) -> str:
        return f"{self.kind} ({self.field})"


class Presentation(models.Model):
    """A person's information given to a receiving organization: a sending agency presenting
    job-seekers (isa_kg_flow 3(2): 認定送出機関は求職者に関する情報を受入機関に提供), or the Center
    or the city passing a candidate on. The receiving organization then sees the person and
    can open a case for them."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="presentations")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="presented_persons"
    )
    presented_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT)
    presented_by_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    presented_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization"], name="one_presentation_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.organization_id}"


class PersonEventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CHANGED = "changed", _("Changed")


class PersonEvent(AppendOnlyModel):
    """Who registered or changed a person's record, when, for which organization, and which
    fields changed from what to what. Never rewritten."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=16, choices=PersonEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    changes = models.JSONField(default=dict)  # field -> [before, after]

    class Meta:
        ordering = ["person_id", "id"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}"


class WorkerInvitation(models.Model):
    """A one-time code (also sent as a link) that lets a worker open their own account, from
    a phone and without an e-mail address. Only its digest is stored; it expires."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_by_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"invitation for {self.person_id}"
