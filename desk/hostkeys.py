"""Partners' SFTP host keys as an admin sees and accepts them (finding 11 of the hardening issue).

A host key that changed is refused by every job and never re-pinned at start; only an admin
may accept the new key here, after comparing its fingerprint with the partner out of band.
Accepting names the fingerprint the admin saw; it is pinned only if the server still shows
that very key (jobs.sftp.hostkeys), and the old and new fingerprints go to the audit log.
"""

from __future__ import annotations

from core.audit import audit
from core.settings import Settings
from desk.acting import acting_user
from desk.permissions import Action
from desk.refusal import Refused
from jobs.sftp.hostkeys import HostKeyMoved, HostKeyState, accept_presented_key, host_key_state

__all__ = ["HostKeyState", "accept_host_key", "host_key_states"]  # the page reads states through the desk


def host_key_states(settings: Settings, by: str) -> list[HostKeyState]:
    """Each partner's pinned and presented host key. Asks each server (a key exchange, no login)."""
    acting_user(by, Action.ACCEPT_HOST_KEY)
    return [host_key_state(partner) for partner in settings.partners.values()]


def accept_host_key(settings: Settings, partner_name: str, fingerprint: str, by: str) -> HostKeyState:
    """Pin the key `partner_name`'s server presents, if its fingerprint is `fingerprint`. Raises Refused."""
    acting_user(by, Action.ACCEPT_HOST_KEY)
    partner = settings.partners.get(partner_name)
    if partner is None:
        raise Refused("hostkeys.error.unknown_partner", partner=partner_name)
    before = host_key_state(partner)
    if before.unreachable:
        raise Refused("hostkeys.error.unreachable", partner=partner_name, reason=before.unreachable)
    try:
        accept_presented_key(partner, fingerprint)
    except HostKeyMoved as exc:
        raise Refused("hostkeys.error.moved", partner=partner_name, expected=exc.expected,
                      presented=exc.presented or "-") from exc
    audit("HOST_KEY_ACCEPTED", username=by, target=f"partner:{partner_name}",
          details={"known_hosts_name": before.name, "old": before.pinned, "new": fingerprint})
    return host_key_state(partner)
