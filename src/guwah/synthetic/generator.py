"""Reproducible synthetic victims for tests and benchmarks, from ten to a million people.

``generate_people`` streams person lines in the short JSON Lines form (docs/formats.md
section 4: names and inline claims). People come in families: siblings share their
father's name and county. With ``duplicate_rate`` some lines are further records of an
already generated person, written the way another source would write them (another
script or romanisation, the given name alone, a birth year off by one, no ID number);
they keep the person's ``identity``, the ground truth for evaluating a matcher.

Everything is drawn from one ``random.Random(seed)``: the same arguments give the same
lines. Nothing is held but a bounded reservoir of earlier people to duplicate.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Any, NamedTuple

from stdnum.cn import ric

from guwah.synthetic.namebank import GROUP_NAMES
from guwah.synthetic.naming import (
    GIVEN_POOLS,
    SURNAME_POOL,
    NameParts,
    Pool,
    full_name,
    respelt_names,
)
from guwah.synthetic.pools import (
    CHARGES,
    COUNTY_POOLS,
    DESTINATIONS,
    DETENTION_YEARS,
    FACILITIES,
    PROFESSIONS,
    REASONS,
    SENTENCE_YEARS,
    County,
)

RESERVOIR_SIZE = 8192  # earlier people kept as candidates for duplicates
GROUPS: Pool[str] = Pool(("U", "K", "G", "H"), (0.72, 0.18, 0.05, 0.05))
FEMALE_SHARE = 0.4
FAMILY_SIZES: Pool[int] = Pool((1, 2, 3, 4), (0.55, 0.25, 0.12, 0.08))
_YEARS = range(1937, 2004)
BIRTH_YEARS: Pool[int] = Pool(_YEARS, [max(2, 40 - abs(year - 1975)) for year in _YEARS])
ID_SHARE = 0.3
SENTENCED_SHARE = 0.45

# Share of original records with a name in Latin letters, and then in Cyrillic,
# Uyghur Arabic and Chinese characters, by people.
LATIN_SHARE = 0.7
_OTHER_SCRIPTS: dict[str, tuple[float, float, float]] = {
    "U": (0.12, 0.40, 0.40),
    "K": (0.60, 0.05, 0.30),
    "G": (0.60, 0.03, 0.30),
    "H": (0.10, 0.02, 0.70),
}
_FALLBACK_SCRIPT = {"U": "Arab", "K": "Cyrl", "G": "Cyrl", "H": "Hani"}

# Claims that a record may leave out to keep to ``claims_per_person``.
_OPTIONAL = frozenset(
    {"gender", "ethnicity", "resident_of", "sentenced", "released", "died", "disappeared", "fled"}
)
_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _below(rng: Random, n: int) -> int:
    """A whole number from 0 to n - 1: ``rng.randrange(n)`` at a tenth of the cost."""
    return int(rng.random() * n)


def _vague(year: int, month: int, rng: Random) -> str:
    """An EDTF date of an event, as precisely as a relative would know it."""
    r = rng.random()
    if r < 0.25:
        return f"{year}-{month:02d}-{_below(rng, 28) + 1:02d}"
    if r < 0.65:
        return f"{year}-{month:02d}"
    if r < 0.85:
        return str(year)
    if r < 0.90:
        return f"{year}~"
    if r < 0.95:
        return f"{year}-{month:02d}-XX"
    return f"{year}/{year + 1}"


def _id_number(code: str, year: int, month: int, day: int, female: bool, rng: Random) -> str:
    """A valid resident ID: region, birth date, sequence of the right parity, check digit."""
    sequence = _below(rng, 500) * 2 + (0 if female else 1)
    body = f"{code}{year}{month:02d}{day:02d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # it ignores the last character


def _born(year: int, month: int, day: int, with_id: bool, rng: Random) -> str:
    r = rng.random()
    if r < 0.3 or (with_id and r < 0.75):
        return f"{year}-{month:02d}-{day:02d}"
    if with_id or r < 0.65:
        return str(year)  # with an ID number, the claim never contradicts it
    if r < 0.85:
        return f"{year}~"
    if r < 0.9:
        return f"{year}-{month:02d}"
    if r < 0.95:
        return f"{year}?"
    return f"{year}/{year + 1}"


def _claims(
    rng: Random, group: str, female: bool, county: County, year: int, wanted: int
) -> list[dict[str, Any]]:
    """About ``wanted`` claims: the birth, the detention and the ID number come first."""
    month = _below(rng, 12) + 1
    days = 29 if month == 2 and year % 4 == 0 else _DAYS[month - 1]
    day = _below(rng, days) + 1
    with_id = rng.random() < ID_SHARE
    claims: list[dict[str, Any]] = [
        {"kind": "born", "date": _born(year, month, day, with_id, rng)},
        {"kind": "gender", "value": {"text": "female" if female else "male"}},
        {"kind": "ethnicity", "value": {"text": GROUP_NAMES[group]}},
        {"kind": "resident_of", "place": county.name},
    ]
    if with_id:
        number = _id_number(county.code_for(year), year, month, day, female, rng)
        claims.append({"kind": "id_number", "value": {"text": number}})
    held, month = DETENTION_YEARS.pick(rng), _below(rng, 12) + 1
    detained: dict[str, Any] = {
        "kind": "detained",
        "date": _vague(held, month, rng),
        "value": {"facility_type": FACILITIES.pick(rng)},
    }
    if rng.random() < 0.8:
        detained["value"]["reason"] = REASONS[group].pick(rng)
    if rng.random() < 0.4:
        detained["place"] = county.name
    claims.append(detained)
    _fate(claims, rng, group, held, month)
    excess = len(claims) - wanted
    if excess > 0:  # leave out optional facts at random, then the least important
        optional = [i for i, claim in enumerate(claims) if claim["kind"] in _OPTIONAL]
        drops = min(excess, len(optional))
        dropped = {optional.pop(_below(rng, len(optional))) for _ in range(drops)}
        claims = [claim for i, claim in enumerate(claims) if i not in dropped][:wanted]
    elif excess < 0:
        claims.extend(_extra_claims(rng, held, month, -excess))
    return claims


def _later(year: int, month: int, rng: Random) -> tuple[int, int]:
    """A month after (year, month), within about two years."""
    later = year + _below(rng, 3)
    if later > year:
        return later, _below(rng, 12) + 1
    if month == 12:
        return year + 1, _below(rng, 12) + 1
    return year, month + 1 + _below(rng, 12 - month)


def _fate(claims: list[dict[str, Any]], rng: Random, group: str, held: int, month: int) -> None:
    """What happened after the detention: a sentence, release, death, disappearance."""
    r = rng.random()
    if rng.random() < SENTENCED_SHARE:
        when, in_month = _later(held, month, rng)
        date = f"{when}-{in_month:02d}" if rng.random() < 0.5 else str(when)
        value: dict[str, Any] = (
            {"life": True} if r < 0.04 else {"years": SENTENCE_YEARS.pick(rng), "months": 0}
        )
        if rng.random() < 0.5:
            value["charge"] = CHARGES.pick(rng)
        claims.append({"kind": "sentenced", "date": date, "value": value})
        if r > 0.95:
            claims.append(
                {
                    "kind": "died",
                    "date": str(when + 1 + _below(rng, 3)),
                    "value": {"text": "died in prison"},
                }
            )
        return
    if r < 0.45:
        when, in_month = _later(held, month, rng)
        claims.append(
            {
                "kind": "released",
                "date": _vague(when, in_month, rng),
                "value": {"text": "released under surveillance"},
            }
        )
        if rng.random() < (0.3 if group in "KG" else 0.12):
            claims.append(
                {
                    "kind": "fled",
                    "date": str(min(2021, when + 1 + _below(rng, 2))),
                    "value": {"destination": DESTINATIONS[group].pick(rng)},
                }
            )
    elif r < 0.60:
        claims.append(
            {
                "kind": "disappeared",
                "date": f"{held}~",
                "value": {"text": "no news since the detention"},
            }
        )
    elif r < 0.64:
        claims.append(
            {
                "kind": "died",
                "date": str(held + _below(rng, 4)),
                "value": {"text": "died in custody"},
            }
        )


def _extra_claims(rng: Random, held: int, month: int, count: int) -> list[dict[str, Any]]:
    extras: list[dict[str, Any]] = [
        {"kind": "profession", "value": {"text": PROFESSIONS.pick(rng)}},
        {"kind": "last_contact", "date": f"{held}-{_below(rng, month) + 1:02d}"},
        {"kind": "surveilled", "value": {"text": "home visits by officials before the detention"}},
        {"kind": "threatened", "value": {"text": "relatives abroad told to stop speaking out"}},
        {"kind": "family_separated", "value": {"text": "children sent to a boarding school"}},
    ]
    return extras[:count]


# --- people ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SyntheticPerson:
    identity: int  # ground-truth identity number (several records may share one: duplicates)
    record: dict[str, Any]  # a JSONL "person" line in the short form of formats.md section 4


class _Original(NamedTuple):
    identity: int
    parts: NameParts
    year: int
    names: list[dict[str, str]]
    claims: list[dict[str, Any]]


def _originals(rng: Random, claims_per_person: int) -> Iterator[_Original]:
    """People family by family: siblings share the father's name, the county, the people."""
    identity = 0
    while True:
        group = GROUPS.pick(rng)
        county = COUNTY_POOLS[group].pick(rng)
        father = None if group == "H" else GIVEN_POOLS[group, "m"].pick(rng)
        surname = SURNAME_POOL.pick(rng) if group == "H" else None
        base_year = BIRTH_YEARS.pick(rng)
        taken: set[str] = set()
        for _ in range(FAMILY_SIZES.pick(rng)):
            identity += 1
            female = rng.random() < FEMALE_SHARE
            pool = GIVEN_POOLS[group, "f" if female else "m"]
            given = pool.pick(rng)
            if given is father or given.latin in taken:  # one more try for a name of their own
                given = pool.pick(rng)
            taken.add(given.latin)
            parts = NameParts(group, female, given, father, surname)
            year = min(2003, max(1930, base_year + _below(rng, 13) - 6))
            names = _names(parts, rng)
            claims = _claims(rng, group, female, county, year, claims_per_person)
            yield _Original(identity, parts, year, names, claims)


def _names(parts: NameParts, rng: Random) -> list[dict[str, str]]:
    """The full name in one to three scripts."""
    cyrl, arab, hani = _OTHER_SCRIPTS[parts.group]
    scripts = [
        script
        for script, share in (("Latn", LATIN_SHARE), ("Cyrl", cyrl), ("Arab", arab), ("Hani", hani))
        if rng.random() < share
    ]
    if not scripts:
        scripts.append(_FALLBACK_SCRIPT[parts.group])
    elif len(scripts) == 4:
        del scripts[1 + _below(rng, 3)]
    names = []
    for script in scripts:
        text, lang = full_name(parts, script, rng)
        names.append({"text": text, "lang": lang, "kind": "full"})
    return names


def _altered_claims(original: _Original, rng: Random) -> list[dict[str, Any]]:
    """The facts as another source gives them: perhaps a year off, no ID, one fact fewer."""
    claims = [
        {**claim, "value": dict(claim["value"])} if "value" in claim else dict(claim)
        for claim in original.claims
    ]
    drop_id = rng.random() < 0.4
    if rng.random() < 0.2:  # a birth year off by one (which the ID number would contradict)
        for claim in claims:
            if claim["kind"] == "born":
                claim["date"] = str(original.year + rng.choice((-1, 1)))
                drop_id = True
    if drop_id:
        claims = [claim for claim in claims if claim["kind"] != "id_number"]
    if len(claims) > 1 and rng.random() < 0.3:
        del claims[1 + _below(rng, len(claims) - 1)]
    return claims


def _record(ref: str, names: list[dict[str, str]], claims: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "person",
        "kinds": ["victim"],
        "sensitivity": "internal",
        "external_refs": [{"namespace": "synthetic", "ref": ref}],
        "names": names,
        "claims": claims,
    }


def generate_people(
    n: int, seed: int = 0, *, duplicate_rate: float = 0.0, claims_per_person: int = 5
) -> Iterator[SyntheticPerson]:
    """``n`` person records, of which ``floor(n * duplicate_rate)`` re-describe earlier people.

    The same arguments always give the same records. Records are made one at a time.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    if not 0.0 <= duplicate_rate < 1.0:
        raise ValueError("duplicate_rate must be at least 0 and below 1")
    if claims_per_person < 0:
        raise ValueError("claims_per_person must not be negative")
    return _generate(n, Random(seed), duplicate_rate, claims_per_person)


def _generate(n: int, rng: Random, rate: float, claims: int) -> Iterator[SyntheticPerson]:
    originals = _originals(rng, claims)
    reservoir: list[_Original] = []
    copies: list[int] = []  # duplicates made so far of each person in the reservoir
    kept = 0
    for index in range(n):
        ref = f"SYN-{index + 1:07d}"
        # Duplicates are spread evenly: exactly floor(n * rate), never the first record.
        if reservoir and int((index + 1) * rate) > int(index * rate):
            # Of two people drawn, the one duplicated less (else the first few people,
            # long alone in the reservoir, would collect most of the duplicates).
            slot, other = _below(rng, len(reservoir)), _below(rng, len(reservoir))
            slot = other if copies[other] < copies[slot] else slot
            copies[slot] += 1
            original = reservoir[slot]
            taken = {name["text"] for name in original.names}
            names = respelt_names(original.parts, taken, rng)
            record = _record(ref, names, _altered_claims(original, rng))
            yield SyntheticPerson(original.identity, record)
            continue
        original = next(originals)
        if rate > 0.0:
            if kept < RESERVOIR_SIZE:
                reservoir.append(original)
                copies.append(0)
            else:  # reservoir sampling: every earlier person as likely to be kept
                slot = _below(rng, kept + 1)
                if slot < RESERVOIR_SIZE:
                    reservoir[slot], copies[slot] = original, 0
            kept += 1
        yield SyntheticPerson(original.identity, _record(ref, original.names, original.claims))


def write_jsonl(path: Path | str, n: int, seed: int = 0, **kw: Any) -> int:
    """Write ``n`` person lines to ``path`` as they are made; return the lines written.

    ``kw`` are the keyword arguments of ``generate_people``.
    """
    encode = json.JSONEncoder(ensure_ascii=False).encode
    written = 0
    with Path(path).open("w", encoding="utf-8", newline="\n") as out:
        for person in generate_people(n, seed, **kw):
            out.write(encode(person.record))
            out.write("\n")
            written += 1
    return written
