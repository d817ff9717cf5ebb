"""The JSON API (``guwah.web.api``), picked up with the desk's pages."""

from __future__ import annotations

from guwah.web.api import api_router

router = api_router()
