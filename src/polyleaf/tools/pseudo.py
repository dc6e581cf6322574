"""Pseudo-locales: machine-made "translations" that exercise templates and leaflets.

``qps_ploc`` (left-to-right, English rules) turns every letter into an accented look-alike,
makes the text about 35 % longer with numbered padding words (``one two three``: the last word
you can still read tells how much was cut off) and wraps it in brackets, so a truncated or
concatenated string, or an English string that never went through gettext, is visible at once.

``qps_plocm`` (right-to-left, Arabic plural rules) does the same with Arabic letters standing in
for Latin ones. Real right-to-left script, not Latin text wrapped in RLM/RLO controls: the
Unicode bidi algorithm then treats the text exactly as it treats an Arabic translation (paragraph
direction, mirrored brackets, numbers, URLs and ids as left-to-right islands), Arabic shaping and
the Arabic font stack are exercised, and no invisible override characters end up in copy and
paste, search or a "Trojan source" warning.

Markdown inline syntax, link and image targets, inline code, URLs, placeholders (``%(name)s``,
``{name}``, ``{{ var }}``), numbers and sentence-final punctuation are kept, so every pseudo
translation passes :mod:`polyleaf.qa.checks`. Catalogs are written to ``locales/qps_*/`` (ignored by
git) from the current templates; they are never merged, only regenerated.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

from polyleaf.catalog.files import WriteReport, rel, templates_for
from polyleaf.catalog.merge import merge
from polyleaf.catalog.pofile import Catalog, Entry, PoSyntaxError, parse, serialize
from polyleaf.config import Config
from polyleaf.content.source import load_sources
from polyleaf.engine.sidebuild import SideReport, side_build
from polyleaf.fsutil import build_time, po_date, write_atomic
from polyleaf.i18n import PSEUDO_LOCALES, LocaleInfo, locale_info
from polyleaf.linear import WORD, compile_linear, not_space
from polyleaf.paths import po_path
from polyleaf.qa.links import URL as _URL
from polyleaf.qa.links import URL_PATTERN
from polyleaf.qa.markup import PLACEHOLDER_PATTERN

PSEUDO_CODES: tuple[str, ...] = tuple(PSEUDO_LOCALES)
EXPANSION = 0.35

_LOWER = "abcdefghijklmnopqrstuvwxyz"
_ACCENTED = str.maketrans(_LOWER + _LOWER.upper(),
                          "åƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýž" "ÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ")
_ARABIC = str.maketrans(_LOWER + _LOWER.upper(), "ابثدعفغهيجكلمنوپقرستضڤطخىز" * 2)
_PADDING = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve")

# Spans kept byte for byte: link/image targets, inline code, autolinks, URLs, placeholders,
# HTML entities and backslash escapes. Everything between them is text.
_PROTECTED = compile_linear("|".join((
    r"\]\([^)]*\)", r"`[^`]*`", rf"<[A-Za-z](?:{WORD}|[+.-])*:{not_space('>')}*>", URL_PATTERN,
    PLACEHOLDER_PATTERN, rf"&#?{WORD}+;", r"\\.",
)))
# Sentence-final punctuation (and closing emphasis after it) stays at the very end.
_TAIL = compile_linear(r"[.?!:;]+[ \x{a0}\x{202f}*_)]*$")


def _table(locale: str) -> dict[int, int]:
    return _ARABIC if locale_info(locale).direction == "rtl" else _ACCENTED


def _letters(text: str, table: dict[int, int]) -> str:
    """Map the letters of ``text`` outside protected spans."""
    out: list[str] = []
    position = 0
    for match in _PROTECTED.finditer(text):
        out.append(text[position:match.start()].translate(table))
        out.append(match.group(0))
        position = match.end()
    out.append(text[position:].translate(table))
    return "".join(out)


def _split_tail(text: str) -> tuple[str, str]:
    """(body, tail): the tail is the final punctuation (a final URL ending in one)."""
    match = _TAIL.search(text)
    if match is None or match.start() == 0:
        return text, ""
    inside = next((m for m in _PROTECTED.finditer(text)
                   if m.start() < match.start() < m.end()), None)
    if inside is None:
        return text[:match.start()], text[match.start():]
    if _URL.fullmatch(inside.group(0)) and inside.end() == len(text):
        body = text[:inside.start()].rstrip()  # QA counts the full stop as part of the URL
        return body, text[len(body):]
    return text, ""


def _padding(length: int, table: dict[int, int]) -> str:
    """At least ``length`` characters of padding words (leading space included)."""
    words: list[str] = []
    while length > 0 and len(words) < 64:
        word = _PADDING[len(words) % len(_PADDING)]
        words.append(word)
        length -= len(word) + 1
    return "".join(f" {w}" for w in words).translate(table)


def pseudo_text(text: str, locale: str) -> str:
    """The pseudo translation of one message for ``qps_ploc`` or ``qps_plocm``."""
    if not text.strip():
        return text
    table = _table(locale)
    stripped = text.strip()
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    body, tail = _split_tail(stripped)
    pad = _padding(math.ceil(EXPANSION * len(stripped)) - 2, table)
    return f"{lead}[{_letters(body, table)}{pad}]{tail}{trail}"


def _plural_sources(entry: Entry, info: LocaleInfo) -> tuple[str, ...]:
    """For each plural form: the singular msgid when the form is used for n == 1 only."""
    assert entry.msgid_plural is not None
    users: dict[int, set[int]] = {}
    for n in range(0, 1001):
        users.setdefault(info.plurals.index(n), set()).add(n)
    return tuple(entry.msgid if users.get(index) == {1} else entry.msgid_plural
                 for index in range(info.num_plurals))


def pseudo_entry(entry: Entry, info: LocaleInfo) -> Entry:
    """``entry`` with its msgstr (or every plural msgstr) pseudo-translated."""
    if entry.msgid_plural is None:
        return replace(entry, msgstr=pseudo_text(entry.msgid, info.code))
    forms = tuple(pseudo_text(s, info.code) for s in _plural_sources(entry, info))
    return replace(entry, msgstr="", msgstr_plural=forms)


def pseudo_catalog(template: Catalog, locale: str, now: str) -> Catalog:
    """A complete pseudo translation of ``template`` with a correct header for ``locale``."""
    info = locale_info(locale)
    fresh = merge(None, template, info, now, "polyleaf pseudo")
    comments = (f"Pseudo-locale {locale} generated by 'polyleaf pseudo' from the templates.",
                "Do not translate or commit this file: it is regenerated on every run.")
    entries = tuple(pseudo_entry(e, info) for e in fresh.entries)
    return replace(fresh, header_comments=comments, entries=entries)


def write_pseudo(config: Config, locales: tuple[str, ...] = PSEUDO_CODES) -> WriteReport:
    """Write ``locales/<qps code>/LC_MESSAGES/<domain>.po`` for every current template."""
    sources = load_sources(config.source_dir, config.root)
    templates = templates_for(config, sources)
    now = po_date(build_time())
    written: list[str] = []
    unchanged: list[str] = []
    for locale in locales:
        for domain, template in templates.items():
            path = po_path(config, locale, domain)
            catalog = pseudo_catalog(template, locale, now)
            catalog = _keep_revision_date(path, catalog)
            target = written if write_atomic(path, serialize(catalog).encode("utf-8")) \
                else unchanged
            target.append(rel(config, path))
        _remove_vanished(config, locale, set(templates))
    return WriteReport(tuple(written), tuple(unchanged), sources.diagnostics)


def _keep_revision_date(path: Path, catalog: Catalog) -> Catalog:
    """Do not rewrite a pseudo catalog whose only change would be its date."""
    try:
        old = parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, PoSyntaxError):
        return catalog
    fields = ("PO-Revision-Date", "POT-Creation-Date")
    dated = catalog.with_header(**{f.replace("-", "_"): old.header_value(f) for f in fields})
    return dated if serialize(dated) == serialize(old) else catalog


def _remove_vanished(config: Config, locale: str, domains: set[str]) -> None:
    """A pseudo catalog whose article was deleted goes too (they are never hand-edited)."""
    folder = config.locales_dir / locale / "LC_MESSAGES"
    for path in folder.glob("*.po") if folder.is_dir() else ():
        if path.stem not in domains:
            path.unlink()


def pseudo_config(config: Config) -> Config:
    """The project as seen by a pseudo build: only the pseudo-locales, output in build/pseudo."""
    return replace(config, locales=PSEUDO_CODES, build_dir=config.build_dir / "pseudo")


def build_pseudo(config: Config, leaflets: bool = True) -> SideReport:
    """Regenerate the pseudo catalogs and render them into ``build/pseudo`` (never build/site):
    pages in every language (the switcher links them), leaflets of the pseudo-locales only."""
    write_pseudo(config)
    return side_build(pseudo_config(config), leaflets=leaflets,
                      leaflet_locales=frozenset(PSEUDO_CODES))
