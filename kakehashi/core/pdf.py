"""PDF documents from Django templates, with WeasyPrint. The text is set in Noto Sans CJK
(Japanese, and Latin and Cyrillic with it) with DejaVu Sans as the fallback; both come from
Debian's packages (fonts-noto-cjk, fonts-dejavu-core), found through fontconfig.
docs/adr/0021-pdf-documents.md says why."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

# Languages the bilingual documents can add to the Japanese.
WORKER_LANGUAGES = ("ru", "ky", "en")


def worker_language(requested: str | None, preferred: str | None = None) -> str:
    """The language of the worker's parts: the one asked for, or the worker's own choice, or
    Russian (read by nearly every Kyrgyz worker)."""
    for language in (requested, preferred):
        if language and language[:2] in WORKER_LANGUAGES:
            return language[:2]
    return "ru"


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """A template (extending pdf/base.html) rendered to PDF bytes."""
    from weasyprint import HTML  # imported when used: it loads Pango at import time

    html = render_to_string(template, context)
    return bytes(HTML(string=html).write_pdf())


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    """Sent as a download, never cached by a shared cache."""
    response = HttpResponse(data, content_type="application/pdf")
    name = slugify(filename) or "document"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
