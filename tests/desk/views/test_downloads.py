"""The claims download for people (desk/views/downloads.py): headers, labels, WITA, cell types."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest

from core.claims.queries import ClaimFilter, Duty
from desk.views import downloads
from models import Claim, ClaimStatus
from tests.factories import make_claim

VERIFIED = dt.datetime(2026, 3, 10, 6, 5)  # naive UTC: 10 Mar 2026 14.05 WITA


@pytest.fixture
def failed_claim(database) -> Claim:
    claim = make_claim(ClaimStatus.PAYOUT_FAILED, benefit_type="JKK_STMB", beneficiary_relation="SPOUSE",
                       verified_at=VERIFIED, accident_date=dt.date(2026, 3, 1), approved_amount=1_500_000,
                       kabupaten_code="5302", worker_name="=HYPERLINK(\"http://x\")")
    Claim.update(failure_code="NAME_MISMATCH", received_at=VERIFIED).where(Claim.id == claim.id).execute()
    return claim


def _rows(job_ctx, role: str = "coordinator", lang: str = "id") -> list[dict]:
    titles = downloads.headers(lang, job_ctx.settings.timezone)
    return [dict(zip(titles, row, strict=True))
            for row in downloads.rows(job_ctx, ClaimFilter(), Duty(), role, lang)]


def test_headers_are_indonesian_and_time_columns_name_wita(job_ctx):
    titles = downloads.headers("id", job_ctx.settings.timezone)
    assert titles[:4] == ["No. Klaim", "Revisi", "Status", "Kode Status"]
    assert "Diterima (WITA)" in titles and "Jenis Santunan" in titles and "Kabupaten/Kota" in titles
    assert "Received (WITA)" in downloads.headers("en", job_ctx.settings.timezone)


def test_codes_become_labels_with_the_code_beside_where_a_coordinator_quotes_it(job_ctx, failed_claim):
    row = _rows(job_ctx)[0]
    assert (row["Status"], row["Kode Status"]) == ("Gagal Dibayar", "PAYOUT_FAILED")
    assert (row["Jenis Santunan"], row["Kode Jenis Santunan"]) == (
        job_ctx.reference.label("benefit_type", "JKK_STMB"), "JKK_STMB")
    assert row["Jenis Santunan"] != "JKK_STMB"
    assert row["Hubungan Penerima"] == job_ctx.reference.label("beneficiary_relation", "SPOUSE") != "SPOUSE"
    assert (row["Kabupaten/Kota"], row["Kode Kabupaten/Kota"]) == ("Kabupaten Timor Tengah Selatan", "5302")
    assert row["Alasan Gagal Bayar"] == "Nama pemilik rekening tidak sesuai KTP"
    assert row["Ditandai"] == "Tidak"


def test_english_download_has_english_labels(job_ctx, failed_claim):
    row = _rows(job_ctx, lang="en")[0]
    assert (row["Status"], row["Status code"]) == ("Payout failed", "PAYOUT_FAILED")


def test_times_are_wita_and_dates_and_amounts_keep_their_types(job_ctx, failed_claim):
    row = _rows(job_ctx)[0]
    assert row["Diterima (WITA)"] == dt.datetime(2026, 3, 10, 14, 5)
    assert row["Tanggal Kecelakaan"] == dt.date(2026, 3, 1)
    assert row["Jumlah Disetujui (Rp)"] == 1_500_000


def test_csv_is_semicolon_separated_with_a_bom_and_excel_dates(job_ctx, failed_claim):
    text = downloads.csv_header("id", job_ctx.settings.timezone) + downloads.csv_lines(
        list(downloads.rows(job_ctx, ClaimFilter(), Duty(), "coordinator", "id")))
    assert text.startswith("\ufeffNo. Klaim;Revisi;Status;Kode Status;")
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert row["Diterima (WITA)"] == "10/03/2026 14:05"
    assert row["Tanggal Kecelakaan"] == "01/03/2026"
    assert row["Jumlah Disetujui (Rp)"] == "1500000"
    assert row["Nama Pekerja"] == "'=HYPERLINK(\"http://x\")"  # neutralised by core.files.sheets


def test_xlsx_has_real_date_and_number_cells_and_neutralised_text(job_ctx, failed_claim):
    path = downloads.write_xlsx(job_ctx, ClaimFilter(), Duty(), "coordinator", "id")
    sheet = openpyxl.load_workbook(path).active
    header = [c.value for c in sheet[1]]
    cells = dict(zip(header, sheet[2], strict=True))
    assert sheet.title == "Klaim"
    assert cells["Diterima (WITA)"].value == dt.datetime(2026, 3, 10, 14, 5)
    assert cells["Diterima (WITA)"].number_format == downloads.TIME_FORMAT
    assert cells["Tanggal Kecelakaan"].is_date and cells["Tanggal Kecelakaan"].number_format == "dd/mm/yyyy"
    amount = cells["Jumlah Disetujui (Rp)"]
    assert (amount.value, amount.data_type, amount.number_format) == (1_500_000, "n", "#,##0")
    name = cells["Nama Pekerja"]
    assert (name.value, name.data_type) == ("'=HYPERLINK(\"http://x\")", "s")


def test_a_viewer_gets_nik_and_account_masked(job_ctx, failed_claim):
    row = _rows(job_ctx, role="viewer")[0]
    assert (row["NIK Pekerja"], row["No. Rekening"]) == ("537101••••••0001", "••••••5678")


def test_the_file_name_is_stamped_in_wita_not_utc():
    name = downloads.file_name("csv", "Asia/Makassar", now=dt.datetime(2026, 3, 10, 17, 30, tzinfo=dt.UTC))
    assert name == "klaim_20260311_0130_WITA.csv"
