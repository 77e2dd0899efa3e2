"""A kabupaten desk in a real browser (Playwright driving Debian's Chromium) through `python run.py
serve`, on SQLite or PostgreSQL (SANTUNAN_TEST_DATABASE): a user made with `users add --kabupaten
5301` must change the first password before anything (a download included), then sees Kab. Kupang
only, and cannot reach another kabupaten's claim by page, address, search or export download, nor
its receipt (bukti bayar) or a batch's list (daftar nominatif) and minutes (berita acara) by address;
the monthly report, from the dashboard or by address, holds the desk's kabupaten only; partner files
and the audit log are refused. Screenshots go to test-output/browser/kabupaten/."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
import yaml

from core.settings import PROJECT_ROOT
from core.text import fmt
from models import Claim, ClaimStatus, PayoutBatch, PayoutInstruction
from tests.browser.support import browser_page, free_port, playwright, serving, wait_for_http
from tests.cli.test_run_commands import run
from tests.desk.documents.support import pdf_text

SHOTS = PROJECT_ROOT / "test-output" / "browser" / "kabupaten"
FIRST, NEW = "Meja-Kupang-Pertama-2026", "tenun-ikat-sabana-2026"
DESK = "5301"
pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path: Path, database_url: str, database) -> Iterator[str]:
    """`serve` on demo data, with the Kupang desk user made by `users add --kabupaten`: the base URL."""
    playwright()
    port = free_port()
    config = tmp_path / "browser.yaml"
    config.write_text(yaml.safe_dump({
        "database": database_url, "work_dir": str(tmp_path / "data"), "seed_demo_data": False,
        "web": {"host": "127.0.0.1", "port": port},
        "embedded_sftp": {"enabled": False, "root": str(tmp_path / "sftp")},
    }), encoding="utf-8")
    assert run("demo", "--claims", "300", config=config).returncode == 0
    made = run("users", "add", "meja.kupang", "--role", "supervisor", "--kabupaten", DESK,
               stdin=FIRST + "\n", config=config)
    assert made.returncode == 0, made.stderr
    with serving(config, tmp_path, tmp_path / "serve.log") as process:
        base = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base}/login", process)
        yield base


def test_a_kabupaten_desk_reaches_its_own_claims_only_in_a_real_browser(server):
    base = server
    mine = list(Claim.select(Claim.claim_no).where(Claim.kabupaten_code == DESK).tuples())
    other = Claim.select().where(Claim.kabupaten_code != DESK).order_by(Claim.id).first()
    assert mine and other is not None
    with browser_page(SHOTS, timeout_ms=20_000) as page:
        _first_login_holds_every_route_until_the_password_is_changed(page, base)
        _queue_and_search(page, base, len(mine), other)
        _claim_addresses(page, base, mine[0][0], other)
        _export_download(page, base, len(mine), other)
        _receipts(page, base)
        _batch_documents(page, base)
        _monthly_report(page, base)
        _province_wide_pages(page, base)


def _first_login_holds_every_route_until_the_password_is_changed(page, base: str) -> None:
    page.goto(f"{base}/")
    page.get_by_label("Nama pengguna").fill("meja.kupang")
    page.get_by_label("Kata sandi").fill(FIRST)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_text("Kata sandi Anda sementara").wait_for()
    for path in ("/klaim", "/ekspor/klaim.csv", "/berkas"):  # a page and a download alike
        response = page.request.get(f"{base}{path}", max_redirects=0)
        assert response.status == 303 and response.headers["location"] == "/akun", path
    page.get_by_label("Kata sandi sekarang").fill(FIRST)
    page.get_by_label("Kata sandi baru", exact=True).fill(NEW)
    page.get_by_label("Ulangi kata sandi baru").fill(NEW)
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Klaim per kabupaten/kota").wait_for()  # the dashboard, after the change
    page.get_by_text("Meja: Kab. Kupang").wait_for()
    page.screenshot(path=str(SHOTS / "01-dashboard.png"), full_page=True)


def _queue_and_search(page, base: str, count: int, other: Claim) -> None:
    page.goto(f"{base}/klaim")
    page.get_by_text(f"{count} klaim cocok").wait_for()
    codes = page.locator("tbody a[href^='/klaim/']").all_inner_texts()
    assert codes and all(Claim.get(Claim.claim_no == c.strip()).kabupaten_code == DESK for c in codes)
    page.goto(f"{base}/klaim?kab={other.kabupaten_code}")  # an address asking for another kabupaten
    page.get_by_text("0 klaim cocok").wait_for()
    page.goto(f"{base}/klaim")
    page.get_by_text(f"{count} klaim cocok").wait_for()
    page.get_by_label("Cari").fill(other.claim_no)
    page.keyboard.press("Enter")
    page.get_by_text("0 klaim cocok").wait_for()
    assert other.worker_name not in page.locator("tbody").inner_text()
    page.screenshot(path=str(SHOTS / "02-search-other.png"), full_page=True)


def _claim_addresses(page, base: str, mine: str, other: Claim) -> None:
    page.goto(f"{base}/klaim/{other.claim_no}")
    page.get_by_text(re.compile("di luar meja Anda")).wait_for()
    body = page.locator("body").inner_text()
    assert other.worker_name not in body and (other.account_no or "-") not in body
    page.screenshot(path=str(SHOTS / "03-other-claim-refused.png"), full_page=True)
    page.goto(f"{base}/klaim/{mine}")
    page.get_by_text(f"Klaim {mine}").first.wait_for()
    assert "di luar meja Anda" not in page.locator("body").inner_text()


def _export_download(page, base: str, count: int, other: Claim) -> None:
    page.goto(f"{base}/klaim")
    page.get_by_text(f"{count} klaim cocok").wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == count + 1 and other.claim_no not in text
    crafted = page.request.get(f"{base}/ekspor/klaim.csv?kab={other.kabupaten_code}&q={other.claim_no}")
    assert crafted.status == 200 and other.claim_no not in crafted.text()
    assert len([line for line in crafted.text().splitlines() if line.strip()]) == 1  # the header only


def _province_wide_pages(page, base: str) -> None:
    page.goto(f"{base}/audit")
    page.get_by_text(re.compile("mencakup seluruh provinsi")).wait_for()
    response = page.request.get(f"{base}/berkas/1/unduh")
    assert response.status in (403, 404) and "seluruh provinsi" in response.text()
    page.screenshot(path=str(SHOTS / "04-audit-refused.png"), full_page=True)


def _receipts(page, base: str) -> None:
    """Another kabupaten's paid claim: no receipt by address, and nothing of it in the answer."""
    paid = Claim.select().where(Claim.status == ClaimStatus.PAID)
    other = paid.where(Claim.kabupaten_code != DESK).order_by(Claim.id).first()
    mine = paid.where(Claim.kabupaten_code == DESK).order_by(Claim.id).first()
    assert other is not None and mine is not None
    refused = page.request.get(f"{base}/dokumen/klaim/{other.claim_no}/bukti-bayar.pdf")
    assert refused.status == 404 and "di luar meja Anda" in refused.text()
    assert other.beneficiary_name not in refused.text()
    page.goto(f"{base}/klaim/{mine.claim_no}")
    with page.expect_download() as download:
        page.get_by_role("button", name="Bukti bayar (PDF)").click()
    assert download.value.suggested_filename == f"BUKTI_BAYAR_{mine.claim_no}.pdf"
    assert mine.claim_no in pdf_text(Path(download.value.path()))


def _batch_lines() -> dict[str, list[tuple[str, str, int]]]:
    """Each batch's lines as (claim_no, kabupaten_code, amount)."""
    lines: dict[str, list[tuple[str, str, int]]] = {}
    query = (PayoutInstruction.select(PayoutBatch.batch_id, Claim.claim_no, Claim.kabupaten_code,
                                      PayoutInstruction.amount)
             .join(PayoutBatch).switch(PayoutInstruction).join(Claim).tuples())
    for batch_id, claim_no, code, amount in query:
        lines.setdefault(batch_id, []).append((claim_no, code, amount))
    return lines


def _batch_documents(page, base: str) -> None:
    """A batch without a line of the desk does not exist for it; a batch with some prints those only."""
    batches = _batch_lines()
    foreign = next(b for b, lines in batches.items() if all(code != DESK for _, code, _ in lines))
    for kind in ("daftar-nominatif", "berita-acara"):
        refused = page.request.get(f"{base}/dokumen/batch/{foreign}/{kind}.pdf")
        assert refused.status == 404 and foreign in refused.text(), kind
    # a batch of the desk's lines, to which one line of another kabupaten is moved (the demo's batches
    # each hold one kabupaten): the desk prints its own lines only
    mixed = next(b for b, lines in batches.items() if any(code == DESK for _, code, _ in lines))
    stranger = PayoutInstruction.select().join(Claim).where(Claim.kabupaten_code != DESK).first()
    PayoutInstruction.update(batch=PayoutBatch.get(PayoutBatch.batch_id == mixed)) \
        .where(PayoutInstruction.id == stranger.id).execute()
    batches = _batch_lines()
    assert len({code for _, code, _ in batches[mixed]}) == 2
    ours = [line for line in batches[mixed] if line[1] == DESK]
    listed = page.request.get(f"{base}/dokumen/batch/{mixed}/daftar-nominatif.pdf")
    assert listed.status == 200
    text = pdf_text(io.BytesIO(listed.body()))
    assert all(claim_no in text for claim_no, _, _ in ours)
    assert not any(claim_no in text for claim_no, code, _ in batches[mixed] if code != DESK)
    minutes = pdf_text(io.BytesIO(page.request.get(f"{base}/dokumen/batch/{mixed}/berita-acara.pdf").body()))
    assert fmt.rupiah(sum(amount for _, _, amount in ours)) in minutes  # the desk's total, not the batch's


def _report_rows(body: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(body))["Per Kabupaten-Kota"].values)


def _monthly_report(page, base: str) -> None:
    """From the dashboard's card and by address: the desk's kabupaten and a total equal to it."""
    page.goto(f"{base}/")
    page.get_by_text("Bulan lalu").wait_for()
    page.screenshot(path=str(SHOTS / "05-dashboard-report.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    rows = _report_rows(Path(download.value.path()).read_bytes())
    assert [row[0] for row in rows[1:-1]] == [DESK] and rows[-1][1] == "JUMLAH"
    month = Claim.select().where(Claim.kabupaten_code == DESK).order_by(Claim.received_at).first().received_at
    crafted = page.request.get(f"{base}/laporan/bulanan/{fmt.to_local(month):%Y-%m}.xlsx")
    assert crafted.status == 200
    rows = _report_rows(crafted.body())
    assert [row[0] for row in rows[1:-1]] == [DESK]
    assert rows[1][2] >= 1 and rows[1][2:] == rows[-1][2:]  # the total is the desk's own figures
