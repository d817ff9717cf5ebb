"""``guwah lock`` makes a process that holds the archive open (a server) drop its keys."""

from __future__ import annotations

import pytest

from guwah.model.errors import ArchiveError
from guwah.services.archive import open_archive
from guwah.services.locking import still_unlocked, unlocked_at
from tests.conftest import PASSPHRASE, Cli
from tests.helpers import ok


def test_a_running_process_drops_its_keys_when_the_archive_is_locked(cli_archive: Cli) -> None:
    server = open_archive(cli_archive.location, PASSPHRASE, "server")
    try:
        epoch = unlocked_at(server)
        assert still_unlocked(server, epoch)
        assert server.keyring().key_id

        ok(cli_archive("lock"))

        assert not still_unlocked(server, epoch)
        with pytest.raises(ArchiveError, match="locked"):
            server.keyring()
    finally:
        server.close()
    # a new unlock with the passphrase works, and sees the new lock epoch as its own
    again = open_archive(cli_archive.location, PASSPHRASE, "server")
    try:
        assert still_unlocked(again, unlocked_at(again))
        ok(cli_archive("stats"))
    finally:
        again.close()
