"""A partner's changed host key: seen as changed, accepted only as the very key the admin compared."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobs.sftp.hostkeys import HostKeyMoved, accept_presented_key, host_key_state
from jobs.sftp.keys import generate_ed25519, pin_host_key
from tests.fixtures.sftp import SftpTestServer
from tests.jobs.sftp.support import client, server_host_key, with_sftp


def impostor_pinned(server: SftpTestServer, tmp_path: Path):
    """The bank partner with a known_hosts that pins another key for the server's address."""
    partner = server.partner("bank")
    known_hosts = tmp_path / "known_hosts"
    pin_host_key(known_hosts, partner.sftp.host, partner.sftp.port,
                 generate_ed25519(tmp_path / "impostor", comment="x"))
    return with_sftp(partner, known_hosts=known_hosts)


def test_a_pinned_key_the_server_shows_is_reported_as_matching(embedded_sftp: SftpTestServer):
    state = host_key_state(embedded_sftp.partner("bank"))
    assert state.presented == state.pinned == server_host_key(embedded_sftp).fingerprint
    assert not state.changed and state.unreachable is None


def test_a_different_pinned_key_is_reported_as_changed_with_both_fingerprints(embedded_sftp, tmp_path):
    partner = impostor_pinned(embedded_sftp, tmp_path)
    state = host_key_state(partner)
    assert state.changed
    assert state.presented == server_host_key(embedded_sftp).fingerprint
    assert state.pinned != state.presented and state.pinned.startswith("SHA256:")


def test_accepting_the_compared_fingerprint_pins_it_and_the_job_connects_again(embedded_sftp, tmp_path):
    partner = impostor_pinned(embedded_sftp, tmp_path)
    seen = host_key_state(partner).presented
    accept_presented_key(partner, seen)
    assert not host_key_state(partner).changed
    with client(partner) as sftp:
        assert sftp.list_files("*") is not None


def test_a_fingerprint_the_server_no_longer_shows_is_refused_and_nothing_is_pinned(embedded_sftp, tmp_path):
    partner = impostor_pinned(embedded_sftp, tmp_path)
    before = partner.sftp.known_hosts.read_bytes()
    with pytest.raises(HostKeyMoved):
        accept_presented_key(partner, "SHA256:" + "A" * 43)
    assert partner.sftp.known_hosts.read_bytes() == before


def test_an_unreachable_server_is_reported_not_raised(embedded_sftp, tmp_path):
    partner = with_sftp(embedded_sftp.partner("bank"), port=1, timeout_seconds=2)
    state = host_key_state(partner)
    assert state.unreachable and state.presented is None and not state.changed
