"""The statistics page: charts drawn on the server over the victims the public level shows."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from guwah.services.archive import Archive
from guwah.services.public_stats import public_statistics
from guwah.web.public.pages import Links, cached_victims, public_archive, stats_charts
from guwah.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/stats")
def stats_page(request: Request, archive: Archive = Depends(public_archive)) -> Response:
    stats = public_statistics(cached_victims(request, archive))
    context = {
        "site": Links(),
        "path": request.url.path,
        "stats": stats,
        "charts": stats_charts(stats),
    }
    return render(request, "public/stats.html", context)
