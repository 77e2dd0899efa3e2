"""The one PDF renderer of the printable documents and the monthly report (contract section 9).

Every document shares its letterhead (the Dinas), its footer (when it was printed, in WITA,
and page N of M), its key-value blocks, its tables and its signature blocks, so a
daftar nominatif, a berita acara, a receipt and the monthly report look like one office's
papers. Rules the contract sets, kept here once:
- A4, real text (a font embedded, subset), never an image of text: pypdf and a screen reader
  read it, and a clerk can search it;
- the font is DejaVu Sans, committed beside this module (fonts/, with its licence): it covers
  every letter of Indonesian names (and the `•` of masked numbers), and the app needs nothing
  but Python to print, no system font;
- a file is written to `name.part` and renamed when complete, so a crash never leaves half a
  PDF under the final name.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from core.text import fmt
from core.text.i18n import t

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
LANG = "id"  # the documents are Indonesian: they are signed and filed in Kupang
LINE = 5.5  # mm, one line of body text


class Document(FPDF):
    """One A4 document with the Dinas letterhead and a footer; `title` is printed under the letterhead."""

    def __init__(self, title: str, *, landscape: bool = False, printed_at: dt.datetime | None = None,
                 zone: str = fmt.DEFAULT_ZONE):
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.doc_title = title
        self.printed = fmt.datetime(printed_at or dt.datetime.now(dt.UTC), LANG, zone)
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_author(t("doc.office", LANG))
        self.set_lang("id")
        self.set_margins(18, 15, 18)
        self.set_auto_page_break(True, margin=18)
        self.add_page()

    def header(self) -> None:
        self.set_font(FONT, "B", 11)
        for key in ("doc.government", "doc.office_upper"):
            self.cell(0, LINE, t(key, LANG), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 9)
        self.cell(0, LINE, t("doc.programme", LANG), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        y = self.get_y() + 1
        self.set_line_width(0.6)
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.set_line_width(0.2)
        self.set_y(y + 4)
        if self.page_no() == 1:
            self.set_font(FONT, "B", 12)
            self.multi_cell(0, 6, self.doc_title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(2)
        self.set_font(FONT, "", 9)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 7.5)
        self.cell(0, 4, t("doc.footer", LANG, printed=self.printed, page=self.page_no(), pages="{nb}"),
                  align="C")

    # -- building blocks -------------------------------------------------------------------------

    def heading(self, text: str) -> None:
        self.ln(2)
        self.set_font(FONT, "B", 10)
        self.cell(0, LINE + 1, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 9)

    def paragraph(self, text: str, size: float = 9.5) -> None:
        self.set_font(FONT, "", size)
        self.multi_cell(0, LINE, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def fields(self, pairs: Sequence[tuple[str, str]], label_width: float = 55) -> None:
        """Label : value lines (a receipt's particulars, a berita acara's figures)."""
        self.set_font(FONT, "", 9.5)
        for label, value in pairs:
            self.cell(label_width, LINE, label)
            self.cell(4, LINE, ":")
            self.multi_cell(0, LINE, value or "-", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def ruled_table(self, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
                    align: Sequence[str] = (), size: float = 7.5) -> None:
        """A ruled table whose heading row repeats on every page; `align` per column (L, R, C)."""
        self.set_font(FONT, "", size)
        aligns = tuple(align) or ("L",) * len(headings)
        with self.table(col_widths=tuple(widths), text_align=aligns, line_height=size * 0.55,
                        headings_style=FontFace(emphasis="BOLD", fill_color=(225, 230, 238)),
                        repeat_headings=1, first_row_as_headings=True) as table:
            table.row(list(headings))
            for values in rows:
                table.row([str(v) for v in values])
        self.set_font(FONT, "", 9)
        self.ln(2)

    def signatures(self, blocks: Sequence[tuple[str, str]], place_date: str = "") -> None:
        """Signature blocks side by side: (role, office) each, with room to sign and a line for the
        name; kept on one page (a signature never sits alone at the top of the next one)."""
        needed = 58
        if self.get_y() + needed > self.h - self.b_margin:
            self.add_page()
        self.ln(4)
        width = (self.w - self.l_margin - self.r_margin) / len(blocks)
        if place_date:
            self.set_x(self.l_margin + width * (len(blocks) - 1))
            self.cell(width, LINE, place_date, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        top = self.get_y()
        self.set_font(FONT, "", 9.5)
        for i, (role, office) in enumerate(blocks):
            self.set_xy(self.l_margin + width * i, top)
            self.multi_cell(width, LINE, f"{role}\n{office}", align="C")
        self.set_font(FONT, "", 9.5)
        for i in range(len(blocks)):
            self.set_xy(self.l_margin + width * i, top + 38)
            self.cell(width, LINE, "( ..................................................... )", align="C")
            self.set_xy(self.l_margin + width * i, top + 38 + LINE)
            self.cell(width, LINE, t("doc.sign_name", LANG), align="C")
        self.set_y(top + 38 + 2 * LINE + 2)

    def save(self, path: Path) -> Path:
        """Write the PDF to `path` atomically (`path.part`, then renamed); returns `path`."""
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(path.name + ".part")
        part.write_bytes(bytes(self.output()))
        os.replace(part, path)
        return path
