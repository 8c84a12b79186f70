"""The words of the partner's referral pages (no account: /partner/<agency>/referrals/<token>/),
in the five languages Haven writes to people without an account (issue 14): English, Spanish,
Polish, Chinese (simplified) and Arabic (right to left). Every key exists in every language and
keeps the English `{placeholders}` (tests/test_partner_words.py). What the unit or the data
names (the service, the need, the crime's type) is shown as written, marked as English.

The Polish, Chinese and Arabic words are working translations: a qualified translator should
review them before an agency relies on them.
"""

from contextlib import suppress

from haven.lib.accept_language import negotiate

LANGUAGES = {
    "en": {"name": "English", "dir": "ltr"},
    "es": {"name": "Español", "dir": "ltr"},
    "pl": {"name": "Polski", "dir": "ltr"},
    "zh-hans": {"name": "中文", "dir": "ltr"},
    "ar": {"name": "العربية", "dir": "rtl"},
}
CODES = tuple(LANGUAGES)

TEXT = {
    "en": {
        "title": "Referral from {agency}",
        "to": "To {organization} · {service}",
        "language": "Language",
        "answered": "Thank you: your answer was sent to {agency}.",
        "no_consent": "The person's consent to share this referral with you is no longer in "
        "force, so its details cannot be shown. Please contact the referring unit.",
        "ended": "This referral has ended ({status}). Nothing more is needed.",
        "status": "Status",
        "referred_by": "Referred by {name}.",
        "who": "Who",
        "goes_by": "goes by {preferred}",
        "born": "Born",
        "speaks": "Language",
        "interpreter": "needs an interpreter",
        "reach": "How to reach them safely",
        "voicemail": "Voicemail",
        "texts": "Texts",
        "mail": "Email",
        "ok": "OK",
        "not_ok": "not OK",
        "only": "only",
        "no_contact": "No safe contact on file: reach them through the referring specialist.",
        "where": "Where",
        "no_address": "No address shared.",
        "need": "What they need",
        "background": "Background",
        "notes": "Notes shared with you",
        "none": "None.",
        "documents": "Documents shared with you",
        "withheld": "Documents not shown: {n}. The person's consent does not cover sharing "
        "documents with your organization.",
        "answer": "Your answer",
        "note": "Note to the referring specialist",
        "optional": "(optional)",
        "note_hint": "Required when you decline: why (for example, no space, not eligible).",
        "why_declined": "Say why you decline.",
        "fix": "Please fix the marked fields.",
        "send": "Send your answer",
        "footer": "Shared with the person's written consent. Do not copy or pass it on. Each "
        "visit to this page is recorded.",
        "gone_title": "This link does not work",
        "gone": "It may have expired or been replaced by a newer one. Please contact {agency} "
        "and ask for a new link.",
        "busy_title": "Too many tries",
        "busy": "Too many links that do not work were opened from your network. Please wait "
        "ten minutes and try again, or contact {agency}.",
        "refused_title": "Document not shared",
        "refused": "This document cannot be shared with you: the person's consent does not "
        "cover sharing documents with your organization. Please contact the referring unit.",
        "back": "Back to the referral",
        "statuses": {
            "proposed": "Proposed",
            "consented": "Consented",
            "sent": "Sent",
            "accepted": "Accepted",
            "declined": "Declined",
            "service_started": "Service started",
            "completed": "Completed",
            "no_show": "The person never came",
            "withdrawn": "Withdrawn",
            "expired": "Expired: no answer",
        },
        "urgency": {"soon": "Within a few days", "urgent": "Urgent: today"},
        "kinds": {"phone": "Phone", "email": "Email"},
        "documents_kinds": {
            "release": "Release of information (signed)",
            "protection_order": "Order of protection",
            "receipt": "Receipt or bill",
            "letter": "Letter",
            "injury_photo": "Photo of an injury",
            "other": "Other",
        },
    },
    "es": {
        "title": "Remisión de {agency}",
        "to": "Para {organization} · {service}",
        "language": "Idioma",
        "answered": "Gracias: su respuesta se envió a {agency}.",
        "no_consent": "El consentimiento de la persona para compartir esta remisión con "
        "ustedes ya no está vigente, por lo que no se pueden mostrar los detalles. Comuníquese "
        "con la unidad que hizo la remisión.",
        "ended": "Esta remisión terminó ({status}). No hace falta nada más.",
        "status": "Estado",
        "referred_by": "Remitido por {name}.",
        "who": "Quién",
        "goes_by": "prefiere que le llamen {preferred}",
        "born": "Fecha de nacimiento",
        "speaks": "Idioma",
        "interpreter": "necesita intérprete",
        "reach": "Cómo contactar a la persona de forma segura",
        "voicemail": "Buzón de voz",
        "texts": "Mensajes de texto",
        "mail": "Correo electrónico",
        "ok": "sí",
        "not_ok": "no",
        "only": "solo",
        "no_contact": "No hay un contacto seguro registrado: contacte a la persona a través del "
        "especialista que hizo la remisión.",
        "where": "Dónde",
        "no_address": "No se compartió ninguna dirección.",
        "need": "Qué necesita",
        "background": "Antecedentes",
        "notes": "Notas compartidas con ustedes",
        "none": "Ninguna.",
        "documents": "Documentos compartidos con ustedes",
        "withheld": "Documentos no mostrados: {n}. El consentimiento de la persona no cubre "
        "compartir documentos con su organización.",
        "answer": "Su respuesta",
        "note": "Nota para el especialista que hizo la remisión",
        "optional": "(opcional)",
        "note_hint": "Obligatoria si no aceptan: por qué (por ejemplo, no hay lugar, no "
        "cumple los requisitos).",
        "why_declined": "Indique por qué no aceptan.",
        "fix": "Corrija los campos marcados.",
        "send": "Enviar su respuesta",
        "footer": "Compartido con el consentimiento escrito de la persona. No lo copie ni lo "
        "reenvíe. Cada visita a esta página queda registrada.",
        "gone_title": "Este enlace no funciona",
        "gone": "Puede haber vencido o haber sido reemplazado por uno más reciente. "
        "Comuníquese con {agency} y pida un enlace nuevo.",
        "busy_title": "Demasiados intentos",
        "busy": "Se abrieron desde su red demasiados enlaces que no funcionan. Espere diez "
        "minutos y vuelva a intentarlo, o comuníquese con {agency}.",
        "refused_title": "Documento no compartido",
        "refused": "Este documento no se puede compartir con ustedes: el consentimiento de la "
        "persona no cubre compartir documentos con su organización. Comuníquese con la unidad "
        "que hizo la remisión.",
        "back": "Volver a la remisión",
        "statuses": {
            "proposed": "Propuesta",
            "consented": "Con consentimiento",
            "sent": "Enviada",
            "accepted": "Aceptada",
            "declined": "No aceptada",
            "service_started": "Servicio iniciado",
            "completed": "Completada",
            "no_show": "La persona nunca vino",
            "withdrawn": "Retirada",
            "expired": "Vencida: sin respuesta",
        },
        "urgency": {"soon": "En pocos días", "urgent": "Urgente: hoy"},
        "kinds": {"phone": "Teléfono", "email": "Correo electrónico"},
        "documents_kinds": {
            "release": "Autorización para compartir información (firmada)",
            "protection_order": "Orden de protección",
            "receipt": "Recibo o factura",
            "letter": "Carta",
            "injury_photo": "Foto de una lesión",
            "other": "Otro",
        },
    },
    "pl": {
        "title": "Skierowanie od: {agency}",
        "to": "Do: {organization} · {service}",
        "language": "Język",
        "answered": "Dziękujemy: odpowiedź została wysłana do: {agency}.",
        "no_consent": "Zgoda tej osoby na udostępnienie Państwu skierowania już nie obowiązuje, "
        "więc jego szczegóły nie mogą być pokazane. Prosimy o kontakt z jednostką kierującą.",
        "ended": "To skierowanie jest zakończone ({status}). Nic więcej nie jest potrzebne.",
        "status": "Status",
        "referred_by": "Skierował(a): {name}.",
        "who": "Kto",
        "goes_by": "używa imienia {preferred}",
        "born": "Data urodzenia",
        "speaks": "Język",
        "interpreter": "potrzebuje tłumacza",
        "reach": "Jak bezpiecznie się skontaktować",
        "voicemail": "Poczta głosowa",
        "texts": "SMS-y",
        "mail": "E-mail",
        "ok": "tak",
        "not_ok": "nie",
        "only": "tylko",
        "no_contact": "Brak bezpiecznego kontaktu: prosimy kontaktować się przez opiekuna, "
        "który wystawił skierowanie.",
        "where": "Gdzie",
        "no_address": "Nie udostępniono adresu.",
        "need": "Czego potrzebuje",
        "background": "Informacje o sprawie",
        "notes": "Notatki udostępnione Państwu",
        "none": "Brak.",
        "documents": "Dokumenty udostępnione Państwu",
        "withheld": "Niepokazane dokumenty: {n}. Zgoda tej osoby nie obejmuje udostępniania "
        "dokumentów Państwa organizacji.",
        "answer": "Odpowiedź",
        "note": "Uwaga dla opiekuna, który wystawił skierowanie",
        "optional": "(opcjonalnie)",
        "note_hint": "Wymagane przy odmowie: dlaczego (na przykład brak miejsc, osoba nie "
        "spełnia warunków).",
        "why_declined": "Prosimy podać powód odmowy.",
        "fix": "Prosimy poprawić zaznaczone pola.",
        "send": "Wyślij odpowiedź",
        "footer": "Udostępnione za pisemną zgodą tej osoby. Nie kopiować ani nie przekazywać "
        "dalej. Każda wizyta na tej stronie jest rejestrowana.",
        "gone_title": "Ten link nie działa",
        "gone": "Mógł wygasnąć albo zostać zastąpiony nowszym. Prosimy o kontakt z: {agency} "
        "i prośbę o nowy link.",
        "busy_title": "Zbyt wiele prób",
        "busy": "Z Państwa sieci otwarto zbyt wiele niedziałających linków. Prosimy odczekać "
        "dziesięć minut i spróbować ponownie albo skontaktować się z: {agency}.",
        "refused_title": "Dokument nieudostępniony",
        "refused": "Tego dokumentu nie można Państwu udostępnić: zgoda tej osoby nie obejmuje "
        "udostępniania dokumentów Państwa organizacji. Prosimy o kontakt z jednostką kierującą.",
        "back": "Wróć do skierowania",
        "statuses": {
            "proposed": "Zaproponowane",
            "consented": "Ze zgodą",
            "sent": "Wysłane",
            "accepted": "Przyjęte",
            "declined": "Odrzucone",
            "service_started": "Usługa rozpoczęta",
            "completed": "Zakończone",
            "no_show": "Osoba się nie zgłosiła",
            "withdrawn": "Wycofane",
            "expired": "Wygasło: brak odpowiedzi",
        },
        "urgency": {"soon": "W ciągu kilku dni", "urgent": "Pilne: dzisiaj"},
        "kinds": {"phone": "Telefon", "email": "E-mail"},
        "documents_kinds": {
            "release": "Zgoda na udostępnienie informacji (podpisana)",
            "protection_order": "Nakaz ochrony",
            "receipt": "Paragon lub rachunek",
            "letter": "List",
            "injury_photo": "Zdjęcie obrażeń",
            "other": "Inny",
        },
    },
    "zh-hans": {
        "title": "来自{agency}的转介",
        "to": "致{organization} · {service}",
        "language": "语言",
        "answered": "谢谢：您的答复已发送给{agency}。",
        "no_consent": "当事人同意与贵机构分享此转介的授权已失效，因此无法显示详细信息。"
        "请联系转介单位。",
        "ended": "此转介已结束（{status}）。无需再做任何事。",
        "status": "状态",
        "referred_by": "转介人：{name}。",
        "who": "当事人",
        "goes_by": "常用名 {preferred}",
        "born": "出生日期",
        "speaks": "语言",
        "interpreter": "需要口译员",
        "reach": "如何安全地联系当事人",
        "voicemail": "语音信箱",
        "texts": "短信",
        "mail": "电子邮件",
        "ok": "可以",
        "not_ok": "不可以",
        "only": "仅限",
        "no_contact": "没有登记安全的联系方式：请通过转介专员联系当事人。",
        "where": "地址",
        "no_address": "未分享地址。",
        "need": "需要的帮助",
        "background": "背景",
        "notes": "与您分享的备注",
        "none": "无。",
        "documents": "与您分享的文件",
        "withheld": "未显示的文件：{n}。当事人的同意不包括与贵机构分享文件。",
        "answer": "您的答复",
        "note": "给转介专员的备注",
        "optional": "（选填）",
        "note_hint": "拒绝时必填：原因（例如没有名额、不符合条件）。",
        "why_declined": "请说明拒绝的原因。",
        "fix": "请更正标出的字段。",
        "send": "发送答复",
        "footer": "经当事人书面同意分享。请勿复制或转发。每次访问本页面都会被记录。",
        "gone_title": "此链接无效",
        "gone": "链接可能已过期或已被新链接取代。请联系{agency}索取新链接。",
        "busy_title": "尝试次数过多",
        "busy": "您的网络打开了太多无效链接。请等待十分钟后再试，或联系{agency}。",
        "refused_title": "文件未分享",
        "refused": "此文件无法与您分享：当事人的同意不包括与贵机构分享文件。请联系转介单位。",
        "back": "返回转介",
        "statuses": {
            "proposed": "已提议",
            "consented": "已获同意",
            "sent": "已发送",
            "accepted": "已接受",
            "declined": "已拒绝",
            "service_started": "服务已开始",
            "completed": "已完成",
            "no_show": "当事人未到场",
            "withdrawn": "已撤回",
            "expired": "已过期：未答复",
        },
        "urgency": {"soon": "几天之内", "urgent": "紧急：今天"},
        "kinds": {"phone": "电话", "email": "电子邮件"},
        "documents_kinds": {
            "release": "信息披露授权书（已签署）",
            "protection_order": "保护令",
            "receipt": "收据或账单",
            "letter": "信函",
            "injury_photo": "伤情照片",
            "other": "其他",
        },
    },
    "ar": {
        "title": "إحالة من {agency}",
        "to": "إلى {organization} · {service}",
        "language": "اللغة",
        "answered": "شكرًا لكم: أُرسل ردكم إلى {agency}.",
        "no_consent": "لم تعد موافقة الشخص على مشاركة هذه الإحالة معكم سارية، لذلك لا يمكن "
        "عرض تفاصيلها. يُرجى التواصل مع الوحدة المُحيلة.",
        "ended": "انتهت هذه الإحالة ({status}). لا حاجة إلى أي إجراء آخر.",
        "status": "الحالة",
        "referred_by": "أحالها: {name}.",
        "who": "الشخص",
        "goes_by": "يُفضّل أن يُنادى {preferred}",
        "born": "تاريخ الميلاد",
        "speaks": "اللغة",
        "interpreter": "يحتاج إلى مترجم",
        "reach": "كيفية التواصل معه بأمان",
        "voicemail": "البريد الصوتي",
        "texts": "الرسائل النصية",
        "mail": "البريد الإلكتروني",
        "ok": "مسموح",
        "not_ok": "غير مسموح",
        "only": "فقط",
        "no_contact": "لا توجد وسيلة تواصل آمنة مسجلة: تواصلوا معه عن طريق الأخصائي المُحيل.",
        "where": "العنوان",
        "no_address": "لم تتم مشاركة أي عنوان.",
        "need": "ما يحتاج إليه",
        "background": "معلومات أساسية",
        "notes": "ملاحظات تمت مشاركتها معكم",
        "none": "لا يوجد.",
        "documents": "مستندات تمت مشاركتها معكم",
        "withheld": "مستندات غير معروضة: {n}. موافقة الشخص لا تشمل مشاركة المستندات مع منظمتكم.",
        "answer": "ردكم",
        "note": "ملاحظة إلى الأخصائي المُحيل",
        "optional": "(اختياري)",
        "note_hint": "مطلوبة عند الرفض: السبب (مثلًا لا يوجد مكان، أو لا تنطبق الشروط).",
        "why_declined": "يُرجى ذكر سبب الرفض.",
        "fix": "يُرجى تصحيح الحقول المُشار إليها.",
        "send": "إرسال الرد",
        "footer": "تمت المشاركة بموافقة الشخص الكتابية. لا تنسخوها ولا تنقلوها إلى غيركم. "
        "تُسجَّل كل زيارة لهذه الصفحة.",
        "gone_title": "هذا الرابط لا يعمل",
        "gone": "ربما انتهت صلاحيته أو استُبدل برابط أحدث. يُرجى التواصل مع {agency} وطلب رابط جديد.",
        "busy_title": "محاولات كثيرة جدًا",
        "busy": "فُتحت من شبكتكم روابط كثيرة لا تعمل. يُرجى الانتظار عشر دقائق ثم المحاولة "
        "مجددًا، أو التواصل مع {agency}.",
        "refused_title": "لم تتم مشاركة المستند",
        "refused": "لا يمكن مشاركة هذا المستند معكم: موافقة الشخص لا تشمل مشاركة المستندات "
        "مع منظمتكم. يُرجى التواصل مع الوحدة المُحيلة.",
        "back": "العودة إلى الإحالة",
        "statuses": {
            "proposed": "مقترحة",
            "consented": "بموافقة",
            "sent": "مُرسلة",
            "accepted": "مقبولة",
            "declined": "مرفوضة",
            "service_started": "بدأت الخدمة",
            "completed": "مكتملة",
            "no_show": "لم يحضر الشخص",
            "withdrawn": "مسحوبة",
            "expired": "منتهية: لا رد",
        },
        "urgency": {"soon": "خلال أيام قليلة", "urgent": "عاجل: اليوم"},
        "kinds": {"phone": "الهاتف", "email": "البريد الإلكتروني"},
        "documents_kinds": {
            "release": "إذن بالإفصاح عن المعلومات (موقّع)",
            "protection_order": "أمر حماية",
            "receipt": "إيصال أو فاتورة",
            "letter": "رسالة",
            "injury_photo": "صورة إصابة",
            "other": "أخرى",
        },
    },
}


def partner_language(asked: str | None, accept_language: str) -> str:
    """The page's language: the one chosen on the switcher (`?lang=`), else the browser's."""
    if asked in LANGUAGES:
        return asked
    return negotiate(accept_language, CODES)


def filled(words: dict, **values) -> dict:
    """`words` with each sentence whose `{placeholders}` `values` names filled in; the rest,
    and the nested tables, as they are."""
    out = dict(words)
    for key, text in words.items():
        if isinstance(text, str) and "{" in text:
            with suppress(KeyError):  # a placeholder this page does not fill
                out[key] = text.format(**values)
    return out


def switcher(path: str, language: str) -> list[dict]:
    """The switcher's links: this page in each language, each named in itself."""
    return [
        {
            "code": code,
            "name": meta["name"],
            "url": f"{path}?lang={code}",
            "current": code == language,
        }
        for code, meta in LANGUAGES.items()
    ]
