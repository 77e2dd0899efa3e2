"""One error type for everything that can go wrong talking SFTP to a partner.

Callers (jobs, UI, CLI) never see a paramiko or socket exception: `translate` turns them
into `SftpError` at the boundary. The error says which partner, host, operation and file,
carries a `cause` code the UI groups failures by, and says whether retrying can help
(`permanent`): a changed host key or a refused login will not fix itself in a minute, a
refused connection or a timeout may.
"""

from __future__ import annotations

import errno
import socket
from dataclasses import dataclass, field
from typing import Any

import paramiko

from jobs.registry import partner_label

# cause -> (permanent, Bahasa Indonesia, English). Placeholders come from ErrorContext
# plus the details given where the error is raised.
_TEXTS: dict[str, tuple[bool, str, str]] = {
    "host_key_changed": (
        True,
        "Kunci host server {label} ({address}) berubah: server menunjukkan {offered}, yang tercatat di "
        "{known_hosts} adalah {expected}. Tidak ada file yang diambil atau dikirim. Pastikan perubahan "
        "ini dengan {label} sebelum memperbarui known_hosts.",
        "Host key of the {label} server ({address}) changed: offered {offered}, expected {expected} "
        "({known_hosts}). Nothing was transferred.",
    ),
    "host_key_unknown": (
        True,
        "Server {label} ({address}) belum dikenal: kunci hostnya {offered} tidak tercatat di "
        "{known_hosts}. Tidak ada file yang diambil atau dikirim.",
        "Unknown {label} server ({address}): host key {offered} is not in {known_hosts}. "
        "Nothing was transferred.",
    ),
    "auth_failed": (
        True,
        "Login ke server {label} ({address}) sebagai {username} ditolak: kunci atau kata sandi tidak "
        "diterima.",
        "Login to the {label} server ({address}) as {username} was refused: key or password not accepted.",
    ),
    "client_key": (
        True,
        "Kunci privat {private_key} untuk server {label} tidak dapat dipakai: {detail}.",
        "Private key {private_key} for the {label} server cannot be used: {detail}.",
    ),
    "permission": (
        True,
        "Server {label} menolak akses saat {action}.",
        "The {label} server denied access while {action_en}.",
    ),
    "not_found": (
        True,
        "File atau folder tidak ada di server {label} saat {action}.",
        "File or folder not found on the {label} server while {action_en}.",
    ),
    "exists": (
        True,
        "File sudah ada di server {label} dengan isi berbeda, tidak ditimpa, saat {action}.",
        "A different file of that name is already on the {label} server; not overwritten while {action_en}.",
    ),
    "local_storage": (
        True,
        "Tidak dapat menyimpan ke folder lokal saat {action}: {detail}.",
        "Cannot store to the local folder while {action_en}: {detail}.",
    ),
    "refused": (
        False,
        "Server {label} ({address}) menolak koneksi; mungkin sedang tidak berjalan.",
        "The {label} server ({address}) refused the connection; it may be down.",
    ),
    "unreachable": (
        False,
        "Server {label} ({address}) tidak dapat dihubungi: {detail}.",
        "The {label} server ({address}) cannot be reached: {detail}.",
    ),
    "timeout": (
        False,
        "Server {label} ({address}) tidak menjawab dalam {timeout:g} detik saat {action}.",
        "The {label} server ({address}) did not answer within {timeout:g} seconds while {action_en}.",
    ),
    "disconnected": (
        False,
        "Koneksi ke server {label} ({address}) terputus saat {action}.",
        "The connection to the {label} server ({address}) dropped while {action_en}.",
    ),
    "incomplete": (
        False,
        "Transfer tidak lengkap saat {action}: {detail}.",
        "Incomplete transfer while {action_en}: {detail}.",
    ),
    "server_error": (
        False,
        "Server {label} melaporkan kesalahan saat {action}: {detail}.",
        "The {label} server reported an error while {action_en}: {detail}.",
    ),
}
CAUSES = frozenset(_TEXTS)

_ACTIONS = {  # operation -> (Bahasa Indonesia, English)
    "connect": ("menyambung", "connecting"),
    "list": ("membaca daftar file", "listing files"),
    "download": ("mengunduh", "downloading"),
    "upload": ("mengunggah", "uploading"),
    "archive": ("memindahkan ke arsip", "archiving"),
    "delete": ("menghapus", "deleting"),
}


@dataclass(frozen=True)
class ErrorContext:
    """Where an operation was happening; the client fills it from PartnerSettings."""

    partner: str
    host: str
    port: int
    username: str
    known_hosts: str
    private_key: str | None
    timeout: float


class SftpError(Exception):
    """A failed SFTP operation, in words an operator can act on."""

    def __init__(self, cause: str, context: ErrorContext, operation: str, filename: str | None = None,
                 **details: Any):
        permanent, indonesian, english = _TEXTS[cause]
        action, action_en = _ACTIONS.get(operation, (operation, operation))
        if filename:
            action, action_en = f"{action} {filename}", f"{action_en} {filename}"
        values = {
            "label": partner_label(context.partner),
            "address": f"{context.host}:{context.port}",
            "action": action,
            "action_en": action_en,
            "detail": "",
            **vars(context),
            **details,
        }
        self.cause = cause
        self.permanent = permanent
        self.partner = context.partner
        self.host = context.host
        self.port = context.port
        self.operation = operation
        self.filename = filename
        self.details = details
        self.message = indonesian.format(**values)
        self.english = english.format(**values)
        super().__init__(f"{self.message} / {self.english}")


class UnknownHostKey(paramiko.SSHException):
    """Raised by our missing-host-key policy; carries the key the server offered."""

    def __init__(self, hostname: str, key: paramiko.PKey):
        super().__init__(f"{hostname} not in known_hosts")
        self.key = key


class LocalStorageError(Exception):
    """A local file operation failed (disk full, no permission on the staging folder)."""

    def __init__(self, error: OSError):
        super().__init__(str(error))
        self.error = error


@dataclass
class _Classified:
    cause: str
    details: dict[str, Any] = field(default_factory=dict)


def translate(exc: BaseException, context: ErrorContext, operation: str,
              filename: str | None = None, connection_lost: bool = False) -> SftpError:
    """Turn an exception from paramiko, the socket or local I/O into an SftpError.

    `connection_lost` says the SSH transport is gone: paramiko then reports a write on the
    dead channel as a bare "Socket is closed" OSError, which is a disconnection, not a
    server error. Raises `exc` itself again when it is not a communication error (a
    programming error must not be disguised as a network problem).
    """
    if isinstance(exc, SftpError):
        return exc
    found = _classify(exc)
    if found is None:
        raise exc
    if connection_lost and found.cause == "server_error":
        found = _Classified("disconnected")
    return SftpError(found.cause, context, operation, filename, **found.details)


def _classify(exc: BaseException) -> _Classified | None:
    if isinstance(exc, LocalStorageError):
        return _Classified("local_storage", {"detail": exc.error.strerror or str(exc.error)})
    if isinstance(exc, UnknownHostKey):
        return _Classified("host_key_unknown", {"offered": exc.key.fingerprint})
    if isinstance(exc, paramiko.BadHostKeyException):
        return _Classified("host_key_changed",
                           {"offered": exc.key.fingerprint, "expected": exc.expected_key.fingerprint})
    if isinstance(exc, paramiko.AuthenticationException):
        return _Classified("timeout" if "timeout" in str(exc).lower() else "auth_failed")
    if isinstance(exc, (paramiko.ssh_exception.NoValidConnectionsError, ConnectionRefusedError)):
        return _Classified("refused")
    if isinstance(exc, socket.gaierror) or getattr(exc, "errno", None) in (errno.EHOSTUNREACH,
                                                                             errno.ENETUNREACH):
        return _Classified("unreachable", {"detail": str(exc)})
    if isinstance(exc, paramiko.SSHException):
        return _classify_ssh(exc)
    if isinstance(exc, TimeoutError):
        return _Classified("timeout")
    if isinstance(exc, (ConnectionError, EOFError)):
        return _Classified("disconnected")
    if isinstance(exc, OSError):
        return _classify_status(exc)
    return None


def _classify_ssh(exc: paramiko.SSHException) -> _Classified:
    """SSHException wraps banner and channel failures; the chained cause tells which."""
    chain: BaseException | None = exc
    while chain is not None:
        if isinstance(chain, TimeoutError) or "timeout" in str(chain).lower():
            return _Classified("timeout")
        chain = chain.__cause__ or chain.__context__
    return _Classified("disconnected")


def _classify_status(exc: OSError) -> _Classified:
    """SFTP status codes arrive as IOError: ENOENT, EACCES, or only the server's text."""
    if exc.errno == errno.ENOENT:
        return _Classified("not_found")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return _Classified("permission")
    return _Classified("server_error", {"detail": exc.strerror or str(exc) or type(exc).__name__})
