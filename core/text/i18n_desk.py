"""Messages of the desk pages (jobs, runs, files, batches, alerts, audit log, users), id and en.

Kept beside `core.text.i18n` (which merges them into its MESSAGES) so the two halves of the
web app can grow their catalogues without editing the same lines. Same rules: key ->
(Bahasa Indonesia, English); keys here never repeat a key of `core.text.i18n`.
"""

from __future__ import annotations

_CAUSES: dict[str, tuple[str, str, str, str]] = {
    # cause code: (label id, label en, what to do next id, what to do next en)
    "host_key_changed": (
        "Kunci host server berubah",
        "Server host key changed",
        "Jangan langsung memperbarui known_hosts: kunci yang berubah bisa berarti server palsu. Hubungi "
        "mitra (BPJS atau Bank NTT) lewat jalur resmi dan cocokkan sidik jari kunci barunya. Setelah "
        "dipastikan, minta admin sistem memperbarui berkas known_hosts yang disebut konfigurasi, lalu "
        "tekan Jalankan ulang.",
        "Do not just update known_hosts: a changed key may mean a fake server. Call the partner (BPJS or "
        "Bank NTT) through the official channel and compare the new key's fingerprint. Once confirmed, "
        "ask the system admin to update the known_hosts file named in the configuration, then press Re-run."),
    "host_key_unknown": (
        "Server belum dikenal",
        "Unknown server",
        "Cocokkan sidik jari kunci host dengan mitra, minta admin sistem menambahkannya ke known_hosts, "
        "lalu jalankan ulang.",
        "Compare the host key fingerprint with the partner, ask the system admin to add it to "
        "known_hosts, then re-run."),
    "auth_failed": (
        "Login SFTP ditolak",
        "SFTP login refused",
        "Minta admin sistem memeriksa nama pengguna dan kunci/kata sandi SFTP di konfigurasi, atau minta "
        "mitra memeriksa akun SFTP kita; lalu jalankan ulang.",
        "Ask the system admin to check the SFTP user name and key/password in the configuration, or ask "
        "the partner to check our SFTP account; then re-run."),
    "client_key": (
        "Kunci privat tidak dapat dipakai",
        "Private key unusable",
        "Minta admin sistem memeriksa berkas kunci privat yang disebut konfigurasi, lalu jalankan ulang.",
        "Ask the system admin to check the private key file named in the configuration, then re-run."),
    "unreachable": (
        "Server tidak dapat dihubungi",
        "Server unreachable",
        "Biasanya sementara: tugas dicoba ulang otomatis. Jika tetap gagal, periksa jaringan atau "
        "tanyakan mitra apakah servernya berjalan, lalu jalankan ulang.",
        "Usually temporary: the job is retried automatically. If it keeps failing, check the network or "
        "ask the partner whether their server is up, then re-run."),
    "refused": (
        "Koneksi ditolak",
        "Connection refused",
        "Biasanya sementara: tugas dicoba ulang otomatis. Jika tetap gagal, tanyakan mitra apakah "
        "servernya berjalan, lalu jalankan ulang.",
        "Usually temporary: the job is retried automatically. If it keeps failing, ask the partner "
        "whether their server is up, then re-run."),
    "timeout": (
        "Server tidak menjawab",
        "Server did not answer",
        "Dicoba ulang otomatis. Jika berulang, periksa jaringan atau hubungi mitra, lalu jalankan ulang.",
        "Retried automatically. If it happens again, check the network or call the partner, then re-run."),
    "disconnected": (
        "Koneksi terputus",
        "Connection dropped",
        "Dicoba ulang otomatis; berkas yang terputus tidak pernah dipakai setengah. Jika berulang, "
        "hubungi mitra.",
        "Retried automatically; a half-transferred file is never used. If it happens again, call the "
        "partner."),
    "incomplete": (
        "Transfer tidak lengkap",
        "Incomplete transfer",
        "Jalankan ulang: berkas yang belum lengkap tidak pernah dipakai.",
        "Re-run: an incomplete file is never used."),
    "server_error": (
        "Kesalahan di server mitra",
        "Error on the partner's server",
        "Jalankan ulang; jika berulang, hubungi mitra dengan nomor run ini.",
        "Re-run; if it happens again, call the partner with this run number."),
    "permission": (
        "Akses folder ditolak",
        "Folder access denied",
        "Minta admin sistem memeriksa nama folder di konfigurasi, atau minta mitra memeriksa hak akses "
        "folder.",
        "Ask the system admin to check the folder names in the configuration, or the partner to check "
        "the folder's permissions."),
    "not_found": (
        "Folder tidak ada di server",
        "Folder not found on the server",
        "Minta admin sistem memeriksa nama folder (download_dir, upload_dir, archive_dir) di konfigurasi.",
        "Ask the system admin to check the folder names (download_dir, upload_dir, archive_dir) in the "
        "configuration."),
    "exists": (
        "Berkas lain dengan nama sama sudah ada",
        "A different file of that name exists",
        "Hubungi mitra sebelum mengirim ulang: berkas di server tidak ditimpa.",
        "Call the partner before sending again: the file on the server is not overwritten."),
    "local_storage": (
        "Penyimpanan lokal bermasalah",
        "Local storage problem",
        "Minta admin sistem memeriksa ruang disk dan hak akses folder kerja, lalu jalankan ulang.",
        "Ask the system admin to check disk space and the work folder's permissions, then re-run."),
    "file_rejected": (
        "Berkas ditolak (header, jumlah atau total kontrol)",
        "File rejected (header, count or control total)",
        "Tidak ada isi berkas itu yang diterapkan. Buka berkasnya di menu Berkas untuk melihat "
        "alasannya, minta mitra mengirim berkas pengganti, lalu tekan Proses ulang pada berkas itu (atau "
        "Abaikan, dengan alasan).",
        "Nothing in that file was applied. Open it under Files to see why, ask the partner to send a "
        "replacement, then press Reprocess on the file (or Ignore it, with a reason)."),
    "bad_records": (
        "Record salah dilewati",
        "Bad records skipped",
        "Run tetap berhasil; record yang salah tidak diterapkan. Lihat daftar kesalahannya pada berkas "
        "di menu Berkas dan minta mitra mengirim koreksinya.",
        "The run still succeeded; the bad records were not applied. See the file's record errors under "
        "Files and ask the partner for corrections."),
    "database": (
        "Database bermasalah",
        "Database problem",
        "Dicoba ulang otomatis; jika berulang, hubungi admin sistem.",
        "Retried automatically; if it happens again, call the system admin."),
    "internal": (
        "Kesalahan internal",
        "Internal error",
        "Tidak ada yang dikirim dua kali. Laporkan ke admin sistem dengan nomor run ini.",
        "Nothing was sent twice. Report it to the system admin with this run number."),
    "interrupted": (
        "Proses terhenti mendadak",
        "Process stopped suddenly",
        "Jalankan ulang: langkah yang sudah tercatat dilanjutkan tanpa mengulang pembayaran.",
        "Re-run: the recorded steps continue without paying anything twice."),
}

_COUNTS: dict[str, tuple[str, str]] = {
    "files": ("berkas", "files"),
    "records": ("record", "records"),
    "bad_records": ("record salah", "bad records"),
    "rejected_files": ("berkas ditolak", "rejected files"),
    "duplicate_files": ("berkas duplikat", "duplicates"),
    "new_claims": ("klaim baru", "new claims"),
    "revised": ("revisi", "revised"),
    "ignored_revisions": ("revisi diabaikan", "ignored revisions"),
    "flagged": ("ditandai", "flagged"),
    "ready": ("siap dibayar", "ready"),
    "needs_review": ("perlu ditinjau", "need review"),
    "awaiting_approval": ("menunggu persetujuan", "awaiting approval"),
    "rejected_by_bpjs": ("ditolak BPJS", "rejected by BPJS"),
    "on_hold": ("ditunda", "on hold"),
    "paid": ("dibayar", "paid"),
    "failed": ("gagal", "failed"),
    "returned": ("dikembalikan", "returned"),
    "repeats": ("hasil berulang", "repeats"),
    "contradictions": ("hasil bertentangan", "contradictions"),
    "unknown_instructions": ("instruksi tak dikenal", "unknown instructions"),
    "completed_batches": ("batch selesai", "completed batches"),
    "instructions": ("instruksi", "instructions"),
    "batches": ("batch", "batches"),
    "held_back": ("ditahan", "held back"),
    "resent_batches": ("batch dikirim ulang", "batches resent"),
    "resent_files": ("berkas dikirim ulang", "files resent"),
    "reported": ("dilaporkan", "reported"),
    "reported_paid": ("dilaporkan dibayar", "reported paid"),
    "reported_failed": ("dilaporkan gagal", "reported failed"),
    "warnings": ("catatan", "warnings"),
}

DESK_MESSAGES: dict[str, tuple[str, str]] = {
    # -- shared ------------------------------------------------------------------------
    "desk.error.too_long": ("Teks maksimal {max} karakter", "At most {max} characters"),
    "desk.system": ("sistem", "system"),
    "trigger.schedule": ("Terjadwal", "Scheduled"),
    "trigger.manual": ("Manual", "Manual"),
    "trigger.retry": ("Ulang", "Retry"),
    "partner.bpjs": ("BPJS Ketenagakerjaan", "BPJS Ketenagakerjaan"),
    "partner.bank": ("Bank NTT", "Bank NTT"),
    "cause.other": ("Penyebab lain ({cause})", "Other cause ({cause})"),
    "cause.next.other": (
        "Lihat log lengkap di bawah; bila tidak jelas, hubungi admin sistem dengan nomor run ini.",
        "See the full log below; if unclear, call the system admin with this run number."),
    # -- jobs page ---------------------------------------------------------------------
    "jobs.schedule": ("Jadwal", "Schedule"),
    "jobs.next_run": ("Berikutnya: {time}", "Next run: {time}"),
    "jobs.disabled": ("Dimatikan di konfigurasi", "Disabled in the configuration"),
    "jobs.paused": ("Jadwal dijeda oleh {user} sejak {time}", "Schedule paused by {user} since {time}"),
    "jobs.paused_reason": ("Alasan: {reason}", "Reason: {reason}"),
    "jobs.last": ("Terakhir: {time} · {duration}", "Last: {time} · {duration}"),
    "jobs.running": (
        "Berjalan sejak {time} (run #{run}, {trigger})",
        "Running since {time} (run #{run}, {trigger})"),
    "jobs.run_now": ("Jalankan sekarang", "Run now"),
    "jobs.pause": ("Jeda jadwal", "Pause schedule"),
    "jobs.resume": ("Lanjutkan jadwal", "Resume schedule"),
    "jobs.confirm_run": ("Jalankan \u201c{job}\u201d sekarang?", "Run \u201c{job}\u201d now?"),
    "jobs.confirm_run_help": (
        "Tugas berjalan di latar dan lognya tampil di halaman ini. Aman dijalankan kapan saja: tidak ada "
        "berkas yang diterapkan atau pembayaran yang dikirim dua kali.",
        "The job runs in the background and its log shows on this page. It is safe to run at any time: "
        "no file is applied and no payment is sent twice."),
    "jobs.confirm_pause": ("Jeda jadwal \u201c{job}\u201d?", "Pause the schedule of \u201c{job}\u201d?"),
    "jobs.confirm_pause_help": (
        "Tugas tidak berjalan otomatis sampai jadwalnya dilanjutkan; masih bisa dijalankan manual.",
        "The job does not run on its own until resumed; it can still be run by hand."),
    "jobs.confirm_resume": (
        "Lanjutkan jadwal \u201c{job}\u201d?",
        "Resume the schedule of \u201c{job}\u201d?"),
    "jobs.confirm_resume_help": (
        "Tugas kembali berjalan otomatis sesuai jadwal.",
        "The job runs on its schedule again."),
    "jobs.started": ("\u201c{job}\u201d dimulai (run #{run})", "\u201c{job}\u201d started (run #{run})"),
    "jobs.ended": (
        "\u201c{job}\u201d (run #{run}) selesai: {outcome}",
        "\u201c{job}\u201d (run #{run}) ended: {outcome}"),
    "jobs.paused_done": ("Jadwal \u201c{job}\u201d dijeda", "Schedule of \u201c{job}\u201d paused"),
    "jobs.resumed_done": ("Jadwal \u201c{job}\u201d dilanjutkan", "Schedule of \u201c{job}\u201d resumed"),
    "jobs.live_log": ("Log run #{run}", "Log of run #{run}"),
    "jobs.waiting_log": ("Menunggu baris log pertama...", "Waiting for the first log line..."),
    "jobs.open_run": ("Buka run #{run}", "Open run #{run}"),
    "jobs.history": ("Riwayat semua run", "All runs"),
    # -- runs --------------------------------------------------------------------------
    "runs.title_one": ("Run tugas #{run}", "Run #{run}"),
    "runs.not_found_page": ("Run #{run} tidak ditemukan", "Run #{run} not found"),
    "runs.col.job": ("Tugas", "Job"),
    "runs.col.trigger": ("Pemicu", "Trigger"),
    "runs.col.user": ("Pengguna", "User"),
    "runs.col.started": ("Mulai ({zone})", "Started ({zone})"),
    "runs.col.duration": ("Durasi", "Duration"),
    "runs.col.counts": ("Jumlah", "Counts"),
    "runs.col.outcome": ("Hasil", "Outcome"),
    "runs.col.cause": ("Penyebab", "Cause"),
    "runs.all": ("Semua", "All"),
    "runs.none": ("Belum ada run", "No runs yet"),
    "runs.matching": ("{count} run", "{count} runs"),
    "runs.failures_title": (
        "Kegagalan {days} hari terakhir menurut penyebab",
        "Failures of the last {days} days by cause"),
    "runs.no_failures": (
        "Tidak ada kegagalan dalam {days} hari terakhir",
        "No failures in the last {days} days"),
    "runs.what_happened": ("Apa yang terjadi", "What happened"),
    "runs.what_next": ("Apa yang harus dilakukan", "What to do next"),
    "runs.cause": ("Penyebab: {cause}", "Cause: {cause}"),
    "runs.rerun": ("Jalankan ulang", "Re-run"),
    "runs.confirm_rerun": ("Jalankan ulang \u201c{job}\u201d?", "Re-run \u201c{job}\u201d?"),
    "runs.confirm_rerun_help": (
        "Run baru dicatat sebagai percobaan ulang run #{run}. Pastikan penyebab kegagalannya sudah diatasi.",
        "The new run is recorded as a retry of run #{run}. Make sure the cause of the failure has been "
        "dealt with."),
    "runs.log_title": ("Log lengkap", "Full log"),
    "runs.log_empty": ("Log kosong", "Empty log"),
    "runs.retry_of": ("Percobaan ulang dari run", "Retry of run"),
    "runs.retried_in": ("Dicoba ulang di run", "Retried in run"),
    "runs.later_success": (
        "Tugas ini sudah berhasil lagi di run #{run} ({time})",
        "This job succeeded again in run #{run} ({time})"),
    "runs.files": ("Berkas di run ini", "Files of this run"),
    "runs.started_by": ("Dimulai {time} · {trigger} · {user}", "Started {time} · {trigger} · {user}"),
    "runs.finished": ("Selesai {time} · durasi {duration}", "Ended {time} · took {duration}"),
    "runs.attempt": ("percobaan ke-{n}", "attempt {n}"),
    "runs.error.not_found": ("Run #{run} tidak ditemukan", "Run #{run} not found"),
    "runs.error.not_failed": (
        "Run #{run} tidak gagal: hanya run yang gagal yang dijalankan ulang",
        "Run #{run} did not fail: only failed runs are re-run"),
    # -- files -------------------------------------------------------------------------
    "files.col.name": ("Nama berkas", "File name"),
    "files.col.partner": ("Mitra", "Partner"),
    "files.col.direction": ("Arah", "Direction"),
    "files.col.type": ("Jenis", "Type"),
    "files.col.status": ("Status", "Status"),
    "files.col.records": ("Record", "Records"),
    "files.col.errors": ("Salah", "Bad"),
    "files.col.total": ("Total kontrol", "Control total"),
    "files.col.at": ("Diterima/dikirim ({zone})", "Received/sent ({zone})"),
    "files.col.line": ("Baris", "Line"),
    "files.col.field": ("Kolom", "Field"),
    "files.col.value": ("Nilai", "Value"),
    "files.col.reason": ("Alasan", "Reason"),
    "files.search": ("Cari nama berkas", "Search file name"),
    "files.none": ("Tidak ada berkas", "No files"),
    "files.matching": ("{count} berkas", "{count} files"),
    "files.title_one": ("Berkas {name}", "File {name}"),
    "files.not_found_page": ("Berkas #{file} tidak ditemukan", "File #{file} not found"),
    "files.received_at": ("Diterima", "Received"),
    "files.processed_at": ("Diproses", "Processed"),
    "files.delivered_at": ("Terkirim", "Delivered"),
    "files.job_run": ("Run", "Run"),
    "files.batch": ("Batch", "Batch"),
    "files.record_errors": ("Kesalahan record ({count})", "Record errors ({count})"),
    "files.no_errors": ("Tidak ada kesalahan record", "No record errors"),
    "files.rejected_because": ("Ditolak seluruhnya: {reason}", "Rejected whole: {reason}"),
    "files.ignored_because": ("Catatan: {reason}", "Note: {reason}"),
    "files.duplicate_of": ("Duplikat dari", "Duplicate of"),
    "files.replaced_by": ("Diganti oleh berkas", "Replaced by file"),
    "files.no_replacement": (
        "Belum ada berkas pengganti yang diterapkan. Minta {partner} meletakkan berkas yang benar di "
        "servernya, lalu tekan Proses ulang.",
        "No replacement applied yet. Ask {partner} to put the correct file on their server, then press "
        "Reprocess."),
    "files.download": ("Unduh", "Download"),
    "files.no_copy": ("Salinan berkas tidak ada di server aplikasi", "No copy of the file on the app server"),
    "files.ignore": ("Abaikan", "Ignore"),
    "files.confirm_ignore": ("Abaikan berkas {name}?", "Ignore file {name}?"),
    "files.confirm_ignore_help": (
        "Berkas tetap disimpan di karantina dan tidak ada isinya yang diterapkan. Tulis alasannya (mis. "
        "diganti dengan berkas lain).",
        "The file stays in quarantine and nothing in it is applied. Write why (e.g. replaced by another "
        "file)."),
    "files.ignored_done": ("Berkas {name} ditandai diabaikan", "File {name} marked ignored"),
    "files.reprocess": ("Proses ulang", "Reprocess"),
    "files.confirm_reprocess": ("Proses ulang berkas {name}?", "Reprocess file {name}?"),
    "files.confirm_reprocess_help": (
        "Setelah {partner} mengganti berkas ini di servernya, tugas \u201c{job}\u201d dijalankan "
        "sekarang untuk mengambil penggantinya. Berkas yang ditolak ini sendiri tidak pernah diterapkan.",
        "Once {partner} has replaced this file on their server, \u201c{job}\u201d runs now to fetch the "
        "replacement. The rejected file itself is never applied."),
    "files.error.no_copy": (
        "Salinan berkas {name} tidak ada di server aplikasi",
        "No copy of file {name} on the app server"),
    "files.error.not_rejected": (
        "Berkas {name} bukan berkas masuk yang ditolak",
        "File {name} is not a rejected incoming file"),
    "files.error.not_found": ("Berkas #{file} tidak ditemukan", "File #{file} not found"),
    "direction.IN": ("Diterima", "Received"),
    "direction.OUT": ("Dikirim", "Sent"),
    "file_status.RECEIVED": ("Sedang diterapkan", "Being applied"),
    "file_status.PROCESSED": ("Diproses", "Processed"),
    "file_status.PROCESSED_WITH_ERRORS": ("Diproses dengan kesalahan", "Processed with errors"),
    "file_status.REJECTED": ("Ditolak", "Rejected"),
    "file_status.DUPLICATE": ("Duplikat", "Duplicate"),
    "file_status.IGNORED": ("Diabaikan", "Ignored"),
    "file_status.WRITTEN": ("Menunggu dikirim", "Waiting to be delivered"),
    "file_status.DELIVERED": ("Terkirim", "Delivered"),
    # -- batches -----------------------------------------------------------------------
    "batches.col.batch": ("Batch", "Batch"),
    "batches.col.created": ("Dibuat ({zone})", "Created ({zone})"),
    "batches.col.status": ("Status", "Status"),
    "batches.instructed": ("Dikirim ke bank", "Instructed"),
    "batches.paid": ("Dibayar", "Paid"),
    "batches.failed": ("Gagal", "Failed"),
    "batches.returned": ("Dikembalikan", "Returned"),
    "batches.awaiting": ("Menunggu hasil", "Awaiting result"),
    "batches.overdue": ("Hasil bank terlambat", "Bank results overdue"),
    "batches.overdue_only": ("Hanya yang terlambat", "Overdue only"),
    "batches.overdue_hint": (
        "Dikirim {time}; {count} instruksi belum ada hasilnya setelah {hours} jam. Hubungi Bank NTT; "
        "jangan kirim ulang klaimnya sebelum ada jawaban.",
        "Delivered {time}; {count} instructions still have no result after {hours} hours. Call Bank NTT; "
        "do not resend the claims before they answer."),
    "batches.none": ("Belum ada batch", "No batches yet"),
    "batches.matching": ("{count} batch", "{count} batches"),
    "batches.title_one": ("Batch {batch}", "Batch {batch}"),
    "batches.not_found_page": ("Batch {batch} tidak ditemukan", "Batch {batch} not found"),
    "batches.files": ("Berkas batch", "Batch files"),
    "batches.claims_link": ("Buka klaimnya di antrean klaim", "Open its claims in the claim queue"),
    "batches.instructions": ("Instruksi", "Instructions"),
    "batches.col.instruction": ("No. instruksi", "Instruction id"),
    "batches.col.claim": ("No. klaim", "Claim no."),
    "batches.col.beneficiary": ("Penerima", "Beneficiary"),
    "batches.col.account": ("Rekening", "Account"),
    "batches.col.amount": ("Nilai", "Amount"),
    "batches.col.result": ("Hasil", "Result"),
    "batches.col.detail": ("Referensi / alasan gagal", "Reference / failure"),
    "batches.col.claim_status": ("Status klaim", "Claim status"),
    "batches.delivered": ("Terkirim {time}", "Delivered {time}"),
    "batch_status.RECORDED": ("Dicatat, belum ditulis", "Recorded, not yet written"),
    "batch_status.WRITTEN": ("Menunggu dikirim", "Waiting to be delivered"),
    "batch_status.DELIVERED": ("Terkirim ke bank", "Delivered to the bank"),
    "batch_status.COMPLETE": ("Selesai", "Complete"),
    # -- alerts ------------------------------------------------------------------------
    "alerts.open": ("Peringatan terbuka ({count})", "Open alerts ({count})"),
    "alerts.none": ("Tidak ada peringatan terbuka", "No open alerts"),
    "alerts.recent": ("Baru ditangani", "Recently acknowledged"),
    "alerts.ack": ("Tandai sudah ditangani", "Acknowledge"),
    "alerts.confirm_ack": ("Tandai sudah ditangani: {subject}", "Acknowledge: {subject}"),
    "alerts.confirm_ack_help": (
        "Tulis apa yang sudah dilakukan; catatan ini disimpan bersama peringatan dan di log audit.",
        "Write what was done; the note is kept with the alert and in the audit log."),
    "alerts.note": ("Catatan", "Note"),
    "alerts.ack_done": ("Peringatan ditandai sudah ditangani", "Alert acknowledged"),
    "alerts.acked_by": ("Ditangani {user}, {time}: {note}", "Acknowledged by {user}, {time}: {note}"),
    "alerts.open_run": ("Buka run", "Open run"),
    "alerts.open_batch": ("Buka batch", "Open batch"),
    "alerts.open_file": ("Buka berkas", "Open file"),
    "alerts.open_claims": ("Buka klaim yang lewat batas", "Open the late claims"),
    "alerts.emailed": ("dikirim lewat e-mail", "sent by e-mail"),
    "alerts.error.not_found": ("Peringatan #{alert} tidak ditemukan", "Alert #{alert} not found"),
    "alerts.error.already": (
        "Peringatan #{alert} sudah ditangani orang lain",
        "Alert #{alert} was already acknowledged by someone else"),
    "alert_kind.job_failed": ("Tugas gagal", "Job failed"),
    "alert_kind.file_rejected": ("Berkas ditolak", "File rejected"),
    "alert_kind.overdue_results": ("Hasil bank terlambat", "Bank results overdue"),
    "alert_kind.payment_duty": ("Lewat batas bayar", "Past the payment duty"),
    # -- audit log ---------------------------------------------------------------------
    "audit.col.at": ("Waktu ({zone})", "Time ({zone})"),
    "audit.col.user": ("Pengguna", "User"),
    "audit.col.action": ("Tindakan", "Action"),
    "audit.col.target": ("Sasaran", "Target"),
    "audit.col.details": ("Rincian", "Details"),
    "audit.from": ("Dari tanggal", "From"),
    "audit.to": ("Sampai tanggal", "To"),
    "audit.system": ("sistem (jadwal)", "system (schedule)"),
    "audit.none": ("Tidak ada catatan yang cocok", "No matching entries"),
    "audit.matching": ("{count} catatan", "{count} entries"),
    # -- users -------------------------------------------------------------------------
    "users.col.username": ("Nama pengguna", "User name"),
    "users.col.full_name": ("Nama lengkap", "Full name"),
    "users.col.role": ("Peran", "Role"),
    "users.col.state": ("Keadaan", "State"),
    "users.col.last_login": ("Terakhir masuk ({zone})", "Last login ({zone})"),
    "users.active": ("Aktif", "Active"),
    "users.inactive": ("Nonaktif", "Inactive"),
    "users.locked": ("Terkunci", "Locked"),
    "users.must_change": ("Wajib ganti kata sandi", "Must change password"),
    "users.create": ("Tambah pengguna", "Add user"),
    "users.create_help": (
        "Pengguna baru mendapat kata sandi sekali pakai yang wajib diganti saat pertama masuk.",
        "A new user gets a one-time password that must be changed at first login."),
    "users.change_role": ("Ubah peran", "Change role"),
    "users.confirm_role": ("Ubah peran {user} menjadi {role}?", "Change {user}'s role to {role}?"),
    "users.deactivate": ("Nonaktifkan", "Deactivate"),
    "users.confirm_deactivate": (
        "Nonaktifkan {user}? Ia tidak bisa masuk lagi sampai diaktifkan kembali.",
        "Deactivate {user}? They cannot log in until reactivated."),
    "users.reactivate": ("Aktifkan", "Reactivate"),
    "users.confirm_reactivate": ("Aktifkan kembali {user}?", "Reactivate {user}?"),
    "users.reset": ("Atur ulang kata sandi", "Reset password"),
    "users.confirm_reset": (
        "Buat kata sandi sekali pakai baru untuk {user}? Kata sandi lamanya tidak berlaku lagi.",
        "Make a new one-time password for {user}? The old one stops working."),
    "users.password_once": ("Kata sandi sekali pakai untuk {user}", "One-time password for {user}"),
    "users.password_hint": (
        "Sampaikan langsung kepada {user}. Kata sandi ini hanya ditampilkan sekali ini dan wajib diganti "
        "saat masuk.",
        "Hand it to {user} in person. It is shown only this once and must be changed at login."),
    "users.created": ("Pengguna {user} dibuat", "User {user} created"),
    "users.role_changed": ("Peran {user} sekarang {role}", "{user}'s role is now {role}"),
    "users.deactivated": ("{user} dinonaktifkan", "{user} deactivated"),
    "users.reactivated": ("{user} diaktifkan kembali", "{user} reactivated"),
    "users.error.refused": ("{indonesian}", "{english}"),
    "users.error.unknown_role": ("Peran tidak dikenal: {role}", "Unknown role: {role}"),
    "users.error.not_found": ("Pengguna #{user} tidak ditemukan", "User #{user} not found"),
    "users.error.self_deactivate": (
        "Anda tidak dapat menonaktifkan akun Anda sendiri",
        "You cannot deactivate your own account"),
    "users.error.self_reset": (
        "Ganti kata sandi Anda sendiri di halaman Akun Saya",
        "Change your own password on the My account page"),
    "users.error.last_admin": (
        "{user} adalah satu-satunya admin aktif: angkat admin lain dulu",
        "{user} is the only active admin: make someone else admin first"),
}
DESK_MESSAGES.update({f"cause.{code}": (quad[0], quad[1]) for code, quad in _CAUSES.items()})
DESK_MESSAGES.update({f"cause.next.{code}": (quad[2], quad[3]) for code, quad in _CAUSES.items()})
DESK_MESSAGES.update({f"count.{key}": words for key, words in _COUNTS.items()})
CAUSES = frozenset(_CAUSES)
