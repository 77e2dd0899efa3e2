"""The documents and the monthly report from the web app (contract section 9): the batch page's two
buttons, the claim page's "Bukti bayar", the /laporan page; each download checked on the server,
audited, and narrowed to a kabupaten desk."""

from __future__ import annotations

import io

import openpyxl
from nicegui.testing import User

from core.users import create_user
from models import AuditLog, Claim, ClaimStatus
from models import User as Account
from tests.desk.documents.support import pdf_text
from tests.factories import make_batch, make_claim
from tests.ui.conftest import PASSWORD, login

BATCH = "20260310000001"


def _pdf(response) -> str:
    return pdf_text(io.BytesIO(response.content))


async def test_the_batch_page_downloads_both_documents_and_audits_them(accounts, user: User):
    make_batch(BATCH)
    await login(user, "coordinator")
    await user.open(f"/batch/{BATCH}")
    user.find(marker="batch-daftar-nominatif").click()
    response = await user.download.next(timeout=10)
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert "JUMLAH (3 penerima) Rp 12.500.000" in _pdf(response)
    user.find(marker="batch-berita-acara").click()
    response = await user.download.next(timeout=10)
    assert "dua belas juta lima ratus ribu rupiah" in _pdf(response)
    targets = [e.target for e in AuditLog.select().where(AuditLog.action == "DOCUMENT_DOWNLOAD")]
    assert sorted(targets) == [f"BERITA_ACARA_{BATCH}.pdf", f"DAFTAR_NOMINATIF_{BATCH}.pdf"]


async def test_a_viewer_may_not_print_documents_even_by_the_address(accounts, user: User):
    make_batch(BATCH)
    await login(user, "viewer")
    await user.open(f"/batch/{BATCH}")
    assert not next(iter(user.find(marker="batch-berita-acara").elements)).enabled
    response = await user.http_client.get(f"/dokumen/batch/{BATCH}/berita-acara.pdf")
    assert response.status_code == 403 and "tidak boleh" in response.text
    assert not AuditLog.select().where(AuditLog.action == "DOCUMENT_DOWNLOAD").exists()


async def test_the_claim_page_offers_a_receipt_for_a_paid_claim_only(accounts, user: User):
    make_batch(BATCH, lines=(("SUCCESS", 1_000_000), ("SENT", 500_000)))
    paid = Claim.get(Claim.status == ClaimStatus.PAID)
    sent = Claim.get(Claim.status == ClaimStatus.INSTRUCTED)
    await login(user, "coordinator")
    await user.open(f"/klaim/{paid.claim_no}")
    user.find(marker="claim-receipt").click()
    response = await user.download.next(timeout=10)
    assert "Jumlah dibayar : Rp 1.000.000" in _pdf(response)
    await user.open(f"/klaim/{sent.claim_no}")
    await user.should_not_see(marker="claim-receipt")
    refused = await user.http_client.get(f"/dokumen/klaim/{sent.claim_no}/bukti-bayar.pdf")
    assert refused.status_code == 404 and "belum berhasil dibayar" in refused.text


async def test_a_kabupaten_desk_gets_no_receipt_of_another_kabupaten_by_the_address(app_config, user: User):
    make_batch(BATCH, lines=(("SUCCESS", 1_000_000),), kabupaten_code="5371")
    create_user("alor", PASSWORD, "coordinator")
    Account.update(kabupaten_codes="5305").where(Account.username == "alor").execute()
    claim = Claim.get(Claim.status == ClaimStatus.PAID)
    await login(user, "alor")
    response = await user.http_client.get(f"/dokumen/klaim/{claim.claim_no}/bukti-bayar.pdf")
    assert response.status_code == 404 and claim.claim_no in response.text
    batch = await user.http_client.get(f"/dokumen/batch/{BATCH}/daftar-nominatif.pdf")
    assert batch.status_code == 404


async def test_the_report_page_downloads_the_month_as_xlsx(accounts, user: User):
    make_claim(ClaimStatus.READY)
    await login(user, "viewer")
    await user.open("/laporan")
    user.find(marker="report-xlsx").click()
    response = await user.download.next(timeout=10)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book["Per Kabupaten-Kota"].max_row == 24
    assert AuditLog.get(AuditLog.action == "REPORT_DOWNLOAD").username == "viewer"


async def test_the_report_address_refuses_a_bad_month_and_needs_a_session(app_config, user: User):
    response = await user.http_client.get("/laporan/bulanan/2026-03.pdf")
    assert response.status_code in (302, 307)
    create_user("ana", PASSWORD, "viewer")
    await login(user, "ana")
    bad = await user.http_client.get("/laporan/bulanan/2026-13.pdf")
    assert bad.status_code == 404 and "Bulan 2026-13 tidak valid" in bad.text
    pdf = await user.http_client.get("/laporan/bulanan/2026-03.pdf")
    assert pdf.status_code == 200 and "Maret 2026" in _pdf(pdf)
