"""The public site: victims' public facts with their citations, statistics, corrections.
Every module of this package with a ``router`` is served (see ``guwah.web.routes``)."""

from __future__ import annotations

from fastapi import APIRouter

from guwah.web.routes import routers

PUBLIC_ROUTERS: list[APIRouter] = routers(__name__, list(__path__))
