"""Campaigns (``guwah case``): opened, changed, given actions and ticked done through the
command line, audited so that ``guwah audit verify`` covers every change; the list of
campaigns needing action; bad input refused in one line with nothing changed; reading
at the role's level; free text sealed on PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from guwah.model.errors import AccessDenied, InvalidInput, NotFound
from guwah.secure.policy import Principal, Role
from guwah.services import case_entry, cases
from guwah.services.archive import Archive, open_archive
from guwah.store import protect, tables
from tests.conftest import PASSPHRASE, Cli
from tests.helpers import error_line, json_of, ok, write_yaml

TODAY = dt.date.today()
STEPS = "Ask the brother in Almaty for the verdict; do not name him in any letter."
LETTER = "Letter to the foreign ministry about her detention"


def _day(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


def _log(cli: Cli, limit: int = 20) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json_of(cli, "audit", "log", "--limit", str(limit))
    return entries


def _state(location: str) -> tuple[Any, ...]:
    """Every case and action row, and the length of the audit log."""
    archive = open_archive(location, PASSPHRASE, "tester")
    try:
        with archive.engine.connect() as conn:
            rows = [tuple(r) for r in conn.execute(select(tables.cases).order_by("id"))]
            rows += [tuple(r) for r in conn.execute(select(tables.case_actions).order_by("id"))]
            logged = conn.execute(select(func.count()).select_from(tables.audit_log)).scalar_one()
    finally:
        archive.close()
    return (rows, logged)


def test_a_campaign_opened_changed_and_ticked_is_audited_and_verifies(demo_cli: Cli) -> None:
    cli = demo_cli
    before = json_of(cli, "case", "list", "--needing-action")
    assert before["total"] == 15  # every demo campaign: nothing done for years
    assert {c["id"] for c in before["cases"]} == {f"K-{n:06d}" for n in range(1, 16)}

    opened = json_of(cli, "case", "open", "P-000008", "--owner", "erkin", "--next-steps", STEPS)
    assert opened["id"] == "K-000016" and opened["person"] == "P-000008"
    assert opened["status"] == "open" and opened["next_steps"] == STEPS
    assert opened["name"] and opened["actions"] == []
    assert "already has a campaign: K-000016" in error_line(cli("case", "open", "P-000008"))
    assert "not recorded as a victim" in error_line(cli("case", "open", "P-000002"))

    ok(cli("case", "action", "K-000016", "letter", LETTER, "--due", _day(-3)))
    added = json_of(cli, "case", "action", "K-000016", "petition", "Petition", "--due", _day(30))
    assert [a["number"] for a in added["actions"]] == [1, 2]
    assert added["next_due"] == _day(-3) and added["overdue"] is True
    assert added["actions"][0] == {**added["actions"][0], "description": LETTER, "done": False}

    needing = json_of(cli, "case", "list", "--needing-action")["cases"]
    assert needing[0]["id"] == "K-000016"  # overdue first
    assert json_of(cli, "case", "list", "--due-by", _day(60))["total"] == 1
    assert json_of(cli, "case", "list", "--status", "active")["total"] == 9
    assert json_of(cli, "case", "list", "--owner", "erkin")["total"] == 1

    changed = json_of(
        cli, "case", "status", "K-000016", "active", "--owner", "rana", "--next-steps", ""
    )
    assert (changed["status"], changed["owner"], changed["next_steps"]) == ("active", "rana", None)
    logged = len(_log(cli, 1000))
    ok(cli("case", "status", "K-000016", "active", "--owner", "rana"))  # no change
    assert len(_log(cli, 1000)) == logged  # nothing written, nothing logged

    done = json_of(cli, "case", "done", "K-000016", "1")
    assert [a["done"] for a in done["actions"]] == [True, False] and not done["overdue"]
    # now due in 30 days and acted on today: it no longer needs action
    needing = json_of(cli, "case", "list", "--needing-action")["cases"]
    assert "K-000016" not in {c["id"] for c in needing}
    undone = json_of(cli, "case", "done", "K-000016", "1", "--undo")
    assert [a["done"] for a in undone["actions"]] == [False, False]

    shown = ok(cli("case", "show", "K-000016")).stdout
    assert "K-000016" in shown and "P-000008" in shown and LETTER in shown and "OVERDUE" in shown

    entries = [(e["action"], e["target"]) for e in _log(cli, 6)]
    assert entries == [
        ("case.done", "K-000016"), ("case.done", "K-000016"), ("case.update", "K-000016"),
        ("case.action", "K-000016"), ("case.action", "K-000016"), ("case.open", "K-000016"),
    ]  # fmt: skip
    assert all(e["records"] == 1 for e in _log(cli, 6))  # each covers the case's new state
    assert "verifies" in ok(cli("audit", "verify")).stdout


def test_bad_input_is_one_line_and_changes_nothing(demo_cli: Cli) -> None:
    cli = demo_cli
    before = _state(cli.location)
    bad = {
        ("case", "show", "K-999999"): "no case K-999999 in the archive",
        ("case", "show", "nonsense"): "not a case id: 'nonsense'",
        ("case", "action", "K-000001", "letter", "A letter", "--due", "2024-02-30"):
            "not a valid due date: '2024-02-30'",
        ("case", "action", "K-000001", "letter", "A letter", "--due", "next week"):
            "not a valid due date",
        ("case", "action", "K-000001", "letter", "A letter", "--date", "2019-13"):
            "not a valid date",
        ("case", "action", "K-000001", "telegram", "A telegram"): "unknown action kind",
        ("case", "action", "K-000001", "letter", "   "): "an action needs a description",
        ("case", "action", "K-999999", "letter", "A letter"): "no case K-999999",
        ("case", "status", "K-000001", "jailed"): "unknown case status 'jailed'",
        ("case", "status", "K-000001"): "nothing to change",
        ("case", "done", "K-000001", "9"): "K-000001 has no action 9 (it has 2)",
        ("case", "list", "--status", "bogus"): "unknown case status 'bogus'",
        ("case", "list", "--due-by", "2024-02-30"): "not a valid due date",
        ("case", "open", "P-999999"): "no person P-999999 in the archive",
        ("case", "open", "P-000001"): "P-000001 already has a campaign: K-000001",
        ("case", "open", "P-000001x"): "not a person id",
    }  # fmt: skip
    for args, expected in bad.items():
        assert expected in error_line(cli(*args)), args
    assert _state(cli.location) == before
    assert "verifies" in ok(cli("audit", "verify")).stdout


def test_a_campaign_changed_behind_the_logs_back_is_not_written_over(demo_cli: Cli) -> None:
    archive = open_archive(demo_cli.location, PASSPHRASE, "tester")
    try:
        with archive.engine.begin() as conn:
            conn.execute(text("UPDATE cases SET owner = 'someone else' WHERE id = 1"))
    finally:
        archive.close()
    message = error_line(demo_cli("case", "status", "K-000001", "closed"))
    assert "K-000001 was changed outside Guwah" in message and "nothing was written" in message
    assert json_of(demo_cli, "case", "show", "K-000001")["status"] == "active"
    assert demo_cli("audit", "verify").exit_code == 1


def _as(archive: Archive, name: str, role: Role) -> Archive:
    return dataclasses.replace(archive, actor=name, principal=Principal(name, role))


@pytest.fixture
def restricted_case(demo_cli: Cli, tmp_path: Path) -> str:
    """A restricted victim's campaign, beside the demo's public and internal ones."""
    path = write_yaml(
        tmp_path / "restricted.yaml",
        {
            "source": {"kind": "testimony_oral", "title": "A sister's account", "testifier": "t"},
            "persons": [
                {"ref": "t", "kinds": ["testifier"], "names": ["Saltanat Nurlanqyzy"]},
                {
                    "ref": "v",
                    "kinds": ["victim"],
                    "sensitivity": "restricted",
                    "names": ["Aynur Nurlanqyzy"],
                },
            ],
            "claims": [{"subject": "v", "kind": "detained", "date": "2018"}],
            "cases": [
                {
                    "subject": "v",
                    "owner": "erkin",
                    "next_steps": STEPS,
                    "actions": [{"kind": "letter", "description": LETTER, "due": _day(-1)}],
                }
            ],
        },
    )
    ok(demo_cli("add", str(path)))
    return "K-000016"


def test_reading_follows_the_roles_level(demo_cli: Cli, restricted_case: str) -> None:
    archive = open_archive(demo_cli.location, PASSPHRASE, "tester")
    try:
        editor = _as(archive, "erkin", Role.EDITOR)
        listed = cases.list_cases(editor, due_by=TODAY, idle_days=None)
        assert [e.id for e in listed.entries] == [restricted_case]  # the only one overdue
        assert listed.entries[0].name == "Aynur Nurlanqyzy"
        assert cases.get_case(editor, restricted_case).case.next_steps == STEPS

        researcher = _as(archive, "rana", Role.RESEARCHER)
        seen = {e.id for e in cases.list_cases(researcher, limit=500).entries}
        assert restricted_case not in seen and {"K-000001", "K-000009"} <= seen
        with pytest.raises(NotFound, match=f"no case {restricted_case} in the archive"):
            cases.get_case(researcher, restricted_case)
        with pytest.raises(AccessDenied, match="guwah case status is not allowed"):
            cases.update_case(researcher, "K-000001", status="closed")

        viewer = _as(archive, "vali", Role.VIEWER)
        with pytest.raises(AccessDenied, match="guwah case list is not allowed for role viewer"):
            cases.list_cases(viewer)
        with pytest.raises(AccessDenied):
            cases.get_case(viewer, "K-000001")  # a public person's campaign: still not shown
        with archive.engine.connect() as conn:
            log = tables.audit_log
            query = select(log.c.action, log.c.target).order_by(log.c.seq.desc()).limit(8)
            entries = list(conn.execute(query))
    finally:
        archive.close()
    # the editor's reads of the restricted campaign, the refusals of the others
    assert ("restricted.read", restricted_case) in entries
    assert ("access.denied", restricted_case) in entries
    assert ("access.denied", "case.list") in entries


def test_plans_and_action_texts_are_sealed_on_postgresql(
    backend: str, demo_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(demo_cli("case", "open", "P-000008", "--next-steps", STEPS))
    ok(demo_cli("case", "action", "K-000016", "letter", LETTER, "--due", _day(5)))
    ok(demo_cli("case", "status", "K-000016", "--next-steps", STEPS + " Then call."))
    archive = open_archive(demo_cli.location, PASSPHRASE, "tester")
    try:
        with archive.engine.connect() as conn:
            steps = conn.execute(text("SELECT next_steps FROM cases WHERE id = 16")).scalar_one()
            said = conn.execute(
                text("SELECT description FROM case_actions WHERE case_id = 16")
            ).scalar_one()
    finally:
        archive.close()
    if backend == "postgres":
        assert steps.startswith(protect.MARK) and said.startswith(protect.MARK)
        assert "Almaty" not in steps and "ministry" not in said
        monkeypatch.delenv("GUWAH_PASSPHRASE")  # opened without it, the keys stay locked
        locked = error_line(demo_cli("case", "status", "K-000016", "--next-steps", "x"))
        assert "locked" in locked
        monkeypatch.setenv("GUWAH_PASSPHRASE", PASSPHRASE)
    else:  # the whole SQLite file is encrypted (SQLCipher)
        assert steps == STEPS + " Then call." and said == LETTER
    shown = json_of(demo_cli, "case", "show", "K-000016")
    assert shown["next_steps"] == STEPS + " Then call."
    assert shown["actions"][0]["description"] == LETTER


def test_due_dates_are_iso_days() -> None:
    assert case_entry.parse_due(" 2024-03-31 ") == "2024-03-31"
    assert case_entry.parse_due("") is None
    for bad in ("2024-02-30", "2024-3-1", "31.03.2024", "2024-03"):
        with pytest.raises(InvalidInput, match="not a valid due date"):
            case_entry.parse_due(bad)
    assert case_entry.due_day("2024-03") == dt.date(2024, 3, 31)  # an older EDTF due: its last day
    assert case_entry.due_day("garbage") is None
    with pytest.raises(InvalidInput, match="out of range"):
        case_entry.parse_due("1066-10-14")
