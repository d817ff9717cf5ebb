"""Every GUWAH_* environment variable the code reads is documented in docs/settings.md."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_read_by_the_code_is_documented() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src").rglob("*.py"))
    code += (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
    read = set(re.findall(r"environ(?:\.get)?\(\s*[\"'](GUWAH_[A-Z_]+)", code))
    read |= set(re.findall(r"getenv\(\s*[\"'](GUWAH_[A-Z_]+)", code))
    documented = set(re.findall(r"`(GUWAH_[A-Z_]+)`", (ROOT / "docs" / "settings.md").read_text()))
    assert read, "the pattern found no settings: the test would pass vacuously"
    assert read <= documented, f"undocumented settings: {sorted(read - documented)}"
