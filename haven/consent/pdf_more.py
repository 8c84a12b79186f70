"""The release-of-information form's words in Polish, Chinese and Arabic (issue 14, item 5),
added to `pdf.TEXT` beside English and Spanish. Same keys; the PDF writer shapes Arabic right
to left. These are working translations: have a qualified translator review them before an
agency relies on them (docs/consent.md)."""

TEXT_MORE = {
    "pl": {
        "title": "Zgoda na udostępnienie informacji",
        "intro": (
            "{agency} zachowuje w poufności to, co nam mówisz. Udostępniamy informacje o Tobie "
            "tylko za Twoją pisemną zgodą, tylko wskazanym przez Ciebie osobom, tylko to, co "
            "wybierzesz, i tylko do podanej niżej daty. Nasza pomoc nie zależy od podpisania "
            "tego formularza."
        ),
        "person": "Dotyczy",
        "dob": "Data urodzenia",
        "recipient": "Można udostępnić",
        "purposes": "W celu",
        "categories": "Informacje, które można udostępnić",
        "expires": "Ta zgoda wygasa",
        "revoke": (
            "Możesz w każdej chwili cofnąć tę zgodę, na piśmie lub mówiąc o tym swojemu "
            "opiekunowi; cofnięcie działa od razu. Informacji już udostępnionych nie można "
            "odzyskać."
        ),
        "signer": "Podpisał(a)",
        "relation": "Związek z osobą",
        "signature": "Podpis",
        "date": "Data",
        "minor": "Zgoda małoletniego (jeśli o nią proszono)",
        "esigned": "Podpisano elektronicznie w Haven, wpisując imię i nazwisko „{name}” {at}.",
        "tick": "[X]",
        "box": "[  ]",
        "yes": "Tak",
        "purpose": {
            "referral": "Skierowanie do usług odbiorcy",
            "service_coordination": "Koordynacja usług z odbiorcą",
            "legal_advocacy": "Pomoc prawna",
            "compensation_claim": "Wniosek o odszkodowanie dla ofiar przestępstw",
            "court_notification": "Powiadomienia z sądu i o sprawie",
        },
        "category": {
            "identity": "Tożsamość (imię i nazwisko, data urodzenia)",
            "contact": "Kontakt (telefon, e-mail)",
            "location": "Miejsce pobytu (adres, schronisko)",
            "case_facts": "Fakty sprawy (przestępstwo, zdarzenie, daty)",
            "service_needs": "Potrzeby w zakresie usług",
            "safety_plan": "Plan bezpieczeństwa",
            "notes": "Notatki ze sprawy, które można udostępnić",
            "documents": "Dokumenty (skany, listy, zdjęcia)",
        },
        "relations": {
            "self": "Osoba, której dotyczy",
            "parent": "Rodzic",
            "guardian": "Opiekun prawny",
            "legal_representative": "Przedstawiciel prawny",
        },
        "item": "Pozycja",
    },
    "zh": {
        "title": "信息披露授权书",
        "intro": (
            "{agency}会对您告诉我们的内容保密。只有在您书面同意时，我们才会分享您的信息，"
            "而且只与您指定的对象分享，只分享您选择的内容，并且只到下方所写的日期为止。"
            "我们为您提供的服务不以您签署此表为条件。"
        ),
        "person": "当事人",
        "dob": "出生日期",
        "recipient": "可与以下对象分享",
        "purposes": "用途",
        "categories": "可以分享的信息",
        "expires": "本授权的截止日期",
        "revoke": (
            "您可以随时以书面形式或告知您的专员撤销本授权；撤销立即生效。已经分享的信息无法收回。"
        ),
        "signer": "签署人",
        "relation": "与当事人的关系",
        "signature": "签名",
        "date": "日期",
        "minor": "未成年人的同意（如需要）",
        "esigned": "已于{at}在 Haven 中输入姓名“{name}”进行电子签署。",
        "tick": "[X]",
        "box": "[  ]",
        "yes": "是",
        "purpose": {
            "referral": "转介至接收方的服务",
            "service_coordination": "与接收方协调服务",
            "legal_advocacy": "法律援助",
            "compensation_claim": "犯罪受害人赔偿申请",
            "court_notification": "法院和案件通知",
        },
        "category": {
            "identity": "身份（姓名、出生日期）",
            "contact": "联系方式（电话、电子邮件）",
            "location": "住处（地址、庇护所）",
            "case_facts": "案件事实（受害情况、事件、日期）",
            "service_needs": "服务需求",
            "safety_plan": "安全计划",
            "notes": "可分享的案件记录",
            "documents": "文件（扫描件、信函、照片）",
        },
        "relations": {
            "self": "本人",
            "parent": "父母",
            "guardian": "法定监护人",
            "legal_representative": "法定代理人",
        },
        "item": "项目",
    },
    "ar": {
        "title": "تفويض بالإفصاح عن المعلومات",
        "intro": (
            "تحافظ {agency} على سرية ما تخبرنا به. لا نشارك معلومات عنك إلا بموافقتك الكتابية، "
            "ومع من تسمّيهم فقط، وما تختاره فقط، وحتى التاريخ المذكور أدناه فقط. خدماتنا لك لا "
            "تتوقف على توقيع هذا النموذج."
        ),
        "person": "بشأن",
        "dob": "تاريخ الميلاد",
        "recipient": "يجوز مشاركتها مع",
        "purposes": "من أجل",
        "categories": "المعلومات التي يجوز مشاركتها",
        "expires": "ينتهي هذا التفويض في",
        "revoke": (
            "يمكنك إلغاء هذا التفويض في أي وقت، كتابيًا أو بإخبار الأخصائي؛ ويسري الإلغاء فورًا. "
            "لا يمكن استرجاع المعلومات التي سبقت مشاركتها."
        ),
        "signer": "وقّعه",
        "relation": "الصلة بالشخص",
        "signature": "التوقيع",
        "date": "التاريخ",
        "minor": "موافقة القاصر (إذا طُلبت)",
        "esigned": "وُقّع إلكترونيًا في Haven بكتابة الاسم «{name}» في {at}.",
        "tick": "[X]",
        "box": "[  ]",
        "yes": "نعم",
        "purpose": {
            "referral": "الإحالة إلى خدمات الجهة المستلمة",
            "service_coordination": "تنسيق الخدمات مع الجهة المستلمة",
            "legal_advocacy": "المساندة القانونية",
            "compensation_claim": "طلب تعويض لضحايا الجرائم",
            "court_notification": "إشعارات المحكمة والقضية",
        },
        "category": {
            "identity": "الهوية (الاسم، تاريخ الميلاد)",
            "contact": "وسائل الاتصال (الهاتف، البريد الإلكتروني)",
            "location": "مكان الإقامة (العنوان، المأوى)",
            "case_facts": "وقائع القضية (الاعتداء، الحادثة، التواريخ)",
            "service_needs": "الاحتياجات من الخدمات",
            "safety_plan": "خطة السلامة",
            "notes": "ملاحظات القضية القابلة للمشاركة",
            "documents": "المستندات (نسخ ممسوحة ضوئيًا، رسائل، صور)",
        },
        "relations": {
            "self": "الشخص نفسه",
            "parent": "أحد الوالدين",
            "guardian": "الوصي القانوني",
            "legal_representative": "الممثل القانوني",
        },
        "item": "البند",
    },
}
