"""Link QA (``qa.links``): the same link and image targets and bare URLs as the source."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from polyleaf.i18n import LocaleInfo
from polyleaf.qa.findings import Finding
from polyleaf.qa.findings import error_finding as _err

LINK_TARGET = re.compile(r"\]\(([^)\s]*)(?:\s[^)]*)?\)")
URL = re.compile(r"https?://[^\s)>\]]+")


def check_links(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """The same link and image targets and bare URLs."""
    for kind, pattern in (("link target", LINK_TARGET), ("URL", URL)):
        want, got = Counter(pattern.findall(source)), Counter(pattern.findall(target))
        if want != got:
            yield _err("qa.links", f"{kind}s differ: source {sorted(want)}, translation "
                       f"{sorted(got)}", "translate the link text only; keep (target) unchanged")
            return
