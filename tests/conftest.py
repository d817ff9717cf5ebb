"""Fixtures: a fresh archive per test on every backend, and the real command line.

Every test that takes ``archive`` or ``cli`` runs on the encrypted SQLite file and, when
GUWAH_TEST_DATABASE_URL points at a PostgreSQL server, again on a fresh database there.
"""

from __future__ import annotations

import io
import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from guwah.services.archive import Archive, init_archive

PASSPHRASE = "correct horse battery staple"
PG_URL = os.environ.get("GUWAH_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgres"] if PG_URL else [])


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _admin_engine():  # type: ignore[no-untyped-def]
    assert PG_URL is not None
    url = make_url(PG_URL).set(drivername="postgresql+psycopg")
    return create_engine(url, isolation_level="AUTOCOMMIT")


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    assert PG_URL is not None
    name = "guwah_t_" + secrets.token_hex(6)
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture
def db_location(backend: str, tmp_path: Path) -> Iterator[str]:
    """A location where no archive exists yet."""
    if backend == "sqlite":
        yield str(tmp_path / "archive.db")
        return
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def archive(db_location: str) -> Iterator[Archive]:
    created = init_archive(db_location, PASSPHRASE, "tester")
    yield created
    created.close()


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


class Cli:
    """Runs ``guwah`` in-process through its real entry point (errors, exit codes)."""

    def __init__(self, location: str, monkeypatch: pytest.MonkeyPatch) -> None:
        self.location = location
        monkeypatch.setenv("GUWAH_PASSPHRASE", PASSPHRASE)
        monkeypatch.setenv("GUWAH_USER", "tester")
        monkeypatch.setenv("COLUMNS", "200")
        monkeypatch.delenv("GUWAH_DATABASE_URL", raising=False)

    def __call__(self, *args: str, db: bool = True) -> Result:
        from guwah.cli import main

        argv = ["guwah", *args]
        if db and args and args[0] not in ("--help",):
            argv += ["--db", self.location]
        out, err = io.StringIO(), io.StringIO()
        old_argv = sys.argv
        sys.argv = argv
        code = 0
        try:
            with redirect_stdout(out), redirect_stderr(err):
                main()
        except SystemExit as exc:
            code = int(exc.code or 0)
        finally:
            sys.argv = old_argv
        return Result(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli(db_location: str, monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(db_location, monkeypatch)


@pytest.fixture
def cli_archive(cli: Cli) -> Cli:
    """The command line over an initialised, empty archive."""
    result = cli("init")
    assert result.exit_code == 0, result.stderr
    return cli


SAMPLE = Path(__file__).resolve().parents[1] / "src" / "guwah" / "data" / "sample"


@pytest.fixture
def second_cli(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    """A second command line on another fresh location of the same backend (no archive yet)."""
    if backend == "sqlite":
        folder = tmp_path / "second"
        folder.mkdir()
        yield Cli(str(folder / "archive.db"), monkeypatch)
        return
    with fresh_postgres_database() as url:
        yield Cli(url, monkeypatch)


@pytest.fixture(scope="session")
def demo_templates() -> Iterator[dict[str, str]]:
    """The demo archive of each backend, built once per session (and worker) by
    ``demo_cli`` and copied for every test: a file copy, or a PostgreSQL template."""
    built: dict[str, str] = {}
    yield built
    if "postgres" in built:
        admin = _admin_engine()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{built["postgres"]}"'))
        admin.dispose()


def _build_demo(backend: str, folder: Path) -> str:
    from guwah.services.demo import load_demo

    if backend == "sqlite":
        location = template = str(folder / "demo.db")
    else:
        template = "guwah_demo_" + secrets.token_hex(6)
        admin = _admin_engine()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{template}"'))
        admin.dispose()
        assert PG_URL is not None
        location = make_url(PG_URL).set(database=template).render_as_string(hide_password=False)
    archive = init_archive(location, PASSPHRASE, "tester")
    try:
        load_demo(archive)
    finally:
        archive.close()
    return template


@pytest.fixture
def demo_cli(
    backend: str,
    cli: Cli,
    demo_templates: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Cli:
    """The command line over a fresh copy of the demo archive: every sample case and both
    sample lists, as ``guwah demo`` builds it."""
    if backend not in demo_templates:
        demo_templates[backend] = _build_demo(backend, tmp_path_factory.mktemp("demo"))
    template = demo_templates[backend]
    if backend == "sqlite":
        import shutil

        shutil.copyfile(template, cli.location)
        shutil.copyfile(template + ".keys", cli.location + ".keys")
        return cli
    name = make_url(cli.location).database
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return cli
