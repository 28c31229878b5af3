"""A case's checklist for its next step as PDF: the documents each step that can be done now
requires or accepts, who provides them and the source; in Japanese, with the worker's
language beside it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation

from kakehashi.access import Actor
from kakehashi.core.pdf import render_pdf

from .models import Case
from .presenters import case_detail
from .selectors import case_evaluation


def _next_actions(case: Case, actor: Actor, evaluation: Any, language: str) -> list[dict[str, Any]]:
    with translation.override(language):
        return case_detail(case, actor, evaluation)["next_actions"]


def checklist_pdf(case: Case, actor: Actor, language: str) -> bytes:
    evaluation = case_evaluation(case)  # once; only the words differ between the languages
    japanese = _next_actions(case, actor, evaluation, "ja")
    worker = _next_actions(case, actor, evaluation, language)
    steps = [
        {
            "ja": ja,
            "worker": wl,
            "documents": [
                {"ja": dj, "worker": dw}
                for dj, dw in zip(ja["documents"], wl["documents"], strict=True)
            ],
        }
        for ja, wl in zip(japanese, worker, strict=True)
    ]
    return render_pdf(
        "cases/pdf/checklist.html",
        {
            "case": case,
            "person": case.person,
            "steps": steps,
            "wl": language,
            "today": timezone.localdate(),
        },
    )
