"""Mapping files: how a foreign spreadsheet's columns become Guwah's simple columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from guwah.model.errors import InvalidInput

# The columns of the simple CSV (docs/formats.md section 2) and what a mapping may target.
SIMPLE_COLUMNS = (
    "id",
    "name",
    "gender",
    "birth_year",
    "birth_date",
    "ethnicity",
    "hometown",
    "names",
    "status",
    "id_number",
    "detained",
    "sentence_years",
    "sentence",
    "place_held",
    "reason",
    "quote",
    "profession",
)


@dataclass
class Mapping:
    list_name: str | None = None
    source_kind: str | None = None
    id_column: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # foreign header -> simple column
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def apply(self, cells: dict[str, str]) -> dict[str, str]:
        """The row in simple columns (values translated where the mapping says so)."""
        if not self.columns:
            out = {k: v for k, v in cells.items() if k in SIMPLE_COLUMNS}
        else:
            out = {}
            for foreign, simple in self.columns.items():
                if cells.get(foreign):
                    out[simple] = cells[foreign]
        if self.id_column and cells.get(self.id_column):
            out["id"] = cells[self.id_column]
        for column, table in self.values.items():
            if column in out and out[column] in table:
                out[column] = table[out[column]]
        return out

    def check_header(self, header: list[str], filename: str) -> None:
        if self.columns:
            missing = [c for c in self.columns if c not in header]
            if missing:
                raise InvalidInput(
                    f"{filename}: column {missing[0]!r} of the mapping is not in the header"
                )
        elif "name" not in header:
            raise InvalidInput(
                f"{filename}: no 'name' column (use the simple header "
                "id,name,gender,birth_year,ethnicity,hometown or give --mapping)"
            )


def load_mapping(path: Path) -> Mapping:
    if not path.is_file():
        raise InvalidInput(f"no such mapping file: {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        raise InvalidInput(f"{path.name}: not a valid YAML mapping file") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"{path.name}: a mapping file is a YAML mapping")
    unknown = set(data) - {"list", "source_kind", "id_column", "columns", "values"}
    if unknown:
        raise InvalidInput(f"{path.name}: unknown key {sorted(unknown)[0]!r}")
    columns = {str(k): str(v) for k, v in (data.get("columns") or {}).items()}
    bad = [v for v in columns.values() if v not in SIMPLE_COLUMNS]
    if bad:
        raise InvalidInput(
            f"{path.name}: {bad[0]!r} is not a Guwah column (one of: {', '.join(SIMPLE_COLUMNS)})"
        )
    values = {
        str(col): {str(k): str(v) for k, v in (table or {}).items()}
        for col, table in (data.get("values") or {}).items()
    }
    return Mapping(
        list_name=str(data["list"]) if data.get("list") else None,
        source_kind=str(data["source_kind"]) if data.get("source_kind") else None,
        id_column=str(data["id_column"]) if data.get("id_column") else None,
        columns=columns,
        values=values,
    )
