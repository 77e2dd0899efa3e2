"""Kabupaten desks (contract section 8) in the web app: a user of the Kupang desk sees and reaches
Kupang's claims only, by page, address, search and export; province-wide pages refuse them; an
admin sets a desk on the users page, and the frame names it."""

from __future__ import annotations

import asyncio
import csv
import io

import openpyxl
from nicegui.testing import User

from core.text import fmt
from core.users import create_user
from models import AuditLog, ClaimStatus, PayoutBatch, PayoutInstruction, Role
from models import User as Account
from tests.factories import make_claim
from tests.ui.conftest import PASSWORD, login, open_as

S = ClaimStatus


def kupang_desk(role: str = Role.SUPERVISOR) -> None:
    create_user("meja.kupang", PASSWORD, role)
    Account.update(kabupaten_codes="5301").where(Account.username == "meja.kupang").execute()


def two_claims():
    return (make_claim(S.READY, kabupaten_code="5301", worker_name="Pekerja Kupang"),
            make_claim(S.READY, kabupaten_code="5305", worker_name="Pekerja Alor"))


async def test_the_frame_names_the_desk_and_the_queue_lists_its_claims_only(accounts, user: User):
    kupang_desk()
    mine, other = two_claims()
    await open_as(user, "meja.kupang", "/klaim")
    await user.should_see(marker="desk-chip", content="Meja: Kab. Kupang")
    rows = user.find(marker="claims-table").elements.pop().rows
    assert [r["claim_no"] for r in rows] == [mine.claim_no]
    await user.open(f"/klaim?kab=5305&q={other.claim_no}")
    assert user.find(marker="claims-table").elements.pop().rows == []


async def test_another_kabupatens_claim_address_is_refused(accounts, user: User):
    kupang_desk()
    mine, other = two_claims()
    await open_as(user, "meja.kupang", f"/klaim/{other.claim_no}")
    await user.should_see(marker="scope-refused", content="di luar meja Anda")
    await user.should_not_see("Pekerja Alor")
    await user.open(f"/klaim/{mine.claim_no}")
    await user.should_see("Pekerja Kupang")


async def test_the_csv_export_holds_the_desks_claims_whatever_the_address_asks(accounts, user: User):
    kupang_desk()
    mine, other = two_claims()
    await login(user, "meja.kupang")
    await user.open("/klaim?kab=5305")
    user.find(marker="export-csv").click()
    response = await user.download.next(timeout=5)
    text = response.text.lstrip("\ufeff")
    assert other.claim_no not in text and "Pekerja Alor" not in text
    await user.open("/klaim")
    user.find(marker="export-csv").click()
    rows = list(csv.reader(io.StringIO((await user.download.next(timeout=5)).text.lstrip("\ufeff")),
                           delimiter=";"))
    assert len(rows) == 2 and mine.claim_no in ";".join(rows[1])


async def test_the_dashboard_lists_the_desks_kabupaten_and_the_province_all_22(accounts, user: User):
    kupang_desk()
    two_claims()
    await open_as(user, "meja.kupang", "/")
    rows = user.find(marker="kabupaten-table").elements.pop()
    table = next(e for e in rows.descendants() if hasattr(e, "rows"))
    assert [r["code"] for r in table.rows] == ["5301"]
    await user.should_see(marker="status-count-READY", content="1")


async def test_the_province_dashboard_lists_every_kabupaten_zero_included(accounts, user: User):
    two_claims()
    await open_as(user, "viewer", "/")
    card = user.find(marker="kabupaten-table").elements.pop()
    table = next(e for e in card.descendants() if hasattr(e, "rows"))
    assert len(table.rows) == 22
    assert {r["code"]: r["claims"] for r in table.rows}["5314"] == "0"


async def test_the_audit_log_is_refused_to_a_kabupaten_desk(accounts, user: User):
    kupang_desk()
    await open_as(user, "meja.kupang", "/audit")
    await user.should_see(marker="scope-refused", content="seluruh provinsi")


async def test_an_admin_sets_and_clears_a_users_desk_on_the_users_page(accounts, user: User):
    await open_as(user, "admin", "/pengguna")
    user.find(marker="set-desk-coordinator").click()
    await user.should_see(marker="desk-dialog")
    user.find(marker="desk-choice").elements.pop().set_value(["5314", "5320"])
    user.find(marker="desk-save").click()
    await user.should_see(marker="desk-coordinator", content="Kab. Rote Ndao, Kab. Sabu Raijua", retries=50)
    assert Account.get(Account.username == "coordinator").kabupaten_codes == "5314,5320"
    assert AuditLog.select().where(AuditLog.action == "USER_DESK_CHANGED").count() == 1
    user.find(marker="set-desk-coordinator").click()
    await user.should_see(marker="desk-dialog")
    user.find(marker="desk-choice").elements.pop().set_value([])
    user.find(marker="desk-save").click()
    await user.should_see(marker="desk-coordinator", content="Seluruh provinsi", retries=50)
    assert Account.get(Account.username == "coordinator").kabupaten_codes is None


async def test_a_batch_page_shows_the_desks_lines_and_refuses_a_batch_without_them(accounts, user: User):
    kupang_desk()
    mine, other = two_claims()
    for batch_id, claims in (("B-KUPANG", (mine, other)), ("B-ALOR", (other,))):
        batch = PayoutBatch.create(batch_id=batch_id, instruction_count=len(claims), total_amount=3_000_000)
        for n, c in enumerate(claims, 1):
            PayoutInstruction.create(instruction_id=f"{batch_id}-{n}", batch=batch, claim=c, line_no=n,
                                     beneficiary_name=c.worker_name, bank_code="130", account_no="0012345678",
                                     amount=c.approved_amount, remark="r")
    await open_as(user, "meja.kupang", "/batch/B-ALOR")
    await user.should_see(marker="scope-refused", content="B-ALOR")
    await user.open("/batch/B-KUPANG")
    await user.should_see(marker="instructions-table")
    table = user.find(marker="instructions-table").elements.pop()
    for _ in range(50):
        if table.rows:
            break
        await asyncio.sleep(0.05)
    assert [r["claim_no"] for r in table.rows] == [mine.claim_no]


async def test_the_desks_documents_and_report_by_address_hold_its_kabupaten_only(accounts, user: User):
    """At the server, whatever the address: another kabupaten's batch has no list nor minutes for the
    desk, and the monthly report lists Kupang alone, its total Kupang's own figures."""
    kupang_desk()
    mine, other = two_claims()
    alor = PayoutBatch.create(batch_id="B-ALOR", instruction_count=1, total_amount=other.approved_amount)
    PayoutInstruction.create(instruction_id="B-ALOR-1", batch=alor, claim=other, line_no=1, remark="r",
                             beneficiary_name=other.worker_name, bank_code="130", account_no="0012345678",
                             amount=other.approved_amount)
    await login(user, "meja.kupang")
    for kind in ("daftar-nominatif", "berita-acara"):
        refused = await user.http_client.get(f"/dokumen/batch/B-ALOR/{kind}.pdf")
        assert refused.status_code == 404 and "Pekerja Alor" not in refused.text
    month = fmt.to_local(mine.received_at)
    report = await user.http_client.get(f"/laporan/bulanan/{month:%Y-%m}.xlsx")
    assert report.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(report.content))["Per Kabupaten-Kota"].values)
    assert [row[0] for row in rows[1:-1]] == ["5301"]
    assert rows[1][2] == 1 and rows[1][2:] == rows[-1][2:]  # one claim received, and the total is it
