"""The desk over a fresh copy of the demo archive, with one account of each role, driven
through Starlette's test client (real HTTP semantics, no server process)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from starlette.testclient import TestClient

from guwah.secure.policy import Role
from guwah.services import accounts
from guwah.services.archive import open_archive
from guwah.web.app import desk_app
from guwah.web.desk import Desk
from guwah.web.settings import WebSettings
from tests.conftest import PASSPHRASE, Cli

PASSWORD = "desk password 2024"
USERS = {Role.ADMIN: "ayla", Role.EDITOR: "erkin", Role.RESEARCHER: "rana", Role.VIEWER: "vali"}


def add_accounts(location: str) -> None:
    archive = open_archive(location, PASSPHRASE, "tester")
    try:
        for role, name in USERS.items():
            accounts.add_user(archive, name, role.value, PASSWORD)
    finally:
        archive.close()


@dataclass
class Web:
    desk: Desk
    client: TestClient
    location: str

    def login(self, role: Role = Role.EDITOR) -> TestClient:
        """Sign in as the account of a role (the client keeps the session cookie)."""
        page = self.client.get("/login")
        pre = re.search(r'name="pre" value="([^"]+)"', page.text)
        assert pre, page.text
        answer = self.client.post(
            "/login",
            data={"username": USERS[role], "password": PASSWORD, "pre": pre.group(1), "next": "/"},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        return self.client

    def csrf(self, path: str = "/") -> str:
        found = re.search(r'"X-CSRF-Token": "([^"]+)"', self.client.get(path).text)
        assert found, "no CSRF token on the page"
        return found.group(1)


@pytest.fixture
def web(demo_cli: Cli) -> Iterator[Web]:
    add_accounts(demo_cli.location)
    desk = Desk.open(demo_cli.location, PASSPHRASE, WebSettings())
    try:
        with TestClient(desk_app(desk), base_url="http://127.0.0.1") as client:
            yield Web(desk, client, demo_cli.location)
    finally:
        desk.close()
