"""One rule decides whether a translation is usable, and every consumer follows it.

The cases cover what the two earlier rules disagreed on (whitespace-only text, plural entries
with a missing or blank form), fuzzy and obsolete entries and QA failures; then the body
resolver, the template strings, ``check`` (critical entries), ``stats`` and the preview's
reasons are each shown to agree with :func:`polyleaf.qa.usable.usable` on all of them.
"""

from __future__ import annotations

import pytest

from polyleaf.catalog.pofile import Catalog, Entry
from polyleaf.i18n import locale_info
from polyleaf.plurals import parse_plural_forms
from polyleaf.qa.check import check_catalog
from polyleaf.qa.checks import CRITICAL_MARK
from polyleaf.qa.stats import catalog_stats
from polyleaf.qa.usable import State, usable
from polyleaf.render.translate import Resolver
from polyleaf.render.uistrings import UiStrings

ES = locale_info("es")
ES_RULE = parse_plural_forms("nplurals=2; plural=(n != 1);")
PLURAL = {"msgid": "%(num)d day", "msgid_plural": "%(num)d days"}
CASES: list[tuple[str, Entry, State]] = [
    ("translated", Entry(msgid="Rest.", msgstr="Descanse."), State.USABLE),
    ("empty", Entry(msgid="Rest.", msgstr=""), State.UNTRANSLATED),
    ("spaces", Entry(msgid="Rest.", msgstr="   "), State.UNTRANSLATED),
    ("newline-tab", Entry(msgid="Rest.", msgstr="\n\t"), State.UNTRANSLATED),
    ("nbsp-only", Entry(msgid="Rest.", msgstr="\u00a0"), State.UNTRANSLATED),
    ("fuzzy", Entry(msgid="Rest.", msgstr="Descanse.", flags=("fuzzy",)), State.FUZZY),
    ("fuzzy-blank", Entry(msgid="Rest.", msgstr=" ", flags=("fuzzy",)), State.UNTRANSLATED),
    ("obsolete", Entry(msgid="Rest.", msgstr="Descanse.", obsolete=True), State.UNTRANSLATED),
    ("qa-number", Entry(msgid="Take 2 tablets.", msgstr="Tome 3 comprimidos."), State.QA),
    ("plural-ok", Entry(**PLURAL, msgstr_plural=("%(num)d día", "%(num)d días")), State.USABLE),
    ("plural-blank-form", Entry(**PLURAL, msgstr_plural=("%(num)d día", "  ")), State.UNTRANSLATED),
    ("plural-empty-form", Entry(**PLURAL, msgstr_plural=("", "%(num)d días")), State.UNTRANSLATED),
    ("plural-missing-form", Entry(**PLURAL, msgstr_plural=("%(num)d día",)), State.UNTRANSLATED),
    ("plural-no-forms", Entry(**PLURAL), State.UNTRANSLATED),
    ("plural-fuzzy", Entry(**PLURAL, msgstr_plural=("%(num)d día", "%(num)d días"),
                           flags=("fuzzy",)), State.FUZZY),
]
IDS = [name for name, _, _ in CASES]


@pytest.mark.parametrize(("entry", "state"), [(e, s) for _, e, s in CASES], ids=IDS)
def test_the_rule(entry: Entry, state: State) -> None:
    verdict = usable(entry, ES, nplurals=2)
    assert verdict.state is state
    assert verdict.ok is (state is State.USABLE)
    assert bool(verdict.reason) is not verdict.ok
    if state is State.QA:
        assert verdict.codes == ("qa.numbers",) and verdict.reason == "qa: qa.numbers"


def test_a_missing_entry_is_untranslated() -> None:
    assert usable(None, ES).state is State.UNTRANSLATED


def test_a_plural_with_more_forms_than_the_header_fails_qa_not_silently() -> None:
    entry = Entry(**PLURAL, msgstr_plural=("%(num)d día", "%(num)d días", "%(num)d días"))
    assert usable(entry, ES, nplurals=2).codes == ("qa.plurals",)


@pytest.mark.parametrize(("entry", "state"), [(e, s) for _, e, s in CASES], ids=IDS)
def test_every_consumer_agrees(entry: Entry, state: State) -> None:
    ok = state is State.USABLE
    entries = {entry.key: entry}
    if entry.msgid_plural is None:
        resolution = Resolver(entries, ES, 2).resolve(entry.msgctxt, entry.msgid)
        assert resolution.usable is ok
        assert resolution.text == (entry.msgstr if ok else entry.msgid)
        assert resolution.reason == ("" if ok else state.value)
        assert (UiStrings(entries, ES, ES_RULE).gettext(entry.msgid) == entry.msgstr) is ok
    else:
        shown = UiStrings(entries, ES, ES_RULE).ngettext(entry.msgid, entry.msgid_plural, 5)
        assert (shown == "5 días") is ok
    critical = Entry(**{**_fields(entry), "auto_comments": (f"{CRITICAL_MARK}: warning",)})
    catalog = Catalog(header=(("Plural-Forms", "nplurals=2; plural=(n != 1);"),), entries=(critical,))
    codes = {d.code for d in check_catalog(catalog, "es", "es.po")}
    assert ("qa.critical" in codes) is (not ok and not entry.obsolete)
    stats = catalog_stats(catalog, "es", "x")
    assert (stats.translated == 1) is (state in (State.USABLE, State.QA))


def _fields(entry: Entry) -> dict[str, object]:
    return {name: getattr(entry, name) for name in entry.__dataclass_fields__}


def test_the_preview_gives_the_same_reasons() -> None:
    from polyleaf.tools.serve import _reason

    for _, entry, state in CASES:
        assert _reason(entry, ES, 2) == usable(entry, ES, 2).reason
        assert (_reason(entry, ES, 2) == "") is (state is State.USABLE)
