"""The one rule that decides whether a translation may be shown to a patient.

A translation is **usable** when its entry exists and is live, every translation text is
non-blank (all ``msgstr[N]`` of a plural entry, as many as the catalog's ``nplurals``), it is
not fuzzy, and no error-level QA check fails. Body segments (:mod:`polyleaf.render.translate`),
template strings (:mod:`polyleaf.render.uistrings`), ``polyleaf check``, ``polyleaf stats``,
the preview server and the build gates all ask :func:`usable`; nothing else decides.

The catalog's plural rule is :func:`catalog_plurals`, for all of them: its own valid
``Plural-Forms``, else the locale's reference (a missing or invalid header is a
``po.plural-forms`` error in ``check``, never a crash).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from polyleaf.catalog.pofile import Catalog, Entry
from polyleaf.errors import Level
from polyleaf.i18n import LocaleInfo
from polyleaf.plurals import PluralForms
from polyleaf.qa.checks import check_entry


class State(StrEnum):
    """Why a translation is or is not used (the words the build and preview report)."""

    USABLE = "usable"
    UNTRANSLATED = "untranslated"
    FUZZY = "fuzzy"
    QA = "qa"


@dataclass(frozen=True, slots=True)
class Usability:
    """The verdict on one entry: its state, and the failing error-level QA codes."""

    state: State
    codes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the translation may be used."""
        return self.state is State.USABLE

    @property
    def reason(self) -> str:
        """``untranslated``, ``fuzzy``, ``qa: <codes>`` or '' (usable)."""
        if self.state is State.QA:
            return f"qa: {', '.join(self.codes)}"
        return "" if self.ok else self.state.value


def catalog_plurals(catalog: Catalog | None, locale: LocaleInfo) -> PluralForms:
    """The plural rule QA, stats and the build apply to ``catalog``: its own ``Plural-Forms``
    when valid, else the reference of ``locale`` (``[catalogs] plural_rules``)."""
    own = catalog.plurals if catalog is not None else None
    return own if own is not None else locale.plurals


def has_text(entry: Entry, nplurals: int | None = None) -> bool:
    """Every translation text is present and not blank (whitespace is not a translation)."""
    if entry.msgid_plural is None:
        return bool(entry.msgstr.strip())
    forms = entry.msgstr_plural
    if not forms or (nplurals is not None and len(forms) < nplurals):
        return False
    return all(form.strip() for form in forms)


def text_state(entry: Entry | None, nplurals: int | None = None) -> State:
    """The verdict without QA: untranslated, fuzzy or usable (what ``stats`` counts)."""
    if entry is None or entry.obsolete or not has_text(entry, nplurals):
        return State.UNTRANSLATED
    return State.FUZZY if entry.fuzzy else State.USABLE


def usable(entry: Entry | None, locale: LocaleInfo, nplurals: int | None = None) -> Usability:
    """The verdict on ``entry`` for ``locale`` (``nplurals``: the catalog's own count)."""
    state = text_state(entry, nplurals)
    if state is not State.USABLE or entry is None:
        return Usability(state)
    if _MEMO:
        known, used = _MEMO[-1]
        key = (replace(entry, line=0), locale, nplurals)  # everything the checks see
        found = used.get(key) or known.get(key)
        if found is None:
            found = _checked(entry, locale, nplurals)
        used[key] = found
        return found
    return _checked(entry, locale, nplurals)


def _checked(entry: Entry, locale: LocaleInfo, nplurals: int | None) -> Usability:
    codes = sorted({f.code for f in check_entry(entry, locale, nplurals) if f.level is Level.ERROR})
    return Usability(State.QA, tuple(codes)) if codes else Usability(State.USABLE)


Verdicts = Mapping[Any, Usability]  # (entry without its line, locale, nplurals) -> verdict
_MEMO: list[tuple[Verdicts, dict[Any, Usability]]] = []


@contextmanager
def remembered(known: Verdicts) -> Iterator[dict[Any, Usability]]:
    """Within the block, :func:`usable` takes the QA verdict of an entry it has seen before
    (same texts, flags and comments, same locale and plural count) from ``known``; it yields the
    verdicts used, to keep for next time (the build's cache; the checks are pure functions of
    exactly that key)."""
    used: dict[Any, Usability] = {}
    _MEMO.append((known, used))
    try:
        yield used
    finally:
        _MEMO.pop()
