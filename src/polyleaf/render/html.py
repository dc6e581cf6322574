"""Jinja rendering of site pages and leaflet HTML.

One :class:`jinja2.Environment` per process (autoescape on, ``StrictUndefined``, the i18n
extension in new-style gettext mode); per-locale gettext callables are passed in each render's
context, so the environment holds no per-locale state.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date
from jinja2 import TemplateError
from markupsafe import Markup

from polyleaf.errors import PolyleafError, error
from polyleaf.i18n import PSEUDO_LOCALES
from polyleaf.templates import environment


def date_formatter(locale: str) -> Any:
    """A function formatting a date (or ISO string) in the locale's long form."""
    babel_locale = PSEUDO_LOCALES.get(locale, (locale,))[0]

    def fmt(value: date | str) -> str:
        if not value:
            return ""
        day = date.fromisoformat(value) if isinstance(value, str) else value
        return str(format_date(day, format="long", locale=babel_locale))
    return fmt


def render(templates_dir: Path, name: str, context: Mapping[str, Any]) -> str:
    """Render template ``name``; template problems become diagnostics naming file and line."""
    env = environment(templates_dir)
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise PolyleafError(error(f"templates/{exc.name or name}", exc.lineno or 0,
                                  "template.syntax", exc.message or "syntax error",
                                  "fix the Jinja syntax")) from None
    except jinja2.UndefinedError as exc:
        raise PolyleafError(error(f"templates/{name}", _template_line(exc, templates_dir),
                                  "template.undefined", str(exc.message),
                                  "the template uses a variable polyleaf does not provide; "
                                  "see docs/templates.md for the context")) from None
    except jinja2.TemplateNotFound as exc:
        raise PolyleafError(error(f"templates/{exc.name}", 0, "template.missing",
                                  "template not found",
                                  "restore it with 'polyleaf init --templates-only'")) from None
    except TemplateError as exc:
        raise PolyleafError(error(f"templates/{name}", 0, "template.error", str(exc),
                                  "check the template")) from None


def _template_line(exc: BaseException, templates_dir: Path) -> int:
    tb = exc.__traceback__
    line = 0
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(str(templates_dir)):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def markup(html: str) -> Markup:
    """Mark polyleaf-rendered HTML (escaped by markdown-it) as safe for templates."""
    return Markup(html)
