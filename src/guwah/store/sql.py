"""Small pieces of SQL the store's queries share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, bindparam


def among(column: ColumnElement[Any], values: Iterable[Any]) -> ColumnElement[bool]:
    """``column IN (values)`` with the values as one expanding parameter. A plain
    ``in_(list)`` makes SQLAlchemy coerce every value into a parameter of its own each
    time the query is built: about half the cost of a read of 60 people."""
    return column.in_(bindparam(None, list(values), expanding=True, type_=column.type))
