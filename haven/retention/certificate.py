"""The certificate of destruction as a PDF (the printable page is its template)."""

from haven.lib.pdf import pdf_bytes, pdf_document, pdf_heading, pdf_paragraph, pdf_table
from haven.retention.models import DestructionCertificate


def certificate_lines(certificate: DestructionCertificate) -> list[tuple[str, str]]:
    span = "—"
    if certificate.earliest_trigger:
        span = f"{certificate.earliest_trigger:%Y-%m-%d} to {certificate.latest_trigger:%Y-%m-%d}"
    return [
        ("Certificate", certificate.number),
        ("Kind of record", certificate.get_kind_display()),
        ("Records destroyed", str(certificate.count)),
        ("Records kept (hold, reopened, unfiled quarter)", str(certificate.kept)),
        ("Trigger dates of the records destroyed", span),
        ("Schedule", f"{certificate.years} years after the trigger date"),
        ("Legal basis", certificate.legal_basis),
        (
            "Proposed by",
            f"{certificate.proposed_label}, {certificate.proposed_at:%Y-%m-%d %H:%M} UTC",
        ),
        (
            "Approved by",
            f"{certificate.approved_label}, {certificate.approved_at:%Y-%m-%d %H:%M} UTC",
        ),
        ("PMT reports frozen first", ", ".join(certificate.frozen_quarters) or "none"),
        ("Salt of the record digests", certificate.salt),
        ("SHA-256 of this certificate", certificate.sha256),
        ("Access log event", str(certificate.audit_event_id or "")),
    ]


def certificate_pdf(certificate: DestructionCertificate, agency_name: str) -> bytes:
    pdf = pdf_document(language="en", title=f"Certificate of destruction {certificate.number}")
    pdf_heading(pdf, f"Certificate of destruction {certificate.number}")
    pdf_paragraph(pdf, agency_name)
    pdf_table(pdf, certificate_lines(certificate), header=("", ""))
    pdf_heading(pdf, "Rows destroyed, by table", size=11)
    pdf_table(pdf, [(k, str(v)) for k, v in certificate.rows.items()], header=("table", "rows"))
    pdf_heading(pdf, "Record digests: SHA-256(salt:kind:id)", size=11)
    pdf_paragraph(pdf, "\n".join(certificate.digests) or "none")
    if certificate.document_digests:
        pdf_heading(pdf, "Documents destroyed: kind and SHA-256", size=11)
        pdf_table(pdf, [tuple(d) for d in certificate.document_digests], header=("kind", "sha256"))
    return pdf_bytes(pdf)
