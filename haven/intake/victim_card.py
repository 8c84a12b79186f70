"""The officer's "what to tell the victim" card, printable in the five languages Haven writes
to victims in (issue 14, item 5): who will reach out, the case number and a number to call,
that help is free and optional, and 911. Plain words, nothing about the incident. A language
without a card prints in English, and the receipt tells the officer so."""

from dataclasses import dataclass

CARD_LANGUAGES = ("en", "es", "pl", "zh", "ar")
CARD_NAMES = {"en": "English", "es": "Español", "pl": "Polski", "zh": "中文", "ar": "العربية"}
HTML_LANG = {"zh": "zh-hans"}

CARD = {
    "en": {
        "title": "What happens next",
        "who": "A victim specialist{name} will contact you the way you said is safe. "
        "Specialists are not police officers, and their help is free.",
        "case": "Your case number: {number}.",
        "call": "You can call {phone} yourself at any time.",
        "optional": "You can say no to services, or ask for help later.",
        "whatever": "Victim services are there for you whatever happens with the police case.",
        "emergency": "In an emergency, call 911.",
    },
    "es": {
        "title": "Qué pasará ahora",
        "who": "Un especialista de atención a víctimas{name} se comunicará con usted de la "
        "forma que usted indicó como segura. Los especialistas no son policías y su ayuda es "
        "gratuita.",
        "case": "Su número de caso: {number}.",
        "call": "Puede llamar al {phone} en cualquier momento.",
        "optional": "Puede rechazar los servicios o pedir ayuda más adelante.",
        "whatever": "Los servicios a víctimas están para usted, pase lo que pase con el caso "
        "policial.",
        "emergency": "En una emergencia, llame al 911.",
    },
    "pl": {
        "title": "Co dalej",
        "who": "Opiekun ds. pomocy ofiarom{name} skontaktuje się z Tobą w sposób, który "
        "wskazałeś(-aś) jako bezpieczny. Opiekunowie nie są policjantami, a ich pomoc jest "
        "bezpłatna.",
        "case": "Numer Twojej sprawy: {number}.",
        "call": "W każdej chwili możesz sam(a) zadzwonić pod numer {phone}.",
        "optional": "Możesz odmówić pomocy albo poprosić o nią później.",
        "whatever": "Pomoc dla ofiar jest dla Ciebie bez względu na to, co stanie się ze "
        "sprawą policyjną.",
        "emergency": "W nagłej sytuacji dzwoń pod 911.",
    },
    "zh": {
        "title": "接下来会怎样",
        "who": "受害人服务专员{name}会按照您认为安全的方式联系您。"
        "专员不是警察，他们的帮助是免费的。",
        "case": "您的案件编号：{number}。",
        "call": "您可以随时拨打 {phone}。",
        "optional": "您可以拒绝服务，也可以以后再寻求帮助。",
        "whatever": "无论警方案件结果如何，受害人服务都会为您提供帮助。",
        "emergency": "紧急情况下，请拨打 911。",
    },
    "ar": {
        "title": "ماذا سيحدث بعد ذلك",
        "who": "سيتواصل معك أخصائي دعم الضحايا{name} بالطريقة التي قلت إنها آمنة. الأخصائيون "
        "ليسوا من الشرطة، ومساعدتهم مجانية.",
        "case": "رقم قضيتك: {number}.",
        "call": "يمكنك الاتصال بالرقم {phone} بنفسك في أي وقت.",
        "optional": "يمكنك رفض الخدمات، أو طلب المساعدة لاحقًا.",
        "whatever": "خدمات الضحايا موجودة من أجلك مهما حدث في قضية الشرطة.",
        "emergency": "في حالة الطوارئ، اتصل بالرقم 911.",
    },
}


@dataclass(frozen=True)
class Card:
    language: str  # the language printed
    asked: str  # the victim's language
    html_lang: str
    rtl: bool
    title: str
    lines: tuple[str, ...]

    @property
    def fell_back(self) -> bool:
        return self.language != self.asked


def victim_card(language: str, *, unit: str, number: str, specialist: str, phone: str) -> Card:
    """The card in `language`, or in English when Haven has none in it."""
    used = language if language in CARD else "en"
    text = CARD[used]
    name = f" ({specialist})" if specialist else ""
    lines = [text["who"].format(name=name), text["case"].format(number=number)]
    if phone:
        lines.append(text["call"].format(phone=phone))
    lines += [text["optional"], text["whatever"], text["emergency"]]
    return Card(
        language=used,
        asked=language,
        html_lang=HTML_LANG.get(used, used),
        rtl=used == "ar",
        title=f"{unit}: {text['title']}" if unit else text["title"],
        lines=tuple(lines),
    )
