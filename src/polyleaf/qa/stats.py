"""Translation statistics per locale and domain, in messages and source words.

Counting follows GNU ``msgfmt --statistics`` for messages (header and obsolete entries excluded;
fuzzy only when a translation is present) and translate-toolkit's ``pocount`` for source words
(UAX #29 word segmentation via unicode-segmentation-rs, the library pocount itself uses), so the
numbers match what translators see in their own tools. Tests check both agreements.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

from unicode_segmentation_rs import unicode_words

from polyleaf.catalog.extract import SITE_DOMAIN
from polyleaf.catalog.files import rel
from polyleaf.catalog.pofile import Catalog, Entry
from polyleaf.catalog.reading import read_catalog
from polyleaf.config import Config
from polyleaf.errors import Diagnostic, PolyleafError
from polyleaf.i18n import locale_info
from polyleaf.linear import compile_linear
from polyleaf.paths import po_path
from polyleaf.plurals import DEFAULT_RULES
from polyleaf.qa.usable import State, catalog_plurals, text_state

_BR = re.compile(r"<br\s*?/?>")
_TAG = compile_linear(r"""<([\w.:]+)(\s([\w.:]+=((".*?")|('.*?')))?)*/?>|</([\w.]+)>""")
_DOT = re.compile(r"\D\.\D")


def source_words(text: str) -> int:
    """Words in a source string, counted as pocount does."""
    return len(unicode_words(_DOT.sub(" ", _TAG.sub("", _BR.sub("\n", text)))))


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts for one catalog."""

    locale: str
    domain: str
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0

    @property
    def total(self) -> int:
        """Live messages."""
        return self.translated + self.fuzzy + self.untranslated

    @property
    def total_words(self) -> int:
        """Source words of live messages."""
        return self.translated_words + self.fuzzy_words + self.untranslated_words

    @property
    def percent(self) -> float:
        """Translated share of source words (what a translator's progress bar shows)."""
        return 100.0 * self.translated_words / self.total_words if self.total_words else 100.0


def _state(entry: Entry, nplurals: int | None) -> str:
    """The shared rule without QA (:func:`polyleaf.qa.usable.text_state`), in msgfmt's words;
    fuzzy counts only when some translation text is there, as msgfmt and pocount count it."""
    state = text_state(entry, nplurals)
    if state is State.USABLE:
        return "translated"
    if entry.fuzzy and entry.has_translation:
        return "fuzzy"
    return "untranslated"


def catalog_stats(catalog: Catalog, locale: str, domain: str,
                  plural_rules: str = DEFAULT_RULES) -> Stats:
    """Count one parsed catalog (plural entries by :func:`polyleaf.qa.usable.catalog_plurals`)."""
    nplurals = catalog_plurals(catalog, locale_info(locale, plural_rules)).nplurals
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    words = dict.fromkeys(counts, 0)
    obsolete = 0
    for entry in catalog.entries:
        if entry.obsolete:
            obsolete += 1
            continue
        state = _state(entry, nplurals)
        counts[state] += 1
        words[state] += source_words(entry.msgid) + (
            source_words(entry.msgid_plural) if entry.msgid_plural else 0)
    return Stats(locale, domain, counts["translated"], counts["fuzzy"], counts["untranslated"],
                 obsolete, words["translated"], words["fuzzy"], words["untranslated"])


def project_stats(config: Config, locales: tuple[str, ...] = ()) -> tuple[list[Stats],
                                                                          list[Diagnostic]]:
    """Statistics for every configured locale x domain that has a catalog."""
    domains = sorted(p.stem for p in config.locales_dir.glob("*.pot") if p.stem != SITE_DOMAIN)
    found: list[Stats] = []
    problems: list[Diagnostic] = []
    for locale in locales or config.locales:
        for domain in [*domains, SITE_DOMAIN]:
            path = po_path(config, locale, domain)
            if not path.exists():
                continue
            try:
                catalog = read_catalog(path, rel(config, path), config.root)
                found.append(catalog_stats(catalog, locale, domain, config.plural_rules))
            except PolyleafError as exc:
                problems.extend(exc.diagnostics)
    return found, problems


def stats_json(stats: list[Stats]) -> str:
    """Machine-readable statistics."""
    return json.dumps([asdict(s) | {"total": s.total, "total_words": s.total_words,
                                    "percent": round(s.percent, 1)} for s in stats],
                      ensure_ascii=False, indent=2)
