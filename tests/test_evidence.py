"""``guwah evidence`` through the real command line, on every backend: files go in
encrypted under keyed names, come out byte for byte, and every access and transfer is
in the file's chain of custody; export packages check with the real ``sha256sum -c``."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, Cli
from tests.evidence_helpers import (
    add,
    blobs_in,
    custody_actions,
    evidence_folder,
    forms,
    write,
)
from tests.helpers import error_line, json_of, ok

ILHAM = SAMPLE / "cases" / "001-ilham-tohti-sentenced.yaml"
CANARY_TEXT = "CANARY-7f3a Guljan's account of the camp at Dabancheng"
CANARY_NAME = "CANARYNAME-Mihrigul"


@pytest.fixture
def ev(cli_archive: Cli, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The evidence folder of the CLI's archive."""
    return evidence_folder(cli_archive, backend, tmp_path, monkeypatch)


def test_add_list_show_get_round_trip(cli_archive: Cli, ev: Path, tmp_path: Path) -> None:
    data = ("line one\n" + CANARY_TEXT + "\n").encode() * 50
    original = write(tmp_path / "testimony.txt", data)

    added = add(cli_archive, original, "--acquired-how", "given in person in Almaty")

    assert added["id"] == "E-000001" and added["already_stored"] is False
    assert added["sha256"] == hashlib.sha256(data).hexdigest()
    assert added["sha512"] == hashlib.sha512(data).hexdigest()
    assert (added["size"], added["media_type"]) == (len(data), "text/plain")
    listed = json_of(cli_archive, "evidence", "list")
    assert [(e["id"], e["file_name"], e["source"]) for e in listed] == [
        ("E-000001", "testimony.txt", None)
    ]
    shown = json_of(cli_archive, "evidence", "show", "E-000001")
    assert shown["acquired"] == {"by": "tester", "at": None, "how": "given in person in Almaty"}
    assert [e["action"] for e in shown["custody"]] == ["acquired", "added"]
    assert shown["custody"][1]["details"]["sha256"] == added["sha256"]

    out = tmp_path / "copy.txt"
    ok(cli_archive("evidence", "get", "E-000001", "--out", str(out), "--purpose", "translation"))

    assert out.read_bytes() == data
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if ".partial" in p.name]
    custody = json_of(cli_archive, "evidence", "show", "E-000001")["custody"]
    assert custody[-1]["action"] == "accessed"
    assert custody[-1]["details"] == {"purpose": "translation"}
    assert custody[-1]["actor"] == "tester"


def test_the_store_holds_no_plaintext_and_no_plain_hash(
    cli_archive: Cli, ev: Path, tmp_path: Path
) -> None:
    data = (CANARY_TEXT + "\n").encode() * 200
    added = add(cli_archive, write(tmp_path / f"{CANARY_NAME}.txt", data))

    assert stat.S_IMODE(ev.stat().st_mode) == 0o700
    (blob,) = blobs_in(ev)
    assert stat.S_IMODE(blob.stat().st_mode) == 0o600
    assert blob.name not in (added["sha256"], added["sha512"][:64])
    assert added["sha256"] not in blob.name and len(blob.name) == 64
    for path in ev.iterdir():
        content = path.read_bytes()
        for canary in (CANARY_TEXT, CANARY_NAME, added["sha256"]):
            for form in forms(canary):
                assert form not in content, (path.name, canary)
        assert CANARY_NAME not in path.name


def test_the_same_bytes_twice_are_stored_once(cli_archive: Cli, ev: Path, tmp_path: Path) -> None:
    data = b"%PDF-1.4 the same report\n" * 10
    first = add(cli_archive, write(tmp_path / "report.pdf", data))
    renamed = write(tmp_path / "report-copy.bin", data)

    again = add(cli_archive, renamed)
    text = ok(cli_archive("evidence", "add", str(renamed))).stdout

    assert first["media_type"] == "application/pdf"
    assert again["id"] == first["id"] == "E-000001" and again["already_stored"] is True
    assert "already stored as E-000001" in text
    assert len(blobs_in(ev)) == 1
    assert len(json_of(cli_archive, "evidence", "list")) == 1
    assert custody_actions(cli_archive, "E-000001") == ["acquired", "added"]


def test_media_type_from_magic_name_or_option(cli_archive: Cli, ev: Path, tmp_path: Path) -> None:
    png = add(cli_archive, write(tmp_path / "scan", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64))
    csv = add(cli_archive, write(tmp_path / "list.csv", b"name,born\nA,1970\n"))
    given = add(
        cli_archive, write(tmp_path / "clip.dat", b"\x00\x01\x02" * 9), "--media-type", "video/mp4"
    )

    assert png["media_type"] == "image/png"
    assert csv["media_type"] == "text/csv"
    assert given["media_type"] == "video/mp4"


def test_a_working_copy_links_to_its_untouched_original(
    cli_archive: Cli, ev: Path, tmp_path: Path
) -> None:
    add(cli_archive, write(tmp_path / "scan.jpg", b"\xff\xd8\xff\xe0 a scanned letter" * 20))
    (blob,) = blobs_in(ev)
    before = blob.read_bytes()

    copy = add(
        cli_archive,
        write(tmp_path / "scan.txt", b"the letter's text, by OCR\n"),
        "--derived-from",
        "E-000001",
        "--derivation",
        "ocr",
    )

    assert blob.read_bytes() == before
    original = json_of(cli_archive, "evidence", "show", "E-000001")
    assert [c["id"] for c in original["derived_copies"]] == [copy["id"]] == ["E-000002"]
    shown = json_of(cli_archive, "evidence", "show", "E-000002")
    assert (shown["derived_from"], shown["derivation"]) == ("E-000001", "ocr")
    assert shown["custody"][1]["details"]["derived_from"] == "E-000001"


def test_a_file_can_arrive_before_its_source(cli_archive: Cli, ev: Path, tmp_path: Path) -> None:
    add(cli_archive, write(tmp_path / "video.mp4", b"\x00\x00\x00\x18ftypmp42" + b"v" * 100))
    source = json_of(cli_archive, "add", str(ILHAM))[0]["source"]

    ok(cli_archive("evidence", "link", "E-000001", source))

    shown = json_of(cli_archive, "evidence", "show", "E-000001")
    assert shown["source"] == source and shown["media_type"] == "video/mp4"
    assert shown["custody"][-1]["action"] == "linked"
    assert shown["custody"][-1]["details"] == {"source": source}
    assert [e["id"] for e in json_of(cli_archive, "evidence", "list", "--source", source)] == [
        "E-000001"
    ]
    line = error_line(cli_archive("evidence", "link", "E-000001", source))
    assert "already linked" in line
    with_source = add(
        cli_archive, write(tmp_path / "photo.png", b"\x89PNG\r\n\x1a\n1"), "--source", source
    )
    assert json_of(cli_archive, "evidence", "show", with_source["id"])["source"] == source


def test_get_never_overwrites(cli_archive: Cli, ev: Path, tmp_path: Path) -> None:
    add(cli_archive, write(tmp_path / "a.txt", b"evidence bytes\n"))
    out = write(tmp_path / "existing.txt", b"keep me")

    line = error_line(
        cli_archive("evidence", "get", "E-000001", "--out", str(out), "--purpose", "check")
    )

    assert "already exists" in line
    assert out.read_bytes() == b"keep me"
    assert custody_actions(cli_archive, "E-000001") == ["acquired", "added"]


def test_a_large_file_streams_through_in_chunks(cli_archive: Cli, ev: Path, tmp_path: Path) -> None:
    data = os.urandom(3 * (1 << 20) + 12345)  # crosses several 1 MiB chunks
    added = add(cli_archive, write(tmp_path / "video.webm", b"\x1a\x45\xdf\xa3" + data))
    out = tmp_path / "out.webm"

    ok(cli_archive("evidence", "get", added["id"], "-o", str(out), "--purpose", "review"))

    assert out.read_bytes() == b"\x1a\x45\xdf\xa3" + data
    assert added["media_type"] == "video/webm"
    assert "all intact" in ok(cli_archive("evidence", "verify")).stdout


def _chain_holds(lines: list[dict[str, object]]) -> bool:
    prev = "0" * 64
    for entry in lines:
        body = {k: v for k, v in entry.items() if k != "hash"}
        text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        if entry["prev"] != prev or hashlib.sha256(text.encode()).hexdigest() != entry["hash"]:
            return False
        prev = str(entry["hash"])
    return True


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs coreutils sha256sum")
def test_export_package_checks_with_standard_tools(
    cli_archive: Cli, ev: Path, tmp_path: Path
) -> None:
    one = add(
        cli_archive,
        write(tmp_path / "report one.pdf", b"%PDF-1.7 first\n" * 30),
        "--acquired-how",
        "from the author",
    )
    two = add(cli_archive, write(tmp_path / "notes.txt", b"second file\n"))
    package = tmp_path / "package"

    ok(
        cli_archive(
            "evidence",
            "export",
            one["id"],
            two["id"],
            "--out",
            str(package),
            "--recipient",
            "Court registry",
            "--purpose",
            "case 12",
        )
    )

    for tool, sums in (("sha256sum", "SHA256SUMS"), ("sha512sum", "SHA512SUMS")):
        checked = subprocess.run(
            [tool, "-c", sums], cwd=package, capture_output=True, text=True, check=False
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert checked.stdout.count(": OK") == 2
    manifest = json.loads((package / "manifest.json").read_text())
    assert manifest["recipient"] == "Court registry"
    files = {f["id"]: f for f in manifest["files"]}
    assert files[one["id"]]["file_name"] == "report one.pdf"
    assert files[one["id"]]["sha256"] == one["sha256"]
    assert files[one["id"]]["sha512"] == one["sha512"]
    assert files[one["id"]]["acquired"]["how"] == "from the author"
    assert (package / files[one["id"]]["path"]).read_bytes() == b"%PDF-1.7 first\n" * 30
    custody = [json.loads(line) for line in (package / "custody.jsonl").read_text().splitlines()]
    for evidence_id in (one["id"], two["id"]):
        log = [entry for entry in custody if entry["evidence"] == evidence_id]
        assert [e["action"] for e in log] == ["acquired", "added", "transferred"]
        assert log[-1]["details"]["recipient"] == "Court registry"
        assert _chain_holds(log)
    assert custody_actions(cli_archive, one["id"])[-1] == "transferred"
    # the whole package is listed and signed by the archive's (audit checkpoint) key
    listed = subprocess.run(
        ["sha256sum", "-c", "PACKAGE.sha256"], cwd=package, capture_output=True, text=True
    )
    assert listed.returncode == 0 and listed.stdout.count(": OK") == 6, listed.stdout
    verify = ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "archive-key.pem", "-rawin",
              "-in", "PACKAGE.sha256", "-sigfile", "PACKAGE.sha256.sig"]  # fmt: skip
    signed = subprocess.run(verify, cwd=package, capture_output=True, text=True)
    assert signed.returncode == 0 and "Verified Successfully" in signed.stdout
    checkpoint = json_of(cli_archive, "audit", "checkpoint", "--json")
    assert checkpoint["statement"]["key_id"] in (package / "README.txt").read_text()
    (package / "custody.jsonl").write_text("edited\n")  # a changed file no longer checks
    assert subprocess.run(["sha256sum", "--quiet", "-c", "PACKAGE.sha256"], cwd=package,
                          capture_output=True).returncode == 1  # fmt: skip
    listing = (package / "PACKAGE.sha256").read_bytes()
    (package / "PACKAGE.sha256").write_bytes(listing.replace(b"custody", b"Custody", 1))
    forged = subprocess.run(verify, cwd=package, capture_output=True, text=True)
    assert forged.returncode != 0  # nor does an edited list under the old signature

    line = error_line(cli_archive("evidence", "export", one["id"], "--out", str(package)))
    assert "not empty" in line


def test_export_by_source_without_recipient(cli_archive: Cli, ev: Path, tmp_path: Path) -> None:
    source = json_of(cli_archive, "add", str(ILHAM))[0]["source"]
    add(cli_archive, write(tmp_path / "a.txt", b"aaa\n"), "--source", source)
    add(cli_archive, write(tmp_path / "b.txt", b"bbb\n"))
    package = tmp_path / "by-source"

    ok(cli_archive("evidence", "export", "--source", source, "--out", str(package)))

    manifest = json.loads((package / "manifest.json").read_text())
    assert [f["id"] for f in manifest["files"]] == ["E-000001"]
    assert custody_actions(cli_archive, "E-000001")[-1] == "exported"
    assert custody_actions(cli_archive, "E-000002")[-1] == "added"


def test_verify_reports_intact_files_and_logs_it(
    cli_archive: Cli, ev: Path, tmp_path: Path
) -> None:
    add(cli_archive, write(tmp_path / "a.txt", b"first\n"))
    add(cli_archive, write(tmp_path / "b.txt", b"second\n"))

    report = json_of(cli_archive, "evidence", "verify")

    assert report == {"checked": 2, "metadata_only": 0, "ok": True, "problems": []}
    assert custody_actions(cli_archive, "E-000002")[-1] == "verified"


def test_jsonl_export_leaves_stored_files_to_their_packages(
    cli_archive: Cli, ev: Path, tmp_path: Path
) -> None:
    add(cli_archive, write(tmp_path / f"{CANARY_NAME}.txt", CANARY_TEXT.encode()))
    out = tmp_path / "all.jsonl"

    ok(cli_archive("export", "--format", "jsonl", "-o", str(out)))

    text = out.read_text()
    assert CANARY_NAME not in text and '"type": "evidence"' not in text


def test_postgres_needs_an_evidence_folder(
    cli_archive: Cli, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend != "postgres":
        pytest.skip("an embedded archive keeps its evidence beside it")
    monkeypatch.delenv("GUWAH_EVIDENCE_DIR", raising=False)

    line = error_line(cli_archive("evidence", "add", str(write(tmp_path / "a.txt", b"x"))))

    assert "GUWAH_EVIDENCE_DIR" in line
    assert json_of(cli_archive, "evidence", "list") == []


def test_two_archives_never_share_a_folder(
    cli_archive: Cli, second_cli: Cli, ev: Path, tmp_path: Path, backend: str
) -> None:
    add(cli_archive, write(tmp_path / "a.txt", b"mine\n"))
    ok(second_cli("init"))
    if backend == "sqlite":  # make the second archive point at the first one's folder
        Path(second_cli.location + ".evidence").symlink_to(ev)

    line = error_line(second_cli("evidence", "add", str(write(tmp_path / "b.txt", b"b\n"))))

    assert "another archive" in line
    assert len(blobs_in(ev)) == 1
