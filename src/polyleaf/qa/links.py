"""Link QA (``qa.links``): the same link, image and autolink targets and bare URLs as the source.

Targets are compared as the Markdown parser sees them (every ``href`` and ``src`` the page and
the leaflet will hold, autolinks such as ``<HTTPS://host>`` included), so nothing can become a
clickable link that the source does not have. Bare URLs are matched case-insensitively.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from polyleaf.content.markdown import PARSER
from polyleaf.i18n import LocaleInfo
from polyleaf.linear import SPACE, compile_linear, not_space
from polyleaf.qa.findings import Finding
from polyleaf.qa.findings import error_finding as _err

LINK_TARGET = compile_linear(rf"\]\(({not_space(')')}*)(?:{SPACE}[^)]*)?\)")
URL_PATTERN = r"(?i:https?://)" + not_space(r")>\]") + "+"
URL = compile_linear(URL_PATTERN)


@lru_cache(maxsize=4096)
def link_targets(text: str) -> tuple[str, ...]:
    """Every link, image and autolink target of inline Markdown ``text``, sorted."""
    found: list[str] = []
    stack = list(PARSER.parseInline(text, {})[0].children or [])
    while stack:
        token = stack.pop()
        if token.type in ("link_open", "image"):
            found.append(str(token.attrs.get("href") or token.attrs.get("src") or ""))
        stack.extend(token.children or ())
    return tuple(sorted(found))


def check_links(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """The same link and image targets and bare URLs."""
    if link_targets(source) != link_targets(target):
        yield _err("qa.links", f"link targets differ: source {list(link_targets(source))}, "
                   f"translation {list(link_targets(target))}",
                   "translate the link text only; keep (target) and <autolinks> unchanged")
        return
    for kind, pattern in (("link target", LINK_TARGET), ("URL", URL)):
        want, got = Counter(pattern.findall(source)), Counter(pattern.findall(target))
        if want != got:
            yield _err("qa.links", f"{kind}s differ: source {sorted(want)}, translation "
                       f"{sorted(got)}", "translate the link text only; keep (target) unchanged")
            return
