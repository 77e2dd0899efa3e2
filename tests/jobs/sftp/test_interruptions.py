"""Stalls and dropped connections: the client gives up in time, retries, and never leaves a
partial file under a final name, locally or on the server."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import paramiko
import pytest

from demo.sftp.jail import JailedSftp
from jobs.sftp.client import SftpClient
from jobs.sftp.errors import SftpError
from tests.fixtures.sftp import SftpTestServer, start_embedded
from tests.jobs.sftp.netfaults import FaultyLink
from tests.jobs.sftp.support import client, with_sftp

SIZE = 4 * 2**20
CUT_AFTER = 2**20


@pytest.fixture(params=["embedded", "openssh"])
def server(request: pytest.FixtureRequest) -> SftpTestServer:
    return request.getfixturevalue(f"{request.param}_sftp")


@pytest.fixture
def link_factory(tmp_path: Path) -> Iterator:
    links: list[FaultyLink] = []

    def make(server: SftpTestServer, partner: str, **options):
        link = FaultyLink(server.port, **options)
        links.append(link)
        return link, link.partner_via(server.partner(partner), tmp_path)

    yield make
    for link in links:
        link.close()


def test_a_connection_dropped_mid_download_leaves_no_local_file(server: SftpTestServer, link_factory,
                                                                tmp_path: Path):
    (server.partner_dir("bpjs") / "outbox" / "big.txt").write_bytes(os.urandom(SIZE))
    link, partner = link_factory(server, "bpjs", after_bytes=CUT_AFTER, direction="download")
    staging = tmp_path / "staging"

    with pytest.raises(SftpError) as caught, client(partner) as sftp:
        sftp.download("big.txt", staging)

    assert link.faults_done == 1
    assert (caught.value.cause, caught.value.permanent, caught.value.operation) == (
        "disconnected", False, "download")
    assert list(staging.iterdir()) == []  # neither big.txt nor a leftover big.txt.part
    assert (server.partner_dir("bpjs") / "outbox" / "big.txt").exists()


def test_a_download_dropped_once_is_retried_and_completes(server: SftpTestServer, link_factory,
                                                           tmp_path: Path):
    content = os.urandom(SIZE)
    (server.partner_dir("bpjs") / "outbox" / "big.txt").write_bytes(content)
    link, partner = link_factory(server, "bpjs", after_bytes=CUT_AFTER, direction="download")
    sleeps: list[float] = []

    with client(partner, retries=1, sleeps=sleeps) as sftp:
        got = sftp.download("big.txt", tmp_path / "staging")

    assert link.faults_done == 1
    assert sleeps == [0.5]
    assert got.local_path.read_bytes() == content
    assert sorted(p.name for p in (tmp_path / "staging").iterdir()) == ["big.txt"]


def test_a_connection_dropped_mid_upload_leaves_no_file_under_the_final_name(
        server: SftpTestServer, link_factory, tmp_path: Path):
    local = tmp_path / "PAYOUT.txt"
    local.write_bytes(os.urandom(SIZE))
    link, partner = link_factory(server, "bank", after_bytes=CUT_AFTER, direction="upload")

    with pytest.raises(SftpError) as caught, client(partner) as sftp:
        sftp.upload(local)

    assert link.faults_done == 1
    assert (caught.value.cause, caught.value.operation) == ("disconnected", "upload")
    inbox = server.partner_dir("bank") / "inbox"
    assert not (inbox / "PAYOUT.txt").exists()
    with client(server.partner("bank")) as sftp:  # what the bank would pick up: nothing
        assert sftp.list_dir("/inbox") == []


def test_an_upload_dropped_once_is_retried_and_completes(server: SftpTestServer, link_factory,
                                                         tmp_path: Path):
    local = tmp_path / "PAYOUT.txt"
    content = os.urandom(SIZE)
    local.write_bytes(content)
    link, partner = link_factory(server, "bank", after_bytes=CUT_AFTER, direction="upload")

    with client(partner, retries=1) as sftp:
        sent = sftp.upload(local)

    assert link.faults_done == 1
    assert not sent.already_present
    inbox = server.partner_dir("bank") / "inbox"
    assert sorted(p.name for p in inbox.iterdir()) == ["PAYOUT.txt"]
    assert (inbox / "PAYOUT.txt").read_bytes() == content


def test_a_stall_mid_download_times_out(server: SftpTestServer, link_factory, tmp_path: Path):
    (server.partner_dir("bpjs") / "outbox" / "big.txt").write_bytes(os.urandom(SIZE))
    link, partner = link_factory(server, "bpjs", after_bytes=CUT_AFTER, direction="download", stall=True)
    partner = with_sftp(partner, timeout_seconds=1)
    staging = tmp_path / "staging"

    started = time.monotonic()
    with pytest.raises(SftpError) as caught, client(partner) as sftp:
        sftp.download("big.txt", staging)

    assert time.monotonic() - started < 5
    assert link.faults_done == 1
    assert (caught.value.cause, caught.value.permanent) == ("timeout", False)
    assert list(staging.iterdir()) == []


class _StallingSftp(JailedSftp):
    release = threading.Event()

    def list_folder(self, path: str):
        self.release.wait(30)
        return super().list_folder(path)


def test_a_server_that_stalls_after_login_times_out(settings):
    server = start_embedded(settings, sftp_interface=_StallingSftp)
    try:
        partner = with_sftp(server.partner("bpjs"), timeout_seconds=1)
        started = time.monotonic()
        with pytest.raises(SftpError) as caught, client(partner) as sftp:
            sftp.list_files("*")
        assert time.monotonic() - started < 4
        assert (caught.value.cause, caught.value.operation) == ("timeout", "list")
    finally:
        _StallingSftp.release.set()
        server.stop()


@pytest.fixture
def lost_reply(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server renames or deletes, then the connection drops before its answer arrives."""
    for method in ("posix_rename", "remove"):
        original = getattr(paramiko.SFTPClient, method)
        calls = {"n": 0}

        def once_then_drop(self, *args, _original=original, _calls=calls):
            _calls["n"] += 1
            result = _original(self, *args)
            if _calls["n"] == 1:
                raise EOFError("connection dropped")
            return result

        monkeypatch.setattr(paramiko.SFTPClient, method, once_then_drop)


def test_an_upload_whose_rename_answer_was_lost_is_found_delivered(embedded_sftp: SftpTestServer,
                                                                   tmp_path: Path, lost_reply):
    local = tmp_path / "f.txt"
    local.write_bytes(b"payload")
    with SftpClient(embedded_sftp.partner("bank"), retries=1, backoff=0) as sftp:
        sent = sftp.upload(local)
    assert sent.already_present
    assert (embedded_sftp.partner_dir("bank") / "inbox" / "f.txt").read_bytes() == b"payload"


def test_a_move_or_delete_whose_answer_was_lost_is_not_an_error_on_retry(embedded_sftp: SftpTestServer,
                                                                        lost_reply):
    outbox = embedded_sftp.partner_dir("bpjs") / "outbox"
    (outbox / "a.txt").write_text("a")
    (outbox / "b.txt").write_text("b")
    with SftpClient(embedded_sftp.partner("bpjs"), retries=1, backoff=0) as sftp:
        sftp.archive("a.txt")
        sftp.delete("b.txt")
    assert sorted(p.name for p in outbox.iterdir()) == ["archive"]
    assert [p.name for p in (outbox / "archive").iterdir()] == ["a.txt"]

