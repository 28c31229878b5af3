"""The city as hub (R-H1–R-H6): partner institutions and their
candidate pools, employers' needs, cooperation confirmations, exchange records (delegations,
visits, agreements, business links), programmes, and the resident statistics dataset."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

JAPANESE_LEVELS = [
    ("", _("None yet")),
    ("A2", "JFT-Basic A2"),
    ("N5", "JLPT N5"),
    ("N4", "JLPT N4"),
    ("N3", "JLPT N3"),
    ("N2", "JLPT N2"),
    ("N1", "JLPT N1"),
]
# How far each level goes, for matching (A2 and N4 are the SSW (i) floor).
LEVEL_RANK = {"": 0, "N5": 1, "A2": 2, "N4": 2, "N3": 3, "N2": 4, "N1": 5}


class PartnerProfile(models.Model):
    """A partner institution's profile (the organization has kind partner_institution):
    the fields it trains for, its contacts and notes."""

    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.PROTECT, related_name="partner_profile"
    )
    fields = models.ManyToManyField("reference.Field", blank=True, related_name="+")
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    def __str__(self) -> str:
        return str(self.organization)


class PoolCandidate(models.Model):
    """A candidate who registered their interest through a partner institution. Outside the
    institution, only candidates who consented to be presented are seen (and matched)."""

    institution = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="pool"
    )
    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="pool_entry"
    )
    field = models.ForeignKey("reference.Field", on_delete=models.PROTECT, related_name="+")
    business_category = models.ForeignKey(
        "reference.BusinessCategory", null=True, blank=True, on_delete=models.PROTECT
    )
    japanese_level = models.CharField(
        _("Japanese level"), max_length=4, choices=JAPANESE_LEVELS, blank=True
    )
    tests_planned = models.CharField(_("tests planned"), max_length=200, blank=True)
    available_from = models.DateField(_("available from"))
    consented_at = models.DateTimeField(null=True, blank=True)
    consent_reference = models.CharField(_("signed consent"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["available_from", "id"]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.institution_id}"


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")


class EmployerNeed(models.Model):
    """What an employer needs: field and category, people, Japanese level, timing, housing
    and support offered (R-H1)."""

    receiving_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="needs"
    )
    field = models.ForeignKey("reference.Field", on_delete=models.PROTECT, related_name="+")
    business_category = models.ForeignKey(
        "reference.BusinessCategory", on_delete=models.PROTECT, related_name="+"
    )
    positions = models.PositiveSmallIntegerField(_("number of people"))
    japanese_level = models.CharField(
        _("Japanese level required"), max_length=4, choices=JAPANESE_LEVELS
    )
    needed_by = models.DateField(_("needed by"))
    housing_offered = models.BooleanField(_("housing offered"), default=False)
    support_offered = models.CharField(_("support offered"), max_length=300, blank=True)
    status = models.CharField(max_length=8, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["needed_by", "id"]

    def __str__(self) -> str:
        return f"{self.receiving_organization_id} {self.business_category_id} x{self.positions}"


class MatchAction(models.Model):
    """A candidate shortlisted for a need, presented, and the case opened from it."""

    need = models.ForeignKey(EmployerNeed, on_delete=models.CASCADE, related_name="matches")
    candidate = models.ForeignKey(PoolCandidate, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["need", "candidate"], name="one_match_per_need")
        ]

    def __str__(self) -> str:
        return f"{self.need_id}-{self.candidate_id}"


class ConfirmationScope(models.TextChoices):
    WORKPLACE = "workplace", _("Municipality of the workplace")
    RESIDENCE = "residence", _("Municipality of residence")


class CooperationConfirmation(models.Model):
    """A cooperation confirmation (協力確認書) an employer submits to a municipality, which
    receives, checks and records it (R-H6; source isa_cooperation_confirmation)."""

    receiving_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="cooperation_confirmations"
    )
    municipality = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    scope = models.CharField(max_length=16, choices=ConfirmationScope.choices)
    submitted_on = models.DateField(_("submitted on"))
    checked = models.BooleanField(_("checked"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.receiving_organization_id} {self.submitted_on}"


# --- exchange records (R-H2, R-H3) -----------------------------------------------------------


class Delegation(models.Model):
    municipality = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    participants_count = models.PositiveSmallIntegerField(_("participants"))
    expected_outcomes = models.TextField(_("expected outcomes"))
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.title


class DelegationLeg(models.Model):
    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="legs")
    travels_on = models.DateField()
    origin = models.CharField(max_length=100)
    destination = models.CharField(max_length=100)

    class Meta:
        ordering = ["travels_on", "id"]

    def __str__(self) -> str:
        return f"{self.origin} → {self.destination}"


class DelegationParticipant(models.Model):
    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="participants"
    )
    organization = models.CharField(max_length=200)
    role = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.role


class DelegationVisit(models.Model):
    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(null=True, blank=True)
    institution = models.CharField(max_length=200)
    partner = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fields_discussed = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["visited_on", "id"]

    def __str__(self) -> str:
        return self.institution


class FollowUp(models.Model):
    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="follow_ups")
    description = models.CharField(max_length=300)
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description


class CourtesyVisit(models.Model):
    """The relationship history: courtesy visits between the city and its partners."""

    municipality = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField()
    summary = models.CharField(max_length=400)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["visited_on", "id"]

    def __str__(self) -> str:
        return self.summary


class Agreement(models.Model):
    municipality = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="agreements"
    )
    title = models.CharField(max_length=200)
    signed_on = models.DateField()

    class Meta:
        ordering = ["-signed_on"]

    def __str__(self) -> str:
        return self.title


class LinkKind(models.TextChoices):
    OFFSHORE = "offshore", _("Offshore development")
    INVESTMENT = "investment", _("Investment lead")
    CURRICULUM = "curriculum", _("Curriculum and student exchange")
    INTERNSHIP = "internship", _("Internship")


class LinkStage(models.TextChoices):
    LEAD = "lead", _("Lead")
    TALKS = "talks", _("In talks")
    AGREED = "agreed", _("Agreed")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class BusinessLink(models.Model):
    municipality = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=LinkKind.choices)
    stage = models.CharField(max_length=16, choices=LinkStage.choices, default=LinkStage.LEAD)
    partner = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_on = models.DateField()

    def __str__(self) -> str:
        return self.title


# --- programmes (R-H4) -----------------------------------------------------------------------


class ProgrammeTemplate(models.Model):
    """A reusable yearly cycle. Each stage: a key, a title in four languages, and its period
    as month-day pairs, with `year` 0 for the cycle's first calendar year and 1 for the next:
    {"key", "title": {ja, en, ru, ky}, "from": "08-01", "to": "10-31", "year": 0}."""

    name = models.CharField(max_length=200)
    stages = models.JSONField(default=list)
    source = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.name


class ProgrammeYear(models.Model):
    template = models.ForeignKey(ProgrammeTemplate, on_delete=models.PROTECT, related_name="years")
    municipality = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    cycle_start_year = models.PositiveSmallIntegerField()
    training_field = models.CharField(max_length=200)

    class Meta:
        ordering = ["-cycle_start_year"]

    def __str__(self) -> str:
        return f"{self.template} {self.cycle_start_year}"


class Trainee(models.Model):
    programme = models.ForeignKey(ProgrammeYear, on_delete=models.CASCADE, related_name="trainees")
    name = models.CharField(max_length=200)
    home_institution = models.CharField(max_length=200)
    report = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name
