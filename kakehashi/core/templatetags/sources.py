"""Show a rule's source to people by the document's title, not its file name. The API and
the data keep the exact citation (file and section)."""

from __future__ import annotations

from functools import cache

from django import template
from django.utils.translation import gettext_lazy as _

from kakehashi.procedures import registry

register = template.Library()

# Documents cited outside the procedure definitions (rules.py, jp_ssw_rules.yaml).
EXTRA_TITLES = {
    "shared/seeds/003_86c0bb99358835bd.txt": _("Japan–Kyrgyz Memorandum of Cooperation"),
    "DOMAIN.md": _("Kakehashi domain brief"),
}


@cache
def _titles() -> tuple[tuple[str, str], ...]:
    titles = {}
    for definition in registry.all_definitions():
        for document in definition.sources.values():
            if document.file:
                titles[document.file] = document.title
    return tuple(sorted(titles.items(), key=lambda item: -len(item[0])))


@register.filter
def source_title(citation: str) -> str:
    """'shared/seeds/002_….txt 4【日本側の手続】' → '<leaflet title> 4【日本側の手続】'."""
    text = str(citation or "")
    for file, title in _titles():
        text = text.replace(file, f"«{title}»")
    for file, lazy_title in sorted(EXTRA_TITLES.items(), key=lambda item: -len(item[0])):
        name = f"«{lazy_title}»"
        text = text.replace(f"shared/{file}", name).replace(file, name)
    return text
