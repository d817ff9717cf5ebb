"""Extraction from Chinese official documents: verdicts (判决书), sentencing and detention
notices, in the set phrases these documents use.

* A party is introduced as ``被告人某某，男，1975年3月出生，哈萨克族，...，户籍所在地新疆伊宁县``
  (also 罪犯, 犯罪嫌疑人, 学员, or a bare ``某某，女，...`` line in a notice): gender,
  birth date, ethnicity, ID number and home are read from that paragraph.
* Detentions: ``于2017年8月15日被伊宁县公安局刑事拘留``, ``逮捕``, ``羁押于伊宁县看守所``
  (detention_centre), ``送伊宁县职业技能教育培训中心`` (camp), ``监狱`` (prison).
* Sentences: ``犯煽动民族仇恨罪，判处有期徒刑十二年`` (charge kept as written, term read
  by ``ingest.values.parse_sentence``: 无期徒刑 life, 死刑缓期二年执行 death suspended);
  after several counts ``决定执行有期徒刑十八年`` is the sentence.
* 审判长, 审判员, 书记员, 检察员... are officials, never victims; the prosecuting office
  (公诉机关) and defence lawyers are not proposed as people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from guwah.ingest import values
from guwah.ingest.document import Document
from guwah.ingest.extract.zh_people import find_relations, find_witnesses
from guwah.ingest.extract.zh_places import find_zh_places, most_specific
from guwah.ingest.proposals import (
    ClaimProposal,
    Evidence,
    Extraction,
    PersonProposal,
    RelationProposal,
)
from guwah.model.errors import InvalidInput
from guwah.model.idnumber import parse_resident_id

_NAME = r"[\u4e00-\u9fff·•]{2,16}?"
_PARTY = re.compile(
    rf"(?:(?P<role>原审被告人|被告人|上诉人|罪犯|犯罪嫌疑人|嫌疑人|学员|被拘留人|被处罚人|证人)"
    rf"(?:[（(]原审被告人[）)])?\s*|^|(?<=[。；、]))"
    rf"(?P<name>{_NAME})\s*[，,（(]\s*(?:曾用名[^，,）)]*[，,）)]\s*)?(?P<sex>男|女)\s*[，,）)]",
    re.MULTILINE,
)
_OFFICIAL = re.compile(
    r"(?P<role>审判长|审判员|代理审判员|人民陪审员|书记员|检察员|检察官|法官助理|承办民警|民警)"
    r"[\s：:]*(?P<name>[\u4e00-\u9fff]{2,4})(?=[\s\n，,。]|$)"
)
_NUM = r"[零〇一二两三四五六七八九十\d]+"
_TERM = re.compile(
    rf"(?P<verb>决定执行|判处|被判处|判)\s*(?:被告人[\u4e00-\u9fff·]{{2,16}}?)?(?P<term>有期徒刑{_NUM}年(?:{_NUM}个?月)?|有期徒刑{_NUM}个?月|"
    rf"无期徒刑|死刑[，,]?\s*缓期{_NUM}年执行|死刑)"
)
_CHARGE = re.compile(r"(?:犯|以|因|涉嫌)(?P<charge>[^，,。；;犯以因]{2,40}?罪)")
_POLITICAL = re.compile(rf"剥夺政治权利(?:{_NUM}年|终身)")
_DATE = re.compile(
    r"(?:(?P<year>\d{4}|[〇零一二三四五六七八九]{4})|同)年"
    rf"(?:(?P<month>{_NUM})月(?:(?P<day>{_NUM})日)?)?"
)
_DETAIN = re.compile(r"刑事拘留|行政拘留|拘留|逮捕|监视居住|收押|羁押于|关押于|送往?|送至|收容")
_CAMP = re.compile(r"职业技能教育培训中心|教培中心|教育培训中心|教育转化|转化培训|培训学校")
_RELEASED = re.compile(r"刑满释放|释放|结业")
_DIED = re.compile(r"死亡|病亡|病故")
_CLAUSE = re.compile(r"(?:[^。；;\n，]|，(?!\d{4}年))+[。；;，]?")
_REASON_OF_CHARGE = (
    ("煽动民族仇恨", "inciting ethnic hatred"),
    ("分裂国家", "separatism"),
    ("极端主义", "religious extremism"),
    ("恐怖", "terrorism"),
    ("非法宗教", "illegal religious activity"),
    ("聚众扰乱", "disturbing public order"),
    ("寻衅滋事", "picking quarrels and provoking trouble"),
    ("非法持有", "possessing banned material"),
)
_VICTIM_ROLES = {
    "原审被告人",
    "被告人",
    "上诉人",
    "罪犯",
    "犯罪嫌疑人",
    "嫌疑人",
    "学员",
    "被拘留人",
    "被处罚人",
    "",
}


@dataclass
class _Party:
    ref: str
    name: str
    role: str
    start: int
    end: int  # of the paragraph that introduces them
    proposal: PersonProposal = field(init=False)

    def __post_init__(self) -> None:
        self.proposal = PersonProposal(self.ref, [self.name], [])


class _Reader:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.text = document.text
        self.parties: list[_Party] = []
        self.claims: list[ClaimProposal] = []
        self.relations: list[RelationProposal] = []
        self.last_year: int | None = None

    def run(self) -> Extraction:
        self._parties()
        self._witnesses()
        self._officials()
        for party in self.parties:
            if party.role in _VICTIM_ROLES:
                self._paragraph(party)
                self._relations(party)
        self._sentences()
        persons = [p.proposal for p in self.parties]
        return Extraction(
            self.document.title,
            self.document.date,
            self.document.language or "zh",
            persons,
            self.relations,
            self.claims,
        )

    # --- people ----------------------------------------------------------------------

    def _parties(self) -> None:
        matches = list(_PARTY.finditer(self.text))
        for index, match in enumerate(matches):
            name = match.group("name").replace("•", "·")
            if any(p.name == name for p in self.parties):
                continue
            following = matches[index + 1].start() if index + 1 < len(matches) else len(self.text)
            paragraph_end = self.text.find("\n", match.end())
            end = min(following, paragraph_end if paragraph_end != -1 else len(self.text))
            role = match.group("role") or ""
            party = _Party(f"p{len(self.parties) + 1}", name, role, match.start(), end)
            party.proposal.roles.append("witness" if role == "证人" else "victim")
            party.proposal.attributes["gender"] = "male" if match.group("sex") == "男" else "female"
            party.proposal.evidence.append(
                Evidence(match.start("name"), match.end("name"), match.group("name"))
            )
            self.parties.append(party)

    def _witnesses(self) -> None:
        for start, end, name in find_witnesses(self.text):
            if any(p.name == name for p in self.parties):
                continue
            party = _Party(f"p{len(self.parties) + 1}", name, "证人", start, end)
            party.proposal.roles.append("witness")
            party.proposal.evidence.append(Evidence(start, end, name))
            self.parties.append(party)

    def _relations(self, party: _Party) -> None:
        """ "系被告人某某之妻": this party is the wife of another named party."""
        for found in find_relations(self.text, party.start, party.end):
            other = next((p for p in self.parties if p.name == found.other), None)
            if other is None or other is party:
                continue
            evidence = Evidence(found.start, found.end, self.text[found.start : found.end])
            self.relations.append(
                RelationProposal(party.ref, found.type, other.ref, evidence, 0.9, "zh.relation.zhi")
            )

    def _officials(self) -> None:
        for match in _OFFICIAL.finditer(self.text):
            name = match.group("name")
            if any(p.name == name for p in self.parties):
                continue
            party = _Party(
                f"p{len(self.parties) + 1}", name, match.group("role"), match.start(), match.end()
            )
            party.proposal.roles.append("official")
            party.proposal.attributes["position"] = match.group("role")
            party.proposal.evidence.append(Evidence(match.start("name"), match.end("name"), name))
            self.parties.append(party)

    def _paragraph(self, party: _Party) -> None:
        text = self.text[party.start : party.end]
        attributes = party.proposal.attributes
        born = re.search(
            rf"({_NUM}年{_NUM}月(?:{_NUM}日)?)(?:出生|生)|出生于({_NUM}年{_NUM}月(?:{_NUM}日)?)",
            text,
        )
        if born:
            try:
                edtf = values.parse_date(born.group(1) or born.group(2))
                attributes["birth_date"] = edtf
                attributes["birth_year"] = int(edtf[:4])
            except InvalidInput:
                pass
        ethnicity = re.search(r"[，,](\w{1,5}族)[，,。]", text)
        if ethnicity:
            attributes["ethnicity"] = values.parse_ethnicity(ethnicity.group(1))
        home = re.search(
            r"(?:户籍所在地|户籍地|住址|现住|家住|住所地|住)[:：]?([^，,。；]+)"
            r"|[，,]((?:新疆)?[\u4e00-\u9fff]{2,12}?[县市区州])人[，,。]",
            text,
        )
        if home:
            group = 1 if home.group(1) else 2
            place = most_specific(
                find_zh_places(
                    self.text, party.start + home.start(group), party.start + home.end(group)
                )
            )
            attributes["home"] = place.code if place else home.group(group)
            if place:
                self._claim(
                    party,
                    "resident_of",
                    {},
                    party.start + home.start(group),
                    party.start + home.end(group),
                    0.8,
                    "zh.party.home",
                    place=place.code,
                    place_text=home.group(group),
                )
        id_number = re.search(r"(?:公民)?身份(?:证|号)[号码]*[:：]?\s*([0-9]{17}[0-9Xx])", text)
        if id_number:
            self._id_number(party, id_number, party.start)
        for clause in _CLAUSE.finditer(self.text, party.start, self._next_party_start(party)):
            self._events(party, clause.start(), clause.end())

    def _next_party_start(self, party: _Party) -> int:
        later = [p.start for p in self.parties if p.start > party.start and p.role in _VICTIM_ROLES]
        stop = min(later) if later else len(self.text)
        verdict = self.text.find("本院认为", party.start)
        return min(stop, verdict) if verdict != -1 else stop

    def _id_number(self, party: _Party, match: re.Match[str], offset: int) -> None:
        start, end = offset + match.start(1), offset + match.end(1)
        try:
            number = parse_resident_id(match.group(1)).number
        except InvalidInput as exc:
            self._claim(
                party,
                "note",
                {"text": f"{exc} (restricted: an ID number)"},
                start,
                end,
                0.5,
                "zh.party.id_number.invalid",
            )
            return
        self._claim(
            party,
            "id_number",
            {"text": number},
            start,
            end,
            0.95,
            "zh.party.id_number (restricted data)",
        )

    # --- events ----------------------------------------------------------------------

    def _events(self, party: _Party, start: int, end: int) -> None:
        clause = self.text[start:end]
        date = self._date(clause)
        if _CAMP.search(clause) and re.search(r"送|进入|收|在|参加", clause):
            self._claim(
                party,
                "detained",
                {"facility_type": "camp"},
                start,
                end,
                0.85,
                "zh.detained.camp",
                date=date,
            )
        elif "监狱" in clause and re.search(r"服刑|送|关押|羁押|投送|执行", clause):
            custody = any(c.kind == "detained" and c.subject == party.ref for c in self.claims)
            self._claim(
                party,
                "transferred" if custody else "detained",
                {"facility_type": "prison"},
                start,
                end,
                0.8,
                "zh.prison",
                date=date,
                **self._place(start, end, facility_only=True),
            )
        elif _DETAIN.search(clause) and not _RELEASED.search(clause):
            if any(
                c.kind == "detained" and c.subject == party.ref and c.rule == "zh.detained.custody"
                for c in self.claims
            ):
                return  # one custody per party: arrest and remand are the same detention
            paragraph = self.text[party.start : self._next_party_start(party)]
            facility = (
                "prison"
                if "监狱" in clause
                else "detention_centre"
                if "看守所" in paragraph
                else "police_custody"
                if "拘留" in clause
                else None
            )
            value = {"facility_type": facility} if facility else {}
            charge = _CHARGE.search(clause)
            if charge and "涉嫌" in clause:
                value["text"] = "涉嫌" + charge.group("charge").removeprefix("涉嫌")
            self._claim(
                party,
                "detained",
                value,
                start,
                end,
                0.85,
                "zh.detained.custody",
                date=date,
                **self._place(party.start, self._next_party_start(party), facility_only=True),
            )
        if _RELEASED.search(clause) and not re.search(r"不得|未", clause):
            self._claim(party, "released", {}, start, end, 0.75, "zh.released", date=date)
        if _DIED.search(clause) and "死刑" not in clause:
            self._claim(party, "died", {}, start, end, 0.75, "zh.died", date=date)

    def _place(self, start: int, end: int, facility_only: bool = False) -> dict[str, Any]:
        """The place named in ``text[start:end]`` (with ``facility_only``, a known
        facility such as 伊宁县看守所), as ClaimProposal keywords."""
        places = find_zh_places(self.text, start, end)
        if facility_only:
            places = [p for p in places if p.code.startswith("FAC-")]
        place = most_specific(places)
        return {"place": place.code, "place_text": place.text} if place else {}

    def _sentences(self) -> None:
        best: dict[str, tuple[bool, ClaimProposal]] = {}
        for clause in re.finditer(r"[^。\n]+[。]?", self.text):
            text = clause.group()
            for match in _TERM.finditer(text):
                party = self._subject(text[: match.start("term")], clause.start())
                if party is None or party.role not in _VICTIM_ROLES:
                    continue
                try:
                    value = values.parse_sentence(match.group("term"))
                except InvalidInput:
                    continue
                charges = [c.group("charge") for c in _CHARGE.finditer(text[: match.start()])]
                if charges:
                    value["charge"] = (
                        "、".join(dict.fromkeys(charges))
                        if match.group("verb") == "决定执行"
                        else charges[-1]
                    )
                political = _POLITICAL.search(text, match.end())
                if political and political.start() - match.end() < 6:
                    value["text"] = political.group()
                if re.match(rf"[，,]?\s*缓刑{_NUM}年", text[match.end() :]):
                    value["suspended"] = True
                reason = self._reason(value.get("charge", "") or text[: match.start()])
                final = match.group("verb") == "决定执行"
                claim = ClaimProposal(
                    party.ref,
                    "sentenced",
                    value,
                    Evidence(clause.start(), clause.end(), text),
                    0.9,
                    "zh.sentenced.final_term" if final else "zh.sentenced.term",
                    date=self._date(text[: match.start()]) or self._verdict_date(),
                    reason=reason,
                )
                previous = best.get(party.ref)
                if previous is None or (final and not previous[0]):
                    if (
                        previous is not None
                        and "charge" not in value
                        and "charge" in previous[1].value
                    ):
                        claim.value["charge"] = previous[1].value["charge"]
                        claim.reason = previous[1].reason
                    best[party.ref] = (final, claim)
        self.claims.extend(claim for _, claim in best.values())

    def _subject(self, before: str, offset: int) -> _Party | None:
        found = [(before.rfind(p.name), p) for p in self.parties if p.name in before]
        if found:
            return max(found, key=lambda item: (item[0], len(item[1].name)))[1]
        victims = [p for p in self.parties if p.role in _VICTIM_ROLES]
        return victims[0] if len(victims) == 1 else None

    @staticmethod
    def _reason(charge: str) -> str | None:
        found = [reason for key, reason in _REASON_OF_CHARGE if key in charge]
        found += [tag for key, tag in values.REASON_TAGS.items() if key in charge.casefold()]
        found = list(dict.fromkeys(found))
        return "; ".join(found) if found else None

    def _date(self, clause: str) -> str | None:
        """The first date of a clause as EDTF; 同年 ("the same year") is the year before."""
        for match in _DATE.finditer(clause):
            year = match.group("year") or (str(self.last_year) if self.last_year else None)
            if year is None or (match.group("year") is None and not match.group("month")):
                continue
            text = f"{year}年"
            if match.group("month"):
                text += f"{match.group('month')}月"
                text += f"{match.group('day')}日" if match.group("day") else ""
            try:
                edtf = values.parse_date(text)
            except InvalidInput:
                continue
            self.last_year = int(edtf[:4])
            return edtf
        return None

    def _verdict_date(self) -> str | None:
        dates = list(
            re.finditer(
                r"[〇零一二三四五六七八九]{4}年[〇一二三四五六七八九十]{1,2}月[〇一二三四五六七八九十]{1,3}日",
                self.text,
            )
        )
        if dates:
            try:
                return values.parse_date(dates[-1].group())
            except InvalidInput:
                return None
        return self.document.date

    def _claim(
        self,
        party: _Party,
        kind: str,
        value: dict[str, Any],
        start: int,
        end: int,
        confidence: float,
        rule: str,
        **extra: Any,
    ) -> None:
        for existing in self.claims:
            if existing.subject == party.ref and existing.kind == kind and existing.value == value:
                return
        if kind in ("detained", "released", "died") and "victim" not in party.proposal.roles:
            party.proposal.roles.append("victim")
        self.claims.append(
            ClaimProposal(
                party.ref,
                kind,
                value,
                Evidence(start, end, self.text[start:end]),
                confidence,
                rule,
                **extra,
            )
        )


def extract_chinese(document: Document) -> Extraction:
    """People and claims proposed from a Chinese official document."""
    return _Reader(document).run()
