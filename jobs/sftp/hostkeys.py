"""A partner's SFTP host key: the one pinned in known_hosts against the one the server shows now.

A changed host key is never accepted by a job (jobs/sftp/connection.py refuses it), nor
re-pinned at start (jobs/sftp/keys.py). An admin compares the new key's fingerprint with
the partner (by telephone, not by the same channel) and accepts it; `accept_presented_key`
pins it only if the server still presents the very key whose fingerprint the admin saw,
so a key swapped between looking and accepting is refused. Fingerprints are OpenSSH's
`SHA256:...` form (paramiko's `PKey.fingerprint`), as `ssh-keygen -lf` prints them.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

import paramiko

from core.settings import PartnerSettings
from jobs.sftp.keys import known_hosts_name, pin_host_key


@dataclass(frozen=True)
class HostKeyState:
    partner: str
    name: str  # known_hosts name: host, or [host]:port
    known_hosts: str
    pinned: str | None  # SHA256 fingerprint of the pinned key, None: nothing pinned
    presented: str | None  # of the key the server shows now, None: not reachable
    key_type: str | None = None
    unreachable: str | None = None  # why the server could not be asked

    @property
    def changed(self) -> bool:
        return self.presented is not None and self.presented != self.pinned


class HostKeyMoved(Exception):
    """The server no longer presents the key whose fingerprint the admin accepted."""

    def __init__(self, expected: str, presented: str | None):
        super().__init__(f"expected {expected}, server presents {presented}")
        self.expected, self.presented = expected, presented


def presented_key(partner: PartnerSettings) -> paramiko.PKey:
    """The host key the partner's server shows, read by a key exchange without logging in."""
    s = partner.sftp
    sock = socket.create_connection((s.host, s.port), timeout=s.timeout_seconds)
    transport = paramiko.Transport(sock)
    try:
        transport.start_client(timeout=s.timeout_seconds)
        return transport.get_remote_server_key()
    finally:
        transport.close()
        sock.close()


def pinned_key(partner: PartnerSettings, key_type: str | None = None) -> paramiko.PKey | None:
    s = partner.sftp
    if not s.known_hosts.exists():
        return None
    entries = paramiko.HostKeys(str(s.known_hosts)).lookup(known_hosts_name(s.host, s.port))
    if not entries:
        return None
    if key_type and key_type in entries:
        return entries[key_type]
    return next(iter(entries.values()))


def host_key_state(partner: PartnerSettings) -> HostKeyState:
    s = partner.sftp
    try:
        shown = presented_key(partner)
    except (OSError, paramiko.SSHException, EOFError) as exc:
        shown, why = None, str(exc) or type(exc).__name__
    else:
        why = None
    pinned = pinned_key(partner, shown.get_name() if shown else None)
    return HostKeyState(partner=partner.name, name=known_hosts_name(s.host, s.port),
                        known_hosts=str(s.known_hosts),
                        pinned=pinned.fingerprint if pinned else None,
                        presented=shown.fingerprint if shown else None,
                        key_type=shown.get_name() if shown else None, unreachable=why)


def accept_presented_key(partner: PartnerSettings, expected_fingerprint: str) -> paramiko.PKey:
    """Pin the key the server presents, if it is the one the admin saw. Raises HostKeyMoved."""
    shown = presented_key(partner)
    if shown.fingerprint != expected_fingerprint:
        raise HostKeyMoved(expected_fingerprint, shown.fingerprint)
    s = partner.sftp
    pin_host_key(s.known_hosts, s.host, s.port, shown, replace=True)
    return shown
