"""The MOC's protective core (moc_kg §3–§5, §6(4), §7(3), §7(6), §8): what the two contact
points exchange (misconduct and test-fraud reports, investigations, inquiries,
consultations, return support), who may read it and who read it, and the fees and
contract terms that protect the worker.

Every item exchanged is one `SharedItem` row (its kind's details in a child table): the
originating side, a confidentiality mark, a stage, an owner and a due date, a history
(`ItemEvent`), a read log (`ItemRead`) and the originating side's written consents to show
it to a third party (`ItemConsent`, moc_kg §3)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kakehashi.core.files import private_storage, random_name
from kakehashi.core.models import AppendOnlyModel


class ItemKind(models.TextChoices):
    MISCONDUCT = "misconduct", _("Misconduct report")
    TEST_FRAUD = "test_fraud", _("Test-fraud report")
    INVESTIGATION = "investigation", _("Investigation of a certified agency")
    INQUIRY = "inquiry", _("Inquiry")
    CONSULTATION = "consultation", _("Consultation")
    RETURN = "return", _("Return support")


class Stage(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("stage", "Draft, not yet filed")
    RECEIVED = "received", pgettext_lazy("stage", "Received")
    UNDER_INVESTIGATION = "under_investigation", pgettext_lazy("stage", "Under investigation")
    MEASURES_TAKEN = "measures_taken", pgettext_lazy("stage", "Measures taken")
    OPEN = "open", pgettext_lazy("stage", "Open")
    ANSWERED = "answered", pgettext_lazy("stage", "Answered")
    PLANNED = "planned", pgettext_lazy("stage", "Planned")
    HELD = "held", pgettext_lazy("stage", "Held")
    RESULT_REPORTED = "result_reported", pgettext_lazy("stage", "Result reported")
    CLOSED = "closed", pgettext_lazy("stage", "Closed")


# Stages after which an item needs nothing more (and cannot be overdue).
DONE_STAGES = (Stage.CLOSED, Stage.ANSWERED, Stage.HELD)


class Outcome(models.TextChoices):
    FOUNDED = "founded", _("Founded")
    UNFOUNDED = "unfounded", _("Unfounded")


class Channel(models.TextChoices):
    """Where a report came from before a contact point filed it (issue: a worker's own
    channel comes with the worker portal)."""

    CONTACT_POINT = "contact_point", _("A contact point itself")
    MUNICIPALITY = "municipality", _("The city")
    RECEIVING_ORGANIZATION = "receiving_organization", _("A receiving organization")
    SUPPORT_ORGANIZATION = "support_organization", _("A registered support organization")
    WORKER = "worker", _("A worker")


def _reference() -> str:
    return secrets.token_hex(4).upper()


class SharedItem(models.Model):
    """One item the contact points exchange under a partner country's MOC. It is the
    originating side's confidential information (moc_kg §3): the two contact points see it;
    a third party only under an `ItemConsent` of the originating side."""

    kind = models.CharField(max_length=16, choices=ItemKind.choices, db_index=True)
    # The partner country whose MOC the item is exchanged under.
    country = models.CharField(max_length=2)
    reference = models.CharField(max_length=16, unique=True, default=_reference)
    title = models.CharField(_("title"), max_length=200)
    # The originating side's contact point, and the other side's.
    from_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="items_sent"
    )
    to_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="items_received"
    )
    stage = models.CharField(max_length=24, choices=Stage.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    # Where a report came from, when a contact point forwards what a party sent.
    channel = models.CharField(
        _("came from"), max_length=32, choices=Channel.choices, default=Channel.CONTACT_POINT
    )
    channel_organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel_note = models.CharField(_("who sent it"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["to_organization", "acknowledged_at"]),
            models.Index(fields=["kind", "stage"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"

    @property
    def is_open(self) -> bool:
        return self.stage not in (*DONE_STAGES, Stage.DRAFT)


class MisconductCategory(models.TextChoices):
    """The conduct of intermediaries the contact points share (moc_kg §4(1)(a)–(e)),
    in the MOC's own words."""

    A = (
        "a",
        _(
            "(a) Collecting a deposit, or managing the money or other property of the worker, "
            "their relatives or others connected with them, under any name"
        ),
    )
    B = (
        "b",
        _(
            "(b) Making a contract that charges a penalty for breach, or any other contract "
            "foreseeing an undue transfer of money or other property"
        ),
    )
    C = (
        "c",
        _(
            "(c) Violence, threats, restriction of freedom or any other violation of the "
            "worker's human rights"
        ),
    )
    D = (
        "d",
        _(
            "(d) Using or providing forged, altered or false documents or drawings to obtain a "
            "permission or visa wrongfully in Japan's immigration or visa procedures"
        ),
    )
    E = (
        "e",
        _(
            "(e) Collecting fees or other costs without showing the worker the basis of "
            "calculation and making the amount and breakdown fully understood"
        ),
    )


class SubjectKind(models.TextChoices):
    INDIVIDUAL = "individual", _("An individual")
    LEGAL_ENTITY = "legal_entity", _("A legal entity")


class MisconductReport(SharedItem):
    """Conduct of an intermediary (an individual or a legal entity, in either country,
    certified or not) under moc_kg §4(1)(a)–(e)."""

    categories = models.JSONField(default=list)
    subject_name = models.CharField(_("who it concerns"), max_length=200)
    subject_kind = models.CharField(max_length=16, choices=SubjectKind.choices)
    subject_country = models.CharField(_("country of the intermediary"), max_length=2)
    subject_organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    facts = models.TextField(_("facts"))
    occurred_from = models.DateField(_("from"), null=True, blank=True)
    occurred_until = models.DateField(_("until"), null=True, blank=True)
    places = models.CharField(_("places"), max_length=300, blank=True)
    persons = models.ManyToManyField("people.Person", blank=True, related_name="+")
    cases = models.ManyToManyField("cases.Case", blank=True, related_name="misconduct_reports")


class FraudKind(models.TextChoices):
    IMPERSONATION = "impersonation", _("Impersonation: someone else sat the test")
    FORGED = "forged", _("Forged pass certificate")
    ALTERED = "altered", _("Altered pass certificate")
    OTHER = "other", _("Other fraud in a test")


class TestFraudReport(SharedItem):
    """Fraud in the skill or Japanese tests (moc_kg §5). While it is open, the results it
    names do not count; closed as founded they never count again."""

    fraud_kind = models.CharField(max_length=16, choices=FraudKind.choices)
    facts = models.TextField(_("facts"))
    test_results = models.ManyToManyField("people.TestResult", related_name="fraud_reports")


class Investigation(SharedItem):
    """The sending country's ministry investigates a certified agency on Japan's report,
    guides and supervises it, and reports the result to Japan (moc_kg §7(3)). A result may
    lead to a suspension or revocation, recorded through the certification decisions and
    linked here."""

    agency = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="investigations"
    )
    reports = models.ManyToManyField(SharedItem, blank=True, related_name="investigations")
    guidance = models.TextField(_("guidance and supervision"), blank=True)
    result = models.TextField(_("result"), blank=True)
    result_reported_at = models.DateTimeField(null=True, blank=True)
    decisions = models.ManyToManyField(
        "registries.AgencyCertificationDecision", blank=True, related_name="investigations"
    )


class Inquiry(SharedItem):
    """An inquiry from one contact point to the other: Kyrgyzstan's on acceptance
    (moc_kg §6(4)), Japan's on sending (§7(6)), with its due date and answer."""

    question = models.TextField(_("question"))
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="inquiries"
    )
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )


class ConsultationKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    AD_HOC = "ad_hoc", _("Ad hoc")


class Consultation(SharedItem):
    """A consultation of the two sides to correct problems (moc_kg §4(2))."""

    consultation_kind = models.CharField(max_length=16, choices=ConsultationKind.choices)
    meets_on = models.DateField(_("date of the meeting"))
    place = models.CharField(_("place or means"), max_length=200, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    discusses = models.ManyToManyField(SharedItem, blank=True, related_name="discussed_in")


class AgendaCategory(models.TextChoices):
    """The main matters of consultation (moc_kg §4(2)(a)–(f))."""

    A = "a", _("(a) Implementation and changes of the two countries' policies on the system")
    B = "b", _("(b) Ensuring that intermediaries are proper, including corrective measures")
    C = (
        "c",
        _(
            "(c) Examinations; corrective measures against improper receiving organizations, "
            "support organizations and sending agencies"
        ),
    )
    D = "d", _("(d) Proper conduct of the skill and Japanese tests")
    E = "e", _("(e) Residence management of the workers in Japan")
    F = "f", _("(f) Other matters on the proper operation of the system")


class AgendaItem(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="agenda")
    category = models.CharField(max_length=1, choices=AgendaCategory.choices)
    title = models.CharField(_("agenda item"), max_length=200)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.category} {self.title}"


class ActionItem(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="action_items"
    )
    description = models.CharField(_("action"), max_length=300)
    owner_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description


class ReturnReason(models.TextChoices):
    LANDING_REFUSED = "landing_refused", _("Landing refused")
    STATUS_REFUSED = "status_refused", _("Change of status refused")
    EXTENSION_REFUSED = "extension_refused", _("Extension of the stay refused")
    SUSPENSION = "suspension", _("Stay ended under a suspension of the field")


class ReturnCase(SharedItem):
    """Return support when a stay is not allowed (moc_kg §8): Japan asks; the ministry and
    the Kyrgyz Embassy in Japan see to a temporary passport and a smooth return."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="return_cases")
    reason = models.CharField(max_length=24, choices=ReturnReason.choices)
    embassy = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    temporary_passport_requested_on = models.DateField(
        _("temporary passport requested on"), null=True, blank=True
    )
    return_on = models.DateField(_("planned return date"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)


class ConsentScope(models.TextChoices):
    ITEM = "item", _("The item, without its attachments")
    ITEM_AND_ATTACHMENTS = "item_and_attachments", _("The item and its attachments")


class ItemConsent(models.Model):
    """The originating side's written consent to show an item to a third party
    (moc_kg §3). Recorded by the originating side's contact point; never edited."""

    item = models.ForeignKey(SharedItem, on_delete=models.PROTECT, related_name="consents")
    to_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    scope = models.CharField(max_length=24, choices=ConsentScope.choices)
    purpose = models.CharField(_("purpose"), max_length=300)
    consented_on = models.DateField(_("consent given on"))
    document_reference = models.CharField(_("reference of the written consent"), max_length=100)
    consenting_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item_id", "id"]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.to_organization_id}"


class ItemRead(AppendOnlyModel):
    """Who read an item, when (moc_kg §3: every read of confidential information)."""

    item = models.ForeignKey(SharedItem, on_delete=models.PROTECT, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "accounts.Organization", null=True, on_delete=models.PROTECT, related_name="+"
    )
    read_at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=8)  # "page" or "api"

    class Meta:
        ordering = ["-read_at", "-id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.user_id}"


class ItemEvent(AppendOnlyModel):
    """The history of an item: filed, acknowledged, stage, owner, due date, answer,
    consent, attachment."""

    item = models.ForeignKey(SharedItem, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "accounts.Organization", null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=32)
    stage_from = models.CharField(max_length=24, blank=True)
    stage_to = models.CharField(max_length=24, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.action}"


def _attachment_name(instance: Attachment, filename: str) -> str:
    return random_name("items")


# Kept by this name: the migrations refer to it.
_private_storage = private_storage


class Attachment(models.Model):
    """A file sent with an item: stored under a random name in private storage, served only
    through a view that asks the access policy, never public."""

    item = models.ForeignKey(SharedItem, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(storage=_private_storage, upload_to=_attachment_name, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class CorrectiveMeasure(models.Model):
    """A corrective measure Japan takes against a receiving organization or a support
    organization (moc_kg §4(2)(c)), linked to the reports behind it and, for an improvement
    order, to the order in Japan's register."""

    class Kind(models.TextChoices):
        IMPROVEMENT_ORDER = "improvement_order", _("Improvement order")
        GUIDANCE = "guidance", _("Administrative guidance")
        REGISTRATION_CANCELLED = "registration_cancelled", _("Registration cancelled")
        OTHER = "other", _("Other measure")

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="corrective_measures"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    improvement_order = models.ForeignKey(
        "registries.ImprovementOrder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
    )
    description = models.TextField(_("measure"))
    taken_on = models.DateField(_("taken on"))
    reports = models.ManyToManyField(SharedItem, related_name="measures")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "-id"]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.kind}"


# --- Fees and contract terms (moc_kg §4(1)(a), (b), (e)) ---------------------------------


class Currency(models.TextChoices):
    KGS = "KGS", _("Kyrgyz som (KGS)")
    JPY = "JPY", _("Japanese yen (JPY)")


class FeePurpose(models.TextChoices):
    RECRUITMENT = "recruitment", _("Recruitment or placement")
    TRAINING = "training", _("Training, Japanese lessons")
    DOCUMENTS = "documents", _("Documents and certificates")
    MEDICAL = "medical", _("Medical examination")
    TRAVEL = "travel", _("Travel")
    SUPPORT = "support", _("Support in Japan (support plan)")
    OTHER = "other", _("Other")


class Fee(models.Model):
    """A fee the worker is asked to pay, on a case with an agency or on a job offer, with
    the basis of calculation, the amount and the breakdown the worker must be shown and
    understand (moc_kg §4(1)(e))."""

    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="fees"
    )
    job_offer = models.ForeignKey(
        "joboffers.JobOffer", null=True, blank=True, on_delete=models.PROTECT, related_name="fees"
    )
    charged_by = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT)
    purpose = models.CharField(_("purpose"), max_length=16, choices=FeePurpose.choices)
    basis = models.TextField(_("basis of calculation"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    # [{"item": "...", "amount": "..."}], adding up to `amount`.
    breakdown = models.JSONField(default=list)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False, job_offer__isnull=True)
                | models.Q(case__isnull=True, job_offer__isnull=False),
                name="fee_on_a_case_or_an_offer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


class FeeAcknowledgement(models.Model):
    """The worker's acknowledgement of a fee: given by the worker, or the signed statement
    recorded by the party with the document (moc_kg §4(1)(e))."""

    fee = models.ForeignKey(Fee, on_delete=models.PROTECT, related_name="acknowledgements")
    acknowledged_on = models.DateField(_("acknowledged on"))
    language = models.CharField(_("language of the statement"), max_length=8)
    document_reference = models.CharField(_("signed statement"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Null when the worker acknowledged it themself in their portal.
    recorded_by_organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by_worker = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.fee_id} {self.acknowledged_on}"


class FeePolicy(AppendOnlyModel):
    """A sending agency's declaration that employers pay all costs and the worker pays
    nothing (the ILO/IOM employer-pays principle). The latest declaration counts; while it
    stands, no fee to the worker can be recorded on the agency's cases."""

    agency = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="fee_policies"
    )
    employer_pays = models.BooleanField()
    declared_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency_id", "declared_on", "id"]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.employer_pays}"


# --- grievances (the worker's own channel) ---------------------------------------------------


class GrievanceCategory(models.TextChoices):
    """What a worker complains of: the conduct of moc_kg §4(1)(a)–(e), the workplace, or
    living in Japan."""

    A = "a", _("A deposit was taken, or my money, property or passport is kept (MOC §4(1)(a))")
    B = "b", _("A penalty for leaving, or another unfair payment in a contract (MOC §4(1)(b))")
    C = "c", _("Violence, threats or my freedom restricted (MOC §4(1)(c))")
    D = "d", _("False or forged documents for my visa or status (MOC §4(1)(d))")
    E = "e", _("A fee without its calculation or breakdown explained (MOC §4(1)(e))")
    WORKPLACE = "workplace", _("A problem at work (wages, hours, safety, harassment)")
    LIVING = "living", _("A problem with housing or daily life in Japan")


class GrievanceStage(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("grievance", "Received")
    ASSIGNED = "assigned", pgettext_lazy("grievance", "Assigned")
    IN_PROGRESS = "in_progress", pgettext_lazy("grievance", "In progress")
    RESOLVED = "resolved", pgettext_lazy("grievance", "Resolved")
    CLOSED = "closed", pgettext_lazy("grievance", "Closed")


class Grievance(models.Model):
    """A worker's complaint, handled as a case by its owner: the Center for matters on the
    Kyrgyz side, the support organization or Japan's contact point for the Japanese side.
    Who filed it is seen by the worker and the owner only; the employer or agency it names
    never learns it (a 404, as for nothing)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_note = models.CharField(
        _("filed on the worker's behalf by"), max_length=200, blank=True
    )
    language = models.CharField(max_length=8)
    categories = models.JSONField(default=list)
    description = models.TextField(_("what happened"))
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fee = models.ForeignKey(
        Fee, null=True, blank=True, on_delete=models.PROTECT, related_name="disputes"
    )
    owner_organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="grievances"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(
        max_length=16, choices=GrievanceStage.choices, default=GrievanceStage.RECEIVED
    )
    due_on = models.DateField(_("due on"))
    forwarded_to = models.ForeignKey(
        SharedItem, null=True, blank=True, on_delete=models.PROTECT, related_name="grievances"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner_organization", "stage"])]

    def __str__(self) -> str:
        return f"grievance {self.pk}"


class GrievanceMessage(AppendOnlyModel):
    """The thread between the worker and the owner; stage changes are written into it."""

    grievance = models.ForeignKey(Grievance, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_worker = models.BooleanField()
    text = models.TextField()
    stage_to = models.CharField(max_length=16, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.grievance_id} {self.at}"
