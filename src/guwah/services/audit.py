"""``guwah audit``: verify the log, sign and print a checkpoint, list the latest entries."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from guwah.model.errors import InvalidInput
from guwah.secure import audit
from guwah.secure.audit import Checkpoint, Entry, parse_checkpoint
from guwah.secure.audit_chain import Part, PartResult, check_part
from guwah.secure.audit_verify import Elsewhere, Progress, VerifyReport, verify
from guwah.secure.policy import Action
from guwah.services.access import check
from guwah.services.archive import Archive
from guwah.store.dialect import make_engine

MAX_CHECKPOINT_FILE = 64 * 1024
MAX_LOG_LIMIT = 1000


def read_checkpoint(path: Path) -> Checkpoint:
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    if path.stat().st_size > MAX_CHECKPOINT_FILE:
        raise InvalidInput(f"{path} is too large to be a checkpoint")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(
            f"{path} is not a checkpoint printed by `guwah audit checkpoint`"
        ) from None
    return parse_checkpoint(text, str(path))


def verify_log(
    archive: Archive,
    *,
    records: bool = True,
    checkpoints: Sequence[Path] = (),
    progress: Progress | None = None,
) -> VerifyReport:
    """Check the chain, the tree, every checkpoint (stored and given) and, unless
    ``records`` is false, every covered record."""
    check(archive, Action.AUDIT_VERIFY)
    external = [(str(path), read_checkpoint(path)) for path in checkpoints]
    with archive.engine.connect() as conn, _helper(archive) as elsewhere:
        own = None
        if archive.keys is not None and archive.keys.archive_key:
            own = archive.keys.signing_key_id(conn)
        return verify(
            conn,
            records=records,
            external=external,
            own_key_id=own,
            progress=progress,
            elsewhere=elsewhere,
        )


def sign_checkpoint(archive: Archive) -> Checkpoint:
    """Sign the current tree root with the archive's key (needs the passphrase)."""
    check(archive, Action.AUDIT_CHECKPOINT)
    keys = archive.keyring()
    with archive.engine.begin() as conn:
        return audit.checkpoint(conn, keys)


def latest_entries(archive: Archive, limit: int = 20) -> list[Entry]:
    check(archive, Action.AUDIT_LOG)
    if not 1 <= limit <= MAX_LOG_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LOG_LIMIT}")
    with archive.engine.connect() as conn:
        return audit.latest(conn, limit)


# --- a helper process for a large log ------------------------------------------------------


def audit_workers() -> int:
    """Helper processes for verifying (GUWAH_AUDIT_WORKERS; 1 on a multi-core machine)."""
    setting = os.environ.get("GUWAH_AUDIT_WORKERS")
    if setting is not None and setting.isdigit():
        return min(int(setting), 1)
    return 1 if (os.cpu_count() or 1) > 1 else 0


@contextmanager
def _helper(archive: Archive) -> Iterator[Elsewhere | None]:
    """Checks a part of the log in a child process, on its own connection to the archive
    (the engine's secret goes to the child through a pipe, never its command line). The
    process starts only if a part is handed to it."""
    if audit_workers() < 1:
        yield None
        return
    location, secret = archive.location, archive.engine.url.password
    pools: list[ProcessPoolExecutor] = []

    def elsewhere(
        part: Part, genesis: bytes, sizes: Collection[int], latest: bool
    ) -> Callable[[], PartResult]:
        if not pools:  # spawn: no inherited database handles
            context = multiprocessing.get_context("spawn")
            pools.append(ProcessPoolExecutor(max_workers=1, mp_context=context))
        future = pools[0].submit(
            _check_part_in_child, location, secret, part, genesis, list(sizes), latest
        )
        return future.result

    try:
        yield elsewhere
    finally:
        for pool in pools:
            pool.shutdown(cancel_futures=True)


def _check_part_in_child(
    location: str,
    secret: str | None,
    part: Part,
    genesis: bytes,
    sizes: list[int],
    latest: bool,
) -> PartResult:
    engine = make_engine(location, None if "://" in location else secret, must_exist=True)
    try:
        with engine.connect() as conn:
            return check_part(conn, part, genesis, sizes, latest=latest)
    finally:
        engine.dispose()
