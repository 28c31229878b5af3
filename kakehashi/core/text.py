"""Text that a person could have typed (plain Python, no Django).

Refused anywhere in input: NUL and the other C0 control characters except tab, line feed
and carriage return; DEL and the C1 controls; lone UTF-16 surrogates (they cannot be
stored as UTF-8, and PostgreSQL refuses NUL); and the noncharacters U+FFFE and U+FFFF."""

from __future__ import annotations

import re

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def forbidden_character(text: str) -> str | None:
    """The first character a person could not have meant to type, as U+XXXX, or None."""
    match = _FORBIDDEN.search(text)
    return f"U+{ord(match.group()):04X}" if match else None
