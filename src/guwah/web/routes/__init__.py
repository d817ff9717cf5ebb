"""The desk's pages and the API: every module of this package with a ``router`` is served.

Modules are included in name order; a module's ``ORDER`` (default 50) comes first when two
routes could match the same path.
"""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter


def routers(package: str, path: list[str]) -> list[APIRouter]:
    found = []
    for info in pkgutil.iter_modules(path):
        module = importlib.import_module(f"{package}.{info.name}")
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            found.append((getattr(module, "ORDER", 50), info.name, router))
    return [router for _, _, router in sorted(found, key=lambda item: item[:2])]


ROUTERS: list[APIRouter] = routers(__name__, list(__path__))
