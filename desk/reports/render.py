"""The monthly report as a file: XLSX (one sheet per view, typed cells, through `core.files.sheets`,
the one writer that neutralises formula-looking text) or PDF (through `desk.documents.pdf`, the one
renderer), chosen by the file's extension (contract section 5: `report monthly YYYY-MM --out FILE`).
"""

from __future__ import annotations

from pathlib import Path

from core.files.sheets import XlsxBook
from core.reference import Reference
from core.settings import Settings
from core.text import fmt
from core.text.i18n import t
from desk.documents.pdf import LANG, Document
from desk.refusal import Refused
from desk.reports.monthly import FIGURES, MonthlyReport, Row, monthly_report, parse_month
from desk.scope import desk_label
from models import User

DATE, AMOUNT, COUNT = "dd/mm/yyyy", "#,##0", "#,##0"
KINDS = (".xlsx", ".pdf")
FIGURE_FORMATS = (COUNT, COUNT, AMOUNT, COUNT, COUNT, COUNT)


def write_monthly(month: str, path: Path, settings: Settings, reference: Reference,
                  user: User | None = None) -> Path:
    """Write the report of `month` (`YYYY-MM`) to `path`, `.xlsx` or `.pdf`; raises Refused (nothing
    written) for a bad month or extension."""
    kind = path.suffix.lower()
    if kind not in KINDS:
        raise Refused("report.error.extension", path=str(path))
    report = monthly_report(parse_month(month), settings, reference, user)
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == ".xlsx":
        workbook(report, reference, settings.timezone).save(path)
    else:
        document(report, reference, settings.timezone).save(path)
    return path


def month_name(report: MonthlyReport) -> str:
    """`Maret 2026`."""
    return fmt.date(report.month, LANG).split(" ", 1)[1]


def figure_headers() -> list[str]:
    return [t(f"report.col.{name}", LANG) for name in FIGURES]


def workbook(report: MonthlyReport, reference: Reference, zone: str) -> XlsxBook:
    book = XlsxBook()
    totals = report.totals
    made_at = fmt.to_local(report.made_at, zone).replace(tzinfo=None, second=0, microsecond=0)
    summary = [(t("report.month", LANG), month_name(report)),
               (t("report.desk", LANG), desk_label(report.desk, reference, LANG)),
               (t("report.made_at", LANG), made_at),
               *zip(figure_headers(), totals.figures.values(), strict=True),
               (t("report.col.sessions", LANG), totals.sessions),
               (t("report.col.attendees", LANG), totals.attendees)]
    book.add_sheet(t("report.sheet.summary", LANG), [t("report.col.item", LANG), t("report.col.value", LANG)],
                   summary)
    _set_formats(book, t("report.sheet.summary", LANG), {2: "dd/mm/yyyy hh:mm", 5: AMOUNT})
    kab_header = [t("report.col.code", LANG), t("report.col.kabupaten", LANG), *figure_headers(),
                  t("report.col.sessions", LANG), t("report.col.attendees", LANG)]
    book.add_sheet(t("report.sheet.kabupaten", LANG), kab_header,
                   [_row(row, sessions=True) for row in [*report.kabupaten, _total(totals)]],
                   (None, None, *FIGURE_FORMATS, COUNT, COUNT))
    benefit_total = Row("", t("report.total", LANG))
    for row in report.benefits:
        benefit_total.figures.add(row.figures)
    book.add_sheet(t("report.sheet.benefit", LANG),
                   [t("report.col.code", LANG), t("report.col.benefit", LANG), *figure_headers()],
                   [_row(row) for row in [*report.benefits, benefit_total]], (None, None, *FIGURE_FORMATS))
    session_keys = ("date", "kabupaten_code", "kabupaten", "place", "facilitator", "attendees")
    book.add_sheet(t("report.sheet.sessions", LANG),
                   [t(f"report.col.{c}", LANG) for c in ("date", "code", "kabupaten", "place", "facilitator",
                                                          "attendees")],
                   [[session[key] for key in session_keys] for session in report.sessions],
                   (DATE, None, None, None, None, COUNT))
    book.add_sheet(t("report.sheet.reasons", LANG),
                   [t(f"report.col.{c}", LANG) for c in ("code", "reason", "failures", "amount")],
                   report.reasons, (None, None, COUNT, AMOUNT))
    return book


def document(report: MonthlyReport, reference: Reference, zone: str) -> Document:
    doc = Document(t("report.title", LANG, month=month_name(report)), landscape=True, zone=zone)
    totals = report.totals
    doc.fields([(t("report.desk", LANG), desk_label(report.desk, reference, LANG)),
                (t("report.col.received", LANG), fmt.number(totals.figures.received)),
                (t("report.col.paid", LANG), f"{fmt.number(totals.figures.paid)} · "
                                              f"{fmt.rupiah(totals.figures.paid_amount)}"),
                (t("report.col.sessions", LANG), fmt.number(totals.sessions))], label_width=70)
    numbers = ("R",) * 8
    doc.heading(t("report.sheet.kabupaten", LANG))
    doc.ruled_table([t("report.col.kabupaten", LANG), *figure_headers(), t("report.col.sessions", LANG),
               t("report.col.attendees", LANG)],
              [_shown(row, sessions=True) for row in [*report.kabupaten, _total(totals)]],
              (57, 24, 24, 34, 24, 26, 24, 24, 24), ("L", *numbers))
    doc.heading(t("report.sheet.benefit", LANG))
    benefit_total = Row("", t("report.total", LANG))
    for row in report.benefits:
        benefit_total.figures.add(row.figures)
    doc.ruled_table([t("report.col.benefit", LANG), *figure_headers()],
              [_shown(row) for row in [*report.benefits, benefit_total]], (81, 28, 28, 40, 28, 28, 28),
              ("L", *numbers[:6]))
    doc.heading(t("report.sheet.reasons", LANG))
    if report.reasons:
        doc.ruled_table([t(f"report.col.{c}", LANG) for c in ("reason", "failures", "amount")],
                  [(label, fmt.number(n), fmt.rupiah(amount)) for _code, label, n, amount in report.reasons],
                  (120, 40, 50), ("L", "R", "R"))
    else:
        doc.paragraph(t("report.no_failures", LANG))
    doc.signatures([(t("report.sign.made", LANG), t("doc.office", LANG)),
                    (t("report.sign.head", LANG), t("doc.office", LANG))],
                   t("doc.place_date", LANG, date=fmt.date(fmt.local_today(zone), LANG)))
    return doc


def _row(row: Row, sessions: bool = False) -> list:
    values = [row.code, row.name, *row.figures.values()]
    return [*values, row.sessions, row.attendees] if sessions else values


def _shown(row: Row, sessions: bool = False) -> list[str]:
    f = row.figures
    values = [row.name, fmt.number(f.received), fmt.number(f.paid), fmt.rupiah(f.paid_amount),
              fmt.number(f.failed), fmt.number(f.unpaid), fmt.number(f.late)]
    return [*values, fmt.number(row.sessions), fmt.number(row.attendees)] if sessions else values


def _total(totals: Row) -> Row:
    totals.name = t("report.total", LANG)
    return totals


def _set_formats(book: XlsxBook, title: str, formats: dict[int, str]) -> None:
    """Number formats of single cells of the summary sheet (its value column mixes kinds), by the index
    of their line (the header is row 1)."""
    sheet = book.workbook[title[:31]]
    for index, number_format in formats.items():
        sheet.cell(row=index + 2, column=2).number_format = number_format
