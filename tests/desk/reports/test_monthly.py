"""The monthly report (contract section 9): per kabupaten/kota (all 22) and per benefit type, claims
received, paid (count and Rupiah), failed, still unpaid and late; sosialisasi; failure reasons. XLSX
read back cell by cell, PDF by its text."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from core.roster.tables import OutreachSession
from desk.refusal import Refused
from desk.reports.monthly import monthly_report, parse_month
from desk.reports.render import write_monthly
from models import ClaimStatus, User
from tests.desk.documents.support import pdf_text
from tests.factories import make_batch, make_claim

S = ClaimStatus
MARCH = dt.date(2026, 3, 1)
TODAY = dt.date(2026, 4, 10)
KOTA, ALOR, KUPANG = "5371", "5305", "5301"
IN_MARCH = dt.datetime(2026, 3, 5, 2, 0)  # naive UTC


@pytest.fixture
def month(database):
    """March 2026 in Kota Kupang and Alor, with edges of the month in WITA and a session in Kupang."""
    make_batch("20260310000001", received_at=IN_MARCH, kabupaten_code=KOTA)  # paid 10M, failed 2M, sent 0.5M
    make_claim(S.READY, kabupaten_code=KOTA, received_at=dt.datetime(2026, 2, 28, 17, 0))  # 1 Mar 01:00 WITA
    make_claim(S.READY, kabupaten_code=KOTA, received_at=dt.datetime(2026, 3, 31, 16, 30))  # 1 Apr WITA
    # JKM verified 17 March 10:00 WITA is due 27 March (contract section 7)
    verified = dt.datetime(2026, 3, 17, 2, 0)
    make_claim(S.READY, kabupaten_code=ALOR, benefit_type="JKM", verified_at=verified,
               received_at=verified)  # still unpaid past the duty: late
    make_claim(S.PAID, kabupaten_code=ALOR, benefit_type="JKM", verified_at=verified, received_at=verified,
               paid_date=dt.date(2026, 3, 30), approved_amount=42_000_000)  # paid after the duty: late
    make_claim(S.PAID, kabupaten_code=ALOR, benefit_type="JKM", verified_at=verified, received_at=verified,
               paid_date=dt.date(2026, 3, 26), approved_amount=42_000_000)  # in time
    OutreachSession.create(kabupaten_code=KUPANG, date=dt.date(2026, 3, 3), place="Aula Desa Oelnasi",
                           facilitator="Yustina Bani", attendees=40, created_by="test")
    OutreachSession.create(kabupaten_code=KUPANG, date=dt.date(2026, 4, 1), place="Baumata", attendees=9,
                           created_by="test")


def rows_by_code(rows):
    return {row.code: row for row in rows}


def test_every_kabupaten_is_listed_those_with_nothing_as_zeros(month, settings, reference):
    report = monthly_report(MARCH, settings, reference, today=TODAY)
    assert [row.code for row in report.kabupaten] == list(reference.lists["kabupaten"])
    assert len(report.kabupaten) == 22
    rote = rows_by_code(report.kabupaten)["5314"]
    assert rote.name == "Kabupaten Rote Ndao" and rote.figures.values() == [0] * 6 and rote.sessions == 0


def test_each_figure_of_a_kabupaten_counts_its_month_in_wita(month, settings, reference):
    kab = rows_by_code(monthly_report(MARCH, settings, reference, today=TODAY).kabupaten)
    kota = kab[KOTA].figures
    # received: the batch's 3 and the one of 1 March 01:00 WITA; not the one of 1 April 00:30 WITA
    assert (kota.received, kota.paid, kota.paid_amount, kota.failed) == (4, 1, 10_000_000, 1)
    assert kota.unpaid == 3  # INSTRUCTED, PAYOUT_FAILED, READY of 1 March; not the one of April
    alor = kab[ALOR].figures
    assert (alor.received, alor.paid, alor.paid_amount, alor.late) == (3, 2, 84_000_000, 2)


def test_per_benefit_type_gives_the_same_figures(month, settings, reference):
    report = monthly_report(MARCH, settings, reference, today=TODAY)
    benefits = rows_by_code(report.benefits)
    assert set(benefits) == set(reference.lists["benefit_type"])
    assert (benefits["JKM"].figures.paid, benefits["JKM"].figures.late) == (2, 2)
    assert benefits["JKK_STMB"].figures.received == 4 and benefits["BEASISWA"].figures.values() == [0] * 6


def test_sessions_and_failure_reasons_of_the_month(month, settings, reference):
    report = monthly_report(MARCH, settings, reference, today=TODAY)
    kupang = rows_by_code(report.kabupaten)[KUPANG]
    assert (kupang.sessions, kupang.attendees) == (1, 40)
    assert [s["place"] for s in report.sessions] == ["Aula Desa Oelnasi"]
    assert report.reasons == [("ACCOUNT_CLOSED", "Rekening sudah ditutup", 1, 2_000_000)]


def test_a_kabupaten_desk_gets_its_own_kabupaten_only(month, settings, reference):
    alor = User.create(username="alor", password_hash="x", role="coordinator", kabupaten_codes=ALOR)
    report = monthly_report(MARCH, settings, reference, alor, today=TODAY)
    assert [row.code for row in report.kabupaten] == [ALOR]
    assert report.totals.figures.received == 3 and report.reasons == [] and report.sessions == []
    assert sum(row.figures.received for row in report.benefits) == 3


def test_the_xlsx_has_a_typed_sheet_per_view_with_a_frozen_header(month, settings, reference, tmp_path):
    path = write_monthly("2026-03", tmp_path / "laporan.xlsx", settings, reference)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Ringkasan", "Per Kabupaten-Kota", "Per Jenis Manfaat", "Sosialisasi",
                               "Alasan Gagal Bayar"]
    kab = book["Per Kabupaten-Kota"]
    assert kab.freeze_panes == "A2"
    header = [cell.value for cell in kab[1]]
    assert header[:8] == ["Kode", "Kabupaten/Kota", "Klaim diterima", "Dibayar", "Dibayar (Rp)",
                          "Gagal bayar", "Belum dibayar", "Terlambat"]
    assert kab.max_row == 1 + 22 + 1  # header, the 22, the total
    kota = next(row for row in kab.iter_rows(min_row=2) if row[0].value == KOTA)
    assert [c.value for c in kota[2:6]] == [4, 1, 10_000_000, 1]
    assert all(c.data_type == "n" for c in kota[2:])
    assert kab.column_dimensions["B"].width >= len("Kabupaten Timor Tengah Selatan")
    session = book["Sosialisasi"][2]
    assert session[0].value == dt.datetime(2026, 3, 3) and session[0].is_date
    assert session[3].value == "Aula Desa Oelnasi" and session[5].value == 40


def test_text_in_the_xlsx_that_looks_like_a_formula_stays_text(database, settings, reference, tmp_path):
    OutreachSession.create(kabupaten_code=KUPANG, date=dt.date(2026, 3, 3), place='=HYPERLINK("http://x")',
                           attendees=1, created_by="test")
    book = openpyxl.load_workbook(write_monthly("2026-03", tmp_path / "r.xlsx", settings, reference))
    cell = book["Sosialisasi"]["D2"]
    assert cell.value == '\'=HYPERLINK("http://x")' and cell.data_type == "s"


def test_the_pdf_has_the_month_every_kabupaten_and_the_reasons(month, settings, reference, tmp_path):
    text = pdf_text(write_monthly("2026-03", tmp_path / "laporan.pdf", settings, reference))
    assert "LAPORAN BULANAN SANTUNAN PEKERJA RENTAN Maret 2026" in text
    for name in reference.options("kabupaten").values():
        assert name in text
    assert "Kota Kupang 4 1 Rp 10.000.000 1 3 0" in text and "Rekening sudah ditutup 1 Rp 2.000.000" in text


@pytest.mark.parametrize("bad", ["2026-13", "2026-3", "Maret", "", "1999-01"])
def test_a_bad_month_is_refused(bad):
    with pytest.raises(Refused) as refused:
        parse_month(bad)
    assert refused.value.key == "report.error.month"


def test_a_file_neither_xlsx_nor_pdf_is_refused_and_not_written(database, settings, reference, tmp_path):
    with pytest.raises(Refused) as refused:
        write_monthly("2026-03", tmp_path / "laporan.csv", settings, reference)
    assert refused.value.key == "report.error.extension" and not (tmp_path / "laporan.csv").exists()
