"""Every QA check: a failing and a passing example, and how a warning is silenced."""

from __future__ import annotations

import pytest

from polyleaf.catalog.extract import CRITICAL_NOTE
from polyleaf.catalog.pofile import Catalog, Entry
from polyleaf.i18n import locale_info
from polyleaf.qa.check import check_catalog
from polyleaf.qa.checks import check_entry
from polyleaf.qa.usable import usable

DE, AR, ZH, FR = (locale_info(c) for c in ("de", "ar", "zh_Hans", "fr"))

CASES = [
    # code, source, bad translation, good translation, locale
    ("qa.numbers", "Take 500 mg 2 times a day for 3.5 days.", "Nehmen Sie 50 mg 2-mal täglich für 3,5 Tage.",
     "Nehmen Sie 500 mg 2-mal täglich für 3,5 Tage.", DE),
    ("qa.numbers", "Call 999 if you have a fever of 38 °C.", "اتصل بالرقم 911 إذا كانت حرارتك ٣٨ درجة.",
     "اتصل بالرقم ٩٩٩ إذا كانت حرارتك ٣٨ درجة.", AR),
    ("qa.links", "Read [our leaflet](posture-and-neck-strain).", "Lesen Sie [unser Merkblatt](posture).",
     "Lesen Sie [unser Merkblatt](posture-and-neck-strain).", DE),
    ("qa.links", "See https://www.nhs.uk/conditions/ for more.", "Siehe https://example.com/ für mehr.",
     "Siehe https://www.nhs.uk/conditions/ für mehr.", DE),
    ("qa.markup", "**Stop** and rest.", "**Stopp und ruhen Sie sich aus.", "**Stopp** und ruhen Sie.", DE),
    ("qa.markup", "**Meningitis.** It is serious.", "**脑膜炎。**这很严重。", "**脑膜炎**。这很严重。", ZH),
    ("qa.placeholders", "Page %(page)s of %(pages)s", "Seite %(page)s von %(seiten)s",
     "Seite %(page)s von %(pages)s", DE),
    ("qa.unsafe", "Read more.", 'Mehr <script>alert(1)</script>.', "Mehr lesen.", DE),
    ("qa.unsafe", "Read [more](other).", "Mehr [lesen](javascript:alert(1)).", "Mehr [lesen](other).", DE),
    ("qa.empty", "Rest.", "   ", "Ruhe.", DE),
    ("qa.whitespace", "Rest.", "Ruhe. ", "Ruhe.", DE),
    ("qa.punctuation", "Is it serious?", "Ist es ernst.", "Ist es ernst?", DE),
    ("qa.punctuation", "Is it serious?", "هل هو خطير.", "هل هو خطير؟", AR),
    ("qa.punctuation", "Rest well.", "好好休息", "好好休息。", ZH),
    ("qa.doubled-word", "Drink the water.", "Trinken Sie das das Wasser.", "Trinken Sie das Wasser.", DE),
    ("qa.unchanged", "Drink enough water.", "Drink enough water.", "Trinken Sie genug Wasser.", DE),
    ("qa.length", "Drink enough water every day, especially when it is hot.", "Wasser.",
     "Trinken Sie jeden Tag genug Wasser, besonders wenn es heiß ist.", DE),
]


@pytest.mark.parametrize(("code", "source", "bad", "good", "locale"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_check_fails_bad_and_passes_good(code: str, source: str, bad: str, good: str,
                                         locale: object) -> None:
    assert code in {f.code for f in check_entry(Entry(msgid=source, msgstr=bad), locale)}  # type: ignore[arg-type]
    assert check_entry(Entry(msgid=source, msgstr=good), locale) == []  # type: ignore[arg-type]


def test_errors_make_an_entry_unusable_and_warnings_do_not() -> None:
    assert not usable(Entry(msgid="Take 2 tablets.", msgstr="Nehmen Sie 3 Tabletten."), DE).ok
    assert usable(Entry(msgid="Drink water.", msgstr="Drink water."), DE).ok


def test_plural_count_must_match_the_header() -> None:
    entry = Entry(msgid="%(num)s day", msgid_plural="%(num)s days",
                  msgstr_plural=("%(num)s يوم", "%(num)s أيام"))
    assert "qa.plurals" in {f.code for f in check_entry(entry, AR, 6)}
    full = Entry(msgid="%(num)s day", msgid_plural="%(num)s days",
                 msgstr_plural=tuple(f"%(num)s {w}" for w in ("يوم", "يوم", "يومان", "أيام", "يومًا", "يوم")))
    assert check_entry(full, AR, 6) == []


@pytest.mark.parametrize("silence", [
    {"flags": ("no-qa:unchanged",)},
    {"translator_comments": ("qa-ignore: unchanged",)},
])
def test_a_warning_is_silenced_per_entry(silence: dict[str, tuple[str, ...]]) -> None:
    entry = Entry(msgid="Drink enough water.", msgstr="Drink enough water.", **silence)  # type: ignore[arg-type]
    assert check_entry(entry, DE) == []


def test_errors_cannot_be_silenced() -> None:
    entry = Entry(msgid="Take 2 tablets.", msgstr="Nehmen Sie 3 Tabletten.",
                  translator_comments=("qa-ignore: numbers",))
    assert "qa.numbers" in {f.code for f in check_entry(entry, DE)}


def test_numbers_inside_link_targets_are_not_numbers() -> None:
    entry = Entry(msgid="See [source](https://doi.org/10.1186/s10194).",
                  msgstr="Siehe [Quelle](https://doi.org/10.1186/s10194).")
    assert check_entry(entry, DE) == []


def _catalog(*entries: Entry) -> Catalog:
    return Catalog(header=(("Language", "de"), ("Plural-Forms", DE.plural_forms)), entries=entries)


def test_check_catalog_reports_critical_entries_untranslated_or_fuzzy() -> None:
    critical = (CRITICAL_NOTE,)
    catalog = _catalog(Entry(msgid="Call 999.", auto_comments=critical, line=5),
                       Entry(msgid="Call 112.", msgstr="Rufen Sie 112.", flags=("fuzzy",),
                             auto_comments=critical, line=9),
                       Entry(msgid="Call 911.", msgstr="Rufen Sie 911 an.", auto_comments=critical,
                             line=12))
    found = check_catalog(catalog, "de", "locales/de/LC_MESSAGES/x.po")
    assert [(d.code, d.line, d.level.value) for d in found] == [("qa.critical", 5, "error"),
                                                               ("qa.critical", 9, "error")]
    assert found[0].format().startswith("locales/de/LC_MESSAGES/x.po:5: error: qa.critical: ")


def test_check_catalog_reports_a_missing_plural_forms_header() -> None:
    found = check_catalog(Catalog(entries=(Entry(msgid="a", msgstr="b"),)), "de", "x.po")
    assert [d.code for d in found] == ["po.plural-forms"]
