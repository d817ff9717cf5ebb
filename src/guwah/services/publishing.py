"""``guwah publish``: the public site as static files, in a folder that is replaced whole.

The pages are made by the public site's own code (``guwah.web.public.static_site``, given
here as ``write``) from the same services at the public level, so the copy shows exactly
what the live site shows. This module holds what is not about pages: who may publish, that
the keys are there, the folder (never half-written: pages go to a hidden folder beside it,
which takes its place at the end), and the audit entry.

An existing folder is only replaced when it holds a site this command wrote (its
``guwah-site.json``) and ``--force`` is given: a stale copy must go entirely (a victim
whose consent was withdrawn must not stay on some old page), but nothing else is deleted.
"""

from __future__ import annotations

import json
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from guwah import __version__
from guwah.model.errors import InvalidInput
from guwah.secure.policy import Action, Principal, Role
from guwah.services import access
from guwah.services.access import check
from guwah.services.archive import Archive
from guwah.store import protect
from guwah.store.convert import now_text

MARKER = "guwah-site.json"
PUBLIC = Principal("public", Role.VIEWER)


@dataclass(frozen=True)
class SiteCounts:
    victims: int
    pages: int


@dataclass(frozen=True)
class PublishReport:
    out: Path
    victims: int
    pages: int


Writer = Callable[[Archive, Path], SiteCounts]


def public_view(archive: Archive) -> Archive:
    """The archive as the public sees it (the public level, consent applied); the audit log
    still names who acted."""
    return replace(archive, principal=PUBLIC)


def check_folder(out: Path, force: bool) -> None:
    """Refuse (one line) a folder that cannot take the site: a file, a non-empty folder
    without ``force``, or with it one that holds something other than a published site."""
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"{out} is a file, not a folder")
    if not out.is_dir() or not any(out.iterdir()):
        return
    if not force:
        raise InvalidInput(
            f"{out} is not empty: choose an empty folder, or add --force to replace a site "
            "that guwah publish wrote there"
        )
    if not (out / MARKER).is_file():
        raise InvalidInput(
            f"{out} holds files that guwah publish did not write ({MARKER} is missing); "
            "not deleting them: choose another folder"
        )


def publish(archive: Archive, out: Path, write: Writer, *, force: bool = False) -> PublishReport:
    """Write the public site into ``out`` with ``write`` (called with the public view of
    the archive and an empty folder); audited. Nothing is left half-written on failure."""
    check(archive, Action.PUBLISH)
    with archive.engine.connect() as conn:
        protect.require_keys(conn, "publish")
    out = out.expanduser().absolute()
    check_folder(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.partial-{secrets.token_hex(4)}"
    staging.mkdir()
    try:
        counts = write(public_view(archive), staging)
        about = {
            "written_by": "guwah publish",
            "guwah_version": __version__,
            "written_at": now_text(),
            "victims": counts.victims,
            "pages": counts.pages,
        }
        (staging / MARKER).write_text(json.dumps(about, indent=1) + "\n", encoding="utf-8")
        _replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    with archive.engine.begin() as conn:
        change = {"victims": counts.victims, "pages": counts.pages}
        access.audit(conn, archive, "publish", "site", change)
    return PublishReport(out, counts.victims, counts.pages)


def _replace(staging: Path, out: Path) -> None:
    """Put the new site in place of ``out`` (absent, empty, or an older site)."""
    if out.is_dir() and not any(out.iterdir()):
        out.rmdir()
    if not out.exists():
        staging.rename(out)
        return
    old = out.parent / f".{out.name}.old-{secrets.token_hex(4)}"
    out.rename(old)
    try:
        staging.rename(out)
    except BaseException:
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)
