"""The archive key: a key file guarded by the passphrase, a new passphrase without
re-encryption, rotation that survives a crash, and recovery from trustees' shares."""

from __future__ import annotations

import base64
import json
import shutil
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from guwah.secure.crypto import KdfParams
from guwah.secure.keys import passphrase_slot, read_sidecar, sidecar_path, write_sidecar
from guwah.secure.rotation import rewrap_all
from guwah.services.archive import open_archive
from tests.conftest import PASSPHRASE, SAMPLE, Cli
from tests.helpers import error_line, json_of, ok, stats

ILHAM = SAMPLE / "cases" / "001-ilham-tohti-sentenced.yaml"
NEW = "a different long passphrase"


def _status(cli: Cli) -> dict[str, object]:
    data: dict[str, object] = json_of(cli, "keys", "status")
    return data


def test_the_key_file_sits_beside_the_archive_for_its_owner_only(
    cli_archive: Cli, backend: str
) -> None:
    status = _status(cli_archive)
    assert len(str(status["key_id"])) == 16
    assert status["signing_keys"]  # the audit key exists from the start
    if backend != "sqlite":
        return
    keyfile = sidecar_path(Path(cli_archive.location))
    assert stat.S_IMODE(keyfile.stat().st_mode) == 0o600
    body = keyfile.read_text()
    assert PASSPHRASE not in body and json.loads(body)["format"] == "guwah-keys/1"


def test_a_new_passphrase_opens_the_archive_and_the_old_one_no_longer_does(
    cli_archive: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(cli_archive("add", str(ILHAM)))
    before = stats(cli_archive)
    key_id = _status(cli_archive)["key_id"]
    monkeypatch.setenv("GUWAH_NEW_PASSPHRASE", NEW)
    ok(cli_archive("keys", "passphrase"))

    assert "wrong passphrase" in error_line(cli_archive("stats"))
    monkeypatch.setenv("GUWAH_PASSPHRASE", NEW)
    assert stats(cli_archive) == before
    assert _status(cli_archive)["key_id"] == key_id  # the archive key itself is unchanged


def test_a_short_new_passphrase_is_refused_and_changes_nothing(
    cli_archive: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUWAH_NEW_PASSPHRASE", "short")
    assert "at least 8" in error_line(cli_archive("keys", "passphrase"))
    ok(cli_archive("stats"))


def test_rotation_keeps_the_data_and_the_signing_key_and_retires_the_old_key(
    cli_archive: Cli, backend: str
) -> None:
    ok(cli_archive("add", str(ILHAM)))
    before = stats(cli_archive)
    first = _status(cli_archive)
    old_keyfile = None
    if backend == "sqlite":
        old_keyfile = sidecar_path(Path(cli_archive.location)).read_text()

    out = ok(cli_archive("keys", "rotate")).stdout
    after = _status(cli_archive)

    assert after["key_id"] != first["key_id"] and str(after["key_id"]) in out
    assert after["signing_keys"] == first["signing_keys"]
    assert stats(cli_archive) == before
    if old_keyfile is not None:  # the old archive key no longer opens the re-keyed file
        sidecar_path(Path(cli_archive.location)).write_text(old_keyfile)
        assert "cannot open" in error_line(cli_archive("stats"))


def _interrupted_rotation(location: str, *, rewrapped: bool) -> tuple[str, str]:
    """Stage a rotation and stop before the file is re-keyed (as a crash would)."""
    archive = open_archive(location, PASSPHRASE, "tester")
    try:
        current = archive.keyring()
        following = current.rekeyed(b"\x07" * 32)
        keyfile = read_sidecar(Path(location))
        assert keyfile is not None and current.kek is not None
        slot = passphrase_slot(
            current.kek,
            base64.b64decode(keyfile.passphrase["salt"]),
            KdfParams.from_dict(keyfile.passphrase["params"]),
            following.archive_key,
            following.key_id,
        )
        pending = {"key_id": following.key_id, "wrapped": slot["wrapped"]}
        write_sidecar(Path(location), replace(keyfile, pending=pending))
        if rewrapped:
            with archive.engine.begin() as conn:
                rewrap_all(conn, current, following)
        return current.key_id, following.key_id
    finally:
        archive.close()


@pytest.mark.parametrize("rewrapped", [True, False])
def test_an_interrupted_rotation_is_finished_or_undone_on_the_next_open(
    cli_archive: Cli, backend: str, rewrapped: bool
) -> None:
    if backend != "sqlite":
        pytest.skip("on PostgreSQL a rotation is one transaction")
    ok(cli_archive("add", str(ILHAM)))
    before = stats(cli_archive)
    old, new = _interrupted_rotation(cli_archive.location, rewrapped=rewrapped)

    assert stats(cli_archive) == before
    status = _status(cli_archive)
    assert status["key_id"] == (new if rewrapped else old)
    keyfile = read_sidecar(Path(cli_archive.location))
    assert keyfile is not None and keyfile.pending is None
    assert status["signing_keys"]  # the wrapped signing key still opens
    ok(cli_archive("keys", "rotate"))
    assert stats(cli_archive) == before


def _split(cli: Cli, threshold: int, shares: int) -> list[str]:
    out = ok(cli("keys", "split", "--threshold", str(threshold), "--shares", str(shares))).stdout
    lines = [line for line in out.splitlines() if line.startswith("share ")]
    assert len(lines) == shares
    return lines


def test_trustees_recover_a_lost_passphrase_even_after_a_rotation(
    cli_archive: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ok(cli_archive("add", str(ILHAM)))
    before = stats(cli_archive)
    shares = _split(cli_archive, 3, 5)
    assert _status(cli_archive)["recovery"]["threshold"] == 3  # type: ignore[index]
    ok(cli_archive("keys", "rotate"))
    monkeypatch.setenv("GUWAH_PASSPHRASE", "forgotten, never typed again")
    monkeypatch.setenv("GUWAH_NEW_PASSPHRASE", NEW)

    two = tmp_path / "two.txt"
    two.write_text("\n".join(shares[:2]))
    assert "cannot be combined" in error_line(
        cli_archive("keys", "recover", "--shares-file", str(two))
    )

    three = tmp_path / "three.txt"
    three.write_text("\n".join([shares[4], shares[1], shares[2]]))
    ok(cli_archive("keys", "recover", "--shares-file", str(three)))
    monkeypatch.setenv("GUWAH_PASSPHRASE", NEW)
    assert stats(cli_archive) == before


def test_shares_of_an_earlier_split_no_longer_recover(
    cli_archive: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    old = _split(cli_archive, 2, 3)
    _split(cli_archive, 2, 3)
    monkeypatch.setenv("GUWAH_NEW_PASSPHRASE", NEW)
    path = tmp_path / "old.txt"
    path.write_text("\n".join(old[:2]))
    assert "do not open" in error_line(cli_archive("keys", "recover", "--shares-file", str(path)))
    ok(cli_archive("stats"))  # the old passphrase still works


@pytest.mark.parametrize(("threshold", "shares"), [(0, 3), (4, 3), (1, 3), (2, 17)])
def test_impossible_splits_are_refused(cli_archive: Cli, threshold: int, shares: int) -> None:
    line = error_line(cli_archive("keys", "split", "-k", str(threshold), "-n", str(shares)))
    assert "threshold" in line
    assert _status(cli_archive)["recovery"] is None


def test_a_key_file_from_another_archive_does_not_open_this_one(
    cli_archive: Cli, second_cli: Cli, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("a PostgreSQL archive keeps its key file inside")
    ok(second_cli("init"))
    shutil.copyfile(second_cli.location + ".keys", cli_archive.location + ".keys")
    assert "cannot open" in error_line(cli_archive("stats"))


def test_a_missing_key_file_is_one_clear_line(cli_archive: Cli, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("a PostgreSQL archive keeps its key file inside")
    Path(cli_archive.location + ".keys").unlink()
    assert "cannot open" in error_line(cli_archive("stats"))
