"""The public site: victims' public facts with their citations, statistics, corrections."""

from __future__ import annotations

from fastapi import APIRouter

PUBLIC_ROUTERS: list[APIRouter] = []
