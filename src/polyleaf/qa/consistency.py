"""Project-wide terminology checks of ``polyleaf check``, over all catalogs of one locale.

- ``qa.consistency`` (warning): one source text (the same ``msgid``, whatever the
  ``msgctxt``) translated differently in two places of one locale — two articles, or two
  entries of one. The first place (by file and line) is the reference; each place that differs
  from it is reported, naming the reference's ``path:line``. Only finished translations count:
  untranslated, fuzzy and obsolete entries are not compared, nor are translations that differ
  only in surrounding whitespace. ``# qa-ignore: consistency`` on an entry silences it there.
- ``glossary.stale`` (warning): a catalog's ``#. Terminology:`` comments are not what the
  locale's glossary gives now (the glossary changed since ``polyleaf update``), so
  ``qa.terminology`` checks it against old rules.
"""

from __future__ import annotations

from collections.abc import Iterable

from polyleaf.catalog.pofile import Catalog, Entry
from polyleaf.catalog.terminology import Annotator
from polyleaf.errors import Diagnostic, warning
from polyleaf.qa.checks import silenced

Place = tuple[str, int]


def _translation(entry: Entry) -> tuple[str, ...]:
    texts = entry.msgstr_plural if entry.msgid_plural is not None else (entry.msgstr,)
    return tuple(" ".join(t.split()) for t in texts)


def _finished(entry: Entry) -> bool:
    return not entry.obsolete and not entry.fuzzy and entry.translated and bool(entry.msgid)


def check_consistency(catalogs: Iterable[tuple[str, Catalog]]) -> list[Diagnostic]:
    """``qa.consistency`` warnings for the catalogs ``(path, catalog)`` of one locale."""
    groups: dict[tuple[str, str | None], list[tuple[Place, Entry]]] = {}
    for name, catalog in catalogs:
        for entry in catalog.entries:
            if _finished(entry):
                groups.setdefault((entry.msgid, entry.msgid_plural), []).append(
                    ((name, entry.line), entry))
    found = []
    for places in groups.values():
        if len(places) < 2:
            continue
        places.sort(key=lambda p: p[0])
        (ref_name, ref_line), reference = places[0]
        wanted = _translation(reference)
        for (name, line), entry in places[1:]:
            if _translation(entry) == wanted or "consistency" in silenced(entry):
                continue
            found.append(warning(name, line, "qa.consistency",
                                 f"the same source text is translated differently at "
                                 f"{ref_name}:{ref_line} ({_short(wanted[0])!r} there, "
                                 f"{_short(_translation(entry)[0])!r} here)",
                                 "use one translation for one text, or add "
                                 "'# qa-ignore: consistency' if the difference is meant"))
    return found


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def check_stale(catalog: Catalog, annotator: Annotator, name: str, glossary: str) -> list[Diagnostic]:
    """One ``glossary.stale`` warning for a catalog whose Terminology comments are outdated."""
    current = annotator.annotate(catalog)
    stale = [old for old, new in zip(catalog.entries, current.entries, strict=True)
             if old.auto_comments != new.auto_comments]
    if not stale:
        return []
    return [warning(name, stale[0].line, "glossary.stale",
                    f"{len(stale)} entr{'y' if len(stale) == 1 else 'ies'}' '#. Terminology:' "
                    f"comments differ from {glossary or 'the glossary (now none)'}; "
                    "qa.terminology checks the old rules",
                    "run 'polyleaf update' to bring the comments up to date")]
