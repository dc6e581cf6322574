"""Synthetic catalogs for benchmarks: realistic paragraph-sized entries and a controlled edit.

Words are drawn from a Zipf-distributed vocabulary of pronounceable pseudo-words (as natural
language is: a few very frequent words, a long tail), 10-60 words a paragraph. The edit is the
one the catalog-workflow issue specifies: 10 % of entries edited by one word, 5 % removed, 5 %
added. Deterministic for a given seed.
"""

from __future__ import annotations

import random
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


def paragraph(rng: random.Random, words: list[str], weights: list[float]) -> str:
    """One paragraph of 10-60 words, capitalised, with a full stop."""
    chosen = rng.choices(words, weights=weights, k=rng.randint(10, 60))
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + "."


def make_corpus(size: int, seed: int = 42) -> Corpus:
    """Build the old .po (fully translated) and the edited .pot."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    weights = [1.0 / (rank + 1) ** 1.07 for rank in range(len(words))]
    texts: list[str] = []
    seen: set[str] = set()
    while len(texts) < size:
        text = paragraph(rng, words, weights)
        if text not in seen:
            seen.add(text)
            texts.append(text)
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
    for i, text in enumerate(texts):
        if i in remove_set:
            continue
        if i in edit_set:
            tokens = text.split()
            position = rng.randrange(len(tokens))
            tokens[position] = rng.choice(words[:2000])
            changed = " ".join(tokens)
            if changed in seen:
                continue
            seen.add(changed)
            edited[changed] = text
            new_texts.append(changed)
        else:
            new_texts.append(text)
    added: list[str] = []
    while len(added) < size // 20:
        text = paragraph(rng, words, weights)
        if text not in seen:
            seen.add(text)
            added.append(text)
            new_texts.insert(rng.randrange(len(new_texts) + 1), text)
    template = Catalog(header=(("Content-Type", "text/plain; charset=UTF-8"),),
                       entries=tuple(Entry(msgid=t, locations=(f"a.md:{i}",))
                                     for i, t in enumerate(new_texts)))
    return Corpus(old, template, edited, frozenset(added),
                  frozenset(texts[i] for i in remove_set))
