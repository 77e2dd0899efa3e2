import datetime as dt
import io

import openpyxl
from nicegui import ui
from nicegui.testing import User

from core.text import fmt
from models import Alert, Claim, ClaimStatus, JobRun, utcnow
from tests.factories import make_claim
from tests.ui.conftest import login, should_see_all

S = ClaimStatus


async def test_status_cards_show_count_and_total_per_status(accounts, user: User):
    for _ in range(3):
        make_claim(S.READY, approved_amount=2_000_000)
    make_claim(S.PAID, approved_amount=42_000_000)
    await login(user, "viewer")
    for status in S.ALL:
        n = Claim.select().where(Claim.status == status).count()
        card = user.find(marker=f"status-count-{status}").elements.pop()
        assert card.text == fmt.number(n)
    await should_see_all(user, "Rp 6.000.000", "Siap Dibayar", "Berhasil Dibayar")


async def test_status_card_opens_its_queue(accounts, user: User):
    make_claim(S.ON_HOLD, hold_reason="cek")
    await login(user, "viewer")
    user.find(marker="status-card-ON_HOLD").click()
    await user.should_see(marker="claims-table", retries=30)
    table = user.find(ui.table).elements.pop()
    assert [r["status"] for r in table.rows] == [S.ON_HOLD]


async def test_claims_past_the_payment_duty_are_counted(accounts, user: User):
    today = fmt.local_today()
    late = make_claim(S.READY, approved_amount=3_000_000, payment_due_date=today - dt.timedelta(days=30))
    make_claim(S.READY, payment_due_date=today)  # due today: in time
    make_claim(S.PAID, payment_due_date=today - dt.timedelta(days=30))
    await login(user, "viewer")
    await user.should_see("1 klaim belum dibayar, total Rp 3.000.000")
    await user.should_see(late.claim_no)


async def test_beranda_gives_one_count_of_late_claims_even_beside_an_older_alert(accounts, user: User):
    """The alert was raised when 5 claims were late; the dashboard shows today's count in both places."""
    today = fmt.local_today()
    Alert.create(kind="payment_duty", subject="5 klaim lewat batas bayar", message="lama")
    make_claim(S.READY, approved_amount=2_000_000, payment_due_date=today - dt.timedelta(days=9))
    make_claim(S.ON_HOLD, approved_amount=1_000_000, payment_due_date=today - dt.timedelta(days=2))
    await login(user, "viewer")
    await user.should_see(marker="past-duty-alert")
    card = user.find(marker="past-duty-count").elements.pop().text
    alert = user.find(marker="past-duty-alert").elements.pop().text
    assert card == "2 klaim belum dibayar, total Rp 3.000.000"
    assert alert.endswith(card)
    await user.should_not_see("5 klaim lewat batas bayar")


async def test_chart_shows_paid_amounts_per_kabupaten(accounts, user: User):
    make_claim(S.PAID, kabupaten_code="5305", approved_amount=10_000_000)
    make_claim(S.PAID, kabupaten_code="5305", approved_amount=5_000_000)
    make_claim(S.PAID, kabupaten_code="5371", approved_amount=1_000_000)
    await login(user, "viewer")
    chart = user.find(ui.echart).elements.pop()
    assert chart.options["xAxis"]["data"] == ["Kab. Alor", "Kota Kupang"]
    assert chart.options["series"][0]["data"] == [15.0, 1.0]
    assert chart.options["series"][1]["data"] == [2, 1]


async def test_last_job_outcomes_and_open_alerts_are_shown(accounts, user: User):
    JobRun.create(job="bank_pull", trigger="schedule", outcome="FAILED", finished_at=utcnow(),
                  error="Kunci host server bank berubah: hubungi Bank NTT sebelum menjalankan lagi")
    JobRun.create(job="bpjs_pull", trigger="schedule", outcome="SUCCEEDED", finished_at=utcnow())
    Alert.create(kind="job_failed", subject="Ambil hasil bank gagal", message="Kunci host berubah")
    Alert.create(kind="x", subject="Sudah ditangani", message="-", acknowledged_at=utcnow())
    await login(user, "viewer")
    await should_see_all(user, "Kunci host server bank berubah", "Gagal", "Berhasil", "belum pernah berjalan",
                         "Peringatan terbuka (1)", "Ambil hasil bank gagal")
    await user.should_not_see("Sudah ditangani")
    await user.should_see(marker="alert-count")


async def test_english_switch_translates_the_frame_and_statuses(accounts, user: User):
    await login(user, "viewer")
    user.find(marker="language").click()
    user.find("English").click()
    await user.should_see("Dashboard", retries=30)
    await should_see_all(user, "Ready for payout", "Times in WITA")


async def test_the_monthly_report_downloads_from_the_dashboard(accounts, user: User):
    """Last month in one click (a link to the report route), any recent month through the picker."""
    today = fmt.local_today()
    last = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    await login(user, "viewer")
    link = user.find(marker="report-last-xlsx").elements.pop()
    assert link.props["href"] == f"/laporan/bulanan/{last:%Y-%m}.xlsx"
    assert user.find(marker="report-last-pdf").elements.pop().props["href"].endswith(f"{last:%Y-%m}.pdf")
    response = await user.http_client.get(link.props["href"])
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) >= 2  # a sheet per view
    user.find(marker="report-month").elements.pop().set_value(f"{today:%Y-%m}")
    user.find(marker="report-pdf").click()
    response = await user.download.next(timeout=10)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
