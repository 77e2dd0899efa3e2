"""No path leaves a partner's folder on the embedded server: not by `..`, not by an
absolute path, not through a symbolic link."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from demo.sftp.jail import Escape, Jail
from jobs.sftp.connection import Session, open_session
from jobs.sftp.errors import SftpError
from tests.fixtures.sftp import SftpTestServer
from tests.jobs.sftp.support import client


@pytest.fixture
def session(embedded_sftp: SftpTestServer) -> Iterator[Session]:
    """A raw paramiko SFTP session as bpjs, to send requests our client would never send."""
    session = open_session(embedded_sftp.partner("bpjs"))
    yield session
    session.close()


@pytest.fixture
def secrets(embedded_sftp: SftpTestServer) -> Path:
    """A file of the other partner and one outside the SFTP root, which bpjs must not reach."""
    (embedded_sftp.partner_dir("bank") / "outbox" / "secret.txt").write_text("bank only")
    outside = embedded_sftp.root.parent / "outside.txt"
    outside.write_text("not served")
    return outside


@pytest.mark.parametrize("path", ["..", "/..", "/../bank/outbox", "outbox/../../bank", "/outbox/../../.."])
def test_climbing_above_the_partner_folder_is_denied(embedded_sftp: SftpTestServer, secrets: Path,
                                                     path: str):
    with client(embedded_sftp.partner("bpjs")) as sftp, pytest.raises(SftpError) as caught:
        sftp.list_dir(path)
    assert caught.value.cause == "permission"


def test_another_partners_file_cannot_be_downloaded(embedded_sftp: SftpTestServer, secrets: Path,
                                                    tmp_path: Path):
    with client(embedded_sftp.partner("bpjs")) as sftp, pytest.raises(SftpError) as caught:
        sftp.download("secret.txt", tmp_path / "staging", remote_dir="/../bank/outbox")
    assert caught.value.cause == "permission"
    assert not (tmp_path / "staging" / "secret.txt").exists()


def test_absolute_paths_are_inside_the_partner_folder(embedded_sftp: SftpTestServer, secrets: Path):
    with client(embedded_sftp.partner("bpjs")) as sftp:
        assert [f.name for f in sftp.list_dir("/outbox")] == []
        with pytest.raises(SftpError) as caught:
            sftp.list_dir(str(embedded_sftp.partner_dir("bank") / "outbox"))
    assert caught.value.cause == "not_found"  # the local path means nothing inside the jail


def test_a_symlink_pointing_out_of_the_folder_is_not_followed(embedded_sftp: SftpTestServer, secrets: Path,
                                                              tmp_path: Path):
    outbox = embedded_sftp.partner_dir("bpjs") / "outbox"
    os.symlink(secrets, outbox / "link.txt")
    os.symlink(embedded_sftp.partner_dir("bank"), outbox / "bankdir")
    with client(embedded_sftp.partner("bpjs")) as sftp:
        assert sftp.list_files("*") == []  # links are not regular files
        for attempt in (lambda: sftp.download("link.txt", tmp_path / "staging"),
                        lambda: sftp.list_dir("/outbox/bankdir")):
            with pytest.raises(SftpError) as caught:
                attempt()
            assert caught.value.cause == "permission"


def test_a_symlink_inside_the_folder_works(embedded_sftp: SftpTestServer, tmp_path: Path):
    outbox = embedded_sftp.partner_dir("bpjs") / "outbox"
    (outbox / "real.txt").write_text("inside")
    os.symlink(outbox / "real.txt", outbox / "alias.txt")
    with client(embedded_sftp.partner("bpjs")) as sftp:
        assert sftp.download("alias.txt", tmp_path / "staging").local_path.read_text() == "inside"


def test_clients_cannot_create_symlinks(session: Session, embedded_sftp: SftpTestServer):
    with pytest.raises(OSError):
        session.sftp.symlink("/etc/passwd", "/inbox/passwd")
    assert not (embedded_sftp.partner_dir("bpjs") / "inbox" / "passwd").exists()


def test_files_cannot_be_renamed_out_of_the_folder(session: Session, embedded_sftp: SftpTestServer,
                                                  secrets: Path):
    (embedded_sftp.partner_dir("bpjs") / "inbox" / "mine.txt").write_text("x")
    with pytest.raises(PermissionError):
        session.sftp.posix_rename("/inbox/mine.txt", "/../bank/inbox/mine.txt")
    with pytest.raises(PermissionError):
        session.sftp.rename("/../bank/outbox/secret.txt", "/inbox/stolen.txt")
    assert not (embedded_sftp.partner_dir("bank") / "inbox" / "mine.txt").exists()


def test_the_partner_folder_itself_cannot_be_removed_or_moved(session: Session,
                                                              embedded_sftp: SftpTestServer):
    with pytest.raises(PermissionError):
        session.sftp.rmdir("/")
    with pytest.raises(PermissionError):
        session.sftp.rename("/", "/inbox/root")
    assert embedded_sftp.partner_dir("bpjs").is_dir()


def test_realpath_never_reveals_a_path_above_the_folder(session: Session):
    assert session.sftp.normalize("/../../etc") == "/"
    assert session.sftp.normalize("/outbox/../inbox") == "/inbox"
    assert session.sftp.normalize("..") == "/"
    assert session.sftp.normalize(".") == "/"


def test_jail_maps_paths_under_its_root(tmp_path: Path):
    jail = Jail(tmp_path)
    assert jail.virtual("outbox/./a/../b.txt") == "/outbox/b.txt"
    assert jail.local("/outbox/b.txt") == str(tmp_path.resolve() / "outbox" / "b.txt")
    assert jail.local("/") == str(tmp_path.resolve())
    with pytest.raises(Escape):
        jail.virtual("/outbox/../../x")


@pytest.fixture
def batch(embedded_sftp: SftpTestServer) -> Path:
    path = embedded_sftp.partner_dir("bpjs") / "inbox" / "batch.txt"
    path.write_text("claims")
    path.chmod(0o600)
    return path


def test_a_partner_cannot_chmod_a_file(session: Session, batch: Path):
    with pytest.raises(PermissionError):
        session.sftp.chmod("/inbox/batch.txt", 0o777)
    assert stat.S_IMODE(batch.stat().st_mode) == 0o600


def test_a_partner_cannot_chown_touch_or_truncate_a_file(session: Session, batch: Path):
    before = batch.stat()
    for attempt in (lambda: session.sftp.chown("/inbox/batch.txt", 0, 0),
                    lambda: session.sftp.utime("/inbox/batch.txt", (0, 0)),
                    lambda: session.sftp.truncate("/inbox/batch.txt", 0)):
        with pytest.raises(PermissionError):
            attempt()
    after = batch.stat()
    assert (after.st_uid, after.st_mtime_ns, after.st_size) == (before.st_uid, before.st_mtime_ns, 6)


def test_a_partner_cannot_chmod_through_an_open_file(session: Session, batch: Path):
    with session.sftp.open("/inbox/batch.txt", "r") as remote, pytest.raises(PermissionError):
        remote.chmod(0o777)
    assert stat.S_IMODE(batch.stat().st_mode) == 0o600


def test_chmod_outside_the_folder_is_denied(session: Session, embedded_sftp: SftpTestServer, secrets: Path):
    secret = embedded_sftp.partner_dir("bank") / "outbox" / "secret.txt"
    mode = stat.S_IMODE(secret.stat().st_mode)
    with pytest.raises(PermissionError):
        session.sftp.chmod("/../bank/outbox/secret.txt", 0o777)
    assert stat.S_IMODE(secret.stat().st_mode) == mode


def test_uploads_still_work_without_attribute_changes(session: Session, embedded_sftp: SftpTestServer):
    with session.sftp.open("/inbox/new.txt", "w") as remote:
        remote.write(b"hello")
    written = embedded_sftp.partner_dir("bpjs") / "inbox" / "new.txt"
    assert written.read_bytes() == b"hello"
    assert stat.S_IMODE(written.stat().st_mode) & 0o022 == 0  # never group- or world-writable
