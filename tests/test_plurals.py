"""Plural-Forms and headers the way translators' tools expect them.

New catalogs get Weblate's language data (what GNU ``msginit``, Poedit and Weblate share), with
the header ``msginit --no-translator`` writes; GNU ``msginit`` and ``msgmerge`` judge where
installed, translate-toolkit (what Weblate's ``PoFormat`` reads PO files with) and polib read
back the count. A catalog's own header is kept unless ``--fix-plurals`` is asked for, and check
and the build apply one rule to it.
"""

from __future__ import annotations

import gettext
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from translate.storage import po as ttk_po
from weblate_language_data.languages import LANGUAGES

from polyleaf.catalog import pofile
from polyleaf.catalog.files import update
from polyleaf.catalog.headers import fix_plurals
from polyleaf.catalog.pofile import Catalog, Entry
from polyleaf.catalog.reading import read_catalog
from polyleaf.cli import main
from polyleaf.config import Config, load_config
from polyleaf.errors import ConfigError
from polyleaf.i18n import locale_info
from polyleaf.paths import po_path, pot_path
from polyleaf.plurals import InvalidPluralForms, parse_plural_forms, reference_plurals, same_rule
from polyleaf.qa.check import check_catalog
from polyleaf.qa.usable import catalog_plurals
from polyleaf.render.uistrings import UiStrings

MSGINIT = shutil.which("msginit")
MSGMERGE = shutil.which("msgmerge")
MSGFMT = shutil.which("msgfmt")
NEEDS_GETTEXT = pytest.mark.skipif(MSGINIT is None or MSGMERGE is None or MSGFMT is None,
                                   reason="GNU gettext is a test dependency: dev.sh installs it")
NEW_LOCALES = ("es", "fr", "it", "pt_BR", "ar", "zh_Hans", "ru", "pl", "ja")
WEBLATE = {code: (nplurals, formula) for code, _name, nplurals, formula in LANGUAGES}
NUMBERS = (*range(0, 1200), 10**6, 2 * 10**6, 10**6 + 1, 10**9)
CLDR_ES = "nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);"
PLURAL = {"msgid": "%(num)s leaflet", "msgid_plural": "%(num)s leaflets"}


def _forms(expression: str) -> list[int]:
    """The form the standard library's gettext picks for each of NUMBERS."""
    function = gettext.c2py(expression)
    return [function(n) for n in NUMBERS]


def _new(example: Config, locale: str, domain: str = "site") -> Catalog:
    """A catalog ``update`` creates for ``locale`` (the example's own, if any, removed first)."""
    shutil.rmtree(example.locales_dir / locale, ignore_errors=True)
    update(example, (locale,))
    return read_catalog(po_path(example, locale, domain), locale)


def _msginit(pot: Path, locale: str, out: Path) -> Catalog:
    subprocess.run([MSGINIT or "msginit", "--no-translator", "-l", locale, "-i", str(pot),
                    "-o", str(out)], check=True, capture_output=True)
    return pofile.parse(out.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------- the reference for new

@pytest.mark.parametrize("locale", NEW_LOCALES)
def test_a_new_locale_gets_weblates_plural_forms(example: Config, locale: str) -> None:
    catalog = _new(example, locale)
    own = parse_plural_forms(catalog.header_value("Plural-Forms"))
    nplurals, formula = WEBLATE[locale]
    assert own.nplurals == nplurals
    assert _forms(own.expression) == _forms(formula)
    assert own.expression in (formula, f"({formula})")


@NEEDS_GETTEXT
@pytest.mark.parametrize("locale", NEW_LOCALES)
def test_a_new_catalogs_header_is_the_one_msginit_writes(example: Config, locale: str,
                                                         tmp_path: Path) -> None:
    ours = _new(example, locale)
    gnu = _msginit(pot_path(example, "site"), locale, tmp_path / "gnu.po")
    if gnu.header_value("Plural-Forms"):  # msginit 0.21 knows es fr it pt_BR ru pl ja
        assert ours.header == gnu.header
    else:  # ar, zh_Hans: msginit leaves Plural-Forms out; everything else is the same
        assert tuple(f for f in ours.header if f[0] != "Plural-Forms") == gnu.header
    assert ours.header_flags == gnu.header_flags == ()
    check = subprocess.run([MSGFMT or "msgfmt", "--check", "-o", "/dev/null",
                            str(po_path(example, locale, "site"))], capture_output=True, text=True)
    assert check.returncode == 0 and "warning" not in check.stderr, check.stderr


@pytest.mark.parametrize("locale", NEW_LOCALES)
def test_weblates_po_reader_and_polib_read_the_count_we_write(example: Config,
                                                              locale: str) -> None:
    _new(example, locale)
    path = po_path(example, locale, "site")
    nplurals, formula = WEBLATE[locale]
    store = ttk_po.pofile.parsefile(str(path))  # what Weblate's PoFormat parses with
    count, expression = store.getheaderplural()
    assert int(count) == nplurals and _forms(expression) == _forms(formula)
    assert store.parseheader()["Language"] == locale
    header = polib.pofile(str(path)).metadata["Plural-Forms"]
    assert header.startswith(f"nplurals={nplurals};")
    for entry in polib.pofile(str(path)):
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == nplurals


def test_cldr_stays_available_as_a_config_option(example: Config) -> None:
    _set_plural_rules(example, "cldr")
    config = load_config(example.root)
    assert config.plural_rules == "cldr"
    catalog = _new(config, "it")
    assert catalog.header_value("Plural-Forms").startswith("nplurals=3;")
    assert catalog.header_value("Plural-Forms") == locale_info("it", "cldr").plural_forms


def test_an_unknown_plural_rules_value_is_a_config_error(example: Config) -> None:
    _set_plural_rules(example, "gnu")
    with pytest.raises(ConfigError) as caught:
        load_config(example.root)
    [problem] = caught.value.diagnostics
    assert problem.code == "config.plural-rules" and "weblate" in problem.hint
    lines = example.path.read_text(encoding="utf-8").splitlines()
    assert lines[problem.line - 1] == 'plural_rules = "gnu"'


def _set_plural_rules(config: Config, value: str) -> None:
    text = config.path.read_text(encoding="utf-8")
    assert 'plural_rules = "weblate"' in text  # the example says it, so the default is visible
    config.path.write_text(text.replace('plural_rules = "weblate"', f'plural_rules = "{value}"'),
                           encoding="utf-8")


def test_codes_weblate_does_not_list_fall_back_to_alias_language_then_cldr() -> None:
    assert "pt_MZ" not in WEBLATE and "no" not in WEBLATE and "yue" not in WEBLATE
    assert reference_plurals("pt_MZ") == reference_plurals("pt")  # its language
    assert reference_plurals("no") == reference_plurals("nb")  # Weblate's alias
    assert reference_plurals("yue") == reference_plurals("yue", "cldr")  # CLDR at last
    assert reference_plurals("yue").nplurals == 1


# ------------------------------------------------------------------ reading a catalog's header

@pytest.mark.parametrize("value", [
    "", "nplurals=2", "plural=(n != 1);", "nplurals=x; plural=n;", "nplurals=0; plural=0;",
    "nplurals=-1; plural=0;", "nplurals=2; plural=n +* ;", "nplurals=2; plural=foo(n);",
    "nplurals=2; plural=n;", "nplurals=2; plural=n-5;", "nplurals=2; plural=n/0;",
    "nplurals=2; plural=(n != 1); extra", "nplurals=4000000000; plural=0;",
    "nplurals=2; plural=" + "(" * 40 + "n" + ")" * 40 + ";", "nplurals=2; plural=" + "n+" * 600 + "1;",
    "nplurals=٢; plural=0;",
])
def test_an_invalid_header_is_refused_with_a_reason_never_a_crash(value: str) -> None:
    with pytest.raises(InvalidPluralForms) as caught:
        parse_plural_forms(value)
    assert str(caught.value)
    catalog = Catalog(header=(("Plural-Forms", value),))
    assert catalog.plurals is None and catalog.nplurals is None
    [problem] = check_catalog(catalog, "es", "es.po")
    assert (problem.code, problem.level.value) == ("po.plural-forms", "error")
    assert "nplurals=2; plural=(n != 1);" in problem.hint  # what QA and the build use instead


@pytest.mark.parametrize("value", [
    "nplurals=2; plural=" + "(n != 1) " * 120_000 + ";",  # bench/bench_plurals.py times these
    "nplurals=" + "9" * 1_000_000 + "; plural=0;",  # more digits than int() accepts
    "nplurals=2;" + ";" * 1_000_000 + "plural=" + " " * 1_000_000 + "n;",
    "nplurals=" + "0" * 1_000_000 + "2; plural=(n != 1);",
])
def test_a_megabyte_header_is_a_diagnostic_not_a_crash(value: str) -> None:
    catalog = Catalog(header=(("Plural-Forms", value),))
    assert catalog.plurals is None
    [problem] = check_catalog(catalog, "es", "es.po")
    assert problem.code == "po.plural-forms" and len(problem.message) < 300


def test_formulas_are_compared_by_the_form_they_pick() -> None:
    babel_ar = parse_plural_forms(locale_info("ar", "cldr").plural_forms)
    assert babel_ar.expression != reference_plurals("ar").expression
    assert same_rule(babel_ar, reference_plurals("ar"))  # n%100 <= 99 always holds
    assert not same_rule(parse_plural_forms(CLDR_ES), reference_plurals("es"))


# ------------------------------------------------------- check and the build apply one rule

def _site(header: str, *forms: str) -> Catalog:
    entry = Entry(**PLURAL, msgstr_plural=forms, line=5)
    return Catalog(header=(("Language", "es"), ("Plural-Forms", header)), entries=(entry,))


def test_a_catalogs_own_rule_is_what_check_and_the_build_use() -> None:
    es = locale_info("es")
    forms = ("%(num)s folleto", "%(num)s de folletos", "%(num)s folletos")
    catalog = _site(CLDR_ES, *forms)  # made with CLDR: three forms, consistently
    found = check_catalog(catalog, "es", "site.po")
    assert [(d.code, d.level.value) for d in found] == [("po.plural-forms", "warning")]
    assert CLDR_ES in found[0].message and "nplurals=2; plural=(n != 1);" in found[0].message
    ui = UiStrings({e.key: e for e in catalog.entries}, es, catalog_plurals(catalog, es))
    assert ui.ngettext(PLURAL["msgid"], PLURAL["msgid_plural"], 1) == "1 folleto"
    assert ui.ngettext(PLURAL["msgid"], PLURAL["msgid_plural"], 10**6) == "1000000 de folletos"
    assert ui.ngettext(PLURAL["msgid"], PLURAL["msgid_plural"], 7) == "7 folletos"


@pytest.mark.parametrize("header", ["nplurals=0; plural=0;", "nplurals=2; plural=n +* ;", ""])
def test_a_broken_header_falls_back_to_the_reference_in_check_and_build_alike(header: str) -> None:
    es = locale_info("es")
    two = _site(header, "%(num)s folleto", "%(num)s folletos")
    three = _site(header, "%(num)s folleto", "%(num)s folletos", "%(num)s folletos")
    for catalog, usable in ((two, True), (three, False)):
        codes = {d.code for d in check_catalog(catalog, "es", "site.po")}
        assert "po.plural-forms" in codes and ("qa.plurals" in codes) is not usable
        ui = UiStrings({e.key: e for e in catalog.entries}, es, catalog_plurals(catalog, es))
        shown = ui.ngettext(PLURAL["msgid"], PLURAL["msgid_plural"], 4)
        assert shown == ("4 folletos" if usable else "4 leaflets")  # never a crash


# --------------------------------------------------------- existing catalogs and msgmerge

@NEEDS_GETTEXT
def test_a_msginit_catalog_round_trips_through_update_without_a_header_diff(
        example: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    domains = [p.stem for p in example.locales_dir.glob("*.pot")]
    for locale in ("es", "fr", "ru"):
        for domain in domains:
            po_path(example, locale, domain).parent.mkdir(parents=True, exist_ok=True)
            _msginit(pot_path(example, domain), locale, po_path(example, locale, domain))
    before = {p: pofile.parse(p.read_text(encoding="utf-8")) for p in example.locales_dir.rglob("*.po")}
    report = update(example, ("es", "fr", "ru"))
    assert not [d for d in report.diagnostics if d.code == "po.plural-forms"]
    for path, old in before.items():
        new = pofile.parse(path.read_text(encoding="utf-8"))
        assert (new.header, new.header_comments, new.header_flags) == \
            (old.header, old.header_comments, old.header_flags), path
    # The source changes: the header moves as msgmerge moves it (POT-Creation-Date only).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030-01-01
    article = example.source_dir / "posture-and-neck-strain.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nA new closing paragraph.\n",
                       encoding="utf-8")
    po = po_path(example, "es", "posture-and-neck-strain")
    kept = tmp_path / "old.po"
    shutil.copy(po, kept)
    assert CliRunner().invoke(main, ["-C", str(example.root), "update"]).exit_code == 0
    gnu = subprocess.run([MSGMERGE or "msgmerge", "--quiet", "--previous", "-o", "-", str(kept),
                          str(pot_path(example, "posture-and-neck-strain"))],
                         capture_output=True, text=True, check=True).stdout
    ours = pofile.parse(po.read_text(encoding="utf-8"))
    # The same fields and values (msgmerge also moves Language up beside Language-Team; we
    # keep the translator's order, so a merge never reshuffles a header).
    assert dict(ours.header) == dict(pofile.parse(gnu).header)
    assert ours.header_value("POT-Creation-Date") == "2030-01-01 00:00+0000"


@NEEDS_GETTEXT
def test_merge_never_leaves_pot_creation_date_empty(example: Config, tmp_path: Path) -> None:
    old = po_path(example, "es", "site")
    undated = tmp_path / "undated.pot"
    template = pofile.parse(pot_path(example, "site").read_text(encoding="utf-8"))
    undated.write_text(pofile.serialize(replace(template, header=tuple(
        f for f in template.header if f[0] != "POT-Creation-Date"))), encoding="utf-8")
    result = CliRunner().invoke(main, ["merge", str(old), str(undated)])
    assert result.exit_code == 0, result.output
    gnu = subprocess.run([MSGMERGE or "msgmerge", "--quiet", "--previous", "-o", "-", str(old),
                          str(undated)], capture_output=True, text=True, check=True).stdout
    date = pofile.parse(result.output).header_value("POT-Creation-Date")
    assert date and date == pofile.parse(gnu).header_value("POT-Creation-Date")
    # Neither the catalog nor the template has one: the merge date, never an empty field.
    bare = tmp_path / "bare.po"
    catalog = pofile.parse(old.read_text(encoding="utf-8"))
    bare.write_text(pofile.serialize(replace(catalog, header=tuple(
        f for f in catalog.header if f[0] != "POT-Creation-Date"))), encoding="utf-8")
    result = CliRunner().invoke(main, ["merge", str(bare), str(undated)],
                                env={"SOURCE_DATE_EPOCH": "1893456000"})
    assert pofile.parse(result.output).header_value("POT-Creation-Date") == "2030-01-01 00:00+0000"


def test_update_keeps_a_differing_header_and_says_so(example: Config) -> None:
    path = po_path(example, "es", "site")
    catalog = read_catalog(path, "site.po").with_header(Plural_Forms=CLDR_ES)
    path.write_text(pofile.serialize(catalog), encoding="utf-8")
    report = update(example, ("es",))
    [warning] = [d for d in report.diagnostics if d.code == "po.plural-forms"]
    assert warning.level.value == "warning" and CLDR_ES in warning.message
    assert read_catalog(path, "site.po").header_value("Plural-Forms") == CLDR_ES
    report = update(example, ("es",), fix_plurals=True)
    assert not [d for d in report.diagnostics if d.code == "po.plural-forms"]
    assert read_catalog(path, "site.po").header_value("Plural-Forms") == \
        "nplurals=2; plural=(n != 1);"


# ----------------------------------------------------------------------------- --fix-plurals

def _fixed(header: str, forms: tuple[str, ...], to: str = "es") -> Entry:
    catalog = Catalog(header=(("Plural-Forms", header),), entries=(Entry(**PLURAL,
                                                                         msgstr_plural=forms),))
    fixed = fix_plurals(catalog, reference_plurals(to) if to == "es" else parse_plural_forms(to))
    assert fixed.header_value("Plural-Forms") == (reference_plurals("es").header if to == "es"
                                                  else to)
    return fixed.entries[0]


def test_fix_plurals_carries_forms_over_and_needs_no_review_when_nothing_is_lost() -> None:
    entry = _fixed(CLDR_ES, ("%(num)s folleto", "%(num)s folletos", "%(num)s folletos"))
    assert entry.msgstr_plural == ("%(num)s folleto", "%(num)s folletos") and not entry.fuzzy
    assert entry.translator_comments == ()


def test_fix_plurals_keeps_a_dropped_form_in_a_comment_and_asks_for_review() -> None:
    entry = _fixed(CLDR_ES, ("%(num)s folleto", "%(num)s de folletos", "%(num)s folletos"))
    assert entry.msgstr_plural == ("%(num)s folleto", "%(num)s folletos") and entry.fuzzy
    assert any("%(num)s de folletos" in c for c in entry.translator_comments)


def test_fix_plurals_to_a_rule_with_more_forms_asks_the_translator_for_the_new_one() -> None:
    entry = _fixed("nplurals=2; plural=(n != 1);", ("%(num)s folleto", "%(num)s folletos"),
                   to=CLDR_ES)
    assert entry.msgstr_plural == ("%(num)s folleto", "%(num)s folletos", "%(num)s folletos")
    assert entry.fuzzy  # the "many" form is a copy of "other" until a translator looks


def test_fix_plurals_with_an_unreadable_old_rule_keeps_forms_by_position() -> None:
    entry = _fixed("nplurals=0; plural=0;", ("%(num)s folleto", "%(num)s folletos"))
    assert entry.msgstr_plural == ("%(num)s folleto", "%(num)s folletos") and not entry.fuzzy
    entry = _fixed("garbage", ("%(num)s folleto", "%(num)s x", "%(num)s folletos"))
    assert entry.msgstr_plural == ("%(num)s folleto", "%(num)s x") and entry.fuzzy
    assert any("%(num)s folletos" in c for c in entry.translator_comments)


def test_fix_plurals_leaves_an_equivalent_rule_alone() -> None:
    cldr_ar = locale_info("ar", "cldr").plural_forms
    catalog = Catalog(header=(("Plural-Forms", cldr_ar),))
    assert fix_plurals(catalog, reference_plurals("ar")) is catalog


@NEEDS_GETTEXT
def test_fix_plurals_from_the_cli_writes_catalogs_msgfmt_accepts(example: Config) -> None:
    path = po_path(example, "fr", "site")
    catalog = read_catalog(path, "site.po")
    entries = (*catalog.entries, Entry(**PLURAL, msgstr_plural=("%(num)s dépliant",
                                                                "%(num)s de dépliants",
                                                                "%(num)s dépliants")))
    cldr_fr = locale_info("fr", "cldr").plural_forms
    path.write_text(pofile.serialize(replace(catalog.with_header(Plural_Forms=cldr_fr),
                                             entries=entries)), encoding="utf-8")
    result = CliRunner().invoke(main, ["-C", str(example.root), "update", "--locale", "fr",
                                       "--fix-plurals"])
    assert result.exit_code == 0, result.output
    fixed = read_catalog(path, "site.po")
    assert fixed.header_value("Plural-Forms") == "nplurals=2; plural=(n > 1);"
    obsolete = [e for e in fixed.entries if e.msgid == PLURAL["msgid"]]
    assert [e.msgstr_plural for e in obsolete] == [("%(num)s dépliant", "%(num)s dépliants")]
    check = subprocess.run([MSGFMT or "msgfmt", "--check", "-o", "/dev/null", str(path)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
