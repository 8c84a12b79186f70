"""PDF documents Haven prints (letters to victims, compensation packets) in any language it
speaks: DejaVu Sans for Latin, Polish, Cyrillic and Arabic script, Droid Sans Fallback for
Chinese, HarfBuzz shaping so Arabic joins and runs right to left.

The fonts come from Debian's fonts-dejavu-core and fonts-droid-fallback, which
scripts/ensure-system-packages installs for `make run` and `make test`.

    pdf = pdf_document(language="es", title="Aviso")
    pdf_heading(pdf, "Aviso de audiencia")
    pdf_paragraph(pdf, "...")
    data = pdf_bytes(pdf)
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from fpdf import FPDF

FONT_FILES = {
    "dejavu": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    "dejavu-bold": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    "droid": Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
}
RTL_LANGUAGES = {"ar", "fa", "ur", "he"}
FALLBACK = "droid"


def _font_path(name: str) -> str:
    path = FONT_FILES[name]
    if not path.exists():
        raise ImproperlyConfigured(
            f"PDF font {path} is missing: run scripts/ensure-system-packages "
            "(Debian packages fonts-dejavu-core and fonts-droid-fallback)."
        )
    return str(path)


def pdf_document(*, language: str, title: str) -> FPDF:
    """A new A4/Letter-agnostic page set up for `language` (an ISO 639-1 code)."""
    pdf = FPDF(format="letter")
    pdf.set_title(title)
    pdf.set_creator("Haven")
    pdf.set_lang(language)
    pdf.add_font("dejavu", "", _font_path("dejavu"))
    pdf.add_font("dejavu", "B", _font_path("dejavu-bold"))
    if language in RTL_LANGUAGES:
        pdf.set_text_shaping(use_shaping_engine=True, direction="rtl")
    else:
        pdf.set_text_shaping(use_shaping_engine=True)
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("dejavu", size=11)
    return pdf


def pdf_heading(pdf: FPDF, text: str, *, size: int = 14) -> None:
    _cover(pdf, text)
    pdf.set_font("dejavu", "B", size)
    pdf.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("dejavu", "", 11)


def pdf_paragraph(pdf: FPDF, text: str) -> None:
    _cover(pdf, text)
    pdf.set_font("dejavu", "", 11)
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def pdf_table(pdf: FPDF, rows: list[tuple[str, ...]], *, header: tuple[str, ...]) -> None:
    """A simple bordered table: a bold header row, then `rows` of text cells."""
    _cover(pdf, *header, *(value for values in rows for value in values))
    pdf.set_font("dejavu", "", 10)
    with pdf.table(text_align="LEFT", line_height=6) as table:
        head = table.row()
        for cell in header:
            head.cell(cell)
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.ln(3)
    pdf.set_font("dejavu", "", 11)


def _cover(pdf: FPDF, *texts: str) -> None:
    """Add Droid Sans Fallback before the first text with a character DejaVu Sans lacks
    (Chinese, a name in another script). Parsing it took two thirds of a document's time, and
    most documents never need it. It has no bold: bold text falls back to it too."""
    if FALLBACK in pdf.fonts:
        return
    regular, bold = pdf.fonts["dejavu"].cmap, pdf.fonts["dejavuB"].cmap
    characters = {ord(ch) for text in texts for ch in text if not ch.isspace()}
    if any(c not in regular or c not in bold for c in characters):
        pdf.add_font(FALLBACK, "", _font_path("droid"))
        pdf.set_fallback_fonts([FALLBACK], exact_match=False)


def pdf_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())
