"""Merging a new template into a translation: nothing a translator wrote is ever lost."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from polyleaf.catalog import pofile
from polyleaf.catalog.fuzzy import (
    FUZZY_CUTOFF,
    MIN_SAMPLED,
    ShingleIndex,
    level,
    sampled,
    shingles,
)
from polyleaf.catalog.merge import fuzzy_pairs, merge
from polyleaf.catalog.pofile import Catalog, Entry
from polyleaf.i18n import locale_info

DE = locale_info("de")
AR = locale_info("ar")
MSGFMT = shutil.which("msgfmt")
BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))
from corpus import SHAPES, make_corpus  # noqa: E402  (bench/corpus.py: the corpus generators)

PARA = ("Poor posture strains the muscles of the upper back and neck, and this strain "
        "can press on nearby nerves and cause a tension headache.")
OTHER = "Drink enough water during the day, especially when it is hot outside."


def _cat(*entries: Entry, language: str = "de") -> Catalog:
    return Catalog(header=(("Content-Type", "text/plain; charset=UTF-8"),
                           ("Language", language), ("Plural-Forms", locale_info(language).plural_forms)),
                   entries=entries)


def _pot(*msgids: str) -> Catalog:
    return Catalog(entries=tuple(Entry(msgid=m, locations=(f"a.md:{i}",)) for i, m in enumerate(msgids)))


def _by_id(catalog: Catalog) -> dict[str, Entry]:
    return {e.msgid: e for e in catalog.entries}


def test_exact_match_keeps_translation_flags_and_translator_comments() -> None:
    old = _cat(Entry(msgid=OTHER, msgstr="Trinken Sie genug.", translator_comments=("checked",),
                     flags=("no-qa:numbers",), locations=("old.md:1",)))
    new = merge(old, _pot(OTHER), DE, "2026-01-01 00:00+0000")
    (entry,) = new.entries
    assert entry.msgstr == "Trinken Sie genug."
    assert entry.translator_comments == ("checked",)
    assert "no-qa:numbers" in entry.flags and not entry.fuzzy
    assert entry.locations == ("a.md:0",)  # source data comes from the template


def test_one_word_edit_comes_back_fuzzy_with_the_old_source() -> None:
    old = _cat(Entry(msgid=PARA, msgstr="Schlechte Haltung ..."))
    edited = PARA.replace("nearby", "close")
    entry = _by_id(merge(old, _pot(edited), DE, "now"))[edited]
    assert entry.fuzzy and entry.msgstr == "Schlechte Haltung ..."
    assert entry.previous_msgid == PARA


def test_unrelated_new_paragraph_is_not_matched() -> None:
    old = _cat(Entry(msgid=PARA, msgstr="Schlechte Haltung ..."))
    new = merge(old, _pot(OTHER), DE, "now")
    assert _by_id(new)[OTHER].msgstr == ""
    assert not _by_id(new)[OTHER].fuzzy
    vanished = [e for e in new.entries if e.obsolete]
    assert [e.msgid for e in vanished] == [PARA] and vanished[0].msgstr == "Schlechte Haltung ..."


def test_reorder_keeps_every_translation_and_follows_source_order() -> None:
    old = _cat(Entry(msgid="A", msgstr="a"), Entry(msgid="B", msgstr="b"))
    new = merge(old, _pot("B", "A"), DE, "now")
    assert [(e.msgid, e.msgstr, e.fuzzy) for e in new.entries] == [("B", "b", False),
                                                                  ("A", "a", False)]


def test_deleted_entry_becomes_obsolete_and_returns_translated() -> None:
    old = _cat(Entry(msgid=PARA, msgstr="X"), Entry(msgid=OTHER, msgstr="Y"))
    gone = merge(old, _pot(OTHER), DE, "now")
    assert [(e.msgid, e.obsolete) for e in gone.entries] == [(OTHER, False), (PARA, True)]
    back = merge(gone, _pot(PARA, OTHER), DE, "now")
    assert [(e.msgid, e.msgstr, e.obsolete, e.fuzzy) for e in back.entries] == [
        (PARA, "X", False, False), (OTHER, "Y", False, False)]


def test_msgctxt_distinguishes_entries() -> None:
    old = _cat(Entry(msgid="Back pain", msgctxt="title", msgstr="Rückenschmerzen (Titel)"),
               Entry(msgid="Back pain", msgstr="Rückenschmerzen"))
    template = Catalog(entries=(Entry(msgid="Back pain"), Entry(msgid="Back pain", msgctxt="title")))
    new = merge(old, template, DE, "now")
    assert [(e.msgctxt, e.msgstr) for e in new.entries] == [(None, "Rückenschmerzen"),
                                                            ("title", "Rückenschmerzen (Titel)")]


def test_plural_entries_get_the_languages_number_of_forms() -> None:
    template = Catalog(entries=(Entry(msgid="%(num)s leaflet", msgid_plural="%(num)s leaflets",
                                      msgstr_plural=("", ""), flags=("python-format",)),))
    new = merge(None, template, AR, "now")
    assert len(new.entries[0].msgstr_plural) == 6
    assert new.header_value("Plural-Forms").startswith("nplurals=6")
    translated = Catalog(header=new.header, entries=(
        Entry(msgid="%(num)s leaflet", msgid_plural="%(num)s leaflets",
              msgstr_plural=tuple(f"{i} %(num)s" for i in range(6))),))
    again = merge(translated, template, AR, "now")
    assert again.entries[0].msgstr_plural == tuple(f"{i} %(num)s" for i in range(6))


def test_duplicate_msgids_in_the_old_file_do_not_crash_or_lose_text() -> None:
    old = _cat(Entry(msgid="A", msgstr="eins"), Entry(msgid="A", msgstr="zwei"))
    new = merge(old, _pot("A"), DE, "now")
    assert [e.msgstr for e in new.entries if not e.obsolete] in (["eins"], ["zwei"])
    assert sorted(e.msgstr for e in new.entries) == ["eins", "zwei"]


def test_new_catalog_has_a_header_right_for_its_language() -> None:
    new = merge(None, _pot("A"), AR, "2026-01-01 00:00+0000")
    assert new.header_value("Language") == "ar"
    assert new.header_value("Plural-Forms") == AR.plural_forms
    assert "UTF-8" in new.header_value("Content-Type")


@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext (msgfmt) is a test dependency: dev.sh installs it")
def test_merged_files_pass_msgfmt_check(tmp_path: Path) -> None:
    old = _cat(Entry(msgid=PARA, msgstr="X"), Entry(msgid="A", msgstr="a", translator_comments=("c",)))
    new = merge(old, _pot(PARA.replace("nearby", "close"), "B"), DE, "2026-01-01 00:00+0000")
    path = tmp_path / "de.po"
    path.write_text(pofile.serialize(new), encoding="utf-8")
    result = subprocess.run([MSGFMT or "msgfmt", "--check", "-o", "/dev/null", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_fuzzy_pairs_are_one_to_one_and_best_first() -> None:
    queries = [PARA.replace("nearby", "close"), PARA.replace("nearby", "near")]
    assert fuzzy_pairs(queries, [PARA]) in ([(0, 0)], [(1, 0)])
    assert len(fuzzy_pairs(queries, [PARA])) == 1


TEXT = st.text(alphabet=st.sampled_from("abcdef ghij.,"), min_size=1, max_size=60)


@settings(max_examples=200, deadline=None)
@given(old=st.lists(st.tuples(TEXT, TEXT), max_size=12, unique_by=lambda t: t[0]),
       new=st.lists(TEXT, max_size=12, unique=True))
def test_merge_never_loses_a_translation(old: list[tuple[str, str]], new: list[str]) -> None:
    """Every non-empty translation of the old file is in the result, live or obsolete."""
    old_cat = _cat(*(Entry(msgid=m, msgstr=t) for m, t in old))
    result = merge(old_cat, _pot(*new), DE, "now")
    kept = [e.msgstr for e in result.entries]
    for _, translation in old:
        if translation:
            assert translation in kept
    assert [e.msgid for e in result.entries if not e.obsolete] == new
    assert pofile.parse(pofile.serialize(result)).entries == tuple(
        e.__class__(**{**{f: getattr(e, f) for f in e.__slots__}, "line": b.line})
        for e, b in zip(result.entries, pofile.parse(pofile.serialize(result)).entries, strict=True))


def _pending_and_pool(size: int, shape: str) -> tuple[list[str], list[str], dict[str, str]]:
    corpus = make_corpus(size, seed=3, shape=shape)
    old = {e.msgid for e in corpus.old.entries}
    new = {e.msgid for e in corpus.template.entries}
    return ([e.msgid for e in corpus.template.entries if e.msgid not in old],
            [e.msgid for e in corpus.old.entries if e.msgid not in new], corpus.edited)


@pytest.mark.parametrize("shape", SHAPES)
def test_blocking_finds_every_pair_comparing_everything_finds(shape: str) -> None:
    """Perfect recall and no extra match on every corpus shape: blocked == exhaustive."""
    queries, choices, edited = _pending_and_pool(300 if shape == "long" else 800, shape)
    blocked = fuzzy_pairs(queries, choices)
    assert blocked == fuzzy_pairs(queries, choices, blocking=False)
    found = {queries[q]: choices[c] for q, c in blocked}
    recoverable = [new for new, old in edited.items() if fuzz.ratio(new, old) >= FUZZY_CUTOFF]
    recovered = [new for new in recoverable if found.get(new) == edited[new]]
    assert len(recoverable) >= len(edited) // 2  # the corpus does exercise fuzzy matching
    assert len(recovered) >= 0.9 * len(recoverable)


def _edited(words: list[str], position: int, word: str) -> tuple[str, str]:
    """A paragraph of ``words``, and the same with the word at ``position`` replaced."""
    edited = list(words)
    edited[position % len(words)] = word
    return " ".join(words), " ".join(edited)


def _reaches(original: str, edited: str, others: list[list[str]]) -> bool:
    """Is ``original``, among the paragraphs ``others``, a candidate of ``edited``?"""
    choices = [" ".join(o) for o in others if o] + [original]
    return len(choices) - 1 in ShingleIndex(choices).candidates(edited)


WORDS = st.lists(st.sampled_from(["pain", "back", "neck", "take", "dose", "the", "and", "2"]),
                 min_size=12, max_size=40)


@settings(max_examples=200, deadline=None)
@given(words=WORDS, others=st.lists(WORDS, max_size=30), position=st.integers(0, 39),
       word=st.sampled_from(["knee", "tablet", "3", "pain"]))
def test_a_one_word_edit_is_always_compared_with_its_original(
        words: list[str], others: list[list[str]], position: int, word: str) -> None:
    """The prefix-filter guarantee, on a tiny vocabulary where no word is rare: a word edit
    removes at most 4 shingles (the word, 3 trigrams), so a query of 8 or more distinct
    shingles (no character q-grams: over 40 characters) always reaches its original."""
    original, edited = _edited(words, position, word)
    assume(len(edited) > 40 and len(shingles(edited)) >= 8)
    assert _reaches(original, edited, others)


def test_blocking_does_not_depend_on_the_hash_seed() -> None:
    """Ties between equally rare shingles are broken by their key (CRC-32 based), long texts
    are sampled by CRC-32: same pairs in any process."""
    script = ("import sys; sys.path.insert(0, sys.argv[1]); from corpus import make_corpus; "
              "from polyleaf.catalog.fuzzy import ShingleIndex\n"
              "for shape, size in (('short', 300), ('long', 100)):\n"
              "    c = make_corpus(size, shape=shape)\n"
              "    index = ShingleIndex([e.msgid for e in c.old.entries])\n"
              "    print([index.candidates(e.msgid) for e in c.template.entries])")
    outputs = {subprocess.run([sys.executable, "-c", script, str(BENCH)], capture_output=True,
                              text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2")}
    assert len(outputs) == 1 and len(next(iter(outputs))) > 100


LONG_WORDS = st.lists(st.sampled_from(["pain", "back", "neck", "take", "dose", "the", "and", "2",
                                       "knee", "rest", "heat", "ice", "walk", "sit"]),
                      min_size=150, max_size=300)


@settings(max_examples=60, deadline=None)
@given(words=LONG_WORDS, others=st.lists(LONG_WORDS, max_size=8), position=st.integers(0, 299),
       word=st.sampled_from(["tablet", "3", "pain", "x"]))
def test_a_one_word_edit_of_a_long_paragraph_is_compared_with_its_original(
        words: list[str], others: list[list[str]], position: int, word: str) -> None:
    """Long texts are looked up by a stable-hash sample of their shingles (or, when the sample
    is small, compared with every choice of a matching length): a one-word edit removes at most
    4 sampled shingles, so a small vocabulary, where every word is common, still reaches it."""
    original, edited = _edited(words, position, word)
    assume(level(len(edited)) > 0)  # the sampled path
    assert _reaches(original, edited, others)


@pytest.mark.parametrize("shape", ["long", "cjk"])
def test_one_character_edits_of_long_and_cjk_entries_are_recovered(shape: str) -> None:
    """One character changed (in a word, or a Han character) in every one of 150 entries:
    each comes back paired with its original, as comparing everything pairs them."""
    corpus = make_corpus(400, seed=5, shape=shape)
    choices = [e.msgid for e in corpus.old.entries]
    queries = []
    for number, text in enumerate(choices[:150]):
        at = (number * 7919) % (len(text) - 1)
        queries.append(text[:at] + ("\u4e01" if shape == "cjk" else "q") + text[at + 1:])
    pairs = fuzzy_pairs(queries, choices)
    assert pairs == [(n, n) for n in range(150)]
    assert pairs == fuzzy_pairs(queries, choices, blocking=False)


def test_samples_are_nested_and_a_long_text_is_sampled() -> None:
    """The sample at a depth holds the sample at every greater depth (a choice indexed at the
    depth of the shortest query that can match it holds every such query's sample)."""
    text = make_corpus(50, shape="long").old.entries[0].msgid
    marks: dict[str, int] = {}
    layers = [sampled(text, depth, marks) for depth in range(5)]
    assert layers[0] == shingles(text) and level(len(text)) >= 1
    assert all(deeper <= wider for wider, deeper in pairwise(layers))
    assert len(layers[0]) > 2 * len(layers[2]) > 0


def test_a_long_text_of_few_words_is_compared_with_every_choice_of_a_matching_length() -> None:
    """A long text repeating two words has a sample too small for the guarantee: it is compared
    with every choice whose length allows the cutoff, and with no other."""
    original = " ".join(["pain", "back"] * 150)
    edited = original.replace("back", "neck", 1)
    assert len(sampled(edited, level(len(edited)), {})) < MIN_SAMPLED
    choices = ["short text " * 3, "x" * 5000, original]
    assert ShingleIndex(choices).candidates(edited) == [2]
    assert fuzzy_pairs([edited], choices) == [(0, 2)]
