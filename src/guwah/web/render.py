"""Templates (Jinja2, autoescaped, translated) and the filters pages share."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from guwah.web import i18n

SCRIPT_LANG = {"Arab": ("ug", "rtl"), "Cyrl": (None, "ltr"), "Hani": ("zh", "ltr")}


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("guwah.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n._, i18n.ngettext, newstyle=True
    )
    env.globals.update(
        lang=i18n.current,
        direction=i18n.direction,
        languages=i18n.LANGUAGES,
        language_name=i18n.language_name,
    )
    env.filters["script_dir"] = lambda script: SCRIPT_LANG.get(str(script), (None, "auto"))[1]
    env.filters["script_lang"] = lambda script: SCRIPT_LANG.get(str(script), (None, None))[0]
    env.filters["value"] = lambda item: getattr(item, "value", item)
    return env


ENV = _environment()


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    values = {"request": request, "user": getattr(request.state, "user", None)}
    values["csrf"] = getattr(request.state, "csrf", "")
    values["nav"] = getattr(request.state, "nav", "desk")
    values.update(context or {})
    return HTMLResponse(ENV.get_template(template).render(values), status_code=status)


def render_text(template: str, context: dict[str, Any]) -> str:
    """A page as text (the static public site)."""
    return ENV.get_template(template).render(context)
