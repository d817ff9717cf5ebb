"""The demo archive: every sample case and list shipped in ``guwah/data/sample``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from guwah.services.archive import Archive
from guwah.services.importing import import_file
from guwah.services.testimony import add_document, read_document


@dataclass
class DemoReport:
    files: int = 0
    lists: list[str] = field(default_factory=list)


def sample_dir() -> Path:
    return Path(str(resources.files("guwah") / "data" / "sample"))


def load_demo(archive: Archive, step: Callable[[str], None] | None = None) -> DemoReport:
    report = DemoReport()
    base = sample_dir()
    for path in sorted((base / "cases").glob("*.yaml")):
        add_document(archive, read_document(path))
        report.files += 1
        if step:
            step(path.name)
    lists = base / "lists"
    for path in sorted(lists.glob("*.csv")):
        mapping = lists / (path.stem + ".mapping.yaml")
        import_file(archive, path, mapping_path=mapping if mapping.is_file() else None)
        report.lists.append(path.name)
        if step:
            step(path.name)
    return report
