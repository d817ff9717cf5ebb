"""Words of Russian testimony: kinship terms in every case, pronouns, and what they say.

The tables are written out by hand (not guessed by a morphology model) because the
extractor leans on them: a kinship word tells the relation, the gender and the case of
the name beside it ("мою маму Гульнару": accusative, so the name is Гульнара).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kin:
    relation: str  # a RelationType value
    label: str  # English word for descriptions: "mother", "brothers"
    gender: str | None  # "f", "m" or None
    cases: str  # letters of the cases the form can be in: n g d a i p
    plural: bool = False


def _forms(
    relation: str, label: str, gender: str | None, table: str, plural: bool = False
) -> dict[str, Kin]:
    """``"мать:na матери:gdp матерью:i"`` -> each form with its cases."""
    out: dict[str, Kin] = {}
    for item in table.split():
        form, _, cases = item.partition(":")
        out[form] = Kin(relation, label, gender, cases, plural)
    return out


KIN: dict[str, Kin] = {
    **_forms("mother", "mother", "f", "мать:na матери:gdp матерью:i"),
    **_forms(
        "mother",
        "mother",
        "f",
        "мама:n мамы:g маме:dp маму:a мамой:i мамочка:n мамочку:a мамочки:g мамочке:dp",
    ),
    **_forms("father", "father", "m", "отец:n отца:ga отцу:d отцом:i отце:p"),
    **_forms("father", "father", "m", "папа:n папы:g папе:dp папу:a папой:i"),
    **_forms("sibling", "brother", "m", "брат:n брата:ga брату:d братом:i брате:p"),
    **_forms("sibling", "brother", "m", "братишка:n братишку:a братишки:g"),
    **_forms(
        "sibling",
        "brothers",
        "m",
        "братья:n братьев:ga братьям:d братьями:i братьях:p",
        plural=True,
    ),
    **_forms("sibling", "sister", "f", "сестра:n сестры:g сестре:dp сестру:a сестрой:i"),
    **_forms("sibling", "sisters", "f", "сёстры:n сестёр:ga сёстрам:d сестрам:d", plural=True),
    **_forms("child", "son", "m", "сын:n сына:ga сыну:d сыном:i сыне:p"),
    **_forms("child", "sons", "m", "сыновья:n сыновей:ga сыновьям:d", plural=True),
    **_forms("child", "daughter", "f", "дочь:na дочери:gdp дочерью:i"),
    **_forms("child", "daughter", "f", "дочка:n дочки:g дочке:dp дочку:a дочкой:i"),
    **_forms("child", "daughters", "f", "дочерей:ga дочерям:d", plural=True),
    **_forms(
        "child",
        "children",
        None,
        "дети:n детей:ga детям:d детьми:i детях:p",
        plural=True,
    ),
    **_forms("child", "child", None, "ребёнок:n ребенок:n ребёнка:ga ребенка:ga"),
    **_forms("spouse", "husband", "m", "муж:na мужа:ga мужу:d мужем:i муже:p"),
    **_forms("spouse", "husband", "m", "супруг:n супругом:i"),
    **_forms("spouse", "wife", "f", "жена:n жены:g жене:dp жену:a женой:i"),
    **_forms("spouse", "wife", "f", "супруга:n супруги:g супругу:a супругой:i"),
    **_forms(
        "other_relative",
        "relatives",
        None,
        "родственники:n родственников:ga родственникам:d родственниками:i родные:n "
        "родных:ga родным:d родня:n родню:a родни:g",
        plural=True,
    ),
    **_forms(
        "other_relative",
        "relative",
        None,
        "родственник:n родственника:ga родственнику:d родственница:n родственницу:a",
    ),
    **_forms("other_relative", "uncle", "m", "дядя:n дяди:g дяде:dp дядю:a дядей:i"),
    **_forms("other_relative", "aunt", "f", "тётя:n тетя:n тёти:g тети:g тётю:a тетю:a"),
    **_forms("other_relative", "nephew", "m", "племянник:n племянника:ga племяннику:d"),
    **_forms("other_relative", "niece", "f", "племянница:n племянницу:a племянницы:g"),
    **_forms("other_relative", "grandmother", "f", "бабушка:n бабушку:a бабушки:g бабушке:dp"),
    **_forms("other_relative", "grandfather", "m", "дедушка:n дедушку:a дедушки:g дедушке:dp"),
    **_forms("other_relative", "grandson", "m", "внук:n внука:ga внуку:d"),
    **_forms(
        "other_relative",
        "father-in-law",
        "m",
        "свёкор:n свекор:n свёкра:ga свекра:ga свёкру:d свекру:d свёкром:i свекром:i "
        "тесть:n тестя:ga тестю:d тестем:i",
    ),
    **_forms(
        "other_relative",
        "mother-in-law",
        "f",
        "свекровь:na свекрови:gdp свекровью:i тёща:n теща:n тёщу:a тещу:a тёщи:g тещи:g "
        "тёще:dp теще:dp",
    ),
    **_forms(
        "other_relative",
        "daughter-in-law",
        "f",
        "невестка:n невестку:a невестки:g невестке:dp сноха:n сноху:a снохи:g",
    ),
    **_forms("other_relative", "son-in-law", "m", "зять:n зятя:ga зятю:d зятем:i"),
    **_forms(
        "cellmate",
        "cellmate",
        None,
        "сокамерник:n сокамерника:ga сокамернику:d сокамерница:n сокамерницу:a сокамерницы:g",
    ),
    **_forms("other_relative", "granddaughter", "f", "внучка:n внучку:a внучки:g"),
}

# Adjectives that make a kinship word a more distant relative ("двоюродного брата").
DISTANT = ("двоюродн", "троюродн", "сводн")

# Possessives: whose relative. "1" is the narrator, "m"/"f" a third person, "refl" the
# subject of the clause ("свою маму").
POSSESSIVE: dict[str, str] = {
    **dict.fromkeys(
        [
            "мой",
            "моя",
            "моё",
            "мое",
            "мою",
            "моего",
            "моей",
            "моему",
            "моим",
            "моих",
            "мои",
            "моими",
            "наш",
            "наша",
            "наше",
            "нашу",
            "нашего",
            "нашей",
            "нашему",
            "нашим",
            "наших",
            "наши",
            "нашими",
        ],
        "1",
    ),
    "его": "m",
    "её": "f",
    "ее": "f",
    "их": "pl",
    **dict.fromkeys(
        ["свой", "своя", "свою", "своего", "своей", "своему", "своим", "своих", "свои"], "refl"
    ),
}

# Personal pronouns: the narrator, or a third person of a gender.
PRONOUN: dict[str, str] = {
    **dict.fromkeys(["я", "меня", "мне", "мной", "мною"], "1"),
    **dict.fromkeys(["мы", "нас", "нам", "нами"], "1pl"),
    **dict.fromkeys(["он", "его", "него", "ему", "нему", "им", "ним", "нём", "нем"], "m"),
    **dict.fromkeys(["она", "её", "ее", "неё", "нее", "ей", "ней", "нею"], "f"),
}

# The preposition before a name decides its case (for the dictionary form of the name).
PREPOSITION_CASE: dict[str, str] = {
    **dict.fromkeys(
        ["у", "от", "из", "без", "для", "до", "около", "против", "после", "кроме"], "g"
    ),
    **dict.fromkeys(["к", "ко", "по"], "d"),
    **dict.fromkeys(["с", "со"], "i"),
    **dict.fromkeys(["о", "об", "при"], "p"),
    "про": "a",
}

# Capitalised words that are never a person's name (beside what pymorphy3 knows).
NOT_NAMES = frozenset(
    [
        "кандас",
        "кандасы",
        "кандасов",
        "оралман",
        "оралманы",
        "азаттык",
        "азаттыка",
        "азаттыку",
        "азаттыком",
        "азаттыке",
        "тенгриньюс",
        "тенгри",
        "власть",
        "радио",
        "свобода",
        "свободы",
        "свободе",
        "интерфакс",
        "би-би-си",
        "рфе",
        "хьюман",
        "райтс",
        "вотч",
        "амнести",
        "интернешнл",
        "bbc",
        "ассаламу",
        "алейкум",
        "салам",
        "здравствуйте",
        "си",
        "цзиньпин",
        "шымкент",
        "шымкента",
        "шымкенте",
        "караганда",
        "караганды",
        "тараз",
        "жаркент",
        "жаркента",
        "семей",
        "талдыкорган",
        "талдыкоргана",
        "актобе",
        "бишкек",
        "бишкека",
        "стамбул",
        "стамбула",
        "ташкент",
        "ташкента",
        "оон",
        "европа",
        "европы",
        "америка",
        "америки",
        "казахстан",
        "казахстана",
        "казахстане",
        "казахстану",
        "китай",
        "китая",
        "китае",
        "китаю",
        "кнр",
        "синьцзян",
        "синьцзяна",
        "синьцзяне",
        "синьцзяну",
        "сузр",
        "оон",
        "сша",
        "турция",
        "турции",
        "турцию",
        "россия",
        "россии",
        "кыргызстан",
        "кыргызстана",
        "киргизия",
        "киргизии",
        "германия",
        "германии",
        "аллах",
        "аллаха",
        "коран",
        "корана",
        "сизо",
        "атажурт",
        "атажурта",
        "мвд",
        "кпк",
        "кгб",
        "рфе/рс",
        "азаттык",
        "азаттыка",
        "ватсап",
        "whatsapp",
        "вичат",
        "wechat",
        "рамадан",
        "рамадана",
        "ислам",
        "ислама",
        "namaz",
        "хадж",
        "хаджа",
        "алматы",
        "алма-ата",
        "астана",
        "астаны",
        "нур-султан",
        "уйгур",
        "уйгуры",
        "казах",
        "казахи",
        "казашка",
        "кыргыз",
        "хуэй",
        "хань",
        "дунган",
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
        "восточный",
        "туркестан",
    ]
)

NUMBERS: dict[str, int] = {}
for _value, _stems in {
    1: "один одного одному одна одну",
    2: "два две двух двум двумя",
    3: "три трёх трех трём трем",
    4: "четыре четырёх четырех",
    5: "пять пяти",
    6: "шесть шести",
    7: "семь семи",
    8: "восемь восьми",
    9: "девять девяти",
    10: "десять десяти",
    11: "одиннадцать одиннадцати",
    12: "двенадцать двенадцати",
    13: "тринадцать тринадцати",
    14: "четырнадцать четырнадцати",
    15: "пятнадцать пятнадцати",
    16: "шестнадцать шестнадцати",
    17: "семнадцать семнадцати",
    18: "восемнадцать восемнадцати",
    19: "девятнадцать девятнадцати",
    20: "двадцать двадцати",
}.items():
    for _stem in _stems.split():
        NUMBERS[_stem] = _value

NUMBER_WORDS = "|".join(sorted(NUMBERS, key=len, reverse=True))

# Countries people fled to, by the stem of their Russian name.
DESTINATIONS: dict[str, str] = {
    "казахстан": "Kazakhstan",
    "алматы": "Kazakhstan",
    "алма-ат": "Kazakhstan",
    "астан": "Kazakhstan",
    "турци": "Turkey",
    "стамбул": "Turkey",
    "кыргызстан": "Kyrgyzstan",
    "киргизи": "Kyrgyzstan",
    "бишкек": "Kyrgyzstan",
    "узбекистан": "Uzbekistan",
    "сша": "United States",
    "америк": "United States",
    "германи": "Germany",
    "нидерланд": "Netherlands",
    "голланди": "Netherlands",
    "канад": "Canada",
    "австрали": "Australia",
    "норвеги": "Norway",
    "швеци": "Sweden",
    "япони": "Japan",
    "франци": "France",
    "великобритани": "United Kingdom",
    "англи": "United Kingdom",
}

# Stated reasons: a Russian phrase (lower case, a regex) and the archive's words.
REASONS: tuple[tuple[str, str], ...] = (
    (r"молитв|намаз|молил(?:ся|ась)|совершал\w* намаз", "praying"),
    (
        r"\bвер[уыеа]\b|религи(?!озн\w* экстремизм)|веровани|верующ|ислам|мечет|"
        r"пост\w* в рамадан",
        "religious faith",
    ),
    (r"коран|аят", "reading the Quran"),
    (r"проповед|никах", "preaching"),
    (r"ватсап|вотсап|whatsapp|вацап", "WhatsApp"),
    (r"никаб|хиджаб|платок|паранджу|паранджи|покрывал", "wearing a veil"),
    (r"хадж|паломничеств", "pilgrimage"),
    (
        r"поездк\w* (?:в|за) |ездил\w* (?:в|за) |выезд\w* за|побывал\w* (?:в|за)|"
        r"поехал\w* в казахстан",
        "travel abroad",
    ),
    (
        r"(?:родственник|родн|связ|контакт)\w* (?:в|за|с) (?:казахстан|границ|рубеж)",
        "relatives abroad",
    ),
    (r"гражданств|паспорт|вид на жительство", "foreign passport or citizenship"),
    (r"экстремиз|экстремист", "religious extremism"),
    (r"сепаратизм", "separatism"),
    (r"терроризм|террористич", "terrorism"),
    (
        r"разжигани\w* (?:этническ|межнациональн|национальн|межэтническ)\w* "
        r"(?:ненавист|розн|вражд)",
        "inciting ethnic hatred",
    ),
    (r"без (?:всякой )?причин|ни за что|без объяснени", "no reason given"),
)
