"""Show a rule's source by the document's title and section, linked to the project's list of
sources (/sources/). Takes the citation reference ("moc_kg §7(4)"), never a file name."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kakehashi.reference import sources

register = template.Library()


@register.filter
def cite(ref: str | None) -> str:
    """The citation as plain text in the page's language."""
    return sources.cite(ref or "", get_language() or "en") if ref else ""


@register.simple_tag
def source(ref: str | None, label: str = "") -> SafeString:
    """<span class="source">Source: <a href="/sources/#moc_kg">title</a> §7(4)</span>."""
    if not ref:
        return SafeString("")
    language = get_language() or "en"
    base = reverse("sources")
    parts = []
    for document, citation in sources.cite_list(ref):
        title = document.short_title.get(language) if document else citation.document
        parts.append((base, citation.document, title, citation.section))
    links = format_html_join(
        "; ", '<a href="{}#{}">{}</a> {}', ((b, k, t, s) for b, k, t, s in parts)
    )
    return format_html('<span class="source">{}: {}</span>', label or _("Source"), links)
