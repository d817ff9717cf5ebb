"""Bad input to ``guwah evidence`` fails with one line and leaves nothing behind (no
blob, no half-written file, no record, no id used up); the wrong passphrase opens
nothing; a key rotation keeps every file readable without touching the blobs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.evidence_helpers import add, blobs_in, evidence_folder, write
from tests.helpers import error_line, json_of, ok


@pytest.fixture
def ev(cli_archive: Cli, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return evidence_folder(cli_archive, backend, tmp_path, monkeypatch)


def _nothing_left(cli: Cli, folder: Path) -> None:
    assert blobs_in(folder) == []
    assert json_of(cli, "evidence", "list") == []


@pytest.mark.parametrize(
    ("make", "options", "expected"),
    [
        (lambda d: d / "missing.pdf", (), "no such file"),
        (lambda d: d, (), "is a directory"),
        (lambda d: write(d / "empty.txt", b""), (), "is empty"),
        (lambda d: write(d / "a.txt", b"x"), ("--source", "S-999999"), "no source S-999999"),
        (lambda d: write(d / "a.txt", b"x"), ("--source", "nonsense"), "not a source id"),
        (
            lambda d: write(d / "a.txt", b"x"),
            ("--derived-from", "E-000009", "--derivation", "ocr"),
            "no evidence file E-000009",
        ),
        (lambda d: write(d / "a.txt", b"x"), ("--derivation", "ocr"), "go together"),
        (
            lambda d: write(d / "a.txt", b"x"),
            ("--derived-from", "E-000001", "--derivation", "magic"),
            "--derivation must be one of",
        ),
        (lambda d: write(d / "a.txt", b"x"), ("--acquired-at", "soon"), "is not a date"),
        (lambda d: write(d / "a.txt", b"x"), ("--acquired-at", "2999-01-01"), "in the future"),
    ],
)
def test_bad_input_leaves_nothing_behind(
    cli_archive: Cli,
    ev: Path,
    tmp_path: Path,
    make: object,
    options: tuple[str, ...],
    expected: str,
) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    assert callable(make)
    path = make(inputs)

    line = error_line(cli_archive("evidence", "add", str(path), *options))

    assert expected in line
    _nothing_left(cli_archive, ev)
    assert add(cli_archive, write(tmp_path / "good.txt", b"good\n"))["id"] == "E-000001"


def test_a_file_above_the_limit_is_refused(
    cli_archive: Cli, ev: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUWAH_EVIDENCE_MAX_MB", "1")
    big = write(tmp_path / "big.mp4", b"\x00" * ((1 << 20) + 1))

    line = error_line(cli_archive("evidence", "add", str(big)))

    assert "above the limit" in line and "GUWAH_EVIDENCE_MAX_MB" in line
    _nothing_left(cli_archive, ev)
    ok(cli_archive("evidence", "add", str(write(tmp_path / "small", b"\x00" * (1 << 20)))))


def test_a_bad_limit_setting_is_one_line(
    cli_archive: Cli, ev: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUWAH_EVIDENCE_MAX_MB", "lots")

    line = error_line(cli_archive("evidence", "add", str(write(tmp_path / "a", b"a"))))

    assert "GUWAH_EVIDENCE_MAX_MB" in line


@pytest.mark.parametrize(
    "args",
    [
        ("show", "E-000042"),
        ("show", "P-000001"),
        ("get", "E-000042", "--out", "{tmp}/x", "--purpose", "p"),
        ("export", "E-000042", "--out", "{tmp}/pkg"),
        ("export", "--out", "{tmp}/pkg"),
        ("link", "E-000042", "S-000001"),
        ("list", "--source", "S-000042"),
    ],
)
def test_unknown_ids_are_one_line(
    cli_archive: Cli, ev: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    line = error_line(cli_archive("evidence", *(a.format(tmp=tmp_path) for a in args)))

    assert line.startswith("error: ")
    assert not (tmp_path / "x").exists() and not (tmp_path / "pkg").exists()


def test_get_needs_a_purpose(cli_archive: Cli, ev: Path, tmp_path: Path) -> None:
    add(cli_archive, write(tmp_path / "a.txt", b"a\n"))

    line = error_line(
        cli_archive("evidence", "get", "E-000001", "-o", str(tmp_path / "o"), "--purpose", " ")
    )

    assert "--purpose" in line and not (tmp_path / "o").exists()


def test_the_wrong_passphrase_opens_no_evidence(
    cli_archive: Cli, ev: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(cli_archive, write(tmp_path / "a.txt", b"secret testimony\n"))
    blobs = {p.name: p.read_bytes() for p in blobs_in(ev)}
    monkeypatch.setenv("GUWAH_PASSPHRASE", "not the passphrase at all")
    out = tmp_path / "out.txt"

    for args in (
        ("evidence", "get", "E-000001", "-o", str(out), "--purpose", "p"),
        ("evidence", "export", "E-000001", "--out", str(tmp_path / "pkg")),
        ("evidence", "list"),
        ("evidence", "verify"),
    ):
        assert "passphrase" in error_line(cli_archive(*args))

    assert not out.exists() and not (tmp_path / "pkg").exists()
    assert {p.name: p.read_bytes() for p in blobs_in(ev)} == blobs


def test_key_rotation_rewraps_the_file_keys_and_leaves_the_blobs(
    cli_archive: Cli, ev: Path, tmp_path: Path
) -> None:
    add(cli_archive, write(tmp_path / "a.txt", b"before the rotation\n"))
    blobs = {p.name: p.read_bytes() for p in blobs_in(ev)}

    ok(cli_archive("keys", "rotate"))

    assert {p.name: p.read_bytes() for p in blobs_in(ev)} == blobs
    out = tmp_path / "after.txt"
    ok(cli_archive("evidence", "get", "E-000001", "-o", str(out), "--purpose", "check"))
    assert out.read_bytes() == b"before the rotation\n"
    assert json_of(cli_archive, "evidence", "verify")["ok"] is True
    assert add(cli_archive, write(tmp_path / "b.txt", b"before the rotation\n"))["id"] == "E-000001"
