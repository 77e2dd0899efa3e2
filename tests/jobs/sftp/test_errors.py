"""Errors are translated at the boundary into one type the UI can group and explain."""

from __future__ import annotations

import errno
import socket

import paramiko
import pytest

from jobs.sftp.errors import CAUSES, ErrorContext, LocalStorageError, SftpError, translate

CONTEXT = ErrorContext(partner="bank", host="sftp.bankntt.example", port=22, username="pemprov",
                       known_hosts="/etc/santunan/known_hosts", private_key="/etc/santunan/id", timeout=30.0)


@pytest.mark.parametrize(("exc", "cause", "permanent"), [
    (paramiko.AuthenticationException("Authentication failed."), "auth_failed", True),
    (paramiko.AuthenticationException("Authentication timeout."), "timeout", False),
    (paramiko.ssh_exception.NoValidConnectionsError({("127.0.0.1", 22): OSError(111, "refused")}),
     "refused", False),
    (socket.gaierror(-2, "Name or service not known"), "unreachable", False),
    (TimeoutError(), "timeout", False),
    (ConnectionResetError(104, "reset"), "disconnected", False),
    (EOFError(), "disconnected", False),
    (paramiko.SSHException("Server connection dropped: "), "disconnected", False),
    (OSError(errno.ENOENT, "No such file"), "not_found", True),
    (OSError(errno.EACCES, "Permission denied"), "permission", True),
    (OSError("Failure"), "server_error", False),
    (LocalStorageError(OSError(errno.ENOSPC, "No space left on device")), "local_storage", True),
])
def test_exceptions_map_to_a_cause_and_permanence(exc: BaseException, cause: str, permanent: bool):
    error = translate(exc, CONTEXT, "upload", "PAYOUT_1.txt")
    assert (error.cause, error.permanent) == (cause, permanent)
    assert (error.partner, error.host, error.operation, error.filename) == (
        "bank", "sftp.bankntt.example", "upload", "PAYOUT_1.txt")


def test_a_banner_timeout_wrapped_by_paramiko_is_a_timeout():
    try:
        try:
            raise TimeoutError
        except TimeoutError as inner:
            raise paramiko.SSHException("Error reading SSH protocol banner") from inner
    except paramiko.SSHException as exc:
        assert translate(exc, CONTEXT, "connect").cause == "timeout"


def test_a_failure_on_a_dead_connection_is_a_disconnection():
    error = translate(OSError("Socket is closed"), CONTEXT, "upload", "x", connection_lost=True)
    assert error.cause == "disconnected"


def test_programming_errors_are_not_disguised():
    with pytest.raises(KeyError):
        translate(KeyError("oops"), CONTEXT, "list")


def test_the_message_says_who_where_and_what_in_indonesian_then_english():
    error = translate(TimeoutError(), CONTEXT, "download", "NTTPAY_1_RESULT_1.txt")
    assert error.message == ("Server Bank NTT (sftp.bankntt.example:22) tidak menjawab dalam 30 detik "
                             "saat mengunduh NTTPAY_1_RESULT_1.txt.")
    assert "did not answer within 30 seconds while downloading NTTPAY_1_RESULT_1.txt" in error.english
    assert str(error) == f"{error.message} / {error.english}"


def test_every_cause_has_words_in_both_languages():
    for cause in CAUSES:
        error = SftpError(cause, CONTEXT, "connect", offered="SHA256:a", expected="SHA256:b", detail="d")
        assert error.message and error.english and "{" not in str(error)
