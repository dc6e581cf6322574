"""Benchmark: qa.terminology on a mutation corpus (detection and false-positive rates), and speed.

Corpus, per locale with a glossary (es, fr, ar, zh_Hans): every finished entry of the example
catalogs whose ``#. Terminology:`` comment it passes, plus one generated sentence per glossary
term (the term in a neutral frame of the language). Harmful mutations of each approved term
found verbatim in a translation:

- ``forbidden``: replaced by each forbidden term of its rule (detected: an error);
- ``dropped``: replaced by a neutral word (detected: a warning);
- ``wrong-term``: replaced by another term's approved translation (detected: a warning).

Controls (a false positive is any qa.terminology finding): the unmutated entry, the term with
its first letter upper-cased, and (single Latin words) its plural with ``-s``.

Speed: CPU time of matching a 1,000-term glossary over 100 KB and 1 MB of text, and of
``update``'s annotation of 20,000 entries.

    .venv/bin/python bench/bench_terminology.py [--verbose]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from polyleaf.catalog.glossary import Glossary, Term, load_glossary  # noqa: E402
from polyleaf.catalog.pofile import Catalog, Entry, parse  # noqa: E402
from polyleaf.catalog.terminology import Annotator, parse_rules  # noqa: E402
from polyleaf.catalog.terms import Matcher  # noqa: E402
from polyleaf.config import load_config  # noqa: E402
from polyleaf.errors import Level  # noqa: E402
from polyleaf.i18n import locale_info  # noqa: E402
from polyleaf.qa.checks import check_entry  # noqa: E402

FRAMES = {"es": ("Read about {} here.", "Lea aquí sobre {}."),
          "fr": ("Read about {} here.", "Lisez ici à propos de {}."),
          "ar": ("Read about {} here.", "اقرأ هنا عن {}."),
          "zh_Hans": ("Read about {} here.", "请在这里阅读关于{}的内容。")}
NEUTRAL = {"es": "eso", "fr": "cela", "ar": "ذلك", "zh_Hans": "这个"}


def _levels(entry: Entry, locale: str) -> set[Level]:
    return {f.level for f in check_entry(entry, locale_info(locale)) if f.code == "qa.terminology"}


def corpus(locale: str) -> tuple[list[Entry], Glossary]:
    config = load_config(REPO)
    glossary = load_glossary(config, locale).glossary
    entries = []
    for path in sorted((REPO / "locales" / locale / "LC_MESSAGES").glob("*.po")):
        for entry in parse(path.read_text(encoding="utf-8")).live:
            if entry.translated and not entry.fuzzy and parse_rules(entry):
                entries.append(entry)
    annotator = Annotator(glossary, config.source_language)
    source_frame, target_frame = FRAMES[locale]
    for term in glossary.terms:
        if term.approved:
            made = Entry(source_frame.format(term.source), target_frame.format(term.approved[0]))
            entries.append(annotator.annotate(Catalog(entries=(made,))).entries[0])
    return [e for e in entries if not _levels(e, locale)], glossary


def _swap(entry: Entry, old: str, new: str) -> Entry | None:
    edge = "" if re.search(r"[\u0600-\u06ff\u3400-\u9fff]", old) else r"(?<!\w)"  # clitics
    pattern = re.compile(edge + re.escape(old) + edge.replace("<", ""), re.IGNORECASE)
    if not pattern.search(entry.msgstr):
        return None
    return replace(entry, msgstr=pattern.sub(lambda _: new, entry.msgstr))


def mutations(entry: Entry, glossary: Glossary, locale: str
              ) -> list[tuple[str, Entry, Level]]:
    """(kind, mutated entry, the level that detects it)."""
    result = []
    others = [a for t in glossary.terms for a in t.approved[:1]]
    for rule in parse_rules(entry):
        for approved in rule.approved:
            for bad in rule.forbidden:
                if (made := _swap(entry, approved, bad)) is not None:
                    result.append(("forbidden", made, Level.ERROR))
            made = _swap(entry, approved, NEUTRAL[locale]) if len(rule.approved) == 1 else None
            if made is not None:
                result.append(("dropped", made, Level.WARNING))
            wrong = next((o for o in others if o not in rule.approved and o not in approved
                          and approved not in o), None)
            if wrong and len(rule.approved) == 1 and (made := _swap(entry, approved, wrong)):
                result.append(("wrong-term", made, Level.WARNING))
    return result


def controls(entry: Entry, locale: str) -> list[tuple[str, Entry]]:
    result = [("unchanged", entry)]
    for rule in parse_rules(entry):
        for approved in rule.approved:
            capital = approved[:1].upper() + approved[1:]
            if capital != approved and (made := _swap(entry, approved, capital)):
                result.append(("capitalized", made))
            if re.fullmatch(r"[^\W\d_]+", approved) and not approved.endswith("s") \
                    and locale in ("es", "fr") \
                    and (made := _swap(entry, approved, approved + "s")):
                result.append(("plural", made))
    return result


def rates(verbose: bool) -> None:
    print("| locale | entries | harmful mutations | detected | controls | false positives |")
    print("| --- | --- | --- | --- | --- | --- |")
    kinds: Counter[str] = Counter()
    for locale in FRAMES:
        entries, glossary = corpus(locale)
        harmful = detected = checked = false = 0
        for entry in entries:
            for kind, made, level in mutations(entry, glossary, locale):
                harmful += 1
                kinds[kind] += 1
                if level in _levels(made, locale):
                    detected += 1
                elif verbose:
                    print(f"  missed {kind}: {made.msgstr[:80]!r}")
            for kind, made in controls(entry, locale):
                checked += 1
                kinds[kind] += 1
                if _levels(made, locale):
                    false += 1
                    if verbose:
                        print(f"  false positive {kind}: {made.msgstr[:80]!r}")
        print(f"| {locale} | {len(entries)} | {harmful} | {100 * detected / max(harmful, 1):.0f} % "
              f"| {checked} | {100 * false / max(checked, 1):.0f} % |")
    print("kinds:", dict(sorted(kinds.items())))


def speed() -> None:
    phrases = [f"term{n} word{n % 7}" for n in range(1000)] + ["migraine"]
    matcher = Matcher(phrases, "en")
    piece = "A migraine is not term5 word5 but term12 word5, " * 2
    for size in (100_000, 1_000_000):
        text = piece * (size // len(piece))
        start = time.process_time()
        count = len(matcher.find(text))
        print(f"match 1,000 terms in {size // 1000} KB: {time.process_time() - start:.3f} s CPU, "
              f"{count} matches")
    terms = [Term(f"term{n} word{n % 7}", (f"t{n}",)) for n in range(1000)]
    glossary = Glossary("es", (*terms, Term("migraine", ("migraña",))))
    entries = tuple(Entry(f"Paragraph {n}: a migraine is not term{n % 1000} word{n % 7}.")
                    for n in range(20_000))
    start = time.process_time()
    annotated = Annotator(glossary, "en").annotate(Catalog(entries=entries))
    print(f"annotate 20,000 entries with a 1,001-term glossary: "
          f"{time.process_time() - start:.3f} s CPU "
          f"({sum(1 for e in annotated.entries if e.auto_comments)} annotated)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    rates(args.verbose)
    speed()


if __name__ == "__main__":
    main()
