"""`documents batch`, `documents receipt` and `report monthly` as an operator runs them: real
subprocesses of run.py, their files read back (contract sections 5 and 9)."""

from __future__ import annotations

import openpyxl
import pytest

from models import Claim, ClaimStatus
from tests.cli.test_run_commands import config, run  # noqa: F401 (the fixture)
from tests.desk.documents.support import pdf_text
from tests.factories import make_batch, make_claim

BATCH = "20260310000001"


def test_documents_batch_writes_both_pdfs_into_the_folder(config, tmp_path):  # noqa: F811
    make_batch(BATCH)
    out = tmp_path / "cetak"
    result = run("documents", "batch", BATCH, "--out", str(out), config=config)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"BERITA_ACARA_{BATCH}.pdf", f"DAFTAR_NOMINATIF_{BATCH}.pdf"]
    assert "dua belas juta lima ratus ribu rupiah" in pdf_text(out / f"BERITA_ACARA_{BATCH}.pdf")
    assert f"DAFTAR_NOMINATIF_{BATCH}.pdf" in result.stdout


def test_documents_receipt_of_a_paid_claim(config, tmp_path):  # noqa: F811
    make_batch(BATCH, lines=(("SUCCESS", 1_500_000),))
    claim_no = Claim.get(Claim.status == ClaimStatus.PAID).claim_no
    result = run("documents", "receipt", claim_no, "--out", str(tmp_path), config=config)
    assert result.returncode == 0, result.stderr
    assert "satu juta lima ratus ribu rupiah" in pdf_text(tmp_path / f"BUKTI_BAYAR_{claim_no}.pdf")


def test_documents_receipt_of_an_unpaid_claim_writes_nothing_and_exits_1(config, tmp_path):  # noqa: F811
    claim = make_claim(ClaimStatus.INSTRUCTED)
    out = tmp_path / "cetak"
    result = run("documents", "receipt", claim.claim_no, "--out", str(out), config=config)
    assert result.returncode == 1 and not out.exists()
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert f"Klaim {claim.claim_no} belum berhasil dibayar" in line and " / Claim " in line


def test_documents_batch_of_an_unknown_batch_exits_1_with_one_line(config, tmp_path):  # noqa: F811
    result = run("documents", "batch", "NOPE", "--out", str(tmp_path / "x"), config=config)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Batch NOPE tidak ditemukan; periksa nomor batch di halaman Batch Pembayaran"
        " / Batch NOPE not found; check the batch number on the Payout batches page")


def test_an_out_folder_that_cannot_be_written_exits_1_naming_it(config, tmp_path):  # noqa: F811
    make_batch(BATCH)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("documents", "batch", BATCH, "--out", str(blocker / "sub"), config=config)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"Folder {blocker / 'sub'} tidak dapat ditulis" in result.stderr


@pytest.mark.parametrize("name", ["laporan.xlsx", "laporan.pdf"])
def test_report_monthly_writes_the_format_of_the_extension(config, tmp_path, name):  # noqa: F811
    make_batch(BATCH)
    result = run("report", "monthly", "2026-03", "--out", str(tmp_path / name), config=config)
    assert result.returncode == 0, result.stderr
    if name.endswith(".xlsx"):
        sheet = openpyxl.load_workbook(tmp_path / name)["Per Kabupaten-Kota"]
        assert sheet.max_row == 24 and sheet["C2"].data_type == "n"
    else:
        assert "Maret 2026" in pdf_text(tmp_path / name)


@pytest.mark.parametrize(("args", "says"), [
    (["2026-13", "--out", "r.xlsx"], "Bulan 2026-13 tidak valid"),
    (["2026-03", "--out", "r.docx"], "harus berakhiran .xlsx atau .pdf")])
def test_report_monthly_refuses_a_bad_month_or_extension_with_one_line(config, tmp_path, args, says):  # noqa: F811
    result = run("report", "monthly", *args, config=config)
    assert result.returncode == 1 and says in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
