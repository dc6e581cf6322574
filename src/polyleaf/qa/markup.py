"""Markup QA: inline Markdown (``qa.markup``) and format placeholders (``qa.placeholders``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from polyleaf.content.markdown import PARSER
from polyleaf.errors import Level
from polyleaf.i18n import LocaleInfo
from polyleaf.linear import WORD, compile_linear
from polyleaf.qa.findings import Finding
from polyleaf.qa.findings import error_finding as _err

_PERCENT = rf"%\([A-Za-z_]{WORD}*\)[sdif]|%[sdif%]"
PLACEHOLDER_PATTERN = rf"{_PERCENT}|\{{\{{.*?\}}\}}|\{{[A-Za-z_]{WORD}*\}}"
PLACEHOLDER = compile_linear(PLACEHOLDER_PATTERN)
PERCENT = compile_linear(_PERCENT)


@lru_cache(maxsize=4096)
def _markup(text: str) -> tuple[str, ...]:
    tokens = PARSER.parseInline(text, {})[0].children or []
    kinds = Counter(t.type for t in tokens if t.type in (
        "strong_open", "em_open", "code_inline", "link_open", "image", "s_open"))
    return tuple(sorted(kinds.elements()))


def check_markup(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """Inline Markdown of the same kinds and counts (bold, emphasis, code, links, images)."""
    if _markup(source) != _markup(target):
        yield _err("qa.markup", f"inline markup differs: source {list(_markup(source))}, "
                   f"translation {list(_markup(target))}",
                   "keep **bold**, *emphasis*, `code` and [links](target) balanced; in CJK text "
                   "put punctuation outside ** (e.g. **词**。)")


STRAY_PERCENT = Finding("qa.placeholders", Level.ERROR, "the translation has a '%' that is not "
                         "part of a placeholder", "write a percent sign as %% in this message")


def stray_percent(target: str) -> bool:
    return "%" in PERCENT.sub("", target)


def check_placeholders(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """The same %(name)s / {{ var }} / {name} placeholders."""
    want, got = (Counter(p for p in PLACEHOLDER.findall(text) if p != "%%")  # %% is a literal
                 for text in (source, target))
    if want != got:
        yield _err("qa.placeholders", f"placeholders differ: source {sorted(want)}, translation "
                   f"{sorted(got)}", "copy every %(name)s placeholder exactly")
    elif PERCENT.search(source) and stray_percent(target):
        # The source is a format string: a lone '%' would make formatting fail at build time.
        yield STRAY_PERCENT
