"""Generate a synthetic content project: N articles x M locales with complete catalogs.

Articles have the shape of real patient leaflets (front matter, headings, paragraphs, lists, a
warning call-out, numbers, links between articles). Translations are machine-made but pass
polyleaf's QA: every letter gets a diacritic, numbers, markup and link targets are kept.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from pathlib import Path

from polyleaf.catalog import pofile
from polyleaf.catalog.files import update
from polyleaf.config import load_config
from polyleaf.paths import po_path

LOCALES = ["es", "fr", "de", "ar", "zh_Hans", "pt_BR", "it", "nl", "ru", "ja", "tr", "pl",
           "ko", "sv", "da", "fi", "uk", "el", "he", "cs", "vi", "ro", "hu"]
WORDS = ("pain", "back", "neck", "head", "doctor", "muscle", "nerve", "spine", "posture", "sleep",
         "water", "stress", "rest", "walk", "stretch", "chair", "screen", "desk", "pillow", "bag",
         "shoulder", "arm", "leg", "body", "medicine", "headache", "migraine", "tension", "blood",
         "pressure", "exercise", "daily", "week", "month", "weight", "heat", "cold", "ice",
         "physiotherapist", "symptom", "sign", "test", "treatment", "plan", "nurse", "clinic",
         "hospital", "emergency", "help", "breathing")
_ACCENT = str.maketrans("aeiouAEIOUnNcC", "áéíóúÁÉÍÓÚñÑçÇ")


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 16))
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), f"{rng.randint(2, 60)}")
    if rng.random() < 0.2:
        words[rng.randrange(len(words))] = f"**{rng.choice(WORDS)}**"
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def article(rng: random.Random, number: int, total: int) -> str:
    other = f"article-{(number + 1) % total:03d}"
    blocks = [" ".join(sentence(rng) for _ in range(3))]
    for section in range(rng.randint(3, 5)):
        blocks.append(f"## {sentence(rng)[:-1]}")
        blocks.append(" ".join(sentence(rng) for _ in range(rng.randint(2, 4))))
        if section == 1:
            blocks.append("\n".join(f"- {sentence(rng)}" for _ in range(4)))
    blocks.append(f"Read [the related leaflet]({other}) for more.")
    blocks.append(f"> [!WARNING]\n> Call 999 if {sentence(rng).lower()}")
    front = (f'---\nid: article-{number:03d}\ntitle: "{sentence(rng)[:-1]}"\n'
             f'summary: "{sentence(rng)}"\nversion: "1.{number}"\nreviewed: 2026-06-01\n'
             f'review_due: 2099-01-01\nrelated:\n  - {other}\n---\n\n')
    return front + "\n\n".join(blocks) + "\n"


def make_project(root: Path, articles: int, locales: int, repo: Path, seed: int = 7,
                 variants: tuple[str, ...] = ("a4",)) -> Path:
    """Create the project at ``root`` (source, templates from ``repo``, complete catalogs;
    ``variants=()``: pages only)."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    (root / "source").mkdir(parents=True)
    shutil.copytree(repo / "templates", root / "templates")
    chosen = LOCALES[:locales]
    (root / "polyleaf.toml").write_text(
        '[project]\nname = "Synthetic"\nsource_language = "en"\n'
        f"locales = {chosen!r}\n".replace("'", '"') +
        'base_url = "https://example.org/"\n[organisation]\nname = "Bench clinic"\n'
        f'contact = "000"\n[leaflets]\nvariants = {list(variants)!r}\n'.replace("'", '"'),
        encoding="utf-8")
    for number in range(articles):
        (root / "source" / f"article-{number:03d}.md").write_text(
            article(rng, number, articles), encoding="utf-8")
    config = load_config(root)
    update(config)
    for locale in chosen:
        for path in sorted((config.locales_dir / locale / "LC_MESSAGES").glob("*.po")):
            translate_file(path)
    return root


def translate_file(path: Path) -> None:
    catalog = pofile.parse(path.read_text(encoding="utf-8"))
    entries = tuple(replace(e, msgstr=_fake(e.msgid)) if e.msgid_plural is None
                    else replace(e, msgstr_plural=tuple(_fake(e.msgid) for _ in e.msgstr_plural))
                    for e in catalog.entries)
    path.write_text(pofile.serialize(replace(catalog, entries=entries)), encoding="utf-8")


def _fake(text: str) -> str:
    out, depth = [], 0
    for char in text:  # keep link targets and %(placeholders)s untouched
        if char in "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        out.append(char if depth else char.translate(_ACCENT))
    return "".join(out)


__all__ = ["make_project", "po_path"]
