"""What an agency's certification decision does to the open cases it is on (moc_kg §7(3),
§7(4)): suspension, revocation and expiry flag them; certification and resumption clear
the flags. Registered with the registries at start-up (cases/apps.py) and run inside the
decision's transaction. A flag says what the decision means for the case and what to do;
the ministry's reason is not written into the case (moc_kg §3)."""

from __future__ import annotations

from django.utils import timezone

from kakehashi.registries.certification import CLEARS_FLAGS, FLAGS_CASES
from kakehashi.registries.effects import AgencyDecisionRecorded

from ..models import Case, CaseFlag, CaseStatus, EventKind
from .common import record_event


def _source(action: str) -> str:
    return "moc_kg §7(4)" if action == "revoked" else "moc_kg §7(3)"


def cases_flag_for_agency_decision(event: AgencyDecisionRecorded) -> None:
    decision = event.decision
    if decision.action in FLAGS_CASES:
        code = FLAGS_CASES[decision.action]
        params = {
            "agency": event.agency.name_en,
            "date": decision.effective_on.isoformat(),
            "decision": decision.pk,
        }
        source = _source(decision.action)
        cases = Case.objects.filter(sending_agency=event.agency, status=CaseStatus.OPEN)
        for case in cases.select_for_update(of=("self",)):
            CaseFlag.objects.create(case=case, code=code, params=params, source=source)
            record_event(
                case,
                EventKind.FLAG_RAISED,
                event.actor,
                event.organization,
                {},
                {"flag": code, "decision": decision.pk, "source": source},
            )
    elif decision.action in CLEARS_FLAGS:
        flags = CaseFlag.objects.filter(
            case__sending_agency=event.agency,
            code__in=FLAGS_CASES.values(),
            cleared_at__isnull=True,
        ).select_related("case")
        now = timezone.now()
        for flag in flags:
            flag.cleared_at = now
            flag.save(update_fields=["cleared_at"])
            record_event(
                flag.case,
                EventKind.FLAG_CLEARED,
                event.actor,
                event.organization,
                {"flag": flag.code},
                {"flag": flag.code, "cleared": True},
            )
