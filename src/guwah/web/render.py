"""Templates (Jinja2, autoescaped, translated) and the filters pages share."""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from guwah.web import i18n
from guwah.web.view_text import view_text

SCRIPT_LANG = {"Arab": ("ug", "rtl"), "Cyrl": (None, "ltr"), "Hani": ("zh", "ltr")}


def _code(script: Any) -> str:
    return str(getattr(script, "value", script))


def _gettext(message: str, **variables: Any) -> Markup:
    """``_()`` in templates: the translation, escaped (templates also pass values from the
    archive through ``_()``, a relation typed in a testimony, which must stay text), with
    ``%(name)s`` placeholders filled with the values given, escaped too."""
    text = _escaped(i18n.current(), message)
    return text % variables if variables else text


@lru_cache(maxsize=8192)
def _escaped(lang: str, message: str) -> Markup:
    return escape(i18n.translate(lang, message))


def _ngettext(singular: str, plural: str, n: int) -> Markup:
    return escape(i18n.ngettext(singular, plural, n))


def web_url(url: object) -> str | None:
    """The URL when it may be a link (http or https with a host), else None: a source's
    URL is typed by whoever records it, and ``javascript:`` in an href would run in the
    desk's origin."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("guwah.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates are read once per process (no stat on every page)
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True
    )
    # ``_()`` without the extension's wrapper, which formats every message with ``%`` even
    # when it has no placeholders (a quarter of a search page's time went there)
    env.globals.update({"_": _gettext, "gettext": _gettext})
    env.globals.update(
        lang=i18n.current,
        direction=i18n.direction,
        interface_languages=i18n.LANGUAGES,
        language_name=i18n.language_name,
        view_text=view_text,
    )
    # a Script member's str() is "Script.ARABIC": look scripts up by their value ("Arab")
    env.filters["script_dir"] = lambda script: SCRIPT_LANG.get(_code(script), (None, "auto"))[1]
    env.filters["script_lang"] = lambda script: SCRIPT_LANG.get(_code(script), (None, None))[0]
    env.filters["value"] = lambda item: getattr(item, "value", item)
    env.filters["web_url"] = web_url
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
