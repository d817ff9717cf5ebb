"""`guwah serve` and `guwah demo --login` from the command line."""

from __future__ import annotations

import pytest

from tests.conftest import Cli


def test_serve_refuses_an_archive_without_accounts(cli_archive: Cli) -> None:
    result = cli_archive("serve", "--check")
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "guwah user add" in result.stderr


def test_demo_login_makes_accounts_the_desk_can_serve(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("guwah demo --fresh builds a file archive; PostgreSQL is covered elsewhere")
    monkeypatch.setenv("GUWAH_DEMO_PASSWORD", "sample login 2024")
    built = cli("demo", "--login")
    assert built.exit_code == 0, built.stderr
    assert "documenter (editor)" in built.stdout
    monkeypatch.setenv("GUWAH_USER", "demo")
    monkeypatch.setenv("GUWAH_PASSWORD", "sample login 2024")
    checked = cli("serve", "--check", "--port", "8123")
    assert checked.exit_code == 0, checked.stderr
    assert "ready to serve the desk" in checked.stdout
    for bad, why in (("0", "must be above zero"), ("many", "must be a number")):
        monkeypatch.setenv("GUWAH_WEB_THREADS", bad)
        refused = cli("serve", "--check")
        assert refused.exit_code == 1 and refused.stderr.strip().count("\n") == 0
        assert f"GUWAH_WEB_THREADS {why}" in refused.stderr
    monkeypatch.delenv("GUWAH_WEB_THREADS")
    monkeypatch.setenv("GUWAH_USER", "documenter")
    refused = cli("serve", "--check")
    assert refused.exit_code == 1 and "not allowed for role editor" in refused.stderr
