"""The desk's pages and the API, one router a module (``ROUTERS`` is their order)."""

from __future__ import annotations

from fastapi import APIRouter

from guwah.web.routes import auth, home, persons

ROUTERS: list[APIRouter] = [auth.router, home.router, persons.router]
