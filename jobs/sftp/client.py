"""The SFTP client every job uses to exchange files with a partner.

    with SftpClient(settings.partner("bpjs")) as sftp:
        for remote in sftp.list_files("BPJSTK_KLAIM_*.txt"):
            got = sftp.download(remote.name, staging_dir)
            ... record got.sha256 locally ...
            sftp.settle(remote.name)

A client used without `with` connects on its first verb (or on `connect()`) and must be
closed with `close()`.

Every verb is retried on transient failures (refused, timeout, dropped connection) with
doubling back-off, reconnecting in between; permanent failures (host key, login,
permission) raise `SftpError` at once. Verbs are written so that repeating one after an
interruption is safe: an upload finds its file already delivered, a move or delete finds
its work already done. One client serves one thread.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import posixpath
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TypeVar

import paramiko

from core.settings import PartnerSettings
from jobs.sftp.connection import Session, error_context, open_session
from jobs.sftp.errors import SftpError, translate
from jobs.sftp.staging import PART_SUFFIX, StagingFile, open_local, sha256_of

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class RemoteFile:
    name: str
    size: int
    mtime: datetime  # UTC


@dataclass(frozen=True)
class Downloaded:
    name: str
    local_path: Path
    sha256: str
    size: int


@dataclass(frozen=True)
class Uploaded:
    remote_path: str
    sha256: str
    size: int
    already_present: bool  # the same content was already there (a repeat after a crash)


class SftpClient:
    """Context manager around one partner's SFTP server; see the module docstring."""

    def __init__(self, partner: PartnerSettings, retries: int = 3, backoff: float = 1.0,
                 sleep: Callable[[float], None] = time.sleep):
        self.partner = partner
        self.retries = retries
        self.backoff = backoff
        self._sleep = sleep
        self._context = error_context(partner)
        self._session: Session | None = None

    def __enter__(self) -> SftpClient:
        return self.connect()

    def connect(self) -> SftpClient:
        """Connect now rather than on the first verb (a no-op when connected)."""
        if self._session is None:
            self._run("connect", None, lambda session, _: None)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    # --- verbs on the partner's configured folders ------------------------------------

    def list_files(self, pattern: str) -> list[RemoteFile]:
        """Regular files in `download_dir` matching `pattern` (never `*.part`), by name."""
        return self.list_dir(self.partner.download_dir, pattern)

    def settle(self, name: str) -> None:
        """The one remote step after a download: `after_download` (move, delete or keep) on a
        file in `download_dir`.

        Call it only once the downloaded file is safely recorded locally: until then the file
        stays where the partner put it, so an interrupted run finds it again.
        """
        if self.partner.after_download == "move":
            self.archive(name)
        elif self.partner.after_download == "delete":
            self.delete(name)

    # --- generic verbs (the demo partner simulator uses them on its own folders) ----

    def list_dir(self, remote_dir: str, pattern: str = "*") -> list[RemoteFile]:
        entries = self._run("list", remote_dir, lambda session, _: session.sftp.listdir_attr(remote_dir))
        found = [
            RemoteFile(e.filename, e.st_size or 0, datetime.fromtimestamp(e.st_mtime or 0, UTC))
            for e in entries
            if (e.st_mode is None or stat.S_ISREG(e.st_mode))
            and fnmatchcase(e.filename, pattern)
            and not e.filename.endswith(PART_SUFFIX)
            and _is_plain_name(e.filename)
        ]
        return sorted(found, key=lambda f: f.name)

    def download(self, name: str, staging_dir: Path, remote_dir: str | None = None) -> Downloaded:
        """Fetch `name` to `staging_dir/name` through `name.part`; checks size, returns SHA-256.

        The remote file is left in place: call `settle` after recording it.
        """
        _require_plain_name(name)
        remote = posixpath.join(remote_dir or self.partner.download_dir, name)

        def fetch(session: Session, retrying: bool) -> Downloaded:
            expected = session.sftp.stat(remote).st_size or 0
            local = StagingFile(staging_dir / name)
            try:
                _read_remote(session, remote, expected, local.write)
                if local.size != expected:
                    raise self._error("incomplete", "download", name, detail=f"{local.size}/{expected} bytes")
                local.commit()
            except BaseException:
                local.discard()
                raise
            return Downloaded(name, local.final, local.sha256, local.size)

        started = time.monotonic()
        got = self._run("download", name, fetch)
        log.info("%s: %s diunduh (%d byte, %.1f s)", self.partner.name, name, got.size,
                 time.monotonic() - started)
        return got

    def upload(self, local_path: Path, remote_name: str | None = None,
               remote_dir: str | None = None) -> Uploaded:
        """Send a local file to `upload_dir` as `name.part`, then rename it to `name`.

        If a file of that name is already there with the same content, nothing is sent and
        `already_present` is true; with different content, SftpError("exists") is raised
        rather than overwriting what the partner may already be processing.
        """
        name = remote_name or local_path.name
        _require_plain_name(name)
        final = posixpath.join(remote_dir or self.partner.upload_dir, name)
        part = final + PART_SUFFIX

        def send(session: Session, retrying: bool) -> Uploaded:
            sftp = session.sftp
            existing = _stat_or_none(sftp, final)
            if existing is not None:
                return self._compare_existing(session, existing, local_path, final, name)
            with open_local(local_path) as reader, sftp.open(part, "wb") as remote_file:
                # paramiko reads its request size from the instance; pipelined writes do not
                # wait for each acknowledgement (errors surface at close).
                remote_file.MAX_REQUEST_SIZE = session.write_block
                remote_file.set_pipelined(True)
                while data := reader.read(session.write_block):
                    remote_file.write(data)
            sent = sftp.stat(part).st_size
            if sent != reader.size:
                raise self._error("incomplete", "upload", name, detail=f"{sent}/{reader.size} bytes")
            _rename(sftp, part, final)
            return Uploaded(final, reader.sha256, reader.size, already_present=False)

        started = time.monotonic()
        done = self._run("upload", name, send)
        log.info("%s: %s diunggah ke %s (%d byte, %.1f s%s)", self.partner.name, name, final, done.size,
                 time.monotonic() - started, ", sudah ada" if done.already_present else "")
        return done

    def archive(self, name: str, remote_dir: str | None = None, archive_dir: str | None = None) -> None:
        """Move `name` from `download_dir` into `archive_dir`, never overwriting an archived file."""
        _require_plain_name(name)
        source = posixpath.join(remote_dir or self.partner.download_dir, name)
        folder = archive_dir or self.partner.archive_dir

        def move(session: Session, retrying: bool) -> None:
            sftp = session.sftp
            if retrying and _stat_or_none(sftp, source) is None:
                return  # the interrupted attempt had already moved it
            target = posixpath.join(folder, name)
            if _stat_or_none(sftp, target) is not None:
                stem, dot, suffix = name.rpartition(".")
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
                target = posixpath.join(folder, f"{stem}_{stamp}.{suffix}" if dot else f"{name}_{stamp}")
            _rename(sftp, source, target)
            log.info("%s: %s dipindahkan ke %s", self.partner.name, source, target)

        self._run("archive", name, move)

    def delete(self, name: str, remote_dir: str | None = None) -> None:
        _require_plain_name(name)
        path = posixpath.join(remote_dir or self.partner.download_dir, name)

        def remove(session: Session, retrying: bool) -> None:
            try:
                session.sftp.remove(path)
            except FileNotFoundError:
                if not retrying:  # on a retry, the interrupted attempt had already deleted it
                    raise
            log.info("%s: %s dihapus", self.partner.name, path)

        self._run("delete", name, remove)

    # --- internals --------------------------------------------------------------------

    def _compare_existing(self, session: Session, existing: paramiko.SFTPAttributes,
                          local_path: Path, final: str, name: str) -> Uploaded:
        sha, size = sha256_of(local_path)
        if existing.st_size == size and _remote_sha256(session, final, size) == sha:
            return Uploaded(final, sha, size, already_present=True)
        raise self._error("exists", "upload", name)

    def _run(self, operation: str, filename: str | None,
             action: Callable[[Session, bool], T]) -> T:
        """Run `action` on a live session, reconnecting and retrying transient failures."""
        attempt = 0
        while True:
            try:
                if self._session is None:
                    self._session = open_session(self.partner)
                return action(self._session, attempt > 0)
            except Exception as exc:
                lost = self._session is not None and not self._session.alive()
                error = translate(exc, self._context, operation, filename, connection_lost=lost)
                if error.permanent or attempt >= self.retries:
                    if not error.permanent:
                        self.close()
                    if error is exc:
                        raise
                    raise error from exc
            delay = self.backoff * 2**attempt
            log.warning("%s (percobaan %d dari %d, diulang dalam %.0f s)", error, attempt + 1,
                        self.retries + 1, delay)
            self.close()
            self._sleep(delay)
            attempt += 1

    def _error(self, cause: str, operation: str, filename: str | None, **details: object) -> SftpError:
        return SftpError(cause, self._context, operation, filename, **details)


def _rename(sftp: paramiko.SFTPClient, source: str, target: str) -> None:
    """posix_rename (atomic, OpenSSH extension); plain SFTP rename where it is missing.

    The fallback is safe because every caller has checked that `target` does not exist,
    and a plain SFTP rename refuses to overwrite.
    """
    try:
        sftp.posix_rename(source, target)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.EACCES, errno.EPERM):
            raise
        log.info("posix_rename refused (%s); using plain SFTP rename", exc)
        sftp.rename(source, target)


def _stat_or_none(sftp: paramiko.SFTPClient, path: str) -> paramiko.SFTPAttributes | None:
    try:
        return sftp.stat(path)
    except FileNotFoundError:
        return None


def _read_remote(session: Session, path: str, size: int, sink: Callable[[bytes], object]) -> None:
    """Pass a remote file's bytes to `sink`, with all its blocks requested ahead (prefetch)."""
    with session.sftp.open(path, "rb") as remote_file:
        remote_file.MAX_REQUEST_SIZE = session.read_block  # paramiko reads it from the instance
        _quiet_prefetch_thread(remote_file)
        remote_file.prefetch(size)
        while data := remote_file.read(session.read_block):
            sink(data)


def _quiet_prefetch_thread(remote_file: paramiko.SFTPFile) -> None:
    """paramiko sends the prefetch requests from a thread of its own, which dies with a
    traceback on stderr when the connection drops. The reading side meets the same failure
    and reports it as an SftpError (or, with the connection alive, reads the missing
    blocks itself; the size check catches the rest), so the thread's copy is only logged."""
    send_requests = remote_file._prefetch_thread

    def guarded(*args: object) -> None:
        try:
            send_requests(*args)
        except (OSError, EOFError, paramiko.SSHException) as exc:
            log.debug("prefetch requests stopped: %r", exc)

    remote_file._prefetch_thread = guarded


def _remote_sha256(session: Session, path: str, size: int) -> str:
    digest = hashlib.sha256()
    _read_remote(session, path, size, digest.update)
    return digest.hexdigest()


def _is_plain_name(name: str) -> bool:
    return name not in ("", ".", "..") and "/" not in name and "\\" not in name and "\0" not in name


def _require_plain_name(name: str) -> None:
    if not _is_plain_name(name):
        raise ValueError(f"not a plain file name: {name!r}")
