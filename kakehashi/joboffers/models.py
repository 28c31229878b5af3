"""Job offers published through the Center for Employment of Citizens Abroad (pattern 2,
isa_kg_flow 2; R-P1): the receiving organization submits its job offer and its own
information to the Center, the Center publishes it on its website, and a Kyrgyz national
who saw it contacts the receiving organization directly.

State is written only by kakehashi.joboffers.services; every write adds a JobOfferEvent in
the same transaction. A CandidateContact holds personal data: it is shown to the receiving
organization only, never on a public page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kakehashi.core.models import AppendOnlyError as AppendOnlyError  # tests import it here
from kakehashi.core.models import AppendOnlyModel


class JapaneseLevel(models.TextChoices):
    """The Japanese level an offer asks for: a JLPT level, or JFT-Basic A2 (the tests SSW (i)
    accepts, procedures/definitions/jp_ssw_rules.yaml)."""

    JFT_BASIC_A2 = "A2", _("JFT-Basic A2")
    JLPT_N4 = "N4", _("JLPT N4")
    JLPT_N3 = "N3", _("JLPT N3")
    JLPT_N2 = "N2", _("JLPT N2")
    JLPT_N1 = "N1", _("JLPT N1")


class JobOfferStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the Center")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected by the Center")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CenterRecruitmentContract(models.Model):
    """The receiving organization's recruitment contract with the Center of a partner
    country (isa_kg_flow 2(1): 人材募集に係る契約). It comes first: an offer is submitted
    under one, and a case opened from the offer carries it as its first step."""

    receiving_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="center_contracts"
    )
    country = models.CharField(_("country"), max_length=2, default="KG")
    signed_on = models.DateField(_("date signed"))
    contract_number = models.CharField(_("contract number"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_on", "-id"]
        indexes = [models.Index(fields=["receiving_organization", "country", "-signed_on"])]

    def __str__(self) -> str:
        return f"{self.receiving_organization_id} {self.country} {self.signed_on}"


class JobOffer(models.Model):
    receiving_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="job_offers"
    )
    # The partner country whose contact point (the Center) reviews and publishes the offer.
    country = models.CharField(_("country"), max_length=2, default="KG")
    field = models.ForeignKey("reference.Field", on_delete=models.PROTECT, verbose_name=_("field"))
    business_category = models.ForeignKey(
        "reference.BusinessCategory", on_delete=models.PROTECT, verbose_name=_("business category")
    )
    title = models.CharField(_("job title"), max_length=200)
    description = models.TextField(_("job description"))
    positions = models.PositiveSmallIntegerField(_("number of positions"))
    work_location = models.CharField(_("place of work"), max_length=200)
    monthly_wage_jpy = models.PositiveIntegerField(_("monthly wage (yen)"))
    japanese_level_required = models.CharField(
        _("Japanese level required"), max_length=2, choices=JapaneseLevel.choices
    )
    organization_info = models.TextField(_("about the organization"))
    how_to_apply = models.TextField(_("how to contact the organization"))
    closes_on = models.DateField(_("closing date"), null=True, blank=True)
    # The employer pays every cost of recruitment and the worker nothing (the ILO/IOM
    # employer-pays principle, ilo_fair_recruitment principle 7): shown as a mark.
    worker_pays_nothing = models.BooleanField(_("the worker pays nothing"), default=False)

    status = models.CharField(
        max_length=16, choices=JobOfferStatus.choices, default=JobOfferStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The recruitment contract with the Center the offer was submitted under.
    recruitment_contract = models.ForeignKey(
        CenterRecruitmentContract,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="job_offers",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_note = models.TextField(_("review note"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "country", "-id"]),
            models.Index(fields=["receiving_organization", "-id"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(positions__gte=1), name="job_offer_positions_min_1")
        ]

    def __str__(self) -> str:
        return f"{self.pk}: {self.title}"


class JobOfferEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    SUBMITTED = "submitted", _("Submitted")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CONTACT_RECORDED = "contact_recorded", _("Contact recorded")
    CASE_STARTED = "case_started", _("Case started")


class JobOfferEvent(AppendOnlyModel):
    """Append-only history of an offer: who did what, for which organization, when. Holds
    ids only, never a candidate's name."""

    job_offer = models.ForeignKey(JobOffer, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=32, choices=JobOfferEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        ordering = ["job_offer_id", "id"]

    def __str__(self) -> str:
        return f"{self.job_offer_id} {self.kind}"


class CandidateContact(models.Model):
    """A candidate who saw a published offer contacted the receiving organization (isa_kg_flow
    2(2)). Personal data: seen by the receiving organization only."""

    job_offer = models.ForeignKey(JobOffer, on_delete=models.PROTECT, related_name="contacts")
    family_name = models.CharField(_("family name (as in passport)"), max_length=100)
    given_names = models.CharField(_("given names (as in passport)"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    message = models.TextField(_("message"), blank=True)
    contacted_on = models.DateField(_("date of contact"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Set together when the receiving organization registers the candidate and opens a case.
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""), name="candidate_contact_email_or_phone"
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=True) | Q(person__isnull=False),
                name="candidate_contact_case_needs_person",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(case__isnull=False),
                name="candidate_contact_one_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"contact {self.pk} on offer {self.job_offer_id}"
