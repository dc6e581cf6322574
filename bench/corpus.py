"""Synthetic catalogs for benchmarks: realistic paragraph-sized entries and a controlled edit.

Shapes (``SHAPES``; each a way to draw one entry as a list of words, and a joiner):
- ``zipf``: 10-60 words from a Zipf-distributed vocabulary of pronounceable pseudo-words (as
  natural language is: a few very frequent words, a long tail);
- ``uniform``: 10-60 words drawn uniformly from a ~50-word medical vocabulary (no rare words);
- ``neardup``: families of ~20 near-duplicate paragraphs, each a base with 1-3 slot words changed
  (doses, body parts, times), as in a catalog of many similar leaflets;
- ``short``: 1-4 words, like table cells and list items;
- ``long``: 200-400 Zipf words a paragraph;
- ``cjk``: 10-60 words of 1-2 Han characters, written without spaces.
The edit is the one the catalog-workflow issue specifies: 10 % of entries edited by one word,
5 % removed, 5 % added. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from polyleaf.catalog.pofile import Catalog, Entry

SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
COMMON = ("the", "and", "of", "to", "a", "in", "is", "you", "your", "it", "for", "that", "with",
          "can", "be", "are", "or", "on", "this", "if", "not", "pain", "may", "doctor", "back",
          "neck", "head", "help")


@dataclass(frozen=True)
class Corpus:
    """An old translated catalog, the new template, and what the edit did."""

    old: Catalog
    template: Catalog
    edited: dict[str, str]  # new msgid -> old msgid (one-word edits)
    added: frozenset[str]  # brand-new msgids
    removed: frozenset[str]


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    """Common words first, then pseudo-words."""
    words = list(COMMON)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


MEDICAL = ("pain", "back", "neck", "head", "take", "tablet", "dose", "doctor", "nurse", "day",
           "night", "water", "rest", "sleep", "muscle", "nerve", "joint", "knee", "hip", "arm",
           "leg", "heat", "ice", "walk", "sit", "stand", "bend", "lift", "stretch", "exercise",
           "breathe", "fever", "swelling", "injury", "strain", "posture", "desk", "chair", "work",
           "call", "urgent", "care", "help", "the", "and", "of", "to", "your", "with", "if")
SLOTS = ("1", "2", "3", "4", "one", "two", "morning", "evening", "back", "neck", "knee", "hip",
         "left", "right", "daily", "weekly", "mild", "severe")
HAN = [chr(0x4E00 + i) for i in range(0, 20000, 7)][:1500]

Draw = Callable[[random.Random], list[str]]


@dataclass(frozen=True)
class Shape:
    """How to draw one entry (words) and one replacement word, and how words are joined."""

    draw: Draw
    word: Callable[[random.Random], str]
    sep: str = " "


def _zipf(words: list[str], low: int, high: int) -> Shape:
    weights = [1.0 / (rank + 1) ** 1.07 for rank in range(len(words))]
    return Shape(lambda rng: rng.choices(words, weights=weights, k=rng.randint(low, high)),
                 lambda rng: rng.choice(words[:2000]))


def _near_duplicates(words: list[str]) -> Shape:
    base_rng = random.Random(7)
    weights = [1.0 / (rank + 1) ** 1.07 for rank in range(len(words))]
    bases = [base_rng.choices(words, weights=weights, k=base_rng.randint(15, 40))
             for _ in range(2000)]

    def draw(rng: random.Random) -> list[str]:
        tokens = list(bases[rng.randrange(len(bases))])
        for _ in range(rng.randint(1, 3)):
            tokens[rng.randrange(len(tokens))] = rng.choice(SLOTS)
        return tokens

    return Shape(draw, lambda rng: rng.choice(words[:2000]))


def _cjk() -> Shape:
    words = ["".join(random.Random(n).choices(HAN, k=1 + n % 2)) for n in range(4000)]
    weights = [1.0 / (rank + 1) ** 1.07 for rank in range(len(words))]
    return Shape(lambda rng: rng.choices(words, weights=weights, k=rng.randint(10, 60)),
                 lambda rng: rng.choice(words[:2000]), sep="")


def shapes() -> dict[str, Shape]:
    """Every corpus shape by name."""
    words = vocabulary(random.Random(1))
    short_words = words[:300]
    return {"zipf": _zipf(words, 10, 60),
            "uniform": Shape(lambda rng: rng.choices(MEDICAL, k=rng.randint(10, 60)),
                             lambda rng: rng.choice(MEDICAL)),
            "neardup": _near_duplicates(words),
            "short": Shape(lambda rng: rng.choices(short_words, k=rng.randint(1, 4)),
                           lambda rng: rng.choice(short_words)),
            "long": _zipf(words, 200, 400),
            "cjk": _cjk()}


SHAPES = ("zipf", "uniform", "neardup", "short", "long", "cjk")


def _text(tokens: list[str], shape: Shape) -> str:
    text = shape.sep.join(tokens)
    return text[0].upper() + text[1:] + ("。" if shape.sep == "" else ".")


def make_corpus(size: int, seed: int = 42, shape: str = "zipf") -> Corpus:
    """Build the old .po (fully translated) and the edited .pot for one corpus shape."""
    rng = random.Random(seed)
    kind = shapes()[shape]
    drawn: list[list[str]] = []
    seen: set[str] = set()
    while len(drawn) < size:
        tokens = kind.draw(rng)
        if _text(tokens, kind) not in seen:
            seen.add(_text(tokens, kind))
            drawn.append(tokens)
    texts = [_text(tokens, kind) for tokens in drawn]
    old = Catalog(header=(("Content-Type", "text/plain; charset=UTF-8"), ("Language", "de"),
                          ("Plural-Forms", "nplurals=2; plural=(n != 1);")),
                  entries=tuple(Entry(msgid=t, msgstr=t.upper(), locations=(f"a.md:{i}",))
                                for i, t in enumerate(texts)))
    indices = list(range(size))
    rng.shuffle(indices)
    n_edit, n_remove = size // 10, size // 20
    edit_set = set(indices[:n_edit])
    remove_set = set(indices[n_edit:n_edit + n_remove])
    edited: dict[str, str] = {}
    new_texts: list[str] = []
    for i, tokens in enumerate(drawn):
        if i in remove_set:
            continue
        if i not in edit_set:
            new_texts.append(texts[i])
            continue
        changed_tokens = list(tokens)
        changed_tokens[rng.randrange(len(tokens))] = kind.word(rng)
        changed = _text(changed_tokens, kind)
        if changed in seen:
            new_texts.append(texts[i])
            continue
        seen.add(changed)
        edited[changed] = texts[i]
        new_texts.append(changed)
    added: list[str] = []
    while len(added) < size // 20:
        text = _text(kind.draw(rng), kind)
        if text not in seen:
            seen.add(text)
            added.append(text)
            new_texts.insert(rng.randrange(len(new_texts) + 1), text)
    template = Catalog(header=(("Content-Type", "text/plain; charset=UTF-8"),),
                       entries=tuple(Entry(msgid=t, locations=(f"a.md:{i}",))
                                     for i, t in enumerate(new_texts)))
    return Corpus(old, template, edited, frozenset(added),
                  frozenset(texts[i] for i in remove_set))
