import csv
import datetime as dt
import io

import openpyxl
from nicegui import ui
from nicegui.testing import User

from core.text import fmt
from models import AuditLog, Claim, ClaimEvent, ClaimStatus
from tests.factories import make_claim
from tests.ui.conftest import claim_action, login

S = ClaimStatus
NIK = "5305014107850001"


def table(user: User) -> ui.table:
    return user.find(marker="claims-table").elements.pop()


async def test_queue_shows_one_page_and_the_exact_number_matching(accounts, user: User):
    for _ in range(30):
        make_claim(S.READY)
    make_claim(S.PAID)
    await login(user, "viewer")
    await user.open("/klaim?status=READY")
    t = table(user)
    assert len(t.rows) == 25
    assert t.pagination["rowsNumber"] == 30
    await user.should_see("30 klaim cocok")


async def test_paging_and_sorting_are_answered_on_the_server(accounts, user: User):
    for i in range(30):
        make_claim(S.READY, approved_amount=1_000_000 + i)
    await login(user, "viewer")
    await user.open("/klaim")
    t = table(user)
    user.find(marker="claims-table").trigger("request", {"pagination": {
        "page": 2, "rowsPerPage": 10, "sortBy": "approved_amount", "descending": False}})
    await user.should_see("30 klaim cocok")
    for _ in range(30):
        if t.pagination["page"] == 2:
            break
        await __import__("asyncio").sleep(0.05)
    assert [r["approved_amount"] for r in t.rows] == [1_000_000 + i for i in range(10, 20)]
    assert t.pagination["rowsNumber"] == 30


async def test_filters_from_the_url_and_search_by_nik(accounts, user: User):
    wanted = make_claim(S.PAYOUT_FAILED, kabupaten_code="5305", nik=NIK, beneficiary_nik=NIK)
    make_claim(S.PAYOUT_FAILED, kabupaten_code="5371")
    make_claim(S.READY, kabupaten_code="5305")
    await login(user, "coordinator")
    await user.open("/klaim?status=PAYOUT_FAILED&kab=5305")
    assert [r["claim_no"] for r in table(user).rows] == [wanted.claim_no]
    await user.open("/klaim")
    user.find(marker="search").type(NIK).trigger("keydown.enter")
    await user.should_see("1 klaim cocok", retries=30)
    assert [r["nik"] for r in table(user).rows] == [NIK]


async def test_viewer_sees_nik_masked(accounts, user: User):
    make_claim(S.READY, nik=NIK)
    await login(user, "viewer")
    await user.open("/klaim")
    row = table(user).rows[0]
    assert row["nik"] != NIK and row["nik"].startswith("530501") and row["nik"].endswith("0001")


async def test_bulk_hold_on_all_matching_previews_count_and_total_then_holds(accounts, user: User):
    held = [make_claim(S.READY, kabupaten_code="5305", approved_amount=2_000_000) for _ in range(3)]
    make_claim(S.READY, kabupaten_code="5371")
    await login(user, "coordinator")
    await user.open("/klaim?kab=5305")
    user.find(marker="select-all-matching").click()
    await user.should_see("Semua 3 klaim yang cocok dipilih (Rp 6.000.000)", retries=30)
    await claim_action(user, "hold", "3 klaim (Rp 6.000.000): Siap Dibayar → Ditunda",
                       "Verifikasi ulang data desa")
    await user.should_see("3 klaim diproses (Rp 6.000.000)", retries=30)
    assert {Claim.get_by_id(c.id).status for c in held} == {S.ON_HOLD}
    assert ClaimEvent.select().where(ClaimEvent.action == "HOLD").count() == 3


async def test_bulk_release_on_ticked_rows(accounts, user: User):
    claims = [make_claim(S.ON_HOLD, hold_reason="cek") for _ in range(2)]
    await login(user, "coordinator")
    await user.open("/klaim?status=ON_HOLD")
    t = table(user)
    user.find(marker="claims-table").trigger("selection", {"rows": t.rows, "keys": [r["id"] for r in t.rows],
                                                           "added": True})
    await user.should_see("2 dipilih", retries=30)
    await claim_action(user, "release", "Ditunda → Siap Dibayar", "Data sudah lengkap")
    await user.should_see("2 klaim diproses", retries=30)
    assert {Claim.get_by_id(c.id).status for c in claims} == {S.READY}


async def test_export_csv_streams_the_current_filter_and_is_audited(accounts, user: User):
    make_claim(S.READY, nik=NIK, kabupaten_code="5305")
    make_claim(S.PAID, kabupaten_code="5371")
    await login(user, "coordinator")
    await user.open("/klaim?kab=5305")
    user.find(marker="export-csv").click()
    response = await user.download.next(timeout=5)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
    assert [r["NIK Pekerja"] for r in rows] == [NIK]
    assert AuditLog.get(AuditLog.action == "EXPORT").username == "coordinator"


async def test_viewer_export_masks_nik_and_xlsx_opens(accounts, user: User):
    make_claim(S.READY, nik=NIK, beneficiary_nik=NIK)
    await login(user, "viewer")
    await user.open("/klaim")
    user.find(marker="export-xlsx").click()
    response = await user.download.next(timeout=5)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    header, first = list(sheet.iter_rows(values_only=True))[:2]
    row = dict(zip(header, first, strict=False))  # read-only mode drops trailing empty cells
    assert row["NIK Pekerja"].startswith("530501") and NIK not in (row["NIK Pekerja"], row["NIK Penerima"])


async def test_export_refuses_an_expired_session(accounts, user: User):
    response = await user.http_client.get("/ekspor/klaim.csv")
    assert response.status_code in (307, 302)


async def test_late_filter_lists_the_unpaid_claims_past_their_own_due_date(accounts, user: User):
    today = fmt.local_today()
    late = make_claim(S.ON_HOLD, hold_reason="cek", payment_due_date=today - dt.timedelta(days=1))
    make_claim(S.READY, payment_due_date=today)  # due today: in time
    make_claim(S.PAID, payment_due_date=today - dt.timedelta(days=10))
    await login(user, "viewer")
    await user.open("/klaim?duty=1")
    await user.should_see("1 klaim cocok")
    assert [r["claim_no"] for r in table(user).rows] == [late.claim_no]
