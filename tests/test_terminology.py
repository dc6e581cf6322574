"""Terms in text, the #. Terminology: comments of update, qa.terminology and qa.consistency."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polyleaf.catalog import pofile
from polyleaf.catalog.files import update
from polyleaf.catalog.glossary import Glossary, Term, check_term
from polyleaf.catalog.pofile import Catalog, Entry
from polyleaf.catalog.terminology import Annotator, Rule, format_rules, parse_rules
from polyleaf.catalog.terms import Matcher, keys
from polyleaf.config import Config
from polyleaf.errors import Level
from polyleaf.i18n import locale_info
from polyleaf.qa.check import check_project
from polyleaf.qa.checks import check_entry
from polyleaf.qa.consistency import check_consistency
from polyleaf.qa.usable import usable

ES = locale_info("es")
MSGFMT = shutil.which("msgfmt")
MSGCAT = shutil.which("msgcat")


def _found(phrases: list[str], text: str, language: str = "en") -> list[str]:
    matcher = Matcher(phrases, language)
    return [phrases[m.phrase] for m in matcher.find(text)]


def test_terms_match_words_case_and_plurals_not_parts_of_words() -> None:
    phrases = ["migraine", "cervicogenic headache", "headache", "disc"]
    assert _found(phrases, "Migraines and CERVICOGENIC headaches.") == \
        ["migraine", "cervicogenic headache", "headache"]
    assert _found(phrases, "migraineurs, discography, disco") == []
    assert _found(phrases, "a **slipped disc**; the discs") == ["disc", "disc"]
    assert _found(["dolor de cabeza tensional"], "dolores de cabeza tensionales", "es") == \
        ["dolor de cabeza tensional"]
    assert _found(["céphalée"], "des céphalées", "fr") == ["céphalée"]
    assert _found(["Migräne"], "bei Migränen", "de") == ["Migräne"]


def test_chinese_matches_substrings_and_arabic_ignores_marks_and_clitics() -> None:
    assert _found(["偏头痛", "头痛"], "紧张型头痛和偏头痛", "zh") == ["头痛", "偏头痛", "头痛"]
    arabic = "من أنواع الصداع الشائعة صداعُ التوتر والصداعِ النصفي وسبب شائع لصداع التوتر"
    assert _found(["الصداع النصفي", "صداع التوتر"], arabic, "ar") == \
        ["صداع التوتر", "الصداع النصفي", "صداع التوتر"]
    assert keys("وجع", "ar") == ("وجع",)  # a root letter is not taken for a conjunction


def test_matching_is_linear_in_the_text_with_a_thousand_terms() -> None:
    phrases = [f"term{n} word{n % 7}" for n in range(1000)] + ["migraine"]
    matcher = Matcher(phrases, "en")
    piece = "A migraine is not term5 word5 but term12 word5, " * 2
    small, large = piece * 1_000, piece * 10_000  # about 100 KB and 1 MB

    def cost(text: str) -> tuple[float, int]:
        start = time.process_time()
        count = len(matcher.find(text))
        return time.process_time() - start, count

    (t_small, n_small), (t_large, n_large) = cost(small), cost(large)
    assert n_large == 10 * n_small and n_small == 3 * small.count("migraine")
    assert t_large < 25 * max(t_small, 0.01)  # linear: ~10x, never the 100x of a quadratic scan


GLOSSARY = Glossary("es", (
    Term("tension headache", ("dolor de cabeza tensional",), ("cefalea tensional",)),
    Term("migraine", ("migraña",), ("jaqueca",)),
    Term("cervicogenic headache", ("cefalea cervicogénica",), ("cefalea",)),
    Term("paracetamol", (), ("acetaminofén",)),
))


def test_the_comment_lists_terms_in_source_order_and_reads_back() -> None:
    annotator = Annotator(GLOSSARY, "en_GB")
    entry = Entry("Migraine or tension headache? Not a cervicogenic headache; no paracetamol.")
    comment = annotator.comment(entry)
    assert comment == ("Terminology: migraine → migraña (not: jaqueca); tension headache → "
                       "dolor de cabeza tensional (not: cefalea tensional); cervicogenic headache"
                       " → cefalea cervicogénica (not: cefalea); paracetamol → (not: acetaminofén)")
    rules = parse_rules(Entry("x", auto_comments=("paragraph", comment or "")))
    assert rules[0] == Rule("migraine", ("migraña",), ("jaqueca",))
    assert rules[3] == Rule("paracetamol", (), ("acetaminofén",))
    assert format_rules(list(rules)) == comment
    assert annotator.comment(Entry("Back pain.")) is None


def test_annotate_keeps_template_comments_replaces_old_rules_and_skips_obsolete() -> None:
    annotator = Annotator(GLOSSARY, "en")
    catalog = Catalog(entries=(
        Entry("A migraine.", auto_comments=("paragraph", "Terminology: old → stale")),
        Entry("Back pain.", auto_comments=("paragraph", "Terminology: migraine → x")),
        Entry("A migraine.", "Una migraña.", msgctxt="old", obsolete=True),
    ))
    result = annotator.annotate(catalog)
    assert result.entries[0].auto_comments == ("paragraph", "Terminology: migraine → migraña "
                                               "(not: jaqueca)")
    assert result.entries[1].auto_comments == ("paragraph",)
    assert result.entries[2] == catalog.entries[2]
    assert annotator.annotate(result) is result  # idempotent: nothing to change, same object


def _entry(msgstr: str, *, comment: str = "", ignore: bool = False, critical: bool = False,
           msgid: str = "A migraine is not a tension headache.") -> Entry:
    rules = comment or Annotator(GLOSSARY, "en").comment(Entry(msgid)) or ""
    comments = (("CRITICAL: call-out",) if critical else ()) + (rules,)
    return Entry(msgid, msgstr, auto_comments=comments,
                 translator_comments=("qa-ignore: terminology",) if ignore else ())


def _codes(entry: Entry) -> list[tuple[str, Level]]:
    return [(f.code, f.level) for f in check_entry(entry, ES) if f.code == "qa.terminology"]


def test_forbidden_term_is_an_error_that_makes_the_translation_unusable() -> None:
    good = _entry("Una migraña no es un dolor de cabeza tensional.")
    assert _codes(good) == [] and usable(good, ES).ok
    bad = _entry("Una jaqueca no es un dolor de cabeza tensional.", ignore=True)
    assert _codes(bad) == [("qa.terminology", Level.ERROR)]  # errors are never silenced
    assert usable(bad, ES).codes == ("qa.terminology",)
    message = check_entry(bad, ES)[0].message
    assert "'jaqueca'" in message and "'migraine'" in message


def test_missing_approved_term_is_a_warning_that_a_translator_may_silence() -> None:
    paraphrase = _entry("Una migraña no es una cefalea de tipo tensional.")
    assert _codes(paraphrase) == [("qa.terminology", Level.WARNING)]
    assert usable(paraphrase, ES).ok
    assert _codes(_entry("Una migraña no es una cefalea de tipo tensional.", ignore=True)) == []
    assert _codes(_entry("Una migraña no es una cefalea de tipo tensional.", ignore=True,
                         critical=True)) == [("qa.terminology", Level.WARNING)]


def test_a_forbidden_word_inside_an_approved_term_is_not_reported() -> None:
    entry = _entry("Es una cefalea cervicogénica.", msgid="It is a cervicogenic headache.")
    assert _codes(entry) == []
    assert _codes(_entry("Es una cefalea.", msgid="It is a cervicogenic headache.")) == \
        [("qa.terminology", Level.ERROR), ("qa.terminology", Level.WARNING)]


def test_plural_forms_are_each_checked() -> None:
    rules = "Terminology: migraine → migraña (not: jaqueca)"
    entry = Entry("%(n)d migraine", msgid_plural="%(n)d migraines",
                  msgstr_plural=("%(n)d migraña", "%(n)d jaquecas"), auto_comments=(rules,))
    levels = [f.level for f in check_entry(entry, ES) if f.code == "qa.terminology"]
    assert levels == [Level.ERROR, Level.WARNING]  # the second form: forbidden, and no migraña


def _write_glossary(config: Config, text: str) -> None:
    (config.locales_dir / "es" / "glossary.csv").write_text(text, encoding="utf-8")


def test_update_adds_comments_idempotently_and_removes_them_with_the_glossary(example: Config
                                                                               ) -> None:
    po = example.locales_dir / "es" / "LC_MESSAGES" / "headache-warning-signs.po"
    assert update(example, ("es",), tm=False).written == ()  # the repository's are current
    header = pofile.parse(po.read_text(encoding="utf-8")).header
    _write_glossary(example, "source,target\nheadache,dolor de cabeza\n")
    first = update(example, ("es",), tm=False)
    assert pofile.parse(po.read_text(encoding="utf-8")).header == header  # only comments move
    assert "locales/es/LC_MESSAGES/headache-warning-signs.po" in first.written
    text = po.read_text(encoding="utf-8")
    assert "#. Terminology: headache → dolor de cabeza\n" in text
    assert "migraña" not in "".join(x for x in text.splitlines() if x.startswith("#. Term"))
    assert update(example, ("es",), tm=False).written == ()  # nothing churns
    entries = [e for e in polib.pofile(str(po)) if "Terminology" in e.comment]
    assert entries and all(e.msgstr for e in entries)  # translations untouched, polib reads it
    (example.locales_dir / "es" / "glossary.csv").unlink()
    update(example, ("es",), tm=False)
    assert "Terminology:" not in po.read_text(encoding="utf-8")


@pytest.mark.skipif(MSGFMT is None or MSGCAT is None, reason="GNU gettext is a test dependency")
def test_annotated_catalogs_are_valid_for_msgfmt_and_unchanged_by_msgcat(example: Config) -> None:
    root = Path(__file__).resolve().parents[1]
    annotated = [p for p in sorted((root / "locales").glob("*/LC_MESSAGES/*.po"))
                 if "#. Terminology:" in p.read_text(encoding="utf-8")]
    assert len(annotated) >= 12
    for path in annotated:
        subprocess.run([MSGFMT or "msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)
        out = subprocess.run([MSGCAT or "msgcat", str(path)], capture_output=True, text=True,
                             check=True).stdout
        assert out == path.read_text(encoding="utf-8"), path


def test_example_has_no_terminology_problems_and_current_comments(example: Config) -> None:
    codes = {d.code for d in check_project(example)}
    assert not codes & {"qa.terminology", "qa.consistency", "glossary.stale"}
    assert not {c for c in codes if c.startswith("glossary.")}


def test_check_reports_stale_comments_and_the_glossary_problems(example: Config) -> None:
    _write_glossary(example, "source,target,flags\nback pain,dolor de espalda,\nx;y,z,\n")
    found = [d for d in check_project(example, ("es",)) if d.code.startswith("glossary.")]
    assert {d.code for d in found} == {"glossary.stale", "glossary.bad-term"}
    update(example, ("es",), tm=False)
    assert {d.code for d in check_project(example, ("es",))
            if d.code.startswith("glossary.")} == {"glossary.bad-term"}


def test_a_forbidden_term_in_an_example_catalog_is_reported_by_check(example: Config) -> None:
    po = example.locales_dir / "es" / "LC_MESSAGES" / "headache-warning-signs.po"
    po.write_text(po.read_text(encoding="utf-8").replace("La migraña es", "La jaqueca es"),
                  encoding="utf-8")
    found = [d for d in check_project(example, ("es",)) if d.code == "qa.terminology"]
    assert [d.level for d in found] == [Level.ERROR]
    assert found[0].path == "locales/es/LC_MESSAGES/headache-warning-signs.po" and found[0].line


def _catalog(*entries: Entry) -> Catalog:
    return Catalog(entries=tuple(pofile.parse(pofile.serialize(Catalog(entries=entries))).entries))


def test_consistency_names_both_places_and_ignores_unfinished_entries() -> None:
    a = _catalog(Entry("Rest.", "Descanse."), Entry("Drink water.", "Beba agua."))
    b = _catalog(Entry("Rest.", "Repose."), Entry("Drink water.", "Tome agua.", flags=("fuzzy",)),
                 Entry("Rest.", "Descanse. ", msgctxt="title"))
    found = check_consistency([("a.po", a), ("b.po", b)])
    assert [(d.path, d.line, d.code) for d in found] == [("b.po", b.entries[0].line,
                                                          "qa.consistency")]
    assert f"a.po:{a.entries[0].line}" in found[0].message and "'Repose.'" in found[0].message
    silenced = _catalog(Entry("Rest.", "Repose.", translator_comments=("qa-ignore: consistency",)))
    assert check_consistency([("a.po", a), ("b.po", silenced)]) == []


def test_check_reports_inconsistency_across_articles_of_the_example(example: Config) -> None:
    folder = example.locales_dir / "es" / "LC_MESSAGES"
    one, other = folder / "back-pain-and-headaches.po", folder / "posture-and-neck-strain.po"
    text = one.read_text(encoding="utf-8")
    other.write_text(other.read_text(encoding="utf-8").replace(
        'msgid "When to see a doctor"\nmsgstr "Cuándo consultar a un médico"',
        'msgid "When to see a doctor"\nmsgstr "Cuándo ir al médico"'), encoding="utf-8")
    found = [d for d in check_project(example, ("es",)) if d.code == "qa.consistency"]
    assert len(found) == 1
    lines = text.splitlines()
    line = next(n for n, x in enumerate(lines, 1) if x == 'msgid "When to see a doctor"')
    assert f"locales/es/LC_MESSAGES/back-pain-and-headaches.po:{line}" in found[0].message
    assert found[0].path == "locales/es/LC_MESSAGES/posture-and-neck-strain.po"


def test_xliff_exports_carry_the_terminology_as_their_own_note(example: Config) -> None:
    from lxml import etree

    from polyleaf.tools.xliff import NS, export_xliff

    data, _ = export_xliff(example, "fr")
    notes = [n.text or "" for n in etree.fromstring(data).iter(f"{{{NS}}}note")
             if n.get("category") == "terminology"]
    assert notes and all(n.startswith("Terminology: ") for n in notes)
    assert any("cervicogenic headache → céphalée cervicogénique" in n for n in notes)


WORDS = st.text(alphabet="abcdeñé →;/()-:xyz偏头", min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(WORDS, st.lists(WORDS, max_size=3), st.lists(WORDS, max_size=2)),
                min_size=1, max_size=4))
def test_every_valid_term_survives_the_comment_round_trip(
        raw: list[tuple[str, list[str], list[str]]]) -> None:
    def ok(text: str) -> bool:
        return text == text.strip() and check_term(text, "g", 1) is None

    rules = [Rule(s, tuple(a for a in approved if ok(a)), tuple(f for f in forbidden if ok(f)))
             for s, approved, forbidden in raw if ok(s)]
    rules = [r for r in rules if r.approved or r.forbidden]
    if not rules:
        return
    entry = Entry("x", auto_comments=(format_rules(rules),))
    assert parse_rules(entry) == tuple(rules)


def test_two_terms_with_the_same_keys_are_both_found() -> None:
    assert _found(["Migraine", "migraines"], "a migraine") == ["Migraine", "migraines"]


def test_link_targets_and_urls_are_not_searched() -> None:
    text = "See [how to look after your neck](neck-strain) or https://example.org/neck-strain."
    assert _found(["neck strain", "neck"], text) == ["neck"]
    big = "[x](neck-strain) " * 60_000 + "a neck strain"
    assert _found(["neck strain"], big) == ["neck strain"]


@pytest.mark.parametrize("unit", ["](", "[a](b", "\u0301", "a\u0301 ", "偏", "وال", "ab-" * 3, " "])
def test_hostile_text_is_tokenized_in_linear_time(unit: str) -> None:
    matcher = Matcher(["ab ab", "偏头痛", "الصداع", "a"], "en")

    def cost(size: int) -> float:  # the least of three runs: a loaded machine only adds time
        text = unit * (size // len(unit))
        runs = []
        for _ in range(3):
            start = time.process_time()
            matcher.find(text)
            runs.append(time.process_time() - start)
        return min(runs)

    small, large = cost(100_000), cost(1_000_000)
    assert large < 25 * max(small, 0.01)


def test_a_term_inside_a_longer_term_is_not_listed_for_that_place() -> None:
    glossary = Glossary("fr", (Term("headache", ("mal de tête",)),
                               Term("cervicogenic headache", ("céphalée cervicogénique",)),
                               Term("Headaches", ("maux de tête",))))
    annotator = Annotator(glossary, "en")
    assert annotator.comment(Entry("A cervicogenic headache.")) == \
        "Terminology: cervicogenic headache → céphalée cervicogénique"
    both = annotator.comment(Entry("A cervicogenic headache is a headache."))
    assert both == ("Terminology: cervicogenic headache → céphalée cervicogénique; headache → "
                    "mal de tête; Headaches → maux de tête")  # same span: both, alphabetically


@pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext is a test dependency")
def test_msgmerge_drops_the_comments_and_update_restores_them(example: Config) -> None:
    po = example.locales_dir / "es" / "LC_MESSAGES" / "headache-warning-signs.po"
    before = po.read_text(encoding="utf-8")
    subprocess.run([shutil.which("msgmerge") or "msgmerge", "--quiet", "--previous", "-U",
                    "--backup=off", str(po), str(example.locales_dir / "headache-warning-signs.pot")],
                   check=True)
    assert "#. Terminology:" not in po.read_text(encoding="utf-8")  # as translators.md says
    update(example, ("es",), tm=False)
    assert po.read_text(encoding="utf-8") == before


def test_a_terminology_comment_deleted_by_hand_is_reported_as_stale(example: Config) -> None:
    po = example.locales_dir / "es" / "LC_MESSAGES" / "headache-warning-signs.po"
    lines = po.read_text(encoding="utf-8").splitlines(keepends=True)
    po.write_text("".join(x for x in lines if "(not: jaqueca)" not in x), encoding="utf-8")
    found = [d for d in check_project(example, ("es",)) if d.code == "glossary.stale"]
    assert [d.path for d in found] == ["locales/es/LC_MESSAGES/headache-warning-signs.po"]
