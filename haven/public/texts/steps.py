"""What to do if you are a victim, the unit's services and how to apply for compensation, in
the five languages. `{…}` marks a value the page fills in (the same in every language)."""

# The services a unit can list, in the order shown; when each is available comes from the
# agency's service hours and on-call roster (haven.public.selectors).
SERVICES = ("crisis", "specialist", "safety", "court", "compensation", "referrals")
STEPS = ("danger", "safe_place", "report", "evidence", "write_down", "sexual_assault", "call")

TEXT = {
    "en": {
        "danger": "If you are in danger now, call 911.",
        "safe_place": "Go to a safe place. If you are hurt, get medical care, even if the "
        "injury does not seem serious.",
        "report": "Report the crime to the police. Ask for the report number and keep it.",
        "evidence": "Keep evidence. Do not wash or throw away clothes or things from the "
        "crime. Keep messages, photos and receipts.",
        "write_down": "Write down what happened, when and where, and who saw it, while you "
        "remember.",
        "sexual_assault": "After a sexual assault, go to a hospital emergency room. Care and "
        "an evidence exam are free, even if you have not decided whether to report.",
        "call": "Call us. We can explain what happens next, make a safety plan with you, go "
        "to court with you and help you apply for compensation. Our help is free.",
        "crisis": "Someone to talk to now, and help to stay safe",
        "specialist": "A victim specialist: information about your case and the court process",
        "safety": "Safety planning: at home, at work and online",
        "court": "Going to court with you",
        "compensation": "Help applying for crime victims compensation",
        "referrals": "Finding shelter, counseling, legal help and more",
        "comp_intro": "Illinois can pay some costs caused by a violent crime, such as medical "
        "and counseling bills, lost wages, funeral costs and moving costs. This is called "
        "crime victims compensation.",
        "comp_who": "You may apply if you were hurt by a violent crime, or if you are a family "
        "member of a victim or paid for their costs.",
        "comp_when": "Apply within {years} years of the crime, or within {charge_years} year "
        "after charges were filed, whichever is later.",
        "comp_report": "Usually the crime must have been reported to the police within "
        "{report_days} days ({sex_days} days for a sex crime), and you must help the police "
        "and the prosecutor.",
        "comp_max": "The program can pay up to {maximum} in all.",
        "comp_line": "To apply or ask a question, call the state's Crime Victim Assistance "
        "Line: {phone}. We can help you fill in the application.",
    },
    "es": {
        "danger": "Si está en peligro ahora, llame al 911.",
        "safe_place": "Vaya a un lugar seguro. Si tiene lesiones, busque atención médica, "
        "aunque la lesión no parezca grave.",
        "report": "Denuncie el delito a la policía. Pida el número del informe y guárdelo.",
        "evidence": "Guarde las pruebas. No lave ni tire la ropa ni las cosas del delito. "
        "Guarde mensajes, fotos y recibos.",
        "write_down": "Escriba qué pasó, cuándo y dónde, y quién lo vio, mientras lo recuerda.",
        "sexual_assault": "Después de una agresión sexual, vaya a la sala de emergencias de "
        "un hospital. La atención y el examen de pruebas son gratuitos, aunque todavía no haya "
        "decidido si va a denunciar.",
        "call": "Llámenos. Podemos explicarle lo que pasará, hacer con usted un plan de "
        "seguridad, acompañarle a la corte y ayudarle a solicitar la compensación. Nuestra "
        "ayuda es gratuita.",
        "crisis": "Alguien con quien hablar ahora y ayuda para estar a salvo",
        "specialist": "Un especialista en atención a víctimas: información sobre su caso y el "
        "proceso judicial",
        "safety": "Plan de seguridad: en casa, en el trabajo y en internet",
        "court": "Acompañamiento a la corte",
        "compensation": "Ayuda para solicitar la compensación a víctimas de delitos",
        "referrals": "Ayuda para encontrar refugio, consejería, asesoría legal y más",
        "comp_intro": "Illinois puede pagar algunos gastos causados por un delito violento, "
        "como cuentas médicas y de consejería, salarios perdidos, gastos funerarios y de "
        "mudanza. Esto se llama compensación a víctimas de delitos.",
        "comp_who": "Puede solicitarla si un delito violento le causó daño, o si es familiar "
        "de una víctima o pagó sus gastos.",
        "comp_when": "Solicítela dentro de los {years} años siguientes al delito, o dentro de "
        "{charge_years} año después de que se presentaron cargos, lo que sea más tarde.",
        "comp_report": "Por lo general, el delito debe haberse denunciado a la policía dentro "
        "de {report_days} días ({sex_days} días si fue un delito sexual), y usted debe "
        "colaborar con la policía y la fiscalía.",
        "comp_max": "El programa puede pagar hasta {maximum} en total.",
        "comp_line": "Para solicitarla o hacer preguntas, llame a la línea estatal de ayuda "
        "a víctimas de delitos (Crime Victim Assistance Line): {phone}. Podemos ayudarle a "
        "llenar la solicitud.",
    },
    "pl": {
        "danger": "Jeśli grozi Ci teraz niebezpieczeństwo, dzwoń pod 911.",
        "safe_place": "Idź w bezpieczne miejsce. Jeśli masz obrażenia, skorzystaj z pomocy "
        "medycznej, nawet jeśli nie wydają się poważne.",
        "report": "Zgłoś przestępstwo na policję. Poproś o numer zgłoszenia i zachowaj go.",
        "evidence": "Zachowaj dowody. Nie pierz i nie wyrzucaj ubrań ani rzeczy związanych "
        "z przestępstwem. Zachowaj wiadomości, zdjęcia i rachunki.",
        "write_down": "Zapisz, co się stało, kiedy i gdzie oraz kto to widział, póki pamiętasz.",
        "sexual_assault": "Po napaści seksualnej idź na szpitalny oddział ratunkowy. Pomoc "
        "medyczna i badanie w celu zabezpieczenia dowodów są bezpłatne, nawet jeśli jeszcze "
        "nie wiesz, czy zgłosisz sprawę.",
        "call": "Zadzwoń do nas. Wyjaśnimy, co będzie dalej, przygotujemy z Tobą plan "
        "bezpieczeństwa, pójdziemy z Tobą do sądu i pomożemy złożyć wniosek o odszkodowanie. "
        "Nasza pomoc jest bezpłatna.",
        "crisis": "Rozmowa z kimś od razu i pomoc, by być bezpiecznym",
        "specialist": "Specjalista ds. pomocy ofiarom: informacje o Twojej sprawie "
        "i postępowaniu sądowym",
        "safety": "Plan bezpieczeństwa: w domu, w pracy i w internecie",
        "court": "Towarzyszenie w sądzie",
        "compensation": "Pomoc we wniosku o odszkodowanie dla ofiar przestępstw",
        "referrals": "Pomoc w znalezieniu schronienia, terapii, pomocy prawnej i innej",
        "comp_intro": "Stan Illinois może pokryć część kosztów spowodowanych przestępstwem "
        "z użyciem przemocy, np. rachunki za leczenie i terapię, utracone zarobki, koszty "
        "pogrzebu i przeprowadzki. To tak zwane odszkodowanie dla ofiar przestępstw.",
        "comp_who": "Wniosek może złożyć osoba poszkodowana w przestępstwie z użyciem przemocy, "
        "członek rodziny ofiary lub osoba, która zapłaciła za koszty ofiary.",
        "comp_when": "Złóż wniosek w ciągu {years} lat od przestępstwa albo w ciągu "
        "{charge_years} roku od wniesienia oskarżenia, w zależności od tego, co nastąpi później.",
        "comp_report": "Zwykle przestępstwo musi zostać zgłoszone policji w ciągu "
        "{report_days} dni ({sex_days} dni w przypadku przestępstwa seksualnego) i musisz "
        "współpracować z policją i prokuratorem.",
        "comp_max": "Program może wypłacić łącznie do {maximum}.",
        "comp_line": "Aby złożyć wniosek lub zadać pytanie, zadzwoń na stanową linię pomocy "
        "ofiarom przestępstw (Crime Victim Assistance Line): {phone}. Pomożemy Ci wypełnić "
        "wniosek.",
    },
    "zh-hans": {
        "danger": "如果您现在有危险，请拨打 911。",
        "safe_place": "请到安全的地方去。如果您受了伤，请去看医生，即使伤势看起来不严重。",
        "report": "向警方报案。请索取报案编号并妥善保管。",
        "evidence": "保留证据。不要清洗或丢弃与案件有关的衣物和物品。保留短信、照片和收据。",
        "write_down": "趁记忆清晰，写下发生了什么、时间和地点，以及谁看到了。",
        "sexual_assault": "遭受性侵犯后，请去医院急诊室。即使您还没有决定是否报案，治疗和取证检查"
        "都是免费的。",
        "call": "请致电我们。我们可以向您说明接下来会发生什么，和您一起制定安全计划，陪您出庭，"
        "并帮助您申请补偿。我们的帮助是免费的。",
        "crisis": "现在就有人和您交谈，并帮助您保持安全",
        "specialist": "受害人服务专员：向您介绍案件情况和法庭程序",
        "safety": "安全计划：在家、在工作场所和在网上",
        "court": "陪同出庭",
        "compensation": "帮助申请犯罪受害人补偿",
        "referrals": "帮助寻找庇护所、心理咨询、法律援助等",
        "comp_intro": "伊利诺伊州可以支付暴力犯罪造成的部分费用，例如医疗和心理咨询费用、误工收入、"
        "丧葬费和搬家费。这称为犯罪受害人补偿。",
        "comp_who": "如果您因暴力犯罪受到伤害，或者您是受害人的家人或为受害人支付了费用，您可以"
        "申请。",
        "comp_when": "请在犯罪发生后 {years} 年内申请，或在提起指控后 {charge_years} 年内申请，"
        "以较晚者为准。",
        "comp_report": "通常，犯罪必须在 {report_days} 天内向警方报案（性犯罪为 {sex_days} 天），"
        "并且您必须配合警方和检察官。",
        "comp_max": "该计划最多可支付共 {maximum}。",
        "comp_line": "如需申请或咨询，请致电州犯罪受害人援助热线（Crime Victim Assistance "
        "Line）：{phone}。我们可以帮您填写申请表。",
    },
    "ar": {
        "danger": "إذا كنت في خطر الآن، اتصل بالرقم 911.",
        "safe_place": "اذهب إلى مكان آمن. إذا أُصبت، احصل على رعاية طبية حتى لو بدت الإصابة "
        "غير خطيرة.",
        "report": "أبلغ الشرطة عن الجريمة. اطلب رقم البلاغ واحتفظ به.",
        "evidence": "احتفظ بالأدلة. لا تغسل ولا ترمِ الملابس أو الأشياء المتعلقة بالجريمة. "
        "احتفظ بالرسائل والصور والإيصالات.",
        "write_down": "اكتب ما حدث ومتى وأين ومن رآه، ما دمت تتذكر.",
        "sexual_assault": "بعد التعرض لاعتداء جنسي، اذهب إلى قسم الطوارئ في مستشفى. الرعاية "
        "وفحص جمع الأدلة مجانيان، حتى لو لم تقرر بعد ما إذا كنت ستبلغ الشرطة.",
        "call": "اتصل بنا. يمكننا أن نشرح لك ما سيحدث بعد ذلك، وأن نضع معك خطة للسلامة، وأن "
        "نرافقك إلى المحكمة، وأن نساعدك في طلب التعويض. مساعدتنا مجانية.",
        "crisis": "شخص تتحدث إليه الآن، ومساعدة لتبقى في أمان",
        "specialist": "أخصائي دعم الضحايا: معلومات عن قضيتك وعن إجراءات المحكمة",
        "safety": "خطة السلامة: في المنزل والعمل وعلى الإنترنت",
        "court": "مرافقتك إلى المحكمة",
        "compensation": "المساعدة في طلب تعويض ضحايا الجرائم",
        "referrals": "المساعدة في إيجاد مأوى واستشارة نفسية ومساعدة قانونية وغير ذلك",
        "comp_intro": "يمكن لولاية إلينوي أن تدفع بعض التكاليف الناتجة عن جريمة عنف، مثل فواتير "
        "العلاج والاستشارة النفسية، والأجور الضائعة، وتكاليف الجنازة والانتقال إلى سكن آخر. "
        "يُسمى هذا تعويض ضحايا الجرائم.",
        "comp_who": "يمكنك التقدم بطلب إذا أُصبت بسبب جريمة عنف، أو إذا كنت من أفراد عائلة "
        "الضحية أو دفعت تكاليفها.",
        "comp_when": "قدّم الطلب خلال {years} سنوات من تاريخ الجريمة، أو خلال {charge_years} "
        "سنة من توجيه الاتهام، أيهما أبعد.",
        "comp_report": "في العادة يجب أن تكون الجريمة قد أُبلغت إلى الشرطة خلال {report_days} "
        "أيام ({sex_days} أيام في حالة الجرائم الجنسية)، ويجب أن تتعاون مع الشرطة والمدعي العام.",
        "comp_max": "يمكن للبرنامج أن يدفع ما يصل إلى {maximum} إجمالًا.",
        "comp_line": "لتقديم طلب أو طرح سؤال، اتصل بخط الولاية لمساعدة ضحايا الجرائم "
        "(Crime Victim Assistance Line) على الرقم: {phone}. يمكننا مساعدتك في ملء الطلب.",
    },
}
