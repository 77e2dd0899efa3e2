"""A payout batch's papers (contract section 9): DAFTAR_NOMINATIF_<batch_id>.pdf, the list of
beneficiaries, and BERITA_ACARA_<batch_id>.pdf, the handover minutes the Dinas and Bank NTT sign.

Both show the total in figures and in words (a figure changed by hand no longer matches its
words) and are read from the batch's instructions as the bank answered them: the result
column of the list and the paid / failed / awaiting counts of the minutes are those of the
day they are printed. A kabupaten desk prints only its own lines (`desk.documents.data`).
"""

from __future__ import annotations

from pathlib import Path

from babel.dates import format_date

from core.reference import Reference
from core.text import fmt
from core.text.i18n import t
from core.text.words import rupiah_words
from desk.documents.data import BatchLines, batch_lines, file_part
from desk.documents.pdf import LANG, Document
from models import InstructionStatus, User

R = InstructionStatus
# The list's columns and their widths on landscape A4 (261 mm between the margins).
COLUMNS = ("no", "claim_no", "beneficiary", "relation", "kabupaten", "benefit", "bank_account", "amount",
           "result")
WIDTHS = (9, 33, 38, 22, 30, 44, 33, 27, 25)
ALIGN = ("R", "L", "L", "L", "L", "L", "L", "R", "L")


def write_batch_documents(batch_id: str, out_dir: Path, reference: Reference, user: User | None = None,
                          *, zone: str = fmt.DEFAULT_ZONE) -> list[Path]:
    """Write both documents of `batch_id` into `out_dir`; returns their paths. Raises Refused (nothing
    written) for an unknown batch or one outside the user's desk."""
    data = batch_lines(batch_id, user)
    name = file_part(batch_id)
    return [daftar_nominatif(data, reference, zone).save(out_dir / f"DAFTAR_NOMINATIF_{name}.pdf"),
            berita_acara(data, zone).save(out_dir / f"BERITA_ACARA_{name}.pdf")]


def daftar_nominatif(data: BatchLines, reference: Reference, zone: str) -> Document:
    batch = data.batch
    doc = Document(t("doc.nominatif.title", LANG, batch=batch.batch_id), landscape=True, zone=zone)
    doc.fields([(t("doc.batch", LANG), batch.batch_id),
                (t("doc.batch_date", LANG), fmt.date(fmt.to_local(batch.created_at, zone).date(), LANG))])
    doc.ln(2)
    rows = [(str(n), line["claim_no"], line["beneficiary_name"],
             reference.label("beneficiary_relation", line["beneficiary_relation"], LANG),
             reference.label("kabupaten", line["kabupaten_code"], LANG),
             reference.label("benefit_type", line["benefit_type"], LANG),
             f"{line['bank_code']} / {line['account_no']}", fmt.rupiah(line["amount"]),
             _result(line, reference))
            for n, line in enumerate(data.lines, start=1)]
    count, total = data.counted()
    rows.append(("", "", t("doc.total_row", LANG, count=count), "", "", "", "", fmt.rupiah(total), ""))
    doc.ruled_table([t(f"doc.col.{c}", LANG) for c in COLUMNS], rows, WIDTHS, ALIGN)
    doc.fields([(t("doc.total", LANG), fmt.rupiah(total)), (t("doc.in_words", LANG), rupiah_words(total))])
    doc.signatures(_signatories(), t("doc.place_date", LANG, date=_today(zone)))
    return doc


def berita_acara(data: BatchLines, zone: str) -> Document:
    batch = data.batch
    today = fmt.local_today(zone)
    doc = Document(t("doc.minutes.title", LANG, batch=batch.batch_id), zone=zone)
    weekday = format_date(today, "EEEE", locale="id_ID")
    doc.paragraph(t("doc.minutes.opening", LANG, weekday=weekday, date=fmt.date(today, LANG),
                    batch=batch.batch_id))
    count, total = data.counted()
    paid, failed, pending = (data.counted(R.SUCCESS), data.counted(R.FAILED, R.RETURNED),
                             data.counted(R.SENT))
    doc.fields([
        (t("doc.batch", LANG), batch.batch_id),
        (t("doc.batch_date", LANG), fmt.date(fmt.to_local(batch.created_at, zone).date(), LANG)),
        (t("doc.minutes.count", LANG), t("doc.people", LANG, count=count)),
        (t("doc.total", LANG), fmt.rupiah(total)),
        (t("doc.in_words", LANG), rupiah_words(total)),
        (t("doc.minutes.paid", LANG), _counted(paid)),
        (t("doc.minutes.failed", LANG), _counted(failed)),
        (t("doc.minutes.pending", LANG), _counted(pending)),
    ], label_width=62)
    doc.ln(2)
    doc.paragraph(t("doc.minutes.closing", LANG))
    doc.signatures(_signatories(), t("doc.place_date", LANG, date=fmt.date(today, LANG)))
    return doc


def _signatories() -> list[tuple[str, str]]:
    return [(t("doc.sign.first", LANG), t("doc.office", LANG)),
            (t("doc.sign.second", LANG), t("doc.bank", LANG))]


def _result(line: dict, reference: Reference) -> str:
    label = t(f"result.{line['result_status']}", LANG)
    if line["failure_code"] and line["result_status"] != R.SUCCESS:
        return f"{label}: {reference.label('failure_code', line['failure_code'], LANG)}"
    return label


def _counted(counted: tuple[int, int]) -> str:
    count, total = counted
    return f"{t('doc.people', LANG, count=count)} · {fmt.rupiah(total)}"


def _today(zone: str) -> str:
    return fmt.date(fmt.local_today(zone), LANG)



