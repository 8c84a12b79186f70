"""The PDF helpers (haven/lib/pdf.py): the fallback font is added only when a text needs it."""

import io

from pypdf import PdfReader

from haven.lib.pdf import FALLBACK, pdf_bytes, pdf_document, pdf_heading, pdf_paragraph, pdf_table


def fonts_and_text(data: bytes) -> tuple[set[str], str]:
    reader = PdfReader(io.BytesIO(data))
    fonts = {
        font.get_object()["/BaseFont"].split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    return fonts, "\n".join(page.extract_text() for page in reader.pages)


def test_a_document_in_latin_script_embeds_dejavu_only():
    pdf = pdf_document(language="es", title="Aviso")
    pdf_heading(pdf, "Aviso de audiencia")
    pdf_paragraph(pdf, "Su audiencia es el 3 de marzo. Núñez, Łódź, Дмитрий.")
    fonts, text = fonts_and_text(pdf_bytes(pdf))
    assert FALLBACK not in pdf.fonts
    assert fonts == {"DejaVuSansBook", "DejaVuSansBold"}
    assert "Núñez, Łódź, Дмитрий" in text


def test_chinese_in_a_heading_a_paragraph_or_a_table_brings_in_the_fallback():
    for write, shown in (
        (lambda pdf: pdf_heading(pdf, "开庭通知"), "开庭通知"),
        (lambda pdf: pdf_paragraph(pdf, "Victim: 王小明"), "王小明"),
        (lambda pdf: pdf_table(pdf, [("王小明", "2026-12-04")], header=("Name", "Date")), "王小明"),
    ):
        pdf = pdf_document(language="en", title="Notice")
        pdf_paragraph(pdf, "Plain English first.")
        assert FALLBACK not in pdf.fonts
        write(pdf)
        fonts, text = fonts_and_text(pdf_bytes(pdf))
        assert FALLBACK in pdf.fonts
        assert any("DroidSansFallback" in f for f in fonts)
        assert shown in text
