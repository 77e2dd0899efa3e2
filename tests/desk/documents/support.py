"""Reading a written PDF back as people and machines do: its text, its page size, its fonts."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from pypdf import PdfReader

A4 = (595.28, 841.89)  # points


def pdf_text(path: Path | IO[bytes]) -> str:
    """Every page's extracted text, whitespace collapsed (line breaks are layout, not content)."""
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def page_sizes(path: Path) -> set[tuple[float, float]]:
    """Each page's (short side, long side) in points, rounded to 2 decimals."""
    sizes = set()
    for page in PdfReader(path).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        sizes.add((round(min(width, height), 2), round(max(width, height), 2)))
    return sizes


def embedded_fonts(path: Path) -> set[str]:
    """Base names of the fonts embedded (with their font file) in the PDF."""
    names = set()
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor and "/FontFile2" in descriptor.get_object():
                    names.add(str(font["/BaseFont"]))
    return names
