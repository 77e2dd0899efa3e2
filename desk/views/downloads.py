"""The claims download a coordinator opens in Excel (/ekspor/klaim.csv and .xlsx): for people.

Not `claims export` (desk/export.py), which keeps raw codes and ISO dates for machines. Here
(contract section 5, issue 17):
- headers in the reader's language; labels instead of codes (status, benefit, relation,
  kabupaten, occupation, failure), with the code in a second column where a coordinator quotes
  it to BPJS or the bank (status, benefit, kabupaten, failure);
- times in the programme's zone (WITA), the zone named in the header;
- XLSX: real date and number cells, shown `dd/mm/yyyy` and `#.##0` by Excel's own locale;
- CSV: `;`-separated with a UTF-8 BOM (Excel in an Indonesian locale splits on `;` and reads
  "Ni Luh Putu" correctly only with the BOM); dates `dd/mm/yyyy`, amounts bare digits, so
  Excel reads them as dates and numbers;
- masked by role (`desk.masking`), and every value through `core.files.sheets`, the one writer
  that neutralises formula-looking text;
- a file name stamped in WITA.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from core.claims.queries import ClaimFilter, Duty, filtered
from core.context import AppContext
from core.files.sheets import XlsxSheet, csv_text
from core.text import fmt, i18n
from desk.masking import mask_row
from models import Claim

CHUNK = 2000
CSV_DELIMITER = ";"  # Excel's list separator in an Indonesian locale
DATE_FORMAT, TIME_FORMAT, AMOUNT_FORMAT = "dd/mm/yyyy", "dd/mm/yyyy hh:mm", "#,##0"


@dataclass(frozen=True)
class Column:
    """One column: its header key (`download.col.<key>`), the claim field it shows, and how."""

    key: str
    field: str
    kind: str = "text"  # text | label | code | date | time | amount | number | yes_no
    label_list: str = ""  # the reference list of a `label` column


COLUMNS: tuple[Column, ...] = (
    Column("claim_no", "claim_no"),
    Column("revision", "revision", "number"),
    Column("status", "status", "label", "claim_status"),
    Column("status_code", "status", "code"),
    Column("case_no", "case_no"),
    Column("kpj", "kpj"),
    Column("nik", "nik"),
    Column("worker_name", "worker_name"),
    Column("kabupaten", "kabupaten_code", "label", "kabupaten"),
    Column("kabupaten_code", "kabupaten_code", "code"),
    Column("occupation", "occupation", "label", "occupation"),
    Column("accident_date", "accident_date", "date"),
    Column("benefit", "benefit_type", "label", "benefit_type"),
    Column("benefit_code", "benefit_type", "code"),
    Column("approved_amount", "approved_amount", "amount"),
    Column("beneficiary_name", "beneficiary_name"),
    Column("relation", "beneficiary_relation", "label", "beneficiary_relation"),
    Column("beneficiary_nik", "beneficiary_nik"),
    Column("account_holder_name", "account_holder_name"),
    Column("bank_code", "bank_code"),
    Column("account_no", "account_no"),
    Column("batch_id", "batch_id"),
    Column("instruction_id", "instruction_id"),
    Column("bank_reference", "bank_reference"),
    Column("paid_date", "paid_date", "date"),
    Column("failure", "failure_code", "label", "failure_code"),
    Column("failure_code", "failure_code", "code"),
    Column("hold_reason", "hold_reason"),
    Column("review_reason", "review_reason"),
    Column("flagged", "flagged", "yes_no"),
    Column("verified_at", "verified_at", "time"),
    Column("received_at", "received_at", "time"),
    Column("payment_due_date", "payment_due_date", "date"),
    Column("debited_on", "debited_on", "date"),
)
FIELDS = tuple(dict.fromkeys(column.field for column in COLUMNS))
KEYS = tuple(column.key for column in COLUMNS)


def headers(lang: str, zone: str) -> list[str]:
    """The header line in `lang`; time columns name the zone (`Diterima (WITA)`)."""
    return [i18n.t(f"download.col.{column.key}", lang, zone=fmt.zone_name(zone)) for column in COLUMNS]


def file_name(kind: str, zone: str, now: dt.datetime | None = None) -> str:
    """`klaim_20260310_1405_WITA.csv`: stamped with the programme's clock, not the server's UTC."""
    local = fmt.to_local(now or dt.datetime.now(dt.UTC), zone)
    return f"klaim_{local:%Y%m%d_%H%M}_{fmt.zone_name(zone)}.{kind}"


def rows(ctx: AppContext, claim_filter: ClaimFilter, duty: Duty, role: str, lang: str,
         chunk: int = CHUNK) -> Iterator[list[Any]]:
    """Every matching claim as one row of typed values (str, int, date, naive local datetime),
    masked for `role`; read in keyset pages of `chunk` so memory stays flat at a million claims.
    Call inside a database connection, off the event loop."""
    shown = _value_makers(ctx, lang)
    columns = [Claim.id, *(getattr(Claim, name) for name in FIELDS)]
    last = 0
    while True:
        page = list(filtered(claim_filter, duty, columns=columns).where(Claim.id > last)
                    .order_by(Claim.id).limit(chunk).dicts())
        if not page:
            return
        last = page[-1]["id"]
        for claim in page:
            claim = mask_row(role, claim)
            yield [make(claim[column.field]) for column, make in zip(COLUMNS, shown, strict=True)]


def _value_makers(ctx: AppContext, lang: str) -> list[Callable[[Any], Any]]:
    zone = ctx.settings.timezone
    yes, no = i18n.t("download.yes", lang), i18n.t("download.no", lang)

    def maker(column: Column) -> Callable[[Any], Any]:
        if column.kind == "label":
            return lambda code: ctx.reference.label(column.label_list, code, lang) if code else None
        if column.kind == "time":  # a naive local time: Excel has no zones, the header names it
            return lambda utc: fmt.to_local(utc, zone).replace(tzinfo=None) if utc else None
        if column.kind == "yes_no":
            return lambda flag: yes if flag else no
        return lambda value: value

    return [maker(column) for column in COLUMNS]


def csv_header(lang: str, zone: str) -> str:
    """The BOM and the header line of the CSV download."""
    return csv_text(KEYS, (), header=True, bom=True, delimiter=CSV_DELIMITER, titles=headers(lang, zone))


def csv_lines(values: list[list[Any]]) -> str:
    """Rows of `rows()` as CSV lines: dates `dd/mm/yyyy`, times `dd/mm/yyyy HH:MM`, amounts bare
    digits (what Excel in an Indonesian locale reads as dates and numbers)."""
    return csv_text(KEYS, (dict(zip(KEYS, map(_csv_value, row), strict=True)) for row in values),
                    delimiter=CSV_DELIMITER)


def write_xlsx(ctx: AppContext, claim_filter: ClaimFilter, duty: Duty, role: str, lang: str) -> str:
    """The XLSX download written to a temporary file (the caller streams and deletes it)."""
    formats = [{"date": DATE_FORMAT, "time": TIME_FORMAT, "amount": AMOUNT_FORMAT}.get(c.kind)
               for c in COLUMNS]
    sheet = XlsxSheet(i18n.t("download.sheet", lang), headers(lang, ctx.settings.timezone), formats)
    for row in rows(ctx, claim_filter, duty, role, lang):
        sheet.append(row)
    return sheet.save_temporary("santunan-unduhan-")


def _csv_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return value
