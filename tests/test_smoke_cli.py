from __future__ import annotations

import json

from tests.conftest import SAMPLE, Cli


def test_add_then_show_and_search(cli_archive: Cli) -> None:
    result = cli_archive("add", str(SAMPLE / "cases" / "001-ilham-tohti-sentenced.yaml"), "--json")
    assert result.exit_code == 0, result.stderr
    added = json.loads(result.stdout)[0]
    person = next(iter(added["persons"].values()))
    shown = json.loads(cli_archive("show", person, "--json").stdout)
    assert shown["view"]["status"] == "sentenced"
    found = json.loads(cli_archive("search", "Tohti", "--json").stdout)
    assert [r["id"] for r in found] == [person]
