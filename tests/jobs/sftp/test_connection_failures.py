"""Host keys, logins and unreachable servers: each fails before any file is touched."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from jobs.sftp.errors import SftpError
from jobs.sftp.keys import generate_ed25519, pin_host_key
from tests.fixtures.sftp import SftpTestServer, start_embedded
from tests.jobs.sftp.netfaults import MuteServer
from tests.jobs.sftp.support import authorize, client, server_host_key, with_sftp, write_key


@pytest.fixture(params=["embedded", "openssh"])
def server(request: pytest.FixtureRequest) -> SftpTestServer:
    return request.getfixturevalue(f"{request.param}_sftp")


def connect_error(partner, retries: int = 0, sleeps: list[float] | None = None) -> SftpError:
    with pytest.raises(SftpError) as caught, client(partner, retries, sleeps) as sftp:
        sftp.list_files("*")
    return caught.value


def test_a_changed_host_key_fails_at_once_and_names_both_fingerprints(server: SftpTestServer,
                                                                      tmp_path: Path):
    partner = server.partner("bank")
    impostor = generate_ed25519(tmp_path / "other_host_key", comment="x")
    known_hosts = tmp_path / "known_hosts_changed"
    pin_host_key(known_hosts, partner.sftp.host, partner.sftp.port, impostor)
    (server.partner_dir("bank") / "outbox" / "NTTPAY_1_RESULT_1.txt").write_text("x")
    sleeps: list[float] = []

    error = connect_error(with_sftp(partner, known_hosts=known_hosts), retries=3, sleeps=sleeps)

    assert (error.cause, error.permanent, error.operation) == ("host_key_changed", True, "connect")
    assert server_host_key(server).fingerprint in error.message
    assert impostor.fingerprint in error.message
    assert "Kunci host server Bank NTT" in error.message
    assert sleeps == []  # a permanent failure is not retried
    assert (server.partner_dir("bank") / "outbox" / "NTTPAY_1_RESULT_1.txt").exists()


@pytest.mark.parametrize("known_hosts_text", [None, "", "other_port"])
def test_an_unknown_host_fails_and_shows_the_offered_fingerprint(server: SftpTestServer, tmp_path: Path,
                                                                 known_hosts_text: str | None):
    partner = server.partner("bpjs")
    known_hosts = tmp_path / "known_hosts_unknown"
    if known_hosts_text == "other_port":  # the key is known, but for another port
        pin_host_key(known_hosts, partner.sftp.host, partner.sftp.port + 1, server_host_key(server))
    elif known_hosts_text is not None:
        known_hosts.write_text(known_hosts_text)

    error = connect_error(with_sftp(partner, known_hosts=known_hosts))

    assert (error.cause, error.permanent) == ("host_key_unknown", True)
    assert server_host_key(server).fingerprint in error.message
    assert str(known_hosts) in error.message


def test_a_key_the_server_does_not_accept_is_an_authentication_failure(server: SftpTestServer,
                                                                       tmp_path: Path):
    stranger = tmp_path / "stranger_ed25519"
    generate_ed25519(stranger, comment="stranger")
    sleeps: list[float] = []

    error = connect_error(with_sftp(server.partner("bpjs"), private_key=stranger), retries=3, sleeps=sleeps)

    assert (error.cause, error.permanent) == ("auth_failed", True)
    assert sleeps == []


@pytest.mark.parametrize("kind", ["rsa", "ecdsa"])
def test_rsa_and_ecdsa_client_keys_log_in(server: SftpTestServer, tmp_path: Path, kind: str):
    key = tmp_path / f"client_{kind}"
    authorize(server, "bpjs", write_key(key, kind))
    with client(with_sftp(server.partner("bpjs"), private_key=key)) as sftp:
        assert sftp.list_files("*") == []


def test_a_missing_private_key_file_says_so(embedded_sftp: SftpTestServer, tmp_path: Path):
    error = connect_error(with_sftp(embedded_sftp.partner("bpjs"), private_key=tmp_path / "nope"))
    assert (error.cause, error.permanent) == ("client_key", True)
    assert str(tmp_path / "nope") in error.message


def test_password_login_is_used_when_configured(settings, tmp_path: Path):
    server = start_embedded(settings, passwords={"bpjs": "rahasia"})
    try:
        partner = with_sftp(server.partner("bpjs"), private_key=None, password="rahasia")
        with client(partner) as sftp:
            assert sftp.list_files("*") == []
        error = connect_error(with_sftp(partner, password="salah"))
        assert error.cause == "auth_failed"
    finally:
        server.stop()


def test_a_refused_connection_is_transient_and_retried_with_doubling_back_off(embedded_sftp: SftpTestServer):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    sleeps: list[float] = []

    error = connect_error(with_sftp(embedded_sftp.partner("bpjs"), port=closed_port), retries=2,
                          sleeps=sleeps)

    assert (error.cause, error.permanent) == ("refused", False)
    assert sleeps == [0.5, 1.0]
    assert f"127.0.0.1:{closed_port}" in error.message


def test_a_server_that_never_answers_times_out(embedded_sftp: SftpTestServer):
    mute = MuteServer()
    try:
        partner = with_sftp(embedded_sftp.partner("bpjs"), port=mute.port, timeout_seconds=1)
        started = time.monotonic()
        error = connect_error(partner)
        elapsed = time.monotonic() - started
    finally:
        mute.close()
    assert (error.cause, error.permanent) == ("timeout", False)
    assert elapsed < 4


def test_a_stopped_server_refuses(embedded_sftp: SftpTestServer):
    embedded_sftp.stop()
    assert connect_error(embedded_sftp.partner("bpjs")).cause == "refused"
