"""The site-wide files (indexes, 404s, sitemap, CSS) are kept group by group, never stale.

Each group is keyed by what it is rendered from (:mod:`polyleaf.engine.sitekeys`). After every
change the incremental build must write exactly the bytes of a fresh build of the same inputs
(``assert_like_fresh``); and a change renders again only the groups that show it (a title edit
in one locale: that locale's index).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polyleaf.catalog import pofile
from polyleaf.catalog.files import update
from polyleaf.catalog.project import Project
from polyleaf.config import Config, load_config
from polyleaf.engine.build import build
from polyleaf.paths import po_path
from polyleaf.render import pages
from polyleaf.render.publication import Publication

from .test_build_cache import assert_like_fresh
from .test_gates import ARTICLE, GERMAN, REPO

FRENCH = {
    "Rest and recovery": "Repos et récupération",
    "How to rest.": "Comment se reposer.",
    "Rest for 2 days and drink 8 glasses of water.":
        "Reposez-vous 2 jours et buvez 8 verres d'eau.",
    "Read [our other leaflet](rest) for more.": "Lisez [notre autre dépliant](rest) pour plus.",
    "Sleep well.": "Dormez bien.",
    "Eat well.": "Mangez bien.",
    "Call 999 if you faint.": "Appelez le 999 si vous vous évanouissez.",
}
CONFIG = ('[project]\nname = "T"\nsource_language = "en"\nlocales = ["de", "fr"]\n'
          'base_url = "https://example.org/"\n[organisation]\nname = "Clinic"\ncontact = "1"\n'
          '[leaflets]\nvariants = {variants}\n')


def translate(config: Config, locale: str, article: str, table: dict[str, str],
              fuzzy: tuple[str, ...] = ()) -> None:
    path = po_path(config, locale, article)
    catalog = pofile.parse(path.read_text(encoding="utf-8"))
    entries = tuple(replace(e, msgstr=table.get(e.msgid, e.msgstr),
                            flags=("fuzzy",) if e.msgid in fuzzy else ())
                    for e in catalog.entries)
    path.write_text(pofile.serialize(replace(catalog, entries=entries)), encoding="utf-8")


def add_article(config: Config, article: str, title: str) -> None:
    text = ARTICLE.format(due="2099-01-01").replace("id: rest", f"id: {article}")
    (config.source_dir / f"{article}.md").write_text(
        text.replace('"Rest and recovery"', f'"{title}"'), encoding="utf-8")


def make(root: Path, variants: str = "[]") -> Config:
    """en -> de, fr; articles rest and sleep, both translated."""
    (root / "source").mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "polyleaf.toml").write_text(CONFIG.format(variants=variants), encoding="utf-8")
    config = load_config(root)
    add_article(config, "rest", "Rest and recovery")
    add_article(config, "sleep", "Sleep and recovery")
    update(config)
    for article in ("rest", "sleep"):
        translate(config, "de", article, GERMAN)
        translate(config, "fr", article, FRENCH)
    return config


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The groups of site-wide files the builds render (in order)."""
    groups: list[str] = []
    render = pages.render_site_group

    def spy(project: Project, publication: Publication, group: str,
            languages: Sequence[str]) -> dict[str, str]:
        groups.append(group)
        return render(project, publication, group, languages)

    monkeypatch.setattr(pages, "render_site_group", spy)
    return groups


@pytest.fixture
def site(tmp_path: Path, rendered: list[str]) -> Config:
    config = make(tmp_path / "p")
    report = build(config)
    assert not report.diagnostics and report.counts() == {"built": 6}
    assert set(rendered) == {"index:en", "index:de", "index:fr", "languages", "sitemap", "static"}
    return config


def shown(config: Config, name: str) -> str:
    return (config.build_dir / "site" / name).read_text(encoding="utf-8")


def check(config: Config, tmp_path: Path, rendered: list[str]) -> set[str]:
    """Build, compare with a fresh build, and say which groups of site-wide files the
    incremental build rendered."""
    rendered.clear()
    report = build(config)
    groups = set(rendered)
    assert_like_fresh(config, report, tmp_path)
    return groups


def test_a_title_edit_renders_that_languages_index_only(site: Config, tmp_path: Path,
                                                        rendered: list[str]) -> None:
    edit(po_path(site, "de", "rest"), 'msgstr "Ruhe und Erholung"', 'msgstr "Ruhe und Schlaf"')
    assert check(site, tmp_path, rendered) == {"index:de"}
    assert "Ruhe und Schlaf" in shown(site, "de/index.html")
    edit(po_path(site, "fr", "sleep"), 'msgstr "Comment se reposer."', 'msgstr "Se reposer."')
    assert check(site, tmp_path, rendered) == {"index:fr"}  # a summary


def test_a_body_edit_renders_no_site_wide_file(site: Config, tmp_path: Path,
                                               rendered: list[str]) -> None:
    edit(po_path(site, "de", "rest"), "Schlafen Sie gut.", "Schlafen Sie tief.")
    assert check(site, tmp_path, rendered) == set()


def test_dates_and_versions(site: Config, tmp_path: Path, rendered: list[str]) -> None:
    edit(site.source_dir / "rest.md", "reviewed: 2026-03-01", "reviewed: 2026-03-02")
    assert check(site, tmp_path, rendered) == {"sitemap"}  # lastmod
    edit(site.source_dir / "rest.md", 'version: "3.2"', 'version: "3.3"')
    assert check(site, tmp_path, rendered) == set()  # no index or sitemap shows it
    path = po_path(site, "fr", "sleep")
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'"PO-Revision-Date: [^\\]*\\n"', r'"PO-Revision-Date: '
                           r'2027-01-02 10:00+0000\\n"', text), encoding="utf-8")
    assert check(site, tmp_path, rendered) == {"sitemap"}
    assert "2027-01-02" in shown(site, "sitemap.xml")


def test_an_article_added_and_removed(site: Config, tmp_path: Path, rendered: list[str]) -> None:
    add_article(site, "water", "Water")  # not translated: listed in English everywhere
    assert {"index:de", "index:fr", "index:en",
            "sitemap"} <= check(site, tmp_path, rendered)
    assert "Available in" in shown(site, "de/index.html")
    (site.source_dir / "water.md").unlink()
    assert {"index:de", "sitemap"} <= check(site, tmp_path, rendered)
    (site.source_dir / "sleep.md").unlink()
    check(site, tmp_path, rendered)


def test_a_site_po_edit(site: Config, tmp_path: Path, rendered: list[str]) -> None:
    path = po_path(site, "de", "site")
    edit(path, 'msgid "Patient information leaflets"\nmsgstr ""',
         'msgid "Patient information leaflets"\nmsgstr "Patienteninformationen"')
    written = check(site, tmp_path, rendered)
    assert {"index:de", "languages"} <= written
    assert "index:fr" not in written and "sitemap" not in written
    assert "Patienteninformationen" in shown(site, "fr/404.html")
    path.unlink()  # no catalog at all: the source strings
    check(site, tmp_path, rendered)


def test_a_template_edit(site: Config, tmp_path: Path, rendered: list[str]) -> None:
    edit(site.templates_dir / "index.html", "</ul>", "</ul><!-- changed -->")
    written = check(site, tmp_path, rendered)
    assert "index:de" in written and "sitemap" not in written
    edit(site.templates_dir / "base.html", "</body>", "<!-- changed --></body>")
    assert "languages" in check(site, tmp_path, rendered)
    css = next(site.templates_dir.rglob("site.css"))
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    assert "static" in check(site, tmp_path, rendered)


def test_a_config_change(site: Config, tmp_path: Path, rendered: list[str]) -> None:
    edit(site.path, "https://example.org/", "https://example.org/leaflets/")
    site = load_config(site.root)
    assert {"sitemap", "static", "index:de",
            "languages"} <= check(site, tmp_path, rendered)
    edit(site.path, 'name = "Clinic"', 'name = "Other clinic"')
    check(load_config(site.root), tmp_path, rendered)


def test_a_language_held_back_and_restored(site: Config, tmp_path: Path,
                                           rendered: list[str]) -> None:
    for article in ("rest", "sleep"):
        translate(site, "fr", article, dict.fromkeys(FRENCH, ""))
    written = check(site, tmp_path, rendered)
    assert "languages" in written and "index:fr" not in written
    assert not (site.build_dir / "site/fr/index.html").exists()
    for article in ("rest", "sleep"):
        translate(site, "fr", article, FRENCH)
    assert "index:fr" in check(site, tmp_path, rendered)


def test_a_leaflet_held_back_and_restored(tmp_path: Path, rendered: list[str]) -> None:
    config = make(tmp_path / "p", variants='["a4"]')
    build(config)
    index = config.build_dir / "site/de/index.html"
    assert "rest-a4.pdf" in index.read_text(encoding="utf-8")
    translate(config, "de", "rest", GERMAN, fuzzy=("Eat well.",))  # the page stays, no leaflet
    assert check(config, tmp_path, rendered) == {"index:de"}
    assert "rest-a4.pdf" not in index.read_text(encoding="utf-8")
    assert (config.build_dir / "site/de/rest/index.html").is_file()
    translate(config, "de", "rest", GERMAN)
    assert check(config, tmp_path, rendered) == {"index:de"}
    assert "rest-a4.pdf" in index.read_text(encoding="utf-8")


def _step(config: Config, action: str, value: int) -> None:
    """One change of what site-wide files show (``value`` picks a variant)."""
    if action == "title":
        locale, article = (("de", "rest"), ("fr", "sleep"), ("de", "sleep"))[value % 3]
        path = po_path(config, locale, article)
        catalog = pofile.parse(path.read_text(encoding="utf-8"))
        titles = ("Titel A", "Titel B", "")
        path.write_text(pofile.serialize(replace(catalog, entries=tuple(
            replace(e, msgstr=titles[value % 3]) if e.msgctxt == "title" else e
            for e in catalog.entries))), encoding="utf-8")
    elif action == "reviewed":
        text = (config.source_dir / "sleep.md").read_text(encoding="utf-8")
        (config.source_dir / "sleep.md").write_text(re.sub(
            r"reviewed: \S+", f"reviewed: 2026-03-0{value % 9 + 1}", text), encoding="utf-8")
    elif action == "article":
        water = config.source_dir / "water.md"
        if water.exists():
            water.unlink()
        else:
            add_article(config, "water", "Water")
    elif action == "site.po":
        path = po_path(config, "fr", "site")
        catalog = pofile.parse(path.read_text(encoding="utf-8"))
        tagline = ("Dépliants", "Brochures", "")[value % 3]
        path.write_text(pofile.serialize(replace(catalog, entries=tuple(
            replace(e, msgstr=tagline) if e.msgid == "Patient information leaflets" else e
            for e in catalog.entries))), encoding="utf-8")
    elif action == "held":
        translate(config, "de", "rest", dict.fromkeys(GERMAN, "") if value % 2 else GERMAN)
    else:  # the base URL
        text = config.path.read_text(encoding="utf-8")
        config.path.write_text(re.sub(r'base_url = "[^"]*"', 'base_url = "https://example.org/'
                                      f'{"x/" * (value % 2)}"', text), encoding="utf-8")


STEPS = st.lists(st.tuples(st.sampled_from(["title", "reviewed", "article", "site.po", "held",
                                            "base_url"]), st.integers(0, 5)),
                 min_size=1, max_size=4)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_any_sequence_of_site_changes_builds_what_a_fresh_build_does(
        tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[str, int]]) -> None:
    root = tmp_path_factory.mktemp("sites")
    config = make(root / "p")
    build(config)
    for action, value in steps:
        _step(config, action, value)
        config = load_config(config.root)
        assert_like_fresh(config, build(config), root)
