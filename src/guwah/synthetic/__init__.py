"""Synthetic victims for tests and benchmarks: reproducible, any size, names in every script.

>>> from guwah.synthetic import generate_people
>>> people = list(generate_people(3, seed=1))
>>> [p.record["external_refs"][0]["ref"] for p in people]
['SYN-0000001', 'SYN-0000002', 'SYN-0000003']
"""

from guwah.synthetic.generator import SyntheticPerson, generate_people, write_jsonl
from guwah.synthetic.namebank import GIVEN_NAMES, HUI_SURNAMES, GivenName, Surname
from guwah.synthetic.naming import NameParts, respell
from guwah.synthetic.pools import COUNTIES, County

__all__ = [
    "COUNTIES",
    "GIVEN_NAMES",
    "HUI_SURNAMES",
    "County",
    "GivenName",
    "NameParts",
    "Surname",
    "SyntheticPerson",
    "generate_people",
    "respell",
    "write_jsonl",
]
