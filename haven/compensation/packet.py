"""The filled application packet: a cover letter to the claimant in their language (letters/
<code>.json; English with a note when there is none), then the claim for the program in
English: summary, claimant, crime, eligibility, expenses by category with caps and totals, and
the documents checklist. The claimant signs and mails the program's own form with it."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.utils import formats, timezone, translation

from haven.compensation.eligibility import PASS, UNKNOWN, money
from haven.compensation.models import Claim
from haven.compensation.selectors import claim_overview
from haven.lib.pdf import pdf_bytes, pdf_document, pdf_heading, pdf_paragraph, pdf_table
from haven.people.models import LANGUAGES

LETTERS = Path(__file__).parent / "letters"
DJANGO_LOCALE = {"zh": "zh-hans"}
FALLBACK_NOTE = (
    "This letter is in English because Haven has no letter in {language} yet. "
    "Ask your specialist for an interpreter: it is free."
)


@cache
def letter(code: str) -> dict | None:
    path = LETTERS / f"{code}.json"
    if not code.isalpha() or not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def letter_languages() -> list[str]:
    return sorted(p.stem for p in LETTERS.glob("*.json"))


def _date(day, language: str) -> str:
    if day is None:
        return "—"
    with translation.override(DJANGO_LOCALE.get(language, language)):
        return formats.date_format(day, "DATE_FORMAT")


# long: lays out one PDF page by page; the layout reads top to bottom
def packet_pdf(claim: Claim, *, language: str) -> tuple[bytes, str]:
    """The packet's bytes and the language its cover letter is in."""
    overview = claim_overview(claim)
    text = letter(language)
    note = ""
    if text is None:
        name = dict(LANGUAGES).get(language, language)
        note = FALLBACK_NOTE.format(language=name)
        language, text = "en", letter("en")
    prog = overview.program
    agency = claim.case.agency
    specialist = claim.case.assigned_to.display_name if claim.case.assigned_to else agency.name
    values = {
        "name": claim.claimant.full_name,
        "program": prog.name,
        "phone": prog.phone,
        "deadline": _date(overview.filing_deadline, language),
        "specialist": specialist,
        "agency_phone": agency.phone or agency.name,
    }
    pdf = pdf_document(language=language, title=text["title"])
    pdf_paragraph(pdf, f"{agency.name} · {_date(timezone.localdate(), language)}")
    pdf_heading(pdf, text["title"])
    if note:
        pdf_paragraph(pdf, note)
    pdf_paragraph(pdf, text["greeting"].format(**values))
    for paragraph in text["paragraphs"]:
        pdf_paragraph(pdf, paragraph.format(**values))
    pdf_paragraph(pdf, f"{text['closing']}\n{specialist}\n{agency.name}")

    # The claim itself, for the program: English, left to right.
    pdf.set_text_shaping(use_shaping_engine=True, direction="ltr")
    pdf.set_lang("en")
    pdf.add_page()
    pdf_heading(pdf, f"Application packet: {prog.name}")
    pdf_paragraph(pdf, f"{prog.statute}. {prog.administrator}. Assistance line {prog.phone}.")
    pdf_heading(pdf, "Claim", size=12)
    rules = overview.rules
    exception = prog.exceptions.get(claim.report_exception, {}).get("label", "")
    pdf_table(
        pdf,
        [
            ("State claim number", claim.state_claim_number or "Not assigned yet"),
            ("Status", claim.get_status_display()),
            ("Filed", _date(claim.filed_on, "en") if claim.filed_on else "Not yet"),
            ("Filing deadline", _date(overview.filing_deadline, "en")),
            ("Maximum award for this crime date", money(rules.maximum_award)),
        ],
        header=("Item", "Details"),
    )
    pdf_heading(pdf, "Claimant", size=12)
    pdf_table(
        pdf,
        [
            ("Name", claim.claimant.full_name),
            ("Date of birth", _date(claim.claimant.date_of_birth, "en")),
            ("Applies as", prog.relations.get(claim.claimant_relation, claim.claimant_relation)),
            ("Victim", claim.case.primary_victim.full_name),
        ],
        header=("Item", "Details"),
    )
    pdf_heading(pdf, "Crime", size=12)
    pdf_table(
        pdf,
        [
            ("Date", _date(claim.crime_date, "en")),
            ("Crime", prog.crime_types.get(claim.crime_type, claim.crime_type or "—")),
            (
                "Reported to police",
                f"{_date(claim.reported_on, 'en')} {claim.police_agency}".strip()
                if claim.reported_on
                else "Not recorded",
            ),
            ("Police report number", claim.case.report_number or "—"),
            ("Exception to the reporting rule", exception or "None"),
            ("Charges filed", _date(claim.charges_filed_on, "en")),
            ("Cooperated with law enforcement", claim.get_cooperated_display()),
        ],
        header=("Item", "Details"),
    )
    pdf_heading(pdf, "Eligibility check", size=12)
    marks = {PASS: "Passes", UNKNOWN: "Not known yet"}
    pdf_table(
        pdf,
        [(c.title, marks.get(c.outcome, "Fails"), c.reason) for c in overview.checks],
        header=("Rule", "Result", "Why"),
    )
    pdf_heading(pdf, "Expenses", size=12)
    expenses = list(claim.expenses.all())
    pdf_table(
        pdf,
        [
            (
                prog.categories[e.category].label if e.category in prog.categories else e.category,
                _date(e.incurred_on, "en"),
                e.provider or e.description or "—",
                money(e.amount),
            )
            for e in expenses
        ]
        or [("No expenses recorded", "", "", "")],
        header=("Category", "Date", "Provider", "Amount"),
    )
    totals = overview.totals
    rows = [
        (row.label, money(row.claimed), money(row.cap), money(row.capped), money(row.awarded))
        for row in totals.categories
    ]
    rows.append(
        (
            "Total",
            money(totals.claimed),
            money(totals.maximum_award),
            money(totals.payable),
            money(totals.awarded),
        )
    )
    pdf_table(pdf, rows, header=("Category", "Claimed", "Cap", "Payable up to", "Awarded"))
    for warning in totals.warnings:
        pdf_paragraph(pdf, f"Note: {warning}")
    pdf_heading(pdf, "Documents checklist", size=12)
    checklist = []
    for e in expenses:
        category = prog.categories.get(e.category)
        for code in category.documents if category else ():
            mark = "[x]" if code in e.documents_received else "[ ]"
            checklist.append((mark, prog.documents[code], category.label))
    pdf_table(
        pdf, checklist or [("", "No documents needed yet", "")], header=("", "Document", "For")
    )
    return pdf_bytes(pdf), language
