"""The release of information form as a PDF, blank (to fill in by hand and sign on paper) or
filled from a recorded release, in the person's language where Haven has the words (English,
Spanish, Polish, Chinese and Arabic; any other language prints in English, and the staff page
says so)."""

from django.utils import timezone

from haven.consent.models import DataCategory, Purpose, ReleaseOfInformation
from haven.consent.pdf_more import TEXT_MORE
from haven.lib.pdf import pdf_bytes, pdf_document, pdf_heading, pdf_paragraph, pdf_table

BLANK = "____________________________"

TEXT = {
    "en": {
        "title": "Authorization to release information",
        "intro": (
            "{agency} keeps what you tell us confidential. We share information about you only "
            "when you agree in writing, only with whom you name, only what you choose, and only "
            "until the date below. Our services to you do not depend on signing this form."
        ),
        "person": "About",
        "dob": "Date of birth",
        "recipient": "May be shared with",
        "purposes": "For",
        "categories": "Information that may be shared",
        "expires": "This authorization ends on",
        "revoke": (
            "You may revoke this authorization at any time, in writing or by telling your "
            "specialist; revocation takes effect at once. Information already shared cannot be "
            "taken back."
        ),
        "signer": "Signed by",
        "relation": "Relation to the person",
        "signature": "Signature",
        "date": "Date",
        "minor": "Agreement of the minor (if asked)",
        "esigned": "Signed electronically in Haven by typing the name “{name}” on {at}.",
        "tick": "[X]",
        "box": "[  ]",
        "yes": "Yes",
        "purpose": {p.value: p.label for p in Purpose},
        "category": {c.value: c.label for c in DataCategory},
        "relations": {
            "self": "Self",
            "parent": "Parent",
            "guardian": "Legal guardian",
            "legal_representative": "Legal representative",
        },
        "item": "Item",
    },
    "es": {
        "title": "Autorización para divulgar información",
        "intro": (
            "{agency} mantiene confidencial lo que usted nos cuenta. Compartimos información "
            "sobre usted solo si usted lo autoriza por escrito, solo con quien usted nombre, "
            "solo lo que usted elija y solo hasta la fecha indicada abajo. Nuestros servicios "
            "no dependen de que usted firme este formulario."
        ),
        "person": "Sobre",
        "dob": "Fecha de nacimiento",
        "recipient": "Se puede compartir con",
        "purposes": "Para",
        "categories": "Información que se puede compartir",
        "expires": "Esta autorización termina el",
        "revoke": (
            "Usted puede revocar esta autorización en cualquier momento, por escrito o "
            "diciéndoselo a su especialista; la revocación tiene efecto inmediato. La "
            "información ya compartida no se puede recuperar."
        ),
        "signer": "Firmado por",
        "relation": "Relación con la persona",
        "signature": "Firma",
        "date": "Fecha",
        "minor": "Acuerdo del menor (si se pide)",
        "esigned": "Firmado electrónicamente en Haven escribiendo el nombre «{name}» el {at}.",
        "tick": "[X]",
        "box": "[  ]",
        "yes": "Sí",
        "purpose": {
            "referral": "Remisión a los servicios del destinatario",
            "service_coordination": "Coordinar servicios con el destinatario",
            "legal_advocacy": "Asesoría legal",
            "compensation_claim": "Una solicitud de compensación para víctimas de delitos",
            "court_notification": "Avisos del tribunal y del caso",
        },
        "category": {
            "identity": "Identidad (nombre, fecha de nacimiento)",
            "contact": "Contacto (teléfono, correo electrónico)",
            "location": "Ubicación (domicilio, albergue)",
            "case_facts": "Hechos del caso (victimización, incidente, fechas)",
            "service_needs": "Necesidades de servicios",
            "safety_plan": "Plan de seguridad",
            "notes": "Notas del caso que se pueden compartir",
            "documents": "Documentos (escaneos, cartas, fotos)",
        },
        "relations": {
            "self": "La persona misma",
            "parent": "Padre o madre",
            "guardian": "Tutor legal",
            "legal_representative": "Representante legal",
        },
        "item": "Dato",
    },
}


TEXT |= TEXT_MORE  # Polish, Chinese and Arabic (pdf_more.py)


def form_languages() -> list[str]:
    return list(TEXT)


def _date(value, agency) -> str:
    if value is None:
        return BLANK
    if hasattr(value, "hour"):
        value = timezone.localtime(value, agency.tz).date()
    return value.isoformat()


def release_pdf(*, agency, person, language: str, release: ReleaseOfInformation | None) -> bytes:
    """The form: blank when `release` is None (the person's name filled in, the rest lines to
    complete by hand), else filled from the release."""
    language = language if language in TEXT else "en"
    t = TEXT[language]
    pdf = pdf_document(language=language, title=t["title"])
    pdf_heading(pdf, t["title"])
    pdf_paragraph(pdf, agency.name)
    pdf_paragraph(pdf, t["intro"].format(agency=agency.name))
    rows = [
        (t["person"], person.full_name),
        (t["dob"], person.date_of_birth.isoformat() if person.date_of_birth else BLANK),
        (t["recipient"], release.recipient_label if release else BLANK),
        (t["expires"], _date(release.expires_at, agency) if release else BLANK),
    ]
    pdf_table(pdf, rows, header=(t["item"], ""))
    chosen_purposes = set(release.purposes) if release else set()
    chosen_categories = set(release.categories) if release else set()
    pdf_heading(pdf, t["purposes"], size=12)
    for value in Purpose.values:
        mark = t["tick"] if value in chosen_purposes else t["box"]
        pdf_paragraph(pdf, f"{mark} {t['purpose'][value]}")
    pdf_heading(pdf, t["categories"], size=12)
    for value in DataCategory.values:
        mark = t["tick"] if value in chosen_categories else t["box"]
        pdf_paragraph(pdf, f"{mark} {t['category'][value]}")
    pdf_paragraph(pdf, t["revoke"])
    if release is not None:
        signer = release.signer_name or person.full_name
        relation = t["relations"].get(release.signer_relation, release.signer_relation)
        signed = _date(release.signed_at, agency)
    else:
        signer, relation, signed = BLANK, BLANK, BLANK
    pdf_table(
        pdf,
        [
            (t["signer"], signer),
            (t["relation"], relation),
            (t["signature"], BLANK),
            (t["date"], signed),
            (t["minor"], (t["yes"] if release and release.minor_assent else BLANK)),
        ],
        header=(t["item"], ""),
    )
    if release is not None and release.esign_at is not None:
        at = timezone.localtime(release.esign_at, agency.tz).strftime("%Y-%m-%d %H:%M")
        pdf_paragraph(pdf, t["esigned"].format(name=release.esign_typed_name, at=at))
    return pdf_bytes(pdf)
