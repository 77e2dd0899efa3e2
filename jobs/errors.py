"""Turn whatever stopped a job into a `JobError`: plain words, a cause code, retry or not."""

from __future__ import annotations

import logging

from peewee import InterfaceError, OperationalError

from core.db import is_lock_conflict
from jobs.registry import partner_label
from jobs.result import JobError
from jobs.sftp.errors import SftpError

log = logging.getLogger(__name__)

# SftpError causes that mean the same to an operator share a code in the runs list.
_CAUSE_CODES = {"refused": "unreachable"}

_ADVICE = {
    "host_key_unknown": "Tambahkan kunci host yang benar ke known_hosts setelah dicek langsung dengan "
                        "{label}.",
    "auth_failed": "Periksa nama pengguna dan kunci/kata sandi di konfigurasi partners.{partner}.sftp, "
                   "atau minta {label} memeriksa akun SFTP kita.",
    "client_key": "Periksa berkas kunci privat yang disebut di konfigurasi partners.{partner}.sftp.",
    "permission": "Periksa nama folder di konfigurasi partners.{partner} atau minta {label} memeriksa hak "
                  "akses folder.",
    "not_found": "Periksa nama folder di konfigurasi partners.{partner} (download_dir, upload_dir, "
                 "archive_dir).",
    "exists": "Hubungi {label} sebelum mengirim ulang: berkas di server tidak ditimpa.",
    "local_storage": "Periksa ruang disk dan hak akses folder kerja (work_dir) di server aplikasi.",
}
_TRANSIENT_ADVICE = ("Jika tetap gagal setelah dicoba ulang otomatis, periksa jaringan atau hubungi {label}.")


def from_sftp(error: SftpError) -> JobError:
    template = _ADVICE.get(error.cause, "" if error.permanent else _TRANSIENT_ADVICE)
    advice = template.format(label=partner_label(error.partner), partner=error.partner)
    message = f"{error.message} {advice}".strip()
    return JobError(message, cause=_CAUSE_CODES.get(error.cause, error.cause), permanent=error.permanent,
                    english=error.english)


def describe(exc: Exception) -> JobError:
    """The JobError for any exception that ended a run (unexpected ones are `internal`)."""
    if isinstance(exc, JobError):
        return exc
    if isinstance(exc, SftpError):
        return from_sftp(exc)
    if is_lock_conflict(exc):  # hardening finding 5: a plain reason, and the run is retried
        return JobError("Basis data sedang dipakai terlalu lama oleh proses lain (terkunci), jadi tugas ini "
                        "berhenti tanpa mengubah apa pun. Tugas dicoba lagi otomatis; berkas yang sudah "
                        "diunduh disimpan dan diterapkan oleh run berikutnya. Bila berulang, periksa tugas "
                        "atau impor besar yang berjalan bersamaan.",
                        cause="database_locked", permanent=False,
                        english="The database was held too long by another process (locked); nothing was "
                                "changed and the job is retried.")
    if isinstance(exc, (OperationalError, InterfaceError)):
        return JobError(f"Database tidak dapat dipakai saat tugas berjalan ({exc}). Tugas dicoba lagi "
                        "otomatis; jika tetap gagal, periksa server database.",
                        cause="database", permanent=False, english=f"Database error: {exc}")
    return JobError(f"Kesalahan internal: {type(exc).__name__}: {exc}. Tidak ada yang dikirim dua kali; "
                    "laporkan ke admin sistem dengan log tugas ini.",
                    cause="internal", permanent=True, english=f"Internal error: {exc!r}")
