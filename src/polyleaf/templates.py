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
from typing import Any

import jinja2

from polyleaf.errors import Diagnostic, PolyleafError, error
from polyleaf.fsutil import outside_project


class ProjectLoader(jinja2.FileSystemLoader):
    """A file-system loader that refuses, unread, a template that links out of the project."""

    def __init__(self, templates_dir: Path) -> None:
        super().__init__(str(templates_dir))
        self.templates_dir = templates_dir
        self.root = templates_dir.parent

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Any]:
        path = self.templates_dir / template
        if path.exists() and outside_project(path, self.root):
            raise PolyleafError(_outside(f"templates/{template}"))
        return super().get_source(environment, template)


def _outside(name: str) -> Diagnostic:
    return error(name, 0, "fs.outside-project",
                 "this is a link to a file outside the project; not read",
                 "copy the template into the project instead of linking to it")


def linked_out(templates_dir: Path) -> list[Diagnostic]:
    """A ``fs.outside-project`` diagnostic for every template file that links out of the project."""
    if not templates_dir.is_dir():
        return []
    return [_outside(f"templates/{p.relative_to(templates_dir).as_posix()}")
            for p in sorted(templates_dir.rglob("*"))
            if (p.is_file() or p.is_symlink()) and outside_project(p, templates_dir.parent)]


@lru_cache(maxsize=8)
def environment(templates_dir: Path) -> jinja2.Environment:
    """The shared Jinja environment for a templates directory."""
    env = jinja2.Environment(
        loader=ProjectLoader(templates_dir),
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
    found = linked_out(templates_dir)
    for path in sorted(templates_dir.rglob("*")):
        if not path.is_file() or path.suffix not in TEMPLATE_SUFFIXES \
                or outside_project(path, templates_dir.parent):
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
