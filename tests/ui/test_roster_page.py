"""/peserta: the roster searched and filtered on the server, NIKs masked for viewers, and the upload
with its rejected rows to download (contract section 8)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from core.db import write_tx
from core.roster.tables import Participant
from core.users import create_user
from models import AuditLog
from models import User as Account
from tests.ui.conftest import PASSWORD, login, open_as

NIK = "5371014107850001"
HEADER = "KPJ;NIK;Nama;Kode Kabupaten;Desa/Kelurahan;Pekerjaan;Mulai;Berakhir;Sumber Dana\n"


def enrol(kpj: str, name: str, kabupaten: str = "5371", funding: str = "APBD_PROVINSI") -> None:
    with write_tx():
        Participant.create(kpj=kpj, nik=NIK, name=name, kabupaten_code=kabupaten, occupation="NELAYAN",
                           start=dt.date(2025, 7, 21), funding=funding)


def table_rows(user: User) -> list[dict]:
    return user.find(marker="roster-table").elements.pop().rows


async def test_the_roster_is_searched_by_name_kpj_or_nik_and_filtered_by_kabupaten_and_funding(accounts,
                                                                                              user: User):
    enrol("26000000001", "Maria Bria")
    enrol("26000000002", "Yohanes Lay", kabupaten="5314", funding="CSR")
    enrol("26000000003", "Maria Ndun", kabupaten="5314")
    await open_as(user, "coordinator", "/peserta")
    await user.should_see(marker="roster-count", content="3 peserta cocok")
    assert [r["name"] for r in table_rows(user)] == ["Maria Bria", "Maria Ndun", "Yohanes Lay"]
    await user.open("/peserta?q=maria&kabupaten=5314")
    await user.should_see(marker="roster-count", content="1 peserta cocok")
    row = table_rows(user)[0]
    assert (row["kpj"], row["kabupaten"], row["funding"], row["start"]) == (
        "26000000003", "Kabupaten Rote Ndao", "APBD Provinsi", "21 Jul 2025")
    await user.open("/peserta?funding=CSR")
    assert [r["name"] for r in table_rows(user)] == ["Yohanes Lay"]
    await user.open("/peserta?q=26000000002")
    assert [r["name"] for r in table_rows(user)] == ["Yohanes Lay"]
    await user.open("/peserta?funding=NOT_A_CODE")  # a hand-edited address is dropped, not trusted
    await user.should_see(marker="roster-count", content="3 peserta cocok")


async def test_a_viewer_sees_niks_masked_and_no_upload(accounts, user: User):
    enrol("26000000001", "Maria Bria")
    await open_as(user, "viewer", "/peserta")
    await user.should_see(marker="roster-count", content="1 peserta cocok")
    assert table_rows(user)[0]["nik"] != NIK and table_rows(user)[0]["nik"].endswith("0001")
    await user.should_not_see(marker="roster-upload")


async def test_a_kabupaten_desk_sees_its_own_participants_only(accounts, user: User):
    create_user("meja.rote", PASSWORD, "coordinator")
    Account.update(kabupaten_codes="5314").where(Account.username == "meja.rote").execute()
    enrol("26000000001", "Maria Bria")
    enrol("26000000002", "Yohanes Lay", kabupaten="5314")
    await open_as(user, "meja.rote", "/peserta?kabupaten=5371")
    await user.should_see(marker="roster-count", content="0 peserta cocok")
    await user.open("/peserta")
    assert [r["name"] for r in table_rows(user)] == ["Yohanes Lay"]


async def test_an_upload_imports_reports_bad_rows_and_offers_the_rejected_rows(accounts, user: User):
    await login(user, "coordinator")
    await user.open("/peserta")
    good = f"26000000001;{NIK};Maria Bria;5371;Oebobo;Nelayan;21/07/2025;;APBD Provinsi\n"
    bad = f"26000000002;{NIK};Yohanes Lay;5371;;Petani;01/08/2025;01/01/2025;CSR\n"
    upload = user.find(ui.upload).elements.pop()
    content = (HEADER + good + bad).encode()
    await upload.handle_uploads([SmallFileUpload("roster nov.csv", "text/csv", content)])
    summary = "1 ditambahkan, 0 diperbarui, 1 ditolak"
    await user.should_see(marker="roster-summary", content=summary, retries=50)
    await user.should_see("Baris 3: kolom Berakhir: Berakhir 2025-01-01 sebelum Mulai 2025-08-01")
    assert [r["name"] for r in table_rows(user)] == ["Maria Bria"]
    user.find(marker="roster-rejected").click()
    response = await user.download.next(timeout=5)
    lines = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert lines[0][-1] == "Kesalahan" and lines[1][0] == "26000000002" and "Berakhir" in lines[1][-1]
    assert AuditLog.get(AuditLog.action == "ROSTER_IMPORT").username == "coordinator"


async def test_an_upload_without_a_required_header_imports_nothing_and_says_why(accounts, user: User):
    await login(user, "coordinator")
    await user.open("/peserta")
    upload = user.find(ui.upload).elements.pop()
    await upload.handle_uploads([SmallFileUpload("roster.csv", "text/csv", b"KPJ;Nama\n26000000001;Maria\n")])
    await user.should_see(marker="roster-error", content="tidak punya kolom wajib NIK", retries=50)
    assert Participant.select().count() == 0


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))


async def test_the_whole_roster_downloads_beside_the_upload_and_imports_again(accounts, user: User):
    enrol("26000000001", "Maria Bria")
    enrol("26000000002", "Yohanes Lay", kabupaten="5314", funding="CSR")
    await open_as(user, "coordinator", "/peserta")
    user.find(marker="roster-download-csv").click()
    response = await user.download.next(timeout=10)
    lines = _csv(response)
    assert ";".join(lines[0]) + "\n" == HEADER  # the upload's own columns
    assert lines[1] == ["26000000001", NIK, "Maria Bria", "5371", "", "NELAYAN", "21/07/2025", "",
                        "APBD_PROVINSI"]
    assert len(lines) == 3
    upload = user.find(ui.upload).elements.pop()
    await upload.handle_uploads([SmallFileUpload("peserta.csv", "text/csv", response.content)])
    summary = "0 ditambahkan, 2 diperbarui, 0 ditolak"
    await user.should_see(marker="roster-summary", content=summary, retries=50)
    xlsx = await user.http_client.get("/peserta.xlsx?funding=CSR")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "KPJ" and len(rows) == 2 and rows[1][2] == "Yohanes Lay"
    assert rows[1][6] == dt.datetime(2025, 7, 21)  # a real date cell
    exports = [(a.target, a.username) for a in AuditLog.select().where(AuditLog.action == "EXPORT")]
    assert exports == [("peserta.csv", "coordinator"), ("peserta.xlsx", "coordinator")]


async def test_a_desk_viewer_downloads_its_own_kabupaten_with_niks_masked(accounts, user: User):
    create_user("lihat.rote", PASSWORD, "viewer")
    Account.update(kabupaten_codes="5314").where(Account.username == "lihat.rote").execute()
    enrol("26000000001", "Maria Bria")
    enrol("26000000002", "Yohanes Lay", kabupaten="5314")
    assert (await user.http_client.get("/peserta.csv")).status_code in (307, 401)  # not signed in: to login
    await open_as(user, "lihat.rote", "/peserta")
    await user.should_see(marker="roster-download")
    await user.should_not_see(marker="roster-upload")
    lines = _csv(await user.http_client.get("/peserta.csv"))
    assert [line[2] for line in lines[1:]] == ["Yohanes Lay"]
    assert lines[1][1] != NIK and lines[1][1].endswith("0001")  # masked for a viewer
    assert len(_csv(await user.http_client.get("/peserta.csv?kabupaten=5371"))) == 1  # header only
