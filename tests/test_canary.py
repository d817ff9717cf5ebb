"""The canary test: restricted facts carry unique strings, every operation runs, and then
every file written anywhere (archive, journals, key file, evidence store, temp folder,
exports, backups, audit checkpoints) is scanned for them in plain text, UTF-16 and base64.
The only files allowed to hold them are those the role and the consent allow: a full
backup export made by an admin, and evidence copies an admin took out on purpose."""

from __future__ import annotations

import base64
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from guwah.services.archive import open_archive
from tests.conftest import PASSPHRASE, Cli
from tests.helpers import error_line, json_of, ok

TESTIFIER = "Canarygul Zhetpisqyzy"  # a restricted testifier's name
SOURCE_TEXT = "Canarytext Qv7 was said in the kitchen in Zharkent"  # a restricted testimony
ID_NUMBER = "650102196502147392"  # a relative's resident ID (valid checksum, invented)
EVIDENCE = "Canaryvideo Mx4 frames"  # the bytes of an evidence file
FILE_NAME = "canaryfile-Wp2.txt"  # an evidence file's name
PASSWORDS = ("a long admin password 1", "long research words 2")
CANARIES = (
    "Canarygul",
    "Zhetpisqyzy",
    "Canarytext Qv7",
    ID_NUMBER,
    "Canaryvideo Mx4",
    "canaryfile-Wp2",
)


def _forms(canary: str) -> dict[str, bytes]:
    """The canary as bytes in every form a careless writer might use."""
    raw = canary.encode("utf-8")
    forms = {
        "utf-8": raw,
        "utf-16-le": canary.encode("utf-16-le"),
        "utf-16-be": canary.encode("utf-16-be"),
    }
    # base64 of the canary inside any text: the encoding depends on the offset mod 3, so
    # take each alignment and drop the characters that mix in neighbouring bytes
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + raw)
        start = (0, 2, 3)[shift]
        forms[f"base64+{shift}"] = encoded[start : len(encoded) - 4]
    return forms


def _hits(
    root: Path, skip: set[Path], needles: dict[str, dict[str, bytes]] | None = None
) -> list[str]:
    if needles is None:
        needles = {canary: _forms(canary) for canary in CANARIES}
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or any(path == s or s in path.parents for s in skip):
            continue
        body = path.read_bytes()
        for canary, forms in needles.items():
            for form, needle in forms.items():
                if needle and needle in body:
                    found.append(f"{path.relative_to(root)}: {canary!r} as {form}")
    return found


def _key_forms(key: bytes) -> dict[str, bytes]:
    return {
        "raw": key,
        "hex": key.hex().encode(),
        "HEX": key.hex().upper().encode(),
        "base64": base64.b64encode(key)[:-4],
        "base64url": base64.urlsafe_b64encode(key)[:-4],
    }


def _secrets(location: str) -> dict[str, dict[str, bytes]]:
    """The passphrase, the passwords and the archive's keys (its key and its audit
    signing key, as they are after the run): none may be written anywhere."""
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    found = {text: _forms(text) for text in (PASSPHRASE, *PASSWORDS)}
    archive = open_archive(location, PASSPHRASE, "tester")
    try:
        keyring = archive.keyring()
        with archive.engine.connect() as conn:
            signing = keyring.signing_key(conn).private_bytes(
                Encoding.Raw, PrivateFormat.Raw, NoEncryption()
            )
        found["archive key"] = _key_forms(keyring.archive_key)
        found["audit signing key"] = _key_forms(signing)
    finally:
        archive.close()
    return found


def _testimony(folder: Path) -> Path:
    data = {
        "source": {
            "kind": "testimony_oral",
            "title": "Testimony about a brother (canary test)",
            "date": "2024-02-01",
            "language": "en",
            "testifier": "t1",
            "original_text": SOURCE_TEXT,
            "sensitivity": "restricted",
        },
        "persons": [
            {
                "ref": "t1",
                "kinds": ["testifier"],
                "relation": "sister",
                "names": [{"text": TESTIFIER, "lang": "kk", "kind": "full"}],
            },
            {
                "ref": "v1",
                "kinds": ["victim"],
                "sensitivity": "internal",
                "names": [{"text": "Nurlan Abdikerimov", "lang": "en", "kind": "full"}],
            },
        ],
        "claims": [
            {"subject": "v1", "kind": "id_number", "value": {"text": ID_NUMBER}},
            {
                "subject": "v1",
                "kind": "detained",
                "date": "2018-03",
                "value": {"facility_type": "camp"},
            },
            {"subject": "v1", "kind": "relation", "value": {"relation": "sibling", "person": "t1"}},
        ],
    }
    path = folder / "canary.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """One folder for everything the run writes, temp files included."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    yield tmp_path


def test_no_restricted_string_reaches_any_file_it_should_not(
    workspace: Path, backend: str, db_location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workspace / "archive").mkdir()
    if backend == "sqlite":
        db_location = str(workspace / "archive" / "guwah.db")
    else:  # the database is the server's (tests/test_field_encryption.py reads it raw)
        monkeypatch.setenv("GUWAH_EVIDENCE_DIR", str(workspace / "archive" / "evidence"))
    cli = Cli(db_location, monkeypatch)
    inputs = workspace / "inputs"
    inputs.mkdir()
    exports = workspace / "exports"
    exports.mkdir()
    allowed: set[Path] = {inputs}

    ok(cli("init"))
    added = json_of(cli, "add", str(_testimony(inputs)))
    victim = added[0]["persons"]["v1"]
    source = added[0]["source"]
    (inputs / FILE_NAME).write_text(EVIDENCE)
    evidence = json_of(cli, "evidence", "add", str(inputs / FILE_NAME), "--source", source)["id"]

    # reading, matching, searching
    ok(cli("show", victim))
    ok(cli("search", "Abdikerimov"))
    ok(cli("search", "Canarygul"))
    ok(cli("match", "Нурлан Абдикеримов"))
    ok(cli("stats"))
    ok(cli("reindex"))
    ok(cli("dedupe"))
    # exports: the full backup export by the owner may hold everything; no other may
    ok(cli("export", "--format", "jsonl", "-o", str(exports / "full.jsonl")))
    allowed.add(exports / "full.jsonl")
    for fmt in ("csv", "ftm"):
        ok(cli("export", "--format", fmt, "-o", str(exports / f"internal.{fmt}")))
        ok(
            cli(
                "export",
                "--format",
                fmt,
                "--max-sensitivity",
                "public",
                "-o",
                str(exports / f"public.{fmt}"),
            )
        )
    # evidence: taken out on purpose by the owner, the copies hold the file
    ok(cli("evidence", "list"))
    ok(cli("evidence", "show", evidence))
    ok(cli("evidence", "verify"))
    ok(cli("evidence", "get", evidence, "--out", str(exports / "copy.bin"), "--purpose", "court"))
    allowed.add(exports / "copy.bin")
    ok(
        cli(
            "evidence",
            "export",
            evidence,
            "--out",
            str(exports / "package"),
            "--recipient",
            "partner",
        )
    )
    allowed.add(exports / "package" / "files")
    # the audit log and its signed checkpoints are meant for publication
    (exports / "checkpoint.json").write_text(ok(cli("audit", "checkpoint", "--json")).stdout)
    ok(cli("audit", "verify"))
    (exports / "audit-log.json").write_text(ok(cli("audit", "log", "--json")).stdout)
    # keys and backups
    ok(cli("keys", "rotate"))
    if backend == "sqlite":
        ok(cli("backup", "--out", str(workspace / "backup.db")))
    # errors: a bad file quoting the canaries, and a database error with them as parameters
    bad = inputs / "bad.yaml"
    bad.write_text(_testimony(inputs).read_text().replace("2018-03", "2018-02-30"))
    error_line(cli("add", str(bad)))

    manifest = json.loads((exports / "package" / "manifest.json").read_text())
    assert manifest  # the package was made (its manifest names the file: allowed below)
    allowed.add(exports / "package")  # manifest and custody name the file for the partner

    # a researcher signs in: what they see and export holds none of the restricted facts
    monkeypatch.setenv("GUWAH_NEW_PASSWORD", "a long admin password 1")
    ok(cli("user", "add", "chief", "--role", "admin"))
    monkeypatch.setenv("GUWAH_USER", "chief")
    monkeypatch.setenv("GUWAH_PASSWORD", "a long admin password 1")
    monkeypatch.setenv("GUWAH_NEW_PASSWORD", "long research words 2")
    ok(cli("user", "add", "reader", "--role", "researcher"))
    monkeypatch.setenv("GUWAH_USER", "reader")
    monkeypatch.setenv("GUWAH_PASSWORD", "long research words 2")
    seen = [
        ok(cli("show", victim)).stdout,
        ok(cli("show", victim, "--json")).stdout,
        ok(cli("search", "Abdikerimov", "--json")).stdout,
        ok(cli("match", "Nurlan Abdikerimov", "--json")).stdout,
    ]
    ok(cli("export", "--format", "jsonl", "-o", str(exports / "researcher.jsonl")))
    for text in seen:
        assert not [c for c in CANARIES if c in text], text
    assert "Abdikerimov" in seen[0]  # the victim is shown, without the restricted facts

    assert _hits(workspace, allowed) == []
    # no passphrase, password or key anywhere, not even in the files allowed above
    assert _hits(workspace, {inputs}, _secrets(db_location)) == []
    # and the allowed files did receive what they should: the scan can see a hit
    assert any(hit.startswith("full.jsonl") for hit in _hits(exports, set()))
