"""Word lists of the English rules: capitalised words that are not names, countries,
professions, ethnic groups, agents (who detain), relatives.

Kept apart from the rules so that a documenter can extend a list without reading regular
expressions; every list is plain data.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalised words that begin sentences or name things other than people.
NOT_NAMES = _words(
    "A An The This That These Those There Then Than Their They Them He She His Her Hers It Its "
    "I Im I'm My Mine Me We Our Us You Your Who Whose Whom What When Where Why How Which While "
    "In On At By For From To Of With Without After Before Since Until During About Around "
    "Among Between Into Under Over Through Despite Because Although Though If Unless As Once "
    "And But Or Nor So Yet Also Still Now Later Earlier Last Next First Second Third Finally "
    "Today Yesterday Tomorrow Both Each Every All Some Many Most Several Few No Not Never "
    "Yes However Meanwhile Instead Afterwards Eventually Recently Ever Even Just Only "
    "Mr Mrs Ms Miss Dr Prof Professor Sir Madam Imam Judge President Minister Secretary "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec "
    "Uyghur Uyghurs Uighur Uighurs Uygur Kazakh Kazakhs Kyrgyz Kirghiz Hui Han Tajik Uzbek "
    "Uzbeks Tatar Mongol Xibe Chinese Muslim Muslims Islam Islamic Christian Turkic Russian "
    "English Arabic Mandarin Western European American British Turkish German Dutch Swedish "
    "Australian Canadian Japanese French Norwegian Belgian Kazakhstani "
    "China Beijing Xinjiang Kazakhstan Turkey Türkiye Kyrgyzstan Uzbekistan Tajikistan "
    "Russia Germany Netherlands Sweden Norway Canada Australia Japan Britain France Belgium "
    "Egypt Pakistan Afghanistan Malaysia Indonesia Thailand Finland Switzerland Austria "
    "America United States Kingdom States Nations Union Almaty Astana Nur-Sultan Bishkek "
    "Istanbul Ankara Washington London Amsterdam Munich Geneva Brussels Tashkent Shanghai "
    "Hong Kong Taiwan Tibet East Turkistan Turkestan Zhetysu Zharkent Taldykorgan Shymkent "
    "Police Authorities Officials Officers Government State Party Communist Court Ministry "
    "Bureau Department Office Committee Council Congress Parliament Senate Embassy "
    "Consulate Foreign Security Public Procuratorate People's Intermediate Higher Supreme "
    "Human Rights Watch Amnesty International Radio Free Asia RFA AP Reuters BBC CNN AFP "
    "Associated Press Guardian Times Post Journal News Agency Xinhua Global UN UNHCR OHCHR "
    "Atajurt Volunteers Victims Database Project Initiative Congress Institute University "
    "Centre Center Camp Prison School Hospital Mosque Village County City Prefecture Region "
    "District Township Autonomous Street Road Station Detention Vocational Training Skills "
    "Education Re-education Transformation Strike Hard Campaign Campaigns Ramadan Quran Koran "
    "Eid Allah God WhatsApp WeChat Facebook Twitter YouTube Telegram Instagram TikTok VPN "
    "ID IDs COVID Covid "
    "Asia Europe Africa Central World Section Opinion Analysis Breaking Exclusive Update "
    "Updated Photo Video Watch Read Listen Editor Editors Correspondent Reporting Additional "
    "Please Note Transcript Testimony Interview Interviewer Question Answer Q A "
    "New York Free Bitter Winter Tribunal Genocide Convention Olympic Olympics Games Files "
    "Papers Documents List Lists Karakax Special Rapporteur Commissioner High General "
    "Assembly Human's Council's Prize Sakharov Nobel Foundation Society Association "
    "Mother Father Brother Sister Son Daughter Husband Wife Uncle Aunt Grandmother "
    "Grandfather Mom Mum Dad Mama Papa Ma Pa Parents"
)
# Kept as names even though listed above when they are joined to other name words.
NAME_PARTICLES = _words("al el bin binti ibn uulu kyzy qyzy uly ulu")

COUNTRIES: dict[str, str] = {
    "kazakhstan": "Kazakhstan",
    "almaty": "Kazakhstan",
    "astana": "Kazakhstan",
    "nur-sultan": "Kazakhstan",
    "zharkent": "Kazakhstan",
    "shymkent": "Kazakhstan",
    "taldykorgan": "Kazakhstan",
    "turkey": "Turkey",
    "türkiye": "Turkey",
    "turkiye": "Turkey",
    "istanbul": "Turkey",
    "ankara": "Turkey",
    "kyrgyzstan": "Kyrgyzstan",
    "bishkek": "Kyrgyzstan",
    "uzbekistan": "Uzbekistan",
    "tashkent": "Uzbekistan",
    "germany": "Germany",
    "munich": "Germany",
    "the netherlands": "Netherlands",
    "netherlands": "Netherlands",
    "amsterdam": "Netherlands",
    "sweden": "Sweden",
    "norway": "Norway",
    "canada": "Canada",
    "australia": "Australia",
    "japan": "Japan",
    "britain": "United Kingdom",
    "the united kingdom": "United Kingdom",
    "the uk": "United Kingdom",
    "london": "United Kingdom",
    "the united states": "United States",
    "the us": "United States",
    "the u.s.": "United States",
    "america": "United States",
    "washington": "United States",
    "france": "France",
    "belgium": "Belgium",
    "egypt": "Egypt",
    "pakistan": "Pakistan",
    "afghanistan": "Afghanistan",
    "malaysia": "Malaysia",
    "thailand": "Thailand",
    "finland": "Finland",
    "switzerland": "Switzerland",
    "austria": "Austria",
    "saudi arabia": "Saudi Arabia",
    "dubai": "United Arab Emirates",
    "abroad": "",
}

ETHNICITIES: dict[str, str] = {
    "uyghur": "Uyghur",
    "uighur": "Uyghur",
    "uygur": "Uyghur",
    "kazakh": "Kazakh",
    "kyrgyz": "Kyrgyz",
    "kirghiz": "Kyrgyz",
    "hui": "Hui",
    "tajik": "Tajik",
    "uzbek": "Uzbek",
    "tatar": "Tatar",
    "mongol": "Mongol",
    "mongolian": "Mongol",
    "xibe": "Xibe",
    "han": "Han",
}

# Professions as written (lower case), longest first when matched; value = normalised form.
PROFESSIONS = sorted(
    (
        "teacher",
        "retired teacher",
        "school teacher",
        "kindergarten teacher",
        "doctor",
        "physician",
        "nurse",
        "surgeon",
        "farmer",
        "herder",
        "shepherd",
        "businessman",
        "businesswoman",
        "business owner",
        "trader",
        "merchant",
        "shopkeeper",
        "shop owner",
        "writer",
        "poet",
        "novelist",
        "author",
        "professor",
        "scholar",
        "academic",
        "economist",
        "anthropologist",
        "linguist",
        "historian",
        "journalist",
        "editor",
        "reporter",
        "publisher",
        "student",
        "university student",
        "engineer",
        "imam",
        "religious scholar",
        "driver",
        "taxi driver",
        "truck driver",
        "accountant",
        "civil servant",
        "local government worker",
        "government worker",
        "government employee",
        "local official",
        "village official",
        "cadre",
        "police officer",
        "policeman",
        "official",
        "lawyer",
        "musician",
        "singer",
        "comedian",
        "footballer",
        "athlete",
        "artist",
        "photographer",
        "cook",
        "chef",
        "tailor",
        "construction worker",
        "schoolteacher",
        "worker",
        "factory worker",
        "labourer",
        "laborer",
        "mechanic",
        "veterinarian",
        "pharmacist",
        "entrepreneur",
        "translator",
        "interpreter",
        "retiree",
        "pensioner",
        "housewife",
        "homemaker",
        "barber",
        "baker",
        "butcher",
        "carpenter",
        "electrician",
        "programmer",
        "computer engineer",
        "researcher",
        "scientist",
        "geographer",
        "film director",
        "producer",
        "dancer",
        "actor",
        "actress",
        "stylist",
        "kindergarten worker",
        "guard",
        "camp guard",
        "camp instructor",
        "instructor",
        "dean",
    ),
    key=len,
    reverse=True,
)
OFFICIAL_WORDS = _words(
    "official officials cadre cadres officer officers policeman policemen guard guards "
    "director chief secretary judge prosecutor commander instructor governor mayor head"
)

# Who detains, threatens, sentences (the agent before an active verb).
AGENTS = _words(
    "police authorities officials officers agents guards court courts judge cadres "
    "government state they security prosecutors soldiers men"
)

# Relative nouns -> (RelationType value, gender or "", plural)
RELATIVES: dict[str, tuple[str, str, bool]] = {
    "mother": ("mother", "female", False),
    "mum": ("mother", "female", False),
    "mom": ("mother", "female", False),
    "father": ("father", "male", False),
    "dad": ("father", "male", False),
    "son": ("child", "male", False),
    "sons": ("child", "male", True),
    "daughter": ("child", "female", False),
    "daughters": ("child", "female", True),
    "child": ("child", "", False),
    "children": ("child", "", True),
    "brother": ("sibling", "male", False),
    "brothers": ("sibling", "male", True),
    "sister": ("sibling", "female", False),
    "sisters": ("sibling", "female", True),
    "sibling": ("sibling", "", False),
    "siblings": ("sibling", "", True),
    "husband": ("spouse", "male", False),
    "wife": ("spouse", "female", False),
    "spouse": ("spouse", "", False),
    "uncle": ("other_relative", "male", False),
    "aunt": ("other_relative", "female", False),
    "cousin": ("other_relative", "", False),
    "nephew": ("other_relative", "male", False),
    "niece": ("other_relative", "female", False),
    "grandfather": ("other_relative", "male", False),
    "grandmother": ("other_relative", "female", False),
    "grandson": ("other_relative", "male", False),
    "granddaughter": ("other_relative", "female", False),
    "father-in-law": ("other_relative", "male", False),
    "mother-in-law": ("other_relative", "female", False),
    "brother-in-law": ("other_relative", "male", False),
    "sister-in-law": ("other_relative", "female", False),
    "son-in-law": ("other_relative", "male", False),
    "daughter-in-law": ("other_relative", "female", False),
    "parents": ("parent", "", True),
    "baby": ("child", "", False),
    "cellmate": ("cellmate", "", False),
    "neighbour": ("neighbour", "", False),
    "neighbor": ("neighbour", "", False),
    "colleague": ("colleague", "", False),
}

# Adjectives of countries, read as a destination only beside "government", "citizenship"...
DEMONYMS: dict[str, str] = {
    "canadian": "Canada",
    "turkish": "Turkey",
    "german": "Germany",
    "dutch": "Netherlands",
    "swedish": "Sweden",
    "american": "United States",
    "australian": "Australia",
    "norwegian": "Norway",
    "british": "United Kingdom",
    "french": "France",
    "kyrgyzstani": "Kyrgyzstan",
    "kazakhstani": "Kazakhstan",
    "japanese": "Japan",
}
