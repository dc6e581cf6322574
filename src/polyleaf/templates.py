"""The Jinja environment for a project's templates, shared by extraction checks and rendering.

One :class:`jinja2.Environment` per templates folder and process (autoescape on,
``StrictUndefined``, the i18n extension in new-style gettext mode); per-locale gettext callables
are passed in each render's context, so the environment holds no per-locale state. It lives
below every stage so that ``extract`` can refuse a template that does not parse with the very
parser the renderer uses.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from polyleaf.errors import Diagnostic, error


@lru_cache(maxsize=8)
def environment(templates_dir: Path) -> jinja2.Environment:
    """The shared Jinja environment for a templates directory."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(("html", "xml", "svg"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    return env


TEMPLATE_SUFFIXES = (".html", ".txt", ".xml", ".css", ".svg")


def template_syntax_errors(templates_dir: Path) -> list[Diagnostic]:
    """A ``template.syntax`` diagnostic (file and line) for every template that does not parse."""
    env = environment(templates_dir)
    found = []
    for path in sorted(templates_dir.rglob("*")):
        if not path.is_file() or path.suffix not in TEMPLATE_SUFFIXES:
            continue
        name = path.relative_to(templates_dir).as_posix()
        try:
            env.parse(path.read_text(encoding="utf-8"), name, str(path))
        except jinja2.TemplateSyntaxError as exc:
            found.append(error(f"templates/{name}", exc.lineno or 0, "template.syntax",
                               exc.message or "syntax error", "fix the Jinja syntax"))
        except UnicodeDecodeError:
            found.append(error(f"templates/{name}", 0, "template.encoding",
                               "template is not valid UTF-8", "save it as UTF-8"))
    return found
