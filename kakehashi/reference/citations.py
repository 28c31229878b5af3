"""Citations as people read them: the document's short title and the section, in the
language of the request (reference/sources.py keeps the list)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

from . import sources


def cite(ref: str | None) -> str:
    """'moc_kg §7(4)' -> 'Japan–Kyrgyz Memorandum of Cooperation … §7(4)' (or in Japanese)."""
    return sources.cite(ref, get_language() or "en") if ref else ""


def sourced(ref: str | None) -> dict[str, Any]:
    """Keyword arguments for a core.errors.Problem: the readable source and its reference."""
    return {"source": cite(ref), "source_ref": ref} if ref else {}
