"""Library lines in a job's log (jobs/runlog.py): paramiko's said in Indonesian, its chatter dropped."""

import logging

from jobs.runlog import library_line


def record(message: str, level: int = logging.INFO) -> logging.LogRecord:
    return logging.LogRecord("paramiko.transport", level, __file__, 1, message, None, None)


def test_paramiko_connect_and_login_lines_are_translated():
    assert library_line(record("Connected (version 2.0, client OpenSSH_9.2p1)")) == \
        "Tersambung ke server SFTP (OpenSSH_9.2p1)"
    assert library_line(record("Authentication (publickey) successful!")) == \
        "Login ke server SFTP berhasil (publickey)"


def test_other_library_info_is_dropped_and_warnings_kept():
    assert library_line(record("Kex agreed: curve25519-sha256")) is None
    assert library_line(record("Oops, unhandled type 3", logging.WARNING)) == "Oops, unhandled type 3"
