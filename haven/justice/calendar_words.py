"""The victim's court calendar file in the five languages Haven writes to victims in: each
court event's kind in plain words, the calendar's name, the reminder and the courtroom. Rows
are (en, es, pl, zh, ar), the codes a Person stores. A person whose language is not one of
these gets English, and the specialist's calendar page says so (`calendar_language`)."""

CALENDAR_LANGUAGES = ("en", "es", "pl", "zh", "ar")

COURT_EVENT = {
    "bond_hearing": (
        "Bond hearing (release before trial)",
        "Audiencia de fianza (libertad antes del juicio)",
        "Posiedzenie w sprawie kaucji (zwolnienie przed procesem)",
        "保释听证（审判前释放）",
        "جلسة الكفالة (الإفراج قبل المحاكمة)",
    ),
    "arraignment": (
        "Arraignment",
        "Primera audiencia sobre los cargos (lectura de cargos)",
        "Pierwsze posiedzenie w sprawie zarzutów",
        "指控宣读（首次聆讯）",
        "الجلسة الأولى لتوجيه الاتهامات",
    ),
    "preliminary_hearing": (
        "Preliminary hearing",
        "Audiencia preliminar",
        "Posiedzenie wstępne",
        "预审听证",
        "جلسة تمهيدية",
    ),
    "status_hearing": (
        "Status hearing (a short check on the case)",
        "Audiencia de seguimiento (breve revisión del caso)",
        "Posiedzenie kontrolne (krótki przegląd sprawy)",
        "进度听证（简短审查案件）",
        "جلسة متابعة (مراجعة قصيرة للقضية)",
    ),
    "trial": ("Trial", "Juicio", "Rozprawa", "审判", "المحاكمة"),
    "plea": (
        "Plea hearing",
        "Audiencia de declaración",
        "Posiedzenie w sprawie przyznania się",
        "认罪听证",
        "جلسة الإقرار",
    ),
    "sentencing": ("Sentencing", "Sentencia", "Ogłoszenie wyroku", "量刑", "النطق بالحكم"),
    "post_conviction": (
        "Hearing after the conviction",
        "Audiencia posterior a la condena",
        "Posiedzenie po skazaniu",
        "定罪后听证",
        "جلسة بعد الإدانة",
    ),
    "parole_hearing": (
        "Parole hearing",
        "Audiencia de libertad condicional",
        "Posiedzenie w sprawie zwolnienia warunkowego",
        "假释听证",
        "جلسة الإفراج المشروط",
    ),
    "other": (
        "Court hearing",
        "Audiencia en el tribunal",
        "Posiedzenie sądu",
        "法庭听证",
        "جلسة في المحكمة",
    ),
}

CALENDAR_TEXT = {
    "name": (
        "Court dates",
        "Fechas en el tribunal",
        "Terminy w sądzie",
        "出庭日期",
        "مواعيد المحكمة",
    ),
    "reminder": (
        "Tomorrow: {summary}",
        "Mañana: {summary}",
        "Jutro: {summary}",
        "明天：{summary}",
        "غدًا: {summary}",
    ),
    "courtroom": ("courtroom {room}", "sala {room}", "sala {room}", "{room}号法庭", "قاعة {room}"),
}


def calendar_language(language: str | None) -> tuple[str, bool]:
    """(the language the file is written in, whether it fell back to English)."""
    code = {"zh-hans": "zh"}.get(language or "en", language or "en")
    if code in CALENDAR_LANGUAGES:
        return code, False
    return "en", True


def _index(language: str) -> int:
    code = {"zh-hans": "zh"}.get(language, language)
    return CALENDAR_LANGUAGES.index(code) if code in CALENDAR_LANGUAGES else 0


def court_event_words(kind: str, language: str, fallback: str) -> str:
    row = COURT_EVENT.get(kind)
    return row[_index(language)] if row else fallback


def calendar_text(key: str, language: str, **values) -> str:
    return CALENDAR_TEXT[key][_index(language)].format(**values)
