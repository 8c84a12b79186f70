"""The printed safety plan's words in Polish, Chinese and Arabic (issue 14, item 5), added to
`sections.TEXT` beside English and Spanish. Same keys, same sections; Arabic prints right to
left."""

TEXT_MORE = {
    "pl": {
        "title": "Plan bezpieczeństwa",
        "for": "Dla",
        "date": "Data",
        "revision": "Wersja",
        "unit": "Pomoc dla ofiar",
        "call": "Zadzwoń",
        "emergency": "W nagłej sytuacji dzwoń pod 911.",
        "keep_safe": "Trzymaj ten plan tam, gdzie znajdziesz go tylko Ty lub zaufana osoba.",
        "empty": "Nic jeszcze nie zapisano.",
        "sections": {
            "warning_signs": (
                "Sygnały ostrzegawcze",
                (
                    "Co mówi Ci, że robi się niebezpiecznie: słowa, nastroje, alkohol lub "
                    "narkotyki, pory dnia, dni miesiąca?",
                    "Co zrobisz, gdy je zauważysz?",
                ),
            ),
            "safe_places": (
                "Bezpieczne miejsca",
                (
                    "Dokąd możesz pójść, jeśli musisz szybko wyjść, w dzień i w nocy?",
                    "Które pokoje w domu są bezpieczniejsze (wyjście, brak broni, telefon)? "
                    "Jak wyjdziesz i dokąd?",
                ),
            ),
            "people_to_call": (
                "Do kogo dzwonić",
                (
                    "Do kogo możesz zadzwonić i pod jakie numery? Kto pozwoliłby Ci u siebie "
                    "zostać?",
                    "Hasło lub znak oznaczający „dzwoń na policję” albo „przyjedź po mnie” i kto "
                    "je zna.",
                ),
            ),
            "emergency_bag": (
                "Torba awaryjna i dokumenty",
                (
                    "Dokumenty tożsamości, akty urodzenia, paszporty i dokumenty imigracyjne, "
                    "leki, klucze, pieniądze i karty, ładowarka, kopie dokumentów sądowych.",
                    "Gdzie będzie torba albo u kogo?",
                ),
            ),
            "children": (
                "Dzieci",
                (
                    "Co zrobią dzieci, gdy zacznie się niebezpieczeństwo: dokąd pójdą, do kogo "
                    "zadzwonią?",
                    "Kto może je odebrać ze szkoły lub przedszkola, a kto nie?",
                ),
            ),
            "technology": (
                "Technologia i bezpieczeństwo telefonu",
                (
                    "Udostępniana lokalizacja, wspólne konta i hasła, urządzenia od drugiej "
                    "osoby lub takie, do których ma dostęp.",
                    "Bezpieczny telefon lub numer; prywatność w mediach społecznościowych; czego "
                    "nie publikować.",
                ),
            ),
            "work_school": (
                "Praca lub szkoła",
                (
                    "Kto tam wie i może pomóc (ochrona, przełożony, nauczyciel)?",
                    "Sprawdzanie telefonów i gości, inna trasa lub godziny, zdjęcie drugiej "
                    "osoby dla ochrony.",
                ),
            ),
            "protective_orders": (
                "Nakazy ochrony",
                (
                    "Czy jest nakaz: jaki, jego numer, kiedy wygasa? Gdzie są kopie?",
                    "Jeśli zostanie złamany: dzwoń pod 911, zapisz godzinę i co się stało, "
                    "zachowaj wiadomości.",
                ),
            ),
        },
    },
    "zh": {
        "title": "安全计划",
        "for": "姓名",
        "date": "日期",
        "revision": "版本",
        "unit": "受害人服务",
        "call": "电话",
        "emergency": "紧急情况下，请拨打 911。",
        "keep_safe": "请把这份计划放在只有您或您信任的人能找到的地方。",
        "empty": "尚未填写。",
        "sections": {
            "warning_signs": (
                "危险信号",
                (
                    "哪些迹象告诉您情况正在变得危险：言语、情绪、饮酒或吸毒、一天中的时段、每月的日子？",
                    "注意到这些迹象时，您会怎么做？",
                ),
            ),
            "safe_places": (
                "可以去的安全地方",
                (
                    "如果需要快速离开，白天和夜晚您可以去哪里？",
                    "家里哪些房间更安全（有出口、没有武器、有电话）？您将如何离开，去哪里？",
                ),
            ),
            "people_to_call": (
                "可以联系的人",
                (
                    "您可以打电话给谁，号码是多少？谁会让您住在他们家？",
                    "一个表示“报警”或“来接我”的暗号或信号，以及谁知道它。",
                ),
            ),
            "emergency_bag": (
                "应急包和证件",
                (
                    "身份证件、出生证明、护照和移民文件、药品、钥匙、现金和银行卡、充电器、法庭文件副本。",
                    "应急包放在哪里，或者交给谁保管？",
                ),
            ),
            "children": (
                "孩子",
                (
                    "危险开始时孩子们会做什么：去哪里，打电话给谁？",
                    "谁可以从学校或托儿所接他们，谁不可以？",
                ),
            ),
            "technology": (
                "科技和手机安全",
                (
                    "共享的位置、共享的账户和密码、对方给您的或能接触到的设备。",
                    "一部安全的手机或号码；社交媒体隐私；哪些内容不要发布。",
                ),
            ),
            "work_school": (
                "工作或学校",
                (
                    "那里谁知道情况并能提供帮助（保安、主管、老师）？",
                    "筛选来电和访客，换一条路线或时间，把对方的照片交给保安。",
                ),
            ),
            "protective_orders": (
                "保护令",
                (
                    "是否有保护令：什么类型、编号、何时到期？副本放在哪里？",
                    "如果对方违反：拨打 911，记下时间和经过，保存信息。",
                ),
            ),
        },
    },
    "ar": {
        "title": "خطة السلامة",
        "for": "لـ",
        "date": "التاريخ",
        "revision": "الإصدار",
        "unit": "خدمات الضحايا",
        "call": "اتصل على",
        "emergency": "في حالة الطوارئ، اتصل بالرقم 911.",
        "keep_safe": "احتفظ بهذه الخطة في مكان لا يجده إلا أنت أو شخص تثق به.",
        "empty": "لم يُكتب شيء بعد.",
        "sections": {
            "warning_signs": (
                "علامات الخطر",
                (
                    "ما الذي يخبرك أن الأمور أصبحت خطيرة: كلمات، حالات مزاجية، كحول أو مخدرات، "
                    "أوقات من اليوم، أيام من الشهر؟",
                    "ماذا ستفعل عندما تلاحظها؟",
                ),
            ),
            "safe_places": (
                "أماكن آمنة للذهاب إليها",
                (
                    "إلى أين يمكنك الذهاب إذا احتجت إلى المغادرة بسرعة، نهارًا وليلًا؟",
                    "ما الغرف الأكثر أمانًا في البيت (مخرج، لا أسلحة، هاتف)؟ كيف ستخرج وإلى أين؟",
                ),
            ),
            "people_to_call": (
                "أشخاص تتصل بهم",
                (
                    "بمن يمكنك الاتصال وعلى أي أرقام؟ من يسمح لك بالبقاء عنده؟",
                    "كلمة سر أو إشارة تعني «اتصل بالشرطة» أو «تعال خذني»، ومن يعرفها.",
                ),
            ),
            "emergency_bag": (
                "حقيبة الطوارئ والوثائق",
                (
                    "الهويات وشهادات الميلاد وجوازات السفر وأوراق الهجرة، الأدوية، المفاتيح، "
                    "النقود والبطاقات، شاحن، نسخ من أوراق المحكمة.",
                    "أين ستُحفظ الحقيبة، أو مع من؟",
                ),
            ),
            "children": (
                "الأطفال",
                (
                    "ماذا سيفعل الأطفال عندما يبدأ الخطر: إلى أين يذهبون، وبمن يتصلون؟",
                    "من يمكنه أخذهم من المدرسة أو الحضانة، ومن لا يمكنه؟",
                ),
            ),
            "technology": (
                "التكنولوجيا وأمان الهاتف",
                (
                    "مشاركة الموقع، الحسابات وكلمات المرور المشتركة، الأجهزة التي أعطاك إياها "
                    "الشخص الآخر أو التي يستطيع الوصول إليها.",
                    "هاتف أو رقم آمن؛ الخصوصية على وسائل التواصل؛ ما لا يجب نشره.",
                ),
            ),
            "work_school": (
                "العمل أو المدرسة",
                (
                    "من هناك يعرف ويمكنه المساعدة (الأمن، مشرف، معلم)؟",
                    "فرز المكالمات والزوار، طريق أو مواعيد مختلفة، صورة للشخص الآخر لموظفي الأمن.",
                ),
            ),
            "protective_orders": (
                "أوامر الحماية",
                (
                    "هل يوجد أمر: ما نوعه ورقمه ومتى ينتهي؟ أين تُحفظ النسخ؟",
                    "إذا خُرق: اتصل بالرقم 911، دوّن الوقت وما حدث، واحفظ الرسائل.",
                ),
            ),
        },
    },
}
