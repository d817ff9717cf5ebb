"""The name bank: given names of Uyghurs, Kazakhs, Kyrgyz and Hui in every script.

Each name takes two lines of the tables below::

    LATIN GROUPS | PRESS SPELLINGS | TURKISH
        UYGHUR-ARABIC | CYRILLIC:LANG ... | CHINESE ...

* LATIN is the Uyghur Latin script (ULY, with é ö ü) for Uyghur names, the usual Kazakh or
  Kyrgyz romanisation (with q, zh) for theirs, and pinyin for the Chinese names of the Hui.
* GROUPS are the peoples who use the name, the main one first: U Uyghur, K Kazakh,
  G Kyrgyz, H Hui.
* PRESS SPELLINGS are the English-language press variants, the commonest first.
* CYRILLIC forms carry their language: ug (Uyghur Cyrillic, as written in Kazakhstan),
  kk (Kazakh), ky (Kyrgyz), ru (Russian).
* CHINESE gives the official transcription first (regional syllable conventions:
  古丽 Gül, 买买提 Memet, 阿不都 Abdu-, 吐尔逊 Tursun, 阿依 Ay, 努尔 Nur, 江 -jan).

Within each main group and sex, the order is the order of frequency: the name's Zipf
rank (see ``GivenName.rank``). The Uyghur Arabic and Uyghur Cyrillic forms follow the
ULY letter table one to one; the Arabic forms of Kazakh and Kyrgyz names are their
usual Uyghur-script spellings.
"""

from __future__ import annotations

from dataclasses import dataclass

GROUP_NAMES = {"U": "Uyghur", "K": "Kazakh", "G": "Kyrgyz", "H": "Hui"}


@dataclass(frozen=True, slots=True, eq=False)
class GivenName:
    latin: str
    sex: str  # "m" or "f"
    groups: str  # letters of GROUP_NAMES, the main group first
    rank: int  # 1 = commonest within its main group and sex
    press: tuple[str, ...]
    turkish: str | None
    arabic: str
    cyrillic: tuple[tuple[str, str], ...]  # (text, lang), in table order
    chinese: tuple[str, ...]

    def cyrillic_for(self, lang: str) -> str:
        """The first Cyrillic form in ``lang``, else the Russian one."""
        for text, form_lang in self.cyrillic:
            if form_lang == lang:
                return text
        for text, form_lang in self.cyrillic:
            if form_lang == "ru":
                return text
        return self.cyrillic[0][0]


@dataclass(frozen=True, slots=True, eq=False)
class Surname:
    """A Hui family name (the Hui, unlike Uyghurs and Kazakhs, carry Chinese surnames)."""

    latin: str
    chinese: str
    cyrillic: str
    arabic: str
    weight: int


_MALE = """
Muhemmet UKG | Muhammad Mohammed Memet Mamat Mohammad | Muhammed
    مۇھەممەت | Муһәммәт:ug Мұхаммед:kk Мамат:ky Мухаммед:ru Мамет:ru | 买买提 穆罕默德 麦麦提
Abdurehim U | Abdurahim Abdureyim Abdurakhim | Abdurrahim
    ئابدۇرەھىم | Абдурәһим:ug Абдурахим:ru | 阿不都热依木
Tursun UKG | Tursun Tursoon | Tursun
    تۇرسۇن | Турсун:ug Тұрсын:kk Турсун:ky Турсун:ru | 吐尔逊
Ehmet UK | Ahmat Ahmet Akhmet | Ahmet
    ئەھمەت | Әһмәт:ug Ахмет:kk Ахмат:ru Ахмет:ru | 艾合买提 艾买提
Eli UK | Ali Eli | Ali
    ئەلى | Әли:ug Әли:kk Али:ru | 艾力 阿里
Abdukérim U | Abdukerim Abdukarim Abdulkerim | Abdulkerim
    ئابدۇكېرىم | Абдукерим:ug Абдукерим:ru | 阿不都克里木
Abdulla UKG | Abdullah Abdulla | Abdullah
    ئابدۇللا | Абдулла:ug Абдолла:kk Абдулла:ky Абдулла:ru | 阿不都拉
Nurmemet U | Nurmamat Nurmehmet Nurmuhammad | Nurmehmet
    نۇرمەمەت | Нурмәмәт:ug Нурмамат:ru | 努尔买买提
Qurban UKG | Kurban Qurban Kurbon | Kurban
    قۇربان | Қурбан:ug Құрбан:kk Курбан:ky Курбан:ru | 库尔班
Ilham U | Ilham Ilhom | İlham
    ئىلھام | Илһам:ug Ильхам:ru | 伊力哈木
Alim UK | Alim Alimu | Alim
    ئالىم | Алим:ug Әлім:kk Алим:ru | 阿里木
Perhat U | Perhat Ferhat Farhat | Ferhat
    پەرھات | Пәрһат:ug Перхат:ru Фархат:ru | 帕尔哈提
Abliz U | Abliz Ablez | Abdülaziz
    ئابلىز | Аблиз:ug Аблиз:ru | 阿不力孜
Ablimit U | Ablimit Ablimet
    ئابلىمىت | Аблимит:ug Аблимит:ru | 阿不力米提
Mehmut UK | Mahmut Mahmud Makhmut | Mahmut
    مەھمۇت | Мәһмут:ug Махмұт:kk Махмут:ru | 买合木提
Hesen UK | Hasan Hassan Hesen | Hasan
    ھەسەن | Һәсән:ug Хасен:kk Хасан:ru | 艾山 哈森
Rozi U | Rozi Rozy
    روزى | Рози:ug Рози:ru | 肉孜
Yasin UK | Yasin Yassin Yasen | Yasin
    ياسىن | Ясин:ug Ясин:kk Ясин:ru | 亚森 亚生
Osman UKG | Osman Usman | Osman
    ئوسمان | Осман:ug Оспан:kk Осмон:ky Осман:ru | 吾斯曼 奥斯曼
Ismayil UK | Ismail Ismayil Ismoil | İsmail
    ئىسمايىل | Исмайил:ug Ысмайыл:kk Исмаил:ru | 司马义 伊斯马伊力
Yüsüp UKG | Yusuf Yusup Yusuph | Yusuf
    يۈسۈپ | Йүсүп:ug Жүсіп:kk Жусуп:ky Юсуп:ru | 玉素甫 玉苏甫
Ibrahim UK | Ibrahim Ebrahim | İbrahim
    ئىبراھىم | Ибраһим:ug Ыбырайым:kk Ибрагим:ru | 依不拉音 伊卜拉欣
Memtimin U | Mamtimin Memtimin Mamatimin | Mehmet Emin
    مەمتىمىن | Мәмтимин:ug Мамтимин:ru | 买买提明
Adil UKG | Adil | Adil
    ئادىل | Адил:ug Әділ:kk Адил:ky Адиль:ru | 阿迪力 阿迪尔
Erkin UKG | Arkin Erkin | Erkin
    ئەركىن | Әркин:ug Еркін:kk Эркин:ky Эркин:ru | 艾尔肯
Qadir U | Kadir Qadir Kader | Kadir
    قادىر | Қадир:ug Кадыр:ru | 卡德尔 卡地尔
Tahir U | Tahir Takhir | Tahir
    تاھىر | Таһир:ug Тахир:ru | 塔依尔
Ömer UK | Omer Umar Omar | Ömer
    ئۆمەر | Өмәр:ug Омар:kk Умар:ru | 吾买尔
Ehmetjan U | Ahmatjan Akhmetzhan Ahmatzhan | Ahmetcan
    ئەھمەتجان | Әһмәтҗан:ug Ахметжан:ru | 艾合买提江
Alimjan UK | Alimjan Alimzhan Alimdzhan | Alimcan
    ئالىمجان | Алимҗан:ug Әлімжан:kk Алимжан:ru | 阿里木江
Dawut UK | Dawut Dawud Davut Daud | Davut
    داۋۇت | Давут:ug Дәуіт:kk Давут:ru | 达吾提 达吾德
Abduweli U | Abduweli Abduvali Abdulvali | Abdulveli
    ئابدۇۋەلى | Абдувәли:ug Абдували:ru | 阿不都外力
Ekber U | Akbar Ekber | Ekber
    ئەكبەر | Әкбәр:ug Акбар:ru | 艾克拜尔
Imin U | Imin Emin | Emin
    ئىمىن | Имин:ug Имин:ru | 伊敏 依明
Mijit U | Mijit Mejit | Mecit
    مىجىت | Миҗит:ug Мижит:ru | 米吉提
Zakir U | Zakir | Zakir
    زاكىر | Закир:ug Закир:ru | 扎克尔
Shöhret U | Shohrat Shokhrat Shohret | Şöhret
    شۆھرەت | Шөһрәт:ug Шохрат:ru | 雪克来提 肖克来提
Ablet U | Ablet Abulet
    ئابلەت | Абләт:ug Аблет:ru | 阿不来提
Nijat U | Nijat Nijad | Necat
    نىجات | Ниҗат:ug Ниджат:ru | 尼加提
Dilshat U | Dilshat Dilshad | Dilşat
    دىلشات | Дилшат:ug Дильшат:ru | 迪力夏提
Mirzat U | Mirzat
    مىرزات | Мирзат:ug Мирзат:ru | 米尔扎提
Ghopur U | Gopur Ghopur Gofur | Gafur
    غوپۇر | Ғопур:ug Гопур:ru | 吾甫尔
Toxti U | Tohti Tokhti Tohty | Tohti
    توختى | Тохти:ug Тохти:ru | 土赫提
Sidiq U | Sidik Siddiq Sidiq | Sıddık
    سىدىق | Сидиқ:ug Сидик:ru | 斯迪克
Hapiz U | Hafiz Hapiz | Hafız
    ھاپىز | Һапиз:ug Хапиз:ru | 哈皮孜
Ilyas UK | Ilyas Elias | İlyas
    ئىلياس | Иляс:ug Ілияс:kk Ильяс:ru | 伊力亚斯
Enwer U | Anwar Enver Anvar | Enver
    ئەنۋەر | Әнвәр:ug Анвар:ru | 艾尼瓦尔 安外尔
Sultan UKG | Sultan | Sultan
    سۇلتان | Султан:ug Сұлтан:kk Султан:ky Султан:ru | 苏力坦
Musa UKG | Musa Moussa | Musa
    مۇسا | Муса:ug Мұса:kk Муса:ky Муса:ru | 木沙 穆萨
Isa UK | Isa Issa | İsa
    ئىسا | Иса:ug Ғайса:kk Иса:ru | 伊沙 依沙
Yaqup UK | Yakup Yaqub Yakub | Yakup
    ياقۇپ | Яқуп:ug Жақып:kk Якуп:ru | 亚库甫
Reshit U | Rashid Reshit Rashit | Reşit
    رەشىت | Рәшит:ug Рашид:ru | 热西提
Rehman U | Rahman Rehman | Rahman
    رەھمان | Рәһман:ug Рахман:ru | 热合曼
Ababekri U | Ababakri Abubakr | Ebubekir
    ئابابەكرى | Абабәкри:ug Абабакри:ru | 阿巴拜克力
Obulqasim U | Abulkasim Obulkasim Abdulkasim | Ebulkasım
    ئوبۇلقاسىم | Обулқасим:ug Абулкасым:ru | 吾布力卡斯木
Hoshur U | Hoshur Hoshor Khoshur
    ھوشۇر | Һошур:ug Хошур:ru | 吾守尔
Zunun U | Zunun Zunon | Zünnun
    زۇنۇن | Зунун:ug Зунун:ru | 祖农
Sabir UK | Sabir Sabyr | Sabir
    سابىر | Сабир:ug Сабыр:kk Сабир:ru | 沙比尔
Rehim U | Rahim Rehim Rakhim | Rahim
    رەھىم | Рәһим:ug Рахим:ru | 热依木
Qeyyum U | Kayum Qayyum Keyum | Kayyum
    قەييۇم | Қәйюм:ug Каюм:ru | 克尤木
Hüseyin U | Husayn Huseyin Hussein | Hüseyin
    ھۈسەيىن | Һүсәйин:ug Хусейн:ru | 胡赛因
Nurlan KG | Nurlan | Nurlan
    نۇرلان | Нұрлан:kk Нурлан:ky Нурлан:ru | 努尔兰
Serik K | Serik Serick | Serik
    سېرىك | Серік:kk Серик:ru | 赛力克
Qairat KG | Kairat Kayrat Qayrat | Kayrat
    قايرات | Қайрат:kk Кайрат:ky Кайрат:ru | 海拉提
Erlan K | Yerlan Erlan | Yerlan
    ئېرلان | Ерлан:kk Ерлан:ru | 叶尔兰
Baqytzhan K | Bakhytzhan Bakytzhan Bakhytjan | Bakıtcan
    باقىتجان | Бақытжан:kk Бахытжан:ru | 巴合提江
Asqar K | Askar Asqar | Askar
    ئاسقار | Асқар:kk Аскар:ru | 阿斯卡尔
Marat KG | Marat | Marat
    مارات | Марат:kk Марат:ky Марат:ru | 马拉提
Erbol K | Yerbol Erbol | Yerbol
    ئېربول | Ербол:kk Ербол:ru | 叶尔波力
Qanat KG | Kanat Qanat | Kanat
    قانات | Қанат:kk Канат:ky Канат:ru | 哈那提
Berik K | Berik | Berik
    بېرىك | Берік:kk Берик:ru | 别力克
Talgat K | Talgat Talghat | Talgat
    تالغات | Талғат:kk Талгат:ru | 塔力哈提
Serikzhan K | Serikzhan Serikjan | Serikcan
    سېرىكجان | Серікжан:kk Серикжан:ru | 赛力克江
Murat KGU | Murat | Murat
    مۇرات | Мурат:ug Мұрат:kk Мурат:ky Мурат:ru | 木拉提
Bolat KG | Bolat Bulat | Bolat
    بولات | Болат:kk Болот:ky Булат:ru | 波拉提
Erzhan K | Yerzhan Erjan Yerjan | Ercan
    ئېرجان | Ержан:kk Ержан:ru | 叶尔江
Qazybek K | Kazybek Qazybek | Kazıbek
    قازىبېك | Қазыбек:kk Казыбек:ru | 哈孜别克
Omirbek K | Omirbek Umirbek | Ömirbek
    ئۆمىربېك | Өмірбек:kk Омирбек:ru | 吾木尔别克
Daulet K | Daulet Dawlet | Devlet
    دۆلەت | Дәулет:kk Даулет:ru | 达吾列提
Sauytbai K | Sauytbay Sauytbai
    ساۋۇتباي | Сауытбай:kk Саутбай:ru | 沙吾提巴依
Qasym K | Kasym Kassym Qasym | Kasım
    قاسىم | Қасым:kk Касым:ru | 哈斯木
Aibek KG | Aibek Aybek | Aybek
    ئايبېك | Айбек:kk Айбек:ky Айбек:ru | 艾别克
Azamat KG | Azamat | Azamat
    ئازامات | Азамат:kk Азамат:ky Азамат:ru | 阿扎马提
Kanybek G | Kanybek Qanybek | Kanıbek
    قانىبېك | Каныбек:ky Каныбек:ru | 卡尼别克
Almazbek G | Almazbek | Almazbek
    ئالمازبېك | Алмазбек:ky Алмазбек:ru | 阿力马孜别克
Nurbek GK | Nurbek | Nurbek
    نۇربېك | Нұрбек:kk Нурбек:ky Нурбек:ru | 努尔别克
Bakyt GK | Bakyt Bakhyt Baqyt | Bakıt
    باقىت | Бақыт:kk Бакыт:ky Бахыт:ru | 巴合提
Tursunbek G | Tursunbek | Tursunbek
    تۇرسۇنبېك | Турсунбек:ky Турсунбек:ru | 吐尔逊别克
Asan G | Asan Hasan | Hasan
    ئاسان | Асан:ky Асан:ru | 阿散
Usen G | Usen Useyin | Hüseyin
    ئۈسەن | Үсөн:ky Усен:ru | 玉山
Janybek G | Zhanybek Janybek Dzhanybek | Canıbek
    جانىبېك | Жаныбек:ky Жаныбек:ru | 加尼别克
Tilek G | Tilek | Tilek
    تىلېك | Тилек:ky Тилек:ru | 提列克
Kubat G | Kubat Qubat | Kubat
    قۇبات | Кубат:ky Кубат:ru | 库巴提
Jianguo H | Jianguo Jian-guo
    جيەنگو | Цзяньго:ru | 建国
Zhiqiang H | Zhiqiang Zhi-qiang
    جىچياڭ | Чжицян:ru | 志强
Xiaolong H | Xiaolong Xiao-long
    شياۋلوڭ | Сяолун:ru | 小龙
Yong H | Yong
    يوڭ | Юн:ru | 勇
Jun H | Jun
    جۈن | Цзюнь:ru | 军
"""

_FEMALE = """
Gülnar UKG | Gulnar Gulnara | Gülnar
    گۈلنار | Гүлнар:ug Гүлнар:kk Гүлнар:ky Гульнар:ru Гульнара:ru | 古丽娜尔 古丽娜
Aygül UKG | Aygul Aigul | Aygül
    ئايگۈل | Айгүл:ug Айгүл:kk Айгүл:ky Айгуль:ru | 阿依古丽
Nurgül UKG | Nurgul Nurgyul | Nurgül
    نۇرگۈل | Нургүл:ug Нұргүл:kk Нургүл:ky Нургуль:ru | 努尔古丽
Gülbahar UK | Gulbahar Gulbakhar | Gülbahar
    گۈلباھار | Гүлбаһар:ug Гүлбаһар:kk Гульбахар:ru | 古丽巴哈尔
Patigül U | Patigul Fatigul | Fatigül
    پاتىگۈل | Патигүл:ug Патигуль:ru | 帕提古丽
Ayshem U | Aysham Aisha Ayshe Ayshem | Ayşe
    ئايشەم | Айшәм:ug Айшам:ru | 阿依夏木 阿依先木
Méhrigül U | Mihrigul Mehrigul Mihriguli | Mihrigül
    مېھرىگۈل | Меһригүл:ug Михригуль:ru | 米日古丽 米合日古丽
Tursunay U | Tursunay Tursunai | Tursunay
    تۇرسۇناي | Турсунай:ug Турсунай:ru | 吐尔逊阿依 吐尔逊娜依
Rahile U | Rahile Rahila Rakhila | Rahile
    راھىلە | Раһилә:ug Рахиля:ru Рахиле:ru | 热依拉 热合拉
Aynur UKG | Aynur Ainur | Aynur
    ئاينۇر | Айнур:ug Айнұр:kk Айнур:ky Айнур:ru | 阿依努尔
Zumret U | Zumrat Zumret Zumrad | Zümrüt
    زۇمرەت | Зумрәт:ug Зумрат:ru | 祖木热提
Gülzire UK | Gulzira Gulzire | Gülzire
    گۈلزىرە | Гүлзирә:ug Гүлзира:kk Гульзира:ru | 古丽孜热
Gülmire UKG | Gulmira Gulmire | Gülmira
    گۈلمىرە | Гүлмирә:ug Гүлмира:kk Гүлмира:ky Гульмира:ru | 古丽米热 古丽米拉
Reyhan U | Rayhan Reyhan Raykhan | Reyhan
    رەيھان | Рәйһан:ug Райхан:ru | 热依汗
Meryem UKG | Maryam Meryem Mariam | Meryem
    مەريەم | Мәрйәм:ug Мәриям:kk Мариям:ky Марьям:ru | 麦尔耶姆 玛丽亚木
Amine UK | Amina Amine | Amine
    ئامىنە | Аминә:ug Әмина:kk Амина:ru | 阿米娜
Gülshen U | Gulshan Gulshen Gulsen | Gülşen
    گۈلشەن | Гүлшән:ug Гульшан:ru | 古丽先 古丽仙
Mehbube U | Mahbuba Mehbube Makhbuba | Mahbube
    مەھبۇبە | Мәһбубә:ug Махбуба:ru | 麦合布拜
Rabiye U | Rabiya Rebiya Rabia | Rabia
    رابىيە | Рабийә:ug Рабия:ru | 热比娅
Zöhre UK | Zohre Zuhra Zohra | Zühre
    زۆھرە | Зөһрә:ug Зухра:kk Зухра:ru | 佐合热 祖合拉
Dilnur UK | Dilnur | Dilnur
    دىلنۇر | Дилнур:ug Ділнұр:kk Дильнур:ru | 迪丽努尔
Dilber U | Dilbar Dilber | Dilber
    دىلبەر | Дилбәр:ug Дильбар:ru | 迪丽拜尔
Xediche U | Khadija Hadiche Hadicha | Hatice
    خەدىچە | Хәдичә:ug Хадича:ru | 海地切
Halime UK | Halima Halime Khalima | Halime
    ھالىمە | Һалимә:ug Халима:kk Халима:ru | 哈丽玛
Munire U | Munira Munire | Münire
    مۇنىرە | Мунирә:ug Мунира:ru | 木尼热
Adile U | Adila Adile | Adile
    ئادىلە | Адилә:ug Адиля:ru | 阿迪拉
Zeynep UK | Zaynab Zeynep Zeinab | Zeynep
    زەينەپ | Зәйнәп:ug Зейнеп:kk Зайнаб:ru | 再乃甫 再娜甫
Perizat UKG | Parizat Perizat | Perizat
    پەرىزات | Пәризат:ug Перизат:kk Перизат:ky Паризат:ru | 帕丽扎提
Nigare U | Nigara Nigare | Nigar
    نىگارە | Нигарә:ug Нигара:ru | 尼格拉
Sajide U | Sajida Sajide | Sacide
    ساجىدە | Саҗидә:ug Саджида:ru | 萨吉旦
Mahire U | Mahira Mahire | Mahire
    ماھىرە | Маһирә:ug Махира:ru | 玛伊热
Gülbostan U | Gulbostan Gulbustan | Gülbostan
    گۈلبوستان | Гүлбостан:ug Гульбостан:ru | 古丽波斯坦
Tursungül U | Tursungul | Tursungül
    تۇرسۇنگۈل | Турсунгүл:ug Турсунгуль:ru | 吐尔逊古丽
Mukerrem U | Mukaram Mukerrem | Mükerrem
    مۇكەررەم | Мукәррәм:ug Мукаррам:ru | 木开热木
Hebibe U | Habiba Hebibe | Habibe
    ھەبىبە | Һәбибә:ug Хабиба:ru | 艾比拜
Gülnisa U | Gulnisa | Gülnisa
    گۈلنىسا | Гүлниса:ug Гульниса:ru | 古丽妮萨
Sayragül K | Sayragul Sairagul | Sayragül
    سايراگۈل | Сайрагүл:kk Сайрагуль:ru | 萨依拉古丽
Baqytgül K | Bakhytgul Bakytgul Baqytgul | Bakıtgül
    باقىتگۈل | Бақытгүл:kk Бахытгуль:ru | 巴合提古丽
Zhanar K | Zhanar Janar | Canar
    جانار | Жанар:kk Жанар:ru | 加娜尔
Aizhan KG | Aizhan Ayzhan Aijan | Aycan
    ئايجان | Айжан:kk Айжан:ky Айжан:ru | 阿依江
Dinara KG | Dinara | Dinara
    دىنارا | Динара:kk Динара:ky Динара:ru | 迪娜拉
Aliya K | Aliya Alia | Aliye
    ئالىيە | Әлия:kk Алия:ru | 阿丽娅 阿丽亚
Gauhar K | Gaukhar Gauhar | Gevher
    گەۋھەر | Гауһар:kk Гаухар:ru | 高哈尔
Saule K | Saule | Saule
    ساۋلە | Сәуле:kk Сауле:ru | 沙吾列
Zhuldyz K | Zhuldyz Juldyz | Yıldız
    جۇلدىز | Жұлдыз:kk Жулдыз:ru | 朱勒德孜
Asel KG | Asel Assel | Asel
    ئاسەل | Әсел:kk Асел:ky Асель:ru | 阿赛勒
Aigerim K | Aigerim Aygerim | Aygerim
    ئايگېرىم | Әйгерім:kk Айгерим:ru | 阿依格尔木
Bibigül K | Bibigul | Bibigül
    بىبىگۈل | Бибігүл:kk Бибигуль:ru | 比比古丽
Nazgül KG | Nazgul | Nazgül
    نازگۈل | Назгүл:kk Назгүл:ky Назгуль:ru | 娜孜古丽
Jyldyz G | Jyldyz Zhyldyz Dzhyldyz | Yıldız
    جىلدىز | Жылдыз:ky Жылдыз:ru | 吉勒德孜
Cholpon G | Cholpon Chulpan | Çolpan
    چولپان | Чолпон:ky Чолпон:ru | 乔勒潘
Aizada G | Aizada Ayzada | Ayzada
    ئايزادا | Айзада:ky Айзада:ru | 阿依扎达
Gülzat G | Gulzat | Gülzat
    گۈلزات | Гүлзат:ky Гульзат:ru | 古丽扎提
Kanykei G | Kanykei Kanykey | Kanıkey
    قانىقەي | Каныкей:ky Каныкей:ru | 卡尼凯
Ainura G | Ainura Aynura | Aynura
    ئاينۇرا | Айнура:ky Айнура:ru | 阿依努拉
Burul G | Burul | Burul
    بۇرۇل | Бурул:ky Бурул:ru | 布茹勒
Xiuying H | Xiuying Xiu-ying
    شيۇيىڭ | Сюин:ru | 秀英
Guilan H | Guilan Gui-lan
    گۈيلەن | Гуйлань:ru | 桂兰
Yumei H | Yumei Yu-mei
    يۈمېي | Юймэй:ru | 玉梅
Haiyan H | Haiyan Hai-yan
    خەييەن | Хайянь:ru | 海燕
Fang H | Fang
    فاڭ | Фан:ru | 芳
"""


# Hui surnames: pinyin, characters, Russian (Palladius), Uyghur Arabic, relative weight.
HUI_SURNAMES: tuple[Surname, ...] = (
    Surname("Ma", "马", "Ма", "ما", 40),
    Surname("Ding", "丁", "Дин", "دىڭ", 8),
    Surname("Yang", "杨", "Ян", "ياڭ", 8),
    Surname("Han", "韩", "Хань", "خەن", 5),
    Surname("Ha", "哈", "Ха", "خا", 4),
    Surname("Bai", "白", "Бай", "باي", 4),
    Surname("Su", "苏", "Су", "سۇ", 3),
    Surname("Li", "李", "Ли", "لى", 3),
    Surname("Wang", "王", "Ван", "ۋاڭ", 3),
    Surname("Na", "纳", "На", "نا", 2),
)


def _parse(table: str, sex: str) -> list[GivenName]:
    lines = [line.strip() for line in table.strip().splitlines()]
    names: list[GivenName] = []
    ranks: dict[str, int] = {}
    for latin_line, script_line in zip(lines[0::2], lines[1::2], strict=True):
        head, press, *turkish = (part.strip() for part in latin_line.split("|"))
        latin, groups = head.split()
        arabic, cyrillic, chinese = (part.strip() for part in script_line.split("|"))
        ranks[groups[0]] = rank = ranks.get(groups[0], 0) + 1
        names.append(
            GivenName(
                latin=latin,
                sex=sex,
                groups=groups,
                rank=rank,
                press=tuple(press.split()),
                turkish=turkish[0] if turkish else None,
                arabic=arabic,
                cyrillic=tuple(
                    (text, lang) for text, lang in (f.split(":") for f in cyrillic.split())
                ),
                chinese=tuple(chinese.split()),
            )
        )
    return names


GIVEN_NAMES: tuple[GivenName, ...] = (*_parse(_MALE, "m"), *_parse(_FEMALE, "f"))
