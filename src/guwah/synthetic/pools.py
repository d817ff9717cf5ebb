"""Data of the synthetic generator: counties with their codes, detention reasons,
facilities, sentences, charges, professions and destinations, with their weights."""

from __future__ import annotations

from dataclasses import dataclass

from guwah.synthetic.naming import Pool

# --- places ----------------------------------------------------------------------------


# Real county-level divisions: English name, how many Uyghurs, Kazakhs, Kyrgyz and Hui to
# place there (relative), admin codes (GB/T 2260) and the years the code changed. An ID
# number gets the code in force in the birth year, which python-stdnum's check requires.
@dataclass(frozen=True, slots=True)
class County:
    name: str  # in English, as the press writes it
    weights: tuple[int, int, int, int]  # Uyghur, Kazakh, Kyrgyz, Hui
    codes: tuple[str, ...]  # the admin codes, oldest first
    changes: tuple[int, ...] = ()  # the year from which each later code applies

    def code_for(self, year: int) -> str:
        code = self.codes[0]
        for change, later in zip(self.changes, self.codes[1:], strict=True):
            if year >= change:
                code = later
        return code


_ILI = (1984, 2001)  # the Ili prefecture was re-coded twice
COUNTIES: tuple[County, ...] = (
    County("Kashgar", (10, 0, 1, 1), ("653101",)),
    County("Konasheher County", (8, 0, 0, 0), ("653121",)),
    County("Yengisar County", (5, 0, 0, 0), ("653123",)),
    County("Yarkand County", (10, 0, 0, 0), ("653125",)),
    County("Kargilik County", (7, 0, 0, 0), ("653126",)),
    County("Peyziwat County", (6, 0, 0, 0), ("653129",)),
    County("Maralbeshi County", (5, 0, 0, 0), ("653130",)),
    County("Hotan County", (7, 0, 0, 0), ("653221",)),
    County("Karakax County", (9, 0, 0, 0), ("653222",)),
    County("Guma County", (5, 0, 0, 0), ("653223",)),
    County("Lop County", (5, 0, 0, 0), ("653224",)),
    County("Keriya County", (5, 0, 0, 0), ("653226",)),
    County("Aksu", (7, 0, 0, 1), ("652921", "652901"), (1983,)),
    County("Kuqa", (6, 0, 0, 0), ("652923", "652902"), (2019,)),
    County("Uchturpan County", (4, 0, 1, 0), ("652927",)),
    County("Atush", (6, 0, 3, 0), ("653021", "653001"), (1986,)),
    County("Akto County", (2, 0, 4, 0), ("653022",)),
    County("Akqi County", (0, 0, 4, 0), ("653023",)),
    County("Ulugqat County", (0, 0, 3, 0), ("653024",)),
    County("Turpan", (6, 0, 0, 1), ("652121", "652101", "650402"), (1984, 2015)),
    County("Pichan County", (3, 0, 0, 0), ("652122", "650421"), (2015,)),
    County("Urumqi", (8, 2, 1, 4), ("650120", "650102"), (1983,)),
    County("Korla", (4, 0, 0, 1), ("652801",)),
    County("Yanqi Hui Autonomous County", (1, 0, 0, 4), ("652826",)),
    County("Changji", (1, 2, 0, 5), ("652321", "652301"), (1983,)),
    County("Mori Kazakh Autonomous County", (0, 4, 0, 2), ("652328",)),
    County("Barkol Kazakh Autonomous County", (0, 3, 0, 0), ("652222", "650521"), (2016,)),
    County("Ghulja", (6, 3, 0, 2), ("652401", "654101", "654002"), _ILI),
    County("Ghulja County", (3, 5, 0, 1), ("652421", "654121", "654021"), _ILI),
    County("Nilka County", (1, 4, 0, 0), ("652428", "654128", "654028"), _ILI),
    County("Tekes County", (0, 5, 0, 0), ("652427", "654127", "654027"), _ILI),
    County("Zhaosu County", (0, 4, 1, 0), ("652426", "654126", "654026"), _ILI),
    County("Huocheng County", (2, 3, 0, 1), ("652423", "654123", "654023"), _ILI),
    County("Tacheng", (1, 5, 0, 0), ("652521", "654201"), (1984,)),
    County("Emin County", (0, 4, 0, 0), ("652522", "654221"), (1984,)),
    County("Altay", (0, 6, 0, 0), ("652621", "654301"), (1984,)),
    County("Burqin County", (0, 3, 0, 0), ("652622", "654321"), (1984,)),
    County("Fuyun County", (0, 3, 0, 0), ("652623", "654322"), (1984,)),
)
COUNTY_POOLS: dict[str, Pool[County]] = {
    group: Pool(
        [c for c in COUNTIES if c.weights[i]], [c.weights[i] for c in COUNTIES if c.weights[i]]
    )
    for i, group in enumerate("UKGH")
}

# --- events ----------------------------------------------------------------------------

_REASONS = {
    "praying": 14,
    "no reason given": 14,
    "travel abroad": 10,
    "WhatsApp": 8,
    "relatives in Kazakhstan": 6,
    "religious extremism": 6,
    "wearing a veil": 5,
    "travel to Turkey": 5,
    "studying the Quran": 5,
    "contacts abroad": 5,
    "having a passport": 4,
    "fasting during Ramadan": 3,
    "having a beard": 3,
    "visiting a mosque": 3,
}
_KAZAKH_REASONS = {
    **_REASONS,
    "relatives in Kazakhstan": 22,
    "travel abroad": 16,
    "having a passport": 8,
    "travel to Turkey": 1,
}
_REASON_POOL = Pool(list(_REASONS), list(_REASONS.values()))
_KAZAKH_REASON_POOL = Pool(list(_KAZAKH_REASONS), list(_KAZAKH_REASONS.values()))
REASONS = {"U": _REASON_POOL, "K": _KAZAKH_REASON_POOL, "G": _KAZAKH_REASON_POOL, "H": _REASON_POOL}
FACILITIES: Pool[str] = Pool(
    ("camp", "detention_centre", "prison", "police_custody", "unknown"), (60, 18, 8, 8, 6)
)
DETENTION_YEARS: Pool[int] = Pool((2017, 2018, 2019), (0.5, 0.35, 0.15))
SENTENCE_YEARS: Pool[int] = Pool(range(5, 21), (8, 5, 7, 6, 3, 10, 3, 6, 3, 3, 6, 2, 2, 2, 1, 4))
CHARGES: Pool[str] = Pool(
    (
        "separatism",
        "inciting ethnic hatred",
        "religious extremism",
        "terrorism",
        "gathering a crowd to disturb public order",
        "picking quarrels and provoking trouble",
        "illegal religious activities",
    ),
    (5, 4, 6, 2, 3, 2, 3),
)
PROFESSIONS: Pool[str] = Pool(
    (
        "farmer",
        "herder",
        "teacher",
        "shopkeeper",
        "driver",
        "imam",
        "doctor",
        "student",
        "businessman",
        "writer",
        "civil servant",
        "worker",
        "retired",
    ),
    (20, 6, 6, 8, 5, 2, 2, 4, 5, 1, 2, 8, 6),
)
DESTINATIONS: dict[str, Pool[str]] = {
    "U": Pool(("Turkey", "Kazakhstan"), (0.7, 0.3)),
    "K": Pool(("Kazakhstan",), (1,)),
    "G": Pool(("Kyrgyzstan", "Kazakhstan"), (0.8, 0.2)),
    "H": Pool(("Kazakhstan",), (1,)),
}
