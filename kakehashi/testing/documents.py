"""For tests and the demo: the documents a step requires, uploaded before it is recorded (a
small valid PDF each), as the user who records the step would."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The smallest file the content sniffing takes for a PDF.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def required_uploads(
    case: Any, step_key: str, evidence: Mapping[str, Any] | None = None
) -> dict[str, tuple[str, bytes]]:
    """The uploads a step needs with this evidence (all its required documents when the
    evidence is not known yet), for `case_complete_step(documents=...)`."""
    from kakehashi.cases.models import Case
    from kakehashi.procedures import registry

    if isinstance(case, int):
        case = Case.objects.get(pk=case)
    definition = registry.definition_version(case.country, case.procedure_version)
    step = next((s for s in definition.steps if s.key == step_key), None)
    if step is None:
        return {}
    return {d.key: (f"{d.key}.pdf", PDF) for d in step.documents if d.required_for(evidence or {})}


def provide_documents(
    case_id: int, step_key: str, user: Any, evidence: Mapping[str, Any] | None = None
) -> None:
    """Upload the step's required documents as `user` before the step is recorded through
    the API; nothing when the user may not (the completion then refuses for its reason)."""
    from kakehashi.access import Actor
    from kakehashi.cases.models import Case
    from kakehashi.cases.services.documents import document_upload
    from kakehashi.core.errors import DomainError

    case = Case.objects.get(pk=case_id)
    for key, (name, content) in required_uploads(case, step_key, evidence).items():
        try:
            document_upload(
                actor=Actor.of(user),
                case_id=case_id,
                step_key=step_key,
                document_key=key,
                name=name,
                content=content,
                reason="test",
            )
        except DomainError:
            return
