"""Identifiers recorded as step evidence (the residence-card number at landing and at a
change of status): kept encrypted in the step's evidence (core/crypto.py, "sealed"), masked
in the case's history and wherever the evidence is shown."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kakehashi.core import crypto
from kakehashi.core.models import ERASED
from kakehashi.procedures.schema import Step

# The evidence formats that are personal identifiers (procedures/evidence.py FORMATS).
IDENTIFIER_FORMATS = frozenset({"residence_card_number"})


def _keys(step: Step) -> frozenset[str]:
    return frozenset(f.key for f in step.evidence if f.format in IDENTIFIER_FORMATS)


def sealed(step: Step, evidence: Mapping[str, Any]) -> dict[str, Any]:
    """The evidence as stored: identifiers encrypted."""
    keys = _keys(step)
    return {
        k: crypto.seal(v) if k in keys and isinstance(v, str) else v for k, v in evidence.items()
    }


def masked(step: Step, evidence: Mapping[str, Any]) -> dict[str, Any]:
    """The evidence as the history keeps it and pages show it: identifiers masked."""
    keys = _keys(step)
    return {k: shown(v) if k in keys else v for k, v in evidence.items()}


def shown(value: Any) -> Any:
    """A stored evidence value for reading: a sealed identifier masked."""
    if crypto.is_sealed(value):
        return crypto.mask(crypto.unseal(value))
    if isinstance(value, str) and value and value != ERASED:
        return crypto.mask(value)
    return value
