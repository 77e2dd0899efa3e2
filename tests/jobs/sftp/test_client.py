"""The client's verbs, against the embedded server and against OpenSSH's sshd."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path

import pytest

from jobs.sftp.client import SftpClient
from jobs.sftp.errors import SftpError
from tests.fixtures.sftp import SftpTestServer


@pytest.fixture(params=["embedded", "openssh"])
def server(request: pytest.FixtureRequest) -> SftpTestServer:
    return request.getfixturevalue(f"{request.param}_sftp")


def drop(server: SftpTestServer, partner: str, path: str, content: bytes) -> Path:
    target = server.partner_dir(partner) / path
    target.write_bytes(content)
    return target


def connect(server: SftpTestServer, partner: str = "bpjs", **changes: object) -> SftpClient:
    settings = server.partner(partner)
    if changes:
        settings = dataclasses.replace(settings, **changes)
    return SftpClient(settings, retries=0, backoff=0)


def test_list_files_matches_the_pattern_skips_part_files_and_sorts_by_name(server: SftpTestServer):
    for name in ("BPJSTK_KLAIM_2.txt", "BPJSTK_KLAIM_1.txt", "BPJSTK_KLAIM_3.txt.part", "other.txt"):
        drop(server, "bpjs", f"outbox/{name}", b"x" * 7)
    (server.partner_dir("bpjs") / "outbox" / "BPJSTK_KLAIM_dir.txt").mkdir()

    with connect(server) as sftp:
        files = sftp.list_files("BPJSTK_KLAIM_*")

    assert [f.name for f in files] == ["BPJSTK_KLAIM_1.txt", "BPJSTK_KLAIM_2.txt"]
    assert files[0].size == 7
    assert files[0].mtime.tzinfo is not None


def test_download_stores_the_whole_file_with_its_sha256_and_leaves_the_remote_file(
        server: SftpTestServer, tmp_path: Path):
    content = os.urandom(3 * 2**20 + 17)  # several blocks, not a multiple of the block size
    drop(server, "bank", "outbox/NTTPAY_1_RESULT_1.txt", content)

    with connect(server, "bank") as sftp:
        got = sftp.download("NTTPAY_1_RESULT_1.txt", tmp_path / "staging")

    assert got.local_path == tmp_path / "staging" / "NTTPAY_1_RESULT_1.txt"
    assert got.local_path.read_bytes() == content
    assert got.sha256 == hashlib.sha256(content).hexdigest()
    assert got.size == len(content)
    assert not (tmp_path / "staging" / "NTTPAY_1_RESULT_1.txt.part").exists()
    assert (server.partner_dir("bank") / "outbox" / "NTTPAY_1_RESULT_1.txt").exists()


def test_download_of_an_empty_file_gives_an_empty_file(server: SftpTestServer, tmp_path: Path):
    drop(server, "bpjs", "outbox/empty.txt", b"")
    with connect(server) as sftp:
        got = sftp.download("empty.txt", tmp_path)
    assert got.local_path.read_bytes() == b""
    assert got.sha256 == hashlib.sha256(b"").hexdigest()


def test_settle_moves_the_file_to_the_archive_by_default(server: SftpTestServer, tmp_path: Path):
    drop(server, "bpjs", "outbox/a.txt", b"data")
    with connect(server) as sftp:
        sftp.download("a.txt", tmp_path)
        sftp.settle("a.txt")
    outbox = server.partner_dir("bpjs") / "outbox"
    assert not (outbox / "a.txt").exists()
    assert (outbox / "archive" / "a.txt").read_bytes() == b"data"


def test_archiving_never_overwrites_an_archived_file_of_the_same_name(server: SftpTestServer):
    drop(server, "bpjs", "outbox/archive/a.txt", b"yesterday")
    drop(server, "bpjs", "outbox/a.txt", b"today")
    with connect(server) as sftp:
        sftp.archive("a.txt")
    archive = server.partner_dir("bpjs") / "outbox" / "archive"
    assert (archive / "a.txt").read_bytes() == b"yesterday"
    (renamed,) = [p for p in archive.iterdir() if p.name != "a.txt"]
    assert renamed.name.startswith("a_") and renamed.name.endswith(".txt")
    assert renamed.read_bytes() == b"today"


def test_settle_deletes_or_keeps_as_configured(server: SftpTestServer):
    drop(server, "bpjs", "outbox/a.txt", b"1")
    drop(server, "bpjs", "outbox/b.txt", b"2")
    with connect(server, after_download="delete") as sftp:
        sftp.settle("a.txt")
    with connect(server, after_download="keep") as sftp:
        sftp.settle("b.txt")
    outbox = server.partner_dir("bpjs") / "outbox"
    assert sorted(p.name for p in outbox.iterdir()) == ["archive", "b.txt"]


def test_upload_arrives_under_its_final_name_with_no_part_file_left(server: SftpTestServer, tmp_path: Path):
    local = tmp_path / "PEMPROV_NTT_PAYOUT_1.txt"
    content = os.urandom(2 * 2**20 + 5)
    local.write_bytes(content)

    with connect(server, "bank") as sftp:
        sent = sftp.upload(local)

    inbox = server.partner_dir("bank") / "inbox"
    assert [p.name for p in inbox.iterdir()] == ["PEMPROV_NTT_PAYOUT_1.txt"]
    assert (inbox / "PEMPROV_NTT_PAYOUT_1.txt").read_bytes() == content
    assert sent.remote_path == "/inbox/PEMPROV_NTT_PAYOUT_1.txt"
    assert sent.sha256 == hashlib.sha256(content).hexdigest()
    assert sent.size == len(content)
    assert not sent.already_present


def test_upload_under_another_name(server: SftpTestServer, tmp_path: Path):
    local = tmp_path / "local.txt"
    local.write_bytes(b"status")
    with connect(server) as sftp:
        sftp.upload(local, "PAYOUT_STATUS_1.txt")
    assert (server.partner_dir("bpjs") / "inbox" / "PAYOUT_STATUS_1.txt").read_bytes() == b"status"


def test_uploading_the_same_file_again_is_recognised_as_already_delivered(
        server: SftpTestServer, tmp_path: Path):
    local = tmp_path / "f.txt"
    local.write_bytes(b"same content")
    with connect(server) as sftp:
        sftp.upload(local)
        again = sftp.upload(local)
    assert again.already_present
    assert again.sha256 == hashlib.sha256(b"same content").hexdigest()


def test_uploading_over_a_different_file_of_that_name_is_refused(server: SftpTestServer, tmp_path: Path):
    drop(server, "bpjs", "inbox/f.txt", b"other content")
    local = tmp_path / "f.txt"
    local.write_bytes(b"our content!!")  # same size, different bytes
    with connect(server) as sftp, pytest.raises(SftpError) as caught:
        sftp.upload(local)
    assert caught.value.cause == "exists"
    assert caught.value.permanent
    assert (server.partner_dir("bpjs") / "inbox" / "f.txt").read_bytes() == b"other content"


def test_delete_removes_the_file(server: SftpTestServer):
    drop(server, "bank", "outbox/x.txt", b"x")
    with connect(server, "bank") as sftp:
        sftp.delete("x.txt")
    assert not (server.partner_dir("bank") / "outbox" / "x.txt").exists()


def test_a_missing_remote_file_is_a_permanent_not_found_error(server: SftpTestServer, tmp_path: Path):
    with connect(server) as sftp, pytest.raises(SftpError) as caught:
        sftp.download("nothing.txt", tmp_path / "staging")
    error = caught.value
    assert (error.cause, error.permanent, error.operation, error.filename) == (
        "not_found", True, "download", "nothing.txt")
    assert error.partner == "bpjs"
    assert "BPJS Ketenagakerjaan" in error.message
    assert not (tmp_path / "staging").exists() or not list((tmp_path / "staging").iterdir())


def test_generic_verbs_work_on_any_folder(server: SftpTestServer, tmp_path: Path):
    """What the demo partner simulator uses: its own folders, explicit paths."""
    local = tmp_path / "RESULT.txt"
    local.write_bytes(b"r")
    with connect(server, "bank") as sftp:
        sftp.upload(local, remote_dir="/outbox")
        assert [f.name for f in sftp.list_dir("/outbox", "*.txt")] == ["RESULT.txt"]
        got = sftp.download("RESULT.txt", tmp_path / "in", remote_dir="/outbox")
        sftp.archive("RESULT.txt", remote_dir="/outbox", archive_dir="/outbox/archive")
    assert got.local_path.read_bytes() == b"r"
    assert (server.partner_dir("bank") / "outbox" / "archive" / "RESULT.txt").exists()


@pytest.mark.parametrize("name", ["../x", "a/b", "", ".."])
def test_names_that_are_not_plain_file_names_are_refused(embedded_sftp: SftpTestServer, tmp_path: Path,
                                                         name: str):
    with connect(embedded_sftp) as sftp, pytest.raises(ValueError):
        sftp.download(name, tmp_path)
