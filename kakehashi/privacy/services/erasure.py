"""Erasing a person: anonymisation, not deletion (docs/adr/0025).

The person's row and their cases stay, so that every count, chart and feed reads the same
before and after; what identifies the person goes: names, passport, contact details, the
exact date of birth (the year stays), the files of their documents, the identifiers and
free texts copied into their cases and history, their account. The rows that recorded who
did what keep that, with the values erased (core.models.AppendOnlyModel.erase_personal_values).

Refused while a case is open, while an employment may still go on, and while the employer
must keep the records (privacy/retention.py)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kakehashi.access import Actor
from kakehashi.access.policy import personal_data_organization
from kakehashi.accounts.models import ApiToken, WorkerAccount
from kakehashi.accounts.sessions import sessions_end_others
from kakehashi.audit.log import record
from kakehashi.audit.models import Action
from kakehashi.cases.models import CaseDocument, CaseEvent, CaseStep, EventKind
from kakehashi.core import validation
from kakehashi.core.errors import Conflict, InvalidInput, NotAllowed, Problem, RuleRefused
from kakehashi.core.files import private_storage
from kakehashi.core.models import ERASED
from kakehashi.joboffers.models import CandidateContact
from kakehashi.people.models import Person, PersonEvent, PersonEventKind, WorkerInvitation
from kakehashi.protection.models import Attachment, Grievance, GrievanceMessage, ReturnCase
from kakehashi.reference.citations import sourced
from kakehashi.support.models import ImmigrationNotification, Interview, SupportItem

from .. import rules
from ..effects import PersonAnonymised, person_anonymised
from ..models import CorrectionRequest, Erasure, ErasureRule
from ..retention import RetentionState, expired, retention_state

logger = logging.getLogger(__name__)

# What replaces an erased value, and the name an anonymised person is shown by.
ANONYMISED_NAME = "ANONYMISED"
# The person's fields that identify them: blanked or replaced. Nationality, country of
# residence and status of residence stay (the statistics count by them), and the year of
# birth.
IDENTIFYING = (
    "family_name",
    "given_names",
    "native_name",
    "date_of_birth",
    "passport_number",
    "passport_expiry",
    "email",
    "phone",
)
# A step's evidence keeps its dates, numbers of people, choices and outcomes; identifiers
# (COE, visa, residence card, application, registration, contract numbers) are erased.
IDENTIFIER_SUFFIX = "_number"
DOCUMENT_EVENTS = (
    EventKind.DOCUMENT_UPLOADED,
    EventKind.DOCUMENT_CHECKED,
    EventKind.DOCUMENT_REJECTED,
)
SYSTEM = Actor(user=None, system=True)
# What the audit log's rows of an erasure say (no personal data).
DETAIL = "anonymised"


def _erased_evidence(evidence: Any) -> Any:
    if not isinstance(evidence, dict):
        return evidence
    return {
        key: ERASED if key.endswith(IDENTIFIER_SUFFIX) and value not in ("", None) else value
        for key, value in evidence.items()
    }


def _erased_history(changes: dict[str, Any]) -> dict[str, Any]:
    return {
        name: [None if v is None else ERASED for v in pair]
        if name in IDENTIFYING and isinstance(pair, list)
        else pair
        for name, pair in changes.items()
    }


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def _anonymise_record(person: Person, actor: Actor, organization: Any) -> None:
    """The record itself, with one history row saying which fields changed (to what, never
    from what)."""
    born = person.date_of_birth
    person.family_name = ANONYMISED_NAME
    person.given_names = ""
    person.native_name = ""
    person.date_of_birth = datetime.date(born.year, 1, 1)
    person.passport_number = ""
    person.passport_expiry = None
    person.email = ""
    person.phone = ""
    person.anonymised_at = timezone.now()
    person.save()
    PersonEvent.objects.create(
        person=person,
        kind=PersonEventKind.CHANGED,
        actor=actor.user,
        organization=organization,
        changes={name: [ERASED, _json(getattr(person, name))] for name in IDENTIFYING},
    )


def _audited(model: type[Model], pk: Any, fields: Iterable[str]) -> None:
    """A change made without a model signal, told to the audit log (fields, never values)."""
    record(Action.UPDATE, model_label=model._meta.label_lower, pk=pk, fields=fields, detail=DETAIL)


def _update(rows: QuerySet[Any], **values: Any) -> int:
    """`rows.update(**values)`, each row told to the audit log (QuerySet.update sends no
    signal, so the log would not see it)."""
    pks = list(rows.values_list("pk", flat=True))
    if pks:
        rows.model._default_manager.filter(pk__in=pks).update(**values)
        for pk in pks:
            _audited(rows.model, pk, values)
    return len(pks)


def _erase(row: Any, **values: Any) -> None:
    """A history row's copied values erased (core.models: the one exception to
    append-only), told to the audit log."""
    row.erase_personal_values(**values)
    _audited(type(row), row.pk, values)


def _scrub_person_history(person: Person) -> int:
    rows = 0
    for event in PersonEvent.objects.filter(person=person).order_by("id"):
        scrubbed = _erased_history(event.changes or {})
        if scrubbed != event.changes:
            _erase(event, changes=scrubbed)
            rows += 1
    return rows


def _scrub_cases(person: Person, files: list[str]) -> dict[str, int]:
    """The person's cases keep their steps, dates and outcomes; the identifiers in the
    evidence, the documents' files and names, and the texts about them go."""
    mine = CaseDocument.objects.filter(case__person=person)
    files += [d.file.name for d in mine.exclude(file="")]
    erased_documents = _update(mine.exclude(file=""), file="", name=ERASED)
    _update(mine.exclude(reason=""), reason=ERASED)
    _update(mine.exclude(review_reason=""), review_reason=ERASED)
    steps = 0
    for step in CaseStep.objects.filter(case__person=person):
        evidence = _erased_evidence(step.evidence)
        voided = ERASED if step.voided_reason else ""
        if evidence != step.evidence or voided != step.voided_reason:
            steps += _update(
                CaseStep.objects.filter(pk=step.pk), evidence=evidence, voided_reason=voided
            )
    events = 0
    for event in CaseEvent.objects.filter(case__person=person).order_by("id"):
        after = dict(event.after or {})
        if "evidence" in after:
            after["evidence"] = _erased_evidence(after["evidence"])
        if event.kind in DOCUMENT_EVENTS:
            after.update({k: ERASED for k in ("name", "reason") if after.get(k)})
        if after != event.after:
            _erase(event, after=after)
            events += 1
    texts = _update(
        SupportItem.objects.filter(plan__case__person=person).exclude(record=""), record=ERASED
    )
    texts += _update(
        Interview.objects.filter(plan__case__person=person).exclude(notes=""), notes=ERASED
    )
    texts += _update(
        ImmigrationNotification.objects.filter(case__person=person).exclude(details=""),
        details=ERASED,
    )
    return {
        "documents": erased_documents,
        "steps": steps,
        "case_history_rows": events,
        "support_texts": texts,
    }


def _scrub_protection(person: Person, files: list[str]) -> dict[str, int]:
    """Return support is about the person alone: its title (their name) becomes the case's
    reference and its attachments (a temporary passport, tickets) are erased. Their
    grievances keep their categories, stages and dates; the texts go."""
    returns = list(ReturnCase.objects.filter(case__person=person).select_related("case"))
    for item in returns:
        _update(ReturnCase.objects.filter(pk=item.pk), title=item.case.reference)
    attachments = Attachment.objects.filter(item__in=[r.pk for r in returns]).exclude(file="")
    files += [a.file.name for a in attachments]
    erased_attachments = _update(attachments, file="", name=ERASED)
    grievances = Grievance.objects.filter(person=person)
    _update(grievances, description=ERASED)
    messages = 0
    for message in GrievanceMessage.objects.filter(grievance__in=grievances):
        _erase(message, text=ERASED)
        messages += 1
    return {"attachments": erased_attachments, "grievance_messages": messages}


def _scrub_other_records(person: Person) -> dict[str, int]:
    contacts = _update(
        CandidateContact.objects.filter(person=person),
        family_name=ERASED,
        given_names=ERASED,
        email="",
        phone=ERASED,
        message=ERASED,
    )
    _update(person.test_results.exclude(certificate_number=""), certificate_number="")
    _update(person.exemptions.all(), evidence=ERASED)
    corrections = CorrectionRequest.objects.filter(person=person)
    _update(corrections, value=ERASED, note=ERASED)
    _update(corrections.exclude(refusal_reason=""), refusal_reason=ERASED)
    return {"candidate_contacts": contacts}


def _end_account(person: Person) -> int:
    """The worker's account ends: it signs in no more, its sessions and tokens end, and
    what named it (sign-in name, e-mail, the lockout log of its sign-ins) goes."""
    account = WorkerAccount.objects.filter(person=person).select_related("user").first()
    if account is None:
        return 0
    user = account.user
    old_username = user.get_username()
    user.is_active = False
    user.username = f"erased-{user.pk}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.set_unusable_password()
    user.save()
    sessions_end_others(user=user, current=None)
    _update(ApiToken.objects.filter(user=user, revoked_at__isnull=True), revoked_at=timezone.now())
    for name in ("AccessAttempt", "AccessFailureLog", "AccessLog"):  # django-axes's records
        apps.get_model("axes", name)._default_manager.filter(username=old_username).delete()
    return 1


def _delete_files(names: list[str]) -> None:
    storage = private_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # already gone, or the store failed: the row no longer points at it
            logger.warning("could not delete an erased file")


def _refusal(state: RetentionState) -> RuleRefused:
    return RuleRefused(
        [Problem(b.code, b.message, **sourced(b.source or None)) for b in state.blockers]
    )


@transaction.atomic
def anonymise_person(
    person: Person,
    *,
    actor: Actor,
    reason: str,
    rule: str = ErasureRule.REQUEST,
    today: datetime.date | None = None,
) -> Erasure:
    """Anonymise a person (appi 第35条 on request, by the registering organization; appi
    第22条 when the retention ran out, by the daily job). Refused with 409 naming the reason
    while a case is open, an employment may go on, or the employer must keep the records
    (ssw_standards_ordinance 第2条第1項); 403 to anyone but the registering organization."""
    today = today or timezone.localdate()
    locked = Person.objects.select_for_update().get(pk=person.pk)
    organization = None
    if rule == ErasureRule.REQUEST:
        organization = personal_data_organization(actor, locked)
        if organization is None:
            raise NotAllowed(
                _("Only the organization that registered this person can erase their data.")
            )
    elif not actor.system:
        raise NotAllowed(_("Only the daily job anonymises under the retention period."))
    problems: list[Problem] = []
    reason = validation.text_field(reason, "reason", problems, required=True, max_length=2000)
    if problems:
        raise InvalidInput(problems)
    if Erasure.objects.filter(person=locked).exists():
        raise Conflict(_("This person's data has already been erased."), code="already_erased")
    state = retention_state(locked, today)
    if state.blockers:
        raise _refusal(state)
    erased = {"full_name": locked.full_name, "native_name": locked.native_name}
    files: list[str] = []
    summary: dict[str, int] = {"person_history_rows": _scrub_person_history(locked)}
    _anonymise_record(locked, actor, organization)
    summary |= _scrub_cases(locked, files)
    summary |= _scrub_protection(locked, files)
    summary |= _scrub_other_records(locked)
    summary["account"] = _end_account(locked)
    summary["invitations"] = _update(
        WorkerInvitation.objects.filter(
            person=locked, used_at__isnull=True, revoked_at__isnull=True
        ),
        revoked_at=timezone.now(),
    )
    summary |= person_anonymised(PersonAnonymised(locked, erased))
    retention = rules.rules().retention
    erasure = Erasure.objects.create(
        person=locked,
        rule=rule,
        source=retention.on_request_source
        if rule == ErasureRule.REQUEST
        else retention.no_longer_needed_source,
        reason=reason,
        by=actor.user,
        organization=organization,
        summary=summary,
    )
    # Files go once the change is committed: a rolled-back erasure keeps them.
    transaction.on_commit(lambda: _delete_files(files))
    return erasure


def anonymise_expired(
    today: datetime.date | None = None, *, dry_run: bool = False
) -> list[RetentionState]:
    """Anonymise every person whose retention (settings.PERSONAL_DATA_RETENTION_YEARS) ran
    out on `today` (privacy/retention.py says who). With `dry_run`, only say who."""
    today = today or timezone.localdate()
    years = settings.PERSONAL_DATA_RETENTION_YEARS
    found = expired(today, years)
    if dry_run:
        return found
    done = []
    for state in found:
        reason = _("%(years)s years after %(day)s, with nothing open.") % {
            "years": years,
            "day": state.last_end.isoformat() if state.last_end else "",
        }
        try:
            anonymise_person(
                state.person,
                actor=SYSTEM,
                reason=reason,
                rule=ErasureRule.RETENTION,
                today=today,
            )
        except (RuleRefused, Conflict):  # changed since it was found: left for another day
            continue
        done.append(state)
    return done
