"""Which certification decision may follow which state (pure; no Django).

Source: moc_kg §7(1) the ministry examines agencies and certifies those meeting its
criteria; §7(4) it revokes a certification whose criteria are no longer met; suspension and
resumption are the ministry's supervisory measures under §7(3)."""

from __future__ import annotations

# action -> the states (certification_state_on) it may be recorded in
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "applied": frozenset({"none", "refused", "revoked", "expired"}),
    "certified": frozenset({"none", "applied", "refused", "revoked", "expired"}),
    "refused": frozenset({"applied"}),
    "suspended": frozenset({"certified"}),
    "resumed": frozenset({"suspended"}),
    "revoked": frozenset({"certified", "suspended"}),
    # A lapsed validity already reads as "expired"; recording it is still allowed once.
    "expired": frozenset({"certified", "expired"}),
}

# Decisions that need a reason given (and published with a revocation).
NEEDS_REASON = frozenset({"refused", "suspended", "revoked"})

# Decisions after which open cases with the agency are flagged, and the flag code.
FLAGS_CASES = {
    "suspended": "agency_suspended",
    "revoked": "agency_revoked",
    "expired": "agency_expired",
}
# Decisions after which those flags are cleared.
CLEARS_FLAGS = frozenset({"certified", "resumed"})

# Who records: the agency applies; the ministry (the sending-country contact point) decides.
AGENCY_ACTIONS = frozenset({"applied"})
MINISTRY_ACTIONS = frozenset(ALLOWED_FROM) - AGENCY_ACTIONS
