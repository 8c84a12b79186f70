"""Victims' rights in plain language, Illinois and federal, in the five languages.

The list and citations are RIGHTS (what each right is, where the law says it); the words are
TEXT. Sources: Ill. Const. art. I, §8.1(a)(1)-(12); Rights of Crime Victims and Witnesses Act,
725 ILCS 120/4 and 4.5; Crime Victims' Rights Act, 18 U.S.C. 3771(a)(1)-(10) (see
haven/reference/rights.md, which names each source). The rules data (haven/justice/rules)
cite the same sections: a test checks that every section a rule cites is explained here.
"""

# key -> the sections it explains, as the rules data cite them.
ILLINOIS = {
    "il_respect": ["Ill. Const. art. I, §8.1(a)(1)"],
    "il_records": ["Ill. Const. art. I, §8.1(a)(2)"],
    "il_court_notice": ["Ill. Const. art. I, §8.1(a)(3)", "725 ILCS 120/4.5(b)"],
    "il_prosecutor": ["Ill. Const. art. I, §8.1(a)(4)"],
    "il_heard": ["Ill. Const. art. I, §8.1(a)(5)"],
    "il_outcome": ["Ill. Const. art. I, §8.1(a)(6)", "725 ILCS 120/4.5(d)"],
    "il_timely": ["Ill. Const. art. I, §8.1(a)(7)"],
    "il_protected": ["Ill. Const. art. I, §8.1(a)(8)"],
    "il_safety_release": ["Ill. Const. art. I, §8.1(a)(9)"],
    "il_present": ["Ill. Const. art. I, §8.1(a)(10)"],
    "il_support": ["Ill. Const. art. I, §8.1(a)(11)"],
    "il_restitution": ["Ill. Const. art. I, §8.1(a)(12)"],
    "il_investigation": ["725 ILCS 120/4.5(a)", "725 ILCS 120/4.5(a-5)"],
}
FEDERAL = {f"cvra_{n}": [f"18 U.S.C. 3771(a)({n})"] for n in range(1, 11)}

TEXT = {
    "en": {
        "il_respect": "To be treated fairly and with respect for your dignity and privacy, "
        "and to be free from harassment, threats and abuse while the case goes on.",
        "il_records": "To be told, and to be heard by the judge, before anyone may see your "
        "private records, such as counseling or medical records.",
        "il_court_notice": "To be told in good time about every court date.",
        "il_prosecutor": "To talk with the prosecutor (the State's Attorney's office).",
        "il_heard": "To speak to the judge, in person or in writing, when the judge decides "
        "on release, a plea deal or the sentence, and at later hearings about your rights.",
        "il_outcome": "To be told if the accused is found guilty, what the sentence is, and "
        "when they go to prison or are released.",
        "il_timely": "To have the case decided without needless delay after an arrest.",
        "il_protected": "To be reasonably protected from the accused.",
        "il_safety_release": "To have your safety and your family's safety considered when "
        "the judge decides on bail, release and the conditions of release.",
        "il_present": "To be in the courtroom for the trial and other hearings, as the accused "
        "can be, unless the judge decides that hearing other witnesses would change what you "
        "say as a witness.",
        "il_support": "To bring an advocate or another support person of your choice to court.",
        "il_restitution": "To restitution: money the offender is ordered to pay you for your "
        "losses.",
        "il_investigation": "To ask the police how the investigation is going until someone "
        "is arrested or the case is closed, and to be told if a closed case is opened again.",
        "cvra_1": "To be reasonably protected from the accused.",
        "cvra_2": "To be told, correctly and in good time, about public court and parole "
        "hearings, and if the accused is released or escapes.",
        "cvra_3": "Not to be kept out of public court hearings, unless the judge decides that "
        "hearing other witnesses would change what you say as a witness.",
        "cvra_4": "To be heard at public hearings about release, a plea, the sentence or parole.",
        "cvra_5": "To talk with the federal prosecutor in the case.",
        "cvra_6": "To full and timely restitution, as the law provides.",
        "cvra_7": "To a case without unreasonable delay.",
        "cvra_8": "To be treated fairly and with respect for your dignity and privacy.",
        "cvra_9": "To be told in good time about any plea deal or deferred prosecution agreement.",
        "cvra_10": "To be told about these rights and the services you can get, and how to "
        "reach the U.S. Department of Justice's Office of the Victims' Rights Ombudsman.",
    },
    "es": {
        "il_respect": "A recibir un trato justo y respetuoso de su dignidad y privacidad, "
        "y a estar libre de acoso, amenazas y abuso mientras dure el caso.",
        "il_records": "A ser informado, y a ser escuchado por el juez, antes de que alguien "
        "pueda ver sus registros privados, como los de consejería o los médicos.",
        "il_court_notice": "A ser informado a tiempo de cada fecha de corte.",
        "il_prosecutor": "A hablar con el fiscal (la oficina del Fiscal del Estado).",
        "il_heard": "A hablar ante el juez, en persona o por escrito, cuando decida sobre la "
        "libertad del acusado, un acuerdo de culpabilidad o la sentencia, y en audiencias "
        "posteriores sobre sus derechos.",
        "il_outcome": "A ser informado si el acusado es declarado culpable, cuál es la "
        "sentencia y cuándo entra en prisión o sale en libertad.",
        "il_timely": "A que el caso se resuelva sin demoras innecesarias después de un arresto.",
        "il_protected": "A una protección razonable frente al acusado.",
        "il_safety_release": "A que el juez tenga en cuenta su seguridad y la de su familia "
        "al decidir sobre la fianza, la libertad y las condiciones de la libertad.",
        "il_present": "A estar en la sala durante el juicio y las demás audiencias, igual que "
        "el acusado, salvo que el juez decida que escuchar a otros testigos cambiaría lo que "
        "usted diga como testigo.",
        "il_support": "A llevar a la corte a un intercesor u otra persona de apoyo que usted "
        "elija.",
        "il_restitution": "A la restitución: dinero que el juez ordena al culpable pagarle por "
        "sus pérdidas.",
        "il_investigation": "A preguntar a la policía cómo va la investigación hasta que haya "
        "un arresto o se cierre el caso, y a ser informado si un caso cerrado se vuelve a abrir.",
        "cvra_1": "A una protección razonable frente al acusado.",
        "cvra_2": "A ser informado, de forma correcta y a tiempo, de las audiencias públicas "
        "de la corte y de libertad condicional, y de si el acusado sale en libertad o se escapa.",
        "cvra_3": "A no ser excluido de las audiencias públicas, salvo que el juez decida que "
        "escuchar a otros testigos cambiaría lo que usted diga como testigo.",
        "cvra_4": "A ser escuchado en las audiencias públicas sobre la libertad del acusado, "
        "un acuerdo de culpabilidad, la sentencia o la libertad condicional.",
        "cvra_5": "A hablar con el fiscal federal del caso.",
        "cvra_6": "A una restitución completa y a tiempo, según la ley.",
        "cvra_7": "A un proceso sin demoras injustificadas.",
        "cvra_8": "A recibir un trato justo y respetuoso de su dignidad y privacidad.",
        "cvra_9": "A ser informado a tiempo de cualquier acuerdo de culpabilidad o acuerdo "
        "de suspensión del proceso.",
        "cvra_10": "A ser informado de estos derechos y de los servicios que puede recibir, "
        "y de cómo comunicarse con la Oficina del Defensor de los Derechos de las Víctimas "
        "del Departamento de Justicia de EE. UU.",
    },
    "pl": {
        "il_respect": "Do sprawiedliwego traktowania, z szacunkiem dla Twojej godności "
        "i prywatności, bez nękania, gróźb i przemocy przez cały czas trwania sprawy.",
        "il_records": "Do informacji i do wypowiedzenia się przed sędzią, zanim ktokolwiek "
        "zobaczy Twoją prywatną dokumentację, np. z terapii lub medyczną.",
        "il_court_notice": "Do informacji z odpowiednim wyprzedzeniem o każdym terminie w sądzie.",
        "il_prosecutor": "Do rozmowy z prokuratorem (biurem prokuratora stanowego).",
        "il_heard": "Do zabrania głosu przed sędzią, osobiście lub na piśmie, gdy sędzia "
        "decyduje o zwolnieniu oskarżonego, ugodzie lub wyroku, a także na późniejszych "
        "rozprawach dotyczących Twoich praw.",
        "il_outcome": "Do informacji, czy oskarżony został uznany za winnego, jaki zapadł "
        "wyrok oraz kiedy trafia do więzienia lub wychodzi na wolność.",
        "il_timely": "Do rozstrzygnięcia sprawy bez zbędnej zwłoki po aresztowaniu.",
        "il_protected": "Do rozsądnej ochrony przed oskarżonym.",
        "il_safety_release": "Do tego, by sędzia wziął pod uwagę Twoje bezpieczeństwo "
        "i bezpieczeństwo Twojej rodziny, decydując o kaucji, zwolnieniu i jego warunkach.",
        "il_present": "Do obecności na sali podczas procesu i innych rozpraw, tak jak "
        "oskarżony, chyba że sędzia uzna, że słuchanie innych świadków zmieniłoby Twoje "
        "zeznania.",
        "il_support": "Do przyjścia do sądu z wybranym przez siebie doradcą lub inną osobą "
        "wspierającą.",
        "il_restitution": "Do naprawienia szkody: pieniędzy, które sąd nakazuje sprawcy "
        "zapłacić Ci za Twoje straty.",
        "il_investigation": "Do pytania policji o postępy śledztwa, dopóki ktoś nie zostanie "
        "zatrzymany lub sprawa nie zostanie zamknięta, oraz do informacji, gdy zamknięta "
        "sprawa zostanie wznowiona.",
        "cvra_1": "Do rozsądnej ochrony przed oskarżonym.",
        "cvra_2": "Do rzetelnej informacji z odpowiednim wyprzedzeniem o jawnych rozprawach "
        "sądowych i posiedzeniach w sprawie zwolnienia warunkowego oraz o tym, że oskarżony "
        "wyszedł na wolność lub uciekł.",
        "cvra_3": "Do tego, by nie być wykluczonym z jawnych rozpraw, chyba że sędzia uzna, "
        "że słuchanie innych świadków zmieniłoby Twoje zeznania.",
        "cvra_4": "Do wypowiedzenia się na jawnych rozprawach w sprawie zwolnienia, ugody, "
        "wyroku lub zwolnienia warunkowego.",
        "cvra_5": "Do rozmowy z prokuratorem federalnym prowadzącym sprawę.",
        "cvra_6": "Do pełnego i terminowego naprawienia szkody, zgodnie z prawem.",
        "cvra_7": "Do postępowania bez nieuzasadnionej zwłoki.",
        "cvra_8": "Do sprawiedliwego traktowania, z szacunkiem dla Twojej godności i prywatności.",
        "cvra_9": "Do informacji z odpowiednim wyprzedzeniem o każdej ugodzie lub umowie "
        "o warunkowym zawieszeniu postępowania.",
        "cvra_10": "Do informacji o tych prawach i o dostępnej pomocy oraz o tym, jak "
        "skontaktować się z Biurem Rzecznika Praw Ofiar w Departamencie Sprawiedliwości USA.",
    },
    "zh-hans": {
        "il_respect": "受到公平对待，您的尊严和隐私得到尊重；"
        "在整个案件过程中不受骚扰、威胁和虐待。",
        "il_records": "在任何人查看您的私人记录（例如心理咨询或医疗记录）之前，您有权得到通知，"
        "并有权向法官陈述意见。",
        "il_court_notice": "及时得知每一个开庭日期。",
        "il_prosecutor": "与检察官（州检察官办公室）沟通。",
        "il_heard": "在法官决定是否释放被告、是否接受认罪协议或如何判刑时，以及在之后涉及您权利的"
        "听证会上，亲自或以书面形式向法官陈述意见。",
        "il_outcome": "得知被告是否被判有罪、判了什么刑，以及被告何时入狱或获释。",
        "il_timely": "在逮捕之后，案件得到及时处理，没有不必要的拖延。",
        "il_protected": "受到合理保护，免受被告伤害。",
        "il_safety_release": "法官在决定保释、释放及释放条件时，考虑您和您家人的安全。",
        "il_present": "与被告一样，出席审判和其他庭审；除非法官认为您听取其他证人的证词会改变您"
        "自己的证词。",
        "il_support": "由您选择的受害人支持人员或其他陪同人员陪您出庭。",
        "il_restitution": "获得赔偿：法院命令犯罪者为您的损失向您支付的钱。",
        "il_investigation": "在有人被逮捕或案件结案之前，向警方询问调查进展；如果已结案的案件被"
        "重新调查，您有权得到通知。",
        "cvra_1": "受到合理保护，免受被告伤害。",
        "cvra_2": "准确、及时地得知公开的法庭听证和假释听证，以及被告获释或逃跑的消息。",
        "cvra_3": "不被排除在公开庭审之外；除非法官认为您听取其他证人的证词会改变您自己的证词。",
        "cvra_4": "在有关释放、认罪协议、判刑或假释的公开听证会上陈述意见。",
        "cvra_5": "与本案的联邦检察官沟通。",
        "cvra_6": "依法获得全额、及时的赔偿。",
        "cvra_7": "案件审理不受不合理的拖延。",
        "cvra_8": "受到公平对待，您的尊严和隐私得到尊重。",
        "cvra_9": "及时得知任何认罪协议或暂缓起诉协议。",
        "cvra_10": "得知上述权利和您可以获得的服务，以及如何联系美国司法部受害人权利监察办公室。",
    },
    "ar": {
        "il_respect": "أن تُعامَل بعدل واحترام لكرامتك وخصوصيتك، وأن تكون في مأمن من المضايقة "
        "والتهديد والإساءة طوال سير القضية.",
        "il_records": "أن يتم إبلاغك، وأن يستمع إليك القاضي، قبل أن يُسمح لأي شخص بالاطلاع على "
        "سجلاتك الخاصة، مثل سجلات الاستشارة النفسية أو السجلات الطبية.",
        "il_court_notice": "أن يتم إبلاغك في وقت مناسب بكل موعد في المحكمة.",
        "il_prosecutor": "أن تتحدث مع المدعي العام (مكتب المدعي العام للولاية).",
        "il_heard": "أن تتحدث إلى القاضي، شخصيًا أو كتابيًا، عندما يقرر الإفراج عن المتهم أو "
        "قبول اتفاق الإقرار بالذنب أو الحكم، وفي الجلسات اللاحقة المتعلقة بحقوقك.",
        "il_outcome": "أن يتم إبلاغك إذا أُدين المتهم، وبالحكم الصادر، وبموعد دخوله السجن أو "
        "الإفراج عنه.",
        "il_timely": "أن يُفصل في القضية دون تأخير غير ضروري بعد القبض على المتهم.",
        "il_protected": "أن تحظى بحماية معقولة من المتهم.",
        "il_safety_release": "أن يراعي القاضي سلامتك وسلامة عائلتك عند البت في الكفالة والإفراج "
        "وشروط الإفراج.",
        "il_present": "أن تحضر في قاعة المحكمة أثناء المحاكمة والجلسات الأخرى مثل المتهم، إلا إذا "
        "قرر القاضي أن سماعك لشهادات الشهود الآخرين سيغيّر شهادتك.",
        "il_support": "أن تصطحب معك إلى المحكمة مناصرًا أو شخصًا آخر تختاره لمساندتك.",
        "il_restitution": "أن تحصل على التعويض: مال تأمر المحكمة الجاني بدفعه لك مقابل خسائرك.",
        "il_investigation": "أن تسأل الشرطة عن سير التحقيق حتى يُقبض على أحد أو تُغلق القضية، "
        "وأن يتم إبلاغك إذا أُعيد فتح قضية مغلقة.",
        "cvra_1": "أن تحظى بحماية معقولة من المتهم.",
        "cvra_2": "أن يتم إبلاغك بدقة وفي وقت مناسب بجلسات المحكمة العلنية وجلسات الإفراج "
        "المشروط، وبالإفراج عن المتهم أو هروبه.",
        "cvra_3": "ألا تُستبعد من جلسات المحكمة العلنية، إلا إذا قرر القاضي أن سماعك لشهادات "
        "الشهود الآخرين سيغيّر شهادتك.",
        "cvra_4": "أن يُستمع إليك في الجلسات العلنية الخاصة بالإفراج أو اتفاق الإقرار بالذنب أو "
        "الحكم أو الإفراج المشروط.",
        "cvra_5": "أن تتحدث مع المدعي العام الفيدرالي المسؤول عن القضية.",
        "cvra_6": "أن تحصل على تعويض كامل وفي الوقت المناسب وفقًا للقانون.",
        "cvra_7": "أن تسير الإجراءات دون تأخير غير معقول.",
        "cvra_8": "أن تُعامَل بعدل واحترام لكرامتك وخصوصيتك.",
        "cvra_9": "أن يتم إبلاغك في وقت مناسب بأي اتفاق إقرار بالذنب أو اتفاق لتأجيل الملاحقة "
        "القضائية.",
        "cvra_10": "أن يتم إبلاغك بهذه الحقوق وبالخدمات المتاحة لك، وبكيفية التواصل مع مكتب أمين "
        "مظالم حقوق الضحايا في وزارة العدل الأمريكية.",
    },
}
