"""The procedure's roles in words, for messages and pages (translated)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext, gettext_lazy

ROLE_NAMES: dict[str, Any] = {
    "receiving_organization": gettext_lazy("the receiving organization"),
    "sending_agency": gettext_lazy("the sending agency"),
    "sending_contact_point": gettext_lazy("the sending country's contact point (the Center)"),
    "municipality": gettext_lazy("the municipality"),
    "jp_contact_point": gettext_lazy("the Japanese contact point"),
    "support_organization": gettext_lazy("the registered support organization"),
    "person": gettext_lazy("the worker"),
}

# The prohibited-terms checklist (procedures/rules.py PROHIBITED_TERMS) in words.
PROHIBITED_TERM_NAMES: dict[str, Any] = {
    "term_deposit": gettext_lazy("a deposit or guarantee money"),
    "term_manages_property": gettext_lazy(
        "management of the worker's or relatives' money, property or passport"
    ),
    "term_penalty": gettext_lazy("a penalty for breach of contract"),
    "term_undue_transfer": gettext_lazy("another undue transfer of money or property"),
}
CONTRACT_NAMES: dict[str, Any] = {
    "employment_contract": gettext_lazy("employment contract"),
    "center_recruitment_contract": gettext_lazy("recruitment contract with the Center"),
    "agency_recruitment_contract": gettext_lazy("recruitment contract with the sending agency"),
}


def role_name(role: str) -> str:
    """A procedure role in words; an organization kind's label for any other kind."""
    if role in ROLE_NAMES:
        return str(ROLE_NAMES[role])
    from kakehashi.accounts.models import OrganizationKind

    if role in OrganizationKind.values:
        return str(OrganizationKind(role).label)
    return role


def roles_text(roles: Iterable[str]) -> str:
    """Who may act, in words: "the receiving organization or the sending agency"."""
    # Translators: between two role names, e.g. "the receiving organization or the sending agency".
    return gettext(" or ").join(role_name(r) for r in roles)


# Whose procedure the source document says a step is (Step.side): Japan's (【日本側の手続】)
# or the partner country's (【キルギス側の手続】). Steps it marks as neither (contracts between
# the parties, for example) show no side.
SIDE_NAMES: dict[str, Any] = {
    "JP": gettext_lazy("Japan-side procedure"),
    "KG": gettext_lazy("Kyrgyz-side procedure"),
}


def side_name(side: str | None) -> str:
    if side is None:
        return ""
    return str(SIDE_NAMES.get(side, gettext("Procedure of %(country)s") % {"country": side}))
