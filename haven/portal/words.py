"""The status page's words for custody changes, claims and referrals, in plain language, one
row a value: (en, es, pl, zh-hans, ar); court dates' words are justice's (they are also the
calendar file's). A value missing here (a kind added to
justice later) shows in English from its own label, never as a code: `word` falls back."""

from haven.justice.calendar_words import COURT_EVENT  # noqa: F401 (the court words live in justice)
from haven.portal.texts import LANGUAGES

CUSTODY_EVENT = {
    "arrested": (
        "The accused was arrested.",
        "El acusado fue arrestado.",
        "Oskarżony został aresztowany.",
        "被告已被逮捕。",
        "تم القبض على المتهم.",
    ),
    "charged": (
        "The accused was charged.",
        "Se presentaron cargos contra el acusado.",
        "Oskarżonemu postawiono zarzuty.",
        "被告已被起诉。",
        "وُجّهت تهم إلى المتهم.",
    ),
    "released_on_bond": (
        "The accused was released with conditions.",
        "El acusado quedó en libertad con condiciones.",
        "Oskarżony został zwolniony pod warunkami.",
        "被告已附条件获释。",
        "أُفرج عن المتهم بشروط.",
    ),
    "no_contact_order": (
        "The court ordered the accused to have no contact with you.",
        "El tribunal ordenó que el acusado no tenga contacto con usted.",
        "Sąd zakazał oskarżonemu kontaktu z Tobą.",
        "法院已命令被告不得与您接触。",
        "أمرت المحكمة المتهم بعدم التواصل معك.",
    ),
    "escaped": (
        "The accused escaped from custody.",
        "El acusado escapó de la custodia.",
        "Oskarżony uciekł z aresztu.",
        "被告已逃脱羁押。",
        "هرب المتهم من الاحتجاز.",
    ),
    "transferred": (
        "The accused was moved to another facility.",
        "El acusado fue trasladado a otro centro.",
        "Oskarżonego przeniesiono do innego zakładu.",
        "被告已被转移到另一设施。",
        "نُقل المتهم إلى مرفق آخر.",
    ),
    "released_from_prison": (
        "The accused was released from prison or on parole.",
        "El acusado salió de prisión o en libertad condicional.",
        "Oskarżony wyszedł z więzienia lub zwolniono go warunkowo.",
        "被告已出狱或获假释。",
        "أُفرج عن المتهم من السجن أو بإفراج مشروط.",
    ),
    "died": (
        "The accused died.",
        "El acusado falleció.",
        "Oskarżony zmarł.",
        "被告已死亡。",
        "توفي المتهم.",
    ),
    "investigation_reopened": (
        "The investigation was reopened.",
        "Se reabrió la investigación.",
        "Wznowiono śledztwo.",
        "调查已重新启动。",
        "أُعيد فتح التحقيق.",
    ),
}

CLAIM_STATUS = {
    "draft": (
        "Being prepared with your specialist",
        "En preparación con su especialista",
        "Przygotowywany z opiekunem",
        "正在与您的专员准备",
        "قيد الإعداد مع الأخصائي",
    ),
    "ready": (
        "Ready to send; waiting for your signature",
        "Lista para enviar; falta su firma",
        "Gotowy do wysłania; czeka na Twój podpis",
        "已准备好，等待您签字",
        "جاهز للإرسال؛ بانتظار توقيعك",
    ),
    "filed": (
        "Sent to the state program",
        "Enviada al programa estatal",
        "Wysłany do programu stanowego",
        "已提交给州项目",
        "أُرسل إلى البرنامج الحكومي",
    ),
    "pending": (
        "Being reviewed by the state",
        "En revisión por el estado",
        "Rozpatrywany przez stan",
        "州政府正在审核",
        "قيد المراجعة لدى الولاية",
    ),
    "awarded": ("Approved", "Aprobada", "Przyznany", "已批准", "تمت الموافقة"),
    "partial": (
        "Partly approved",
        "Aprobada en parte",
        "Przyznany częściowo",
        "部分批准",
        "تمت الموافقة جزئيًا",
    ),
    "denied": (
        "Not approved; you can appeal",
        "No aprobada; puede apelar",
        "Odrzucony; możesz się odwołać",
        "未获批准；您可以上诉",
        "لم تتم الموافقة؛ يمكنك الاستئناف",
    ),
    "appeal_filed": (
        "Appeal sent",
        "Apelación enviada",
        "Odwołanie wysłane",
        "已提出上诉",
        "تم تقديم الاستئناف",
    ),
    "appeal_decided": (
        "Appeal decided",
        "Apelación resuelta",
        "Odwołanie rozpatrzone",
        "上诉已裁决",
        "صدر قرار الاستئناف",
    ),
    "closed": ("Finished", "Terminada", "Zakończony", "已结束", "انتهى"),
    "withdrawn": (
        "Stopped at your request",
        "Detenida a su pedido",
        "Wycofany na Twoją prośbę",
        "应您的要求已撤回",
        "أُوقف بناءً على طلبك",
    ),
}

REFERRAL_STATUS = {
    "proposed": ("Being prepared", "En preparación", "W przygotowaniu", "正在准备", "قيد الإعداد"),
    "consented": ("Being prepared", "En preparación", "W przygotowaniu", "正在准备", "قيد الإعداد"),
    "sent": (
        "Sent; waiting for their answer",
        "Enviada; esperando respuesta",
        "Wysłane; czekamy na odpowiedź",
        "已发送，等待回复",
        "أُرسلت؛ بانتظار الرد",
    ),
    "accepted": (
        "Accepted; they will contact you",
        "Aceptada; se comunicarán con usted",
        "Przyjęte; skontaktują się z Tobą",
        "已接受，他们会联系您",
        "قُبلت؛ سيتواصلون معك",
    ),
    "declined": (
        "They cannot help; your specialist will look for another service",
        "No pueden ayudar; su especialista buscará otro servicio",
        "Nie mogą pomóc; opiekun poszuka innej usługi",
        "对方无法提供帮助；您的专员会寻找其他服务",
        "لا يستطيعون المساعدة؛ سيبحث الأخصائي عن خدمة أخرى",
    ),
    "service_started": (
        "Service started",
        "Servicio iniciado",
        "Usługa rozpoczęta",
        "服务已开始",
        "بدأت الخدمة",
    ),
    "completed": ("Completed", "Completado", "Zakończone", "已完成", "اكتملت"),
    "no_show": (
        "Appointment missed; call your specialist",
        "Cita perdida; llame a su especialista",
        "Wizyta nieodbyta; zadzwoń do opiekuna",
        "错过预约；请致电您的专员",
        "فاتك الموعد؛ اتصل بالأخصائي",
    ),
    "withdrawn": ("Stopped", "Detenida", "Wstrzymane", "已停止", "أُوقفت"),
    "expired": (
        "No answer yet; your specialist will follow up",
        "Sin respuesta aún; su especialista hará seguimiento",
        "Brak odpowiedzi; opiekun to sprawdzi",
        "尚无回复，您的专员会跟进",
        "لا رد بعد؛ سيتابع الأخصائي",
    ),
}


def word(table: dict, value: str, language: str, fallback: str) -> str:
    """The value's words in the page's language (rows in LANGUAGES order), else `fallback`."""
    row = table.get(value)
    if row is None:
        return fallback
    return row[LANGUAGES.index(language)] if language in LANGUAGES else row[0]
