"""A glossary change can never be hidden by the build's caches (QA verdicts, facts, pages).

The QA verdict of an entry is a pure function of the entry: the terminology check reads the
``#. Terminology:`` comment that ``update`` writes from the glossary. So a glossary edit reaches
the build through ``update``; until then ``check`` reports the comments stale. These tests edit
the glossary of a built project and compare every later build with a fresh one.
"""

from __future__ import annotations

from pathlib import Path

from polyleaf.catalog.files import update
from polyleaf.config import Config
from polyleaf.engine.build import build

from .test_build_cache import assert_like_fresh, page, pages_only
from .test_gates import make_project

HEADER = '"source","target","context","developer_comments","flags"\n'


def _glossary(config: Config, rows: str) -> None:
    (config.locales_dir / "de" / "glossary.csv").write_text(HEADER + rows, encoding="utf-8")


def _outcome(report: object, output: str = "html") -> tuple[str, str]:
    found = [(o.status, o.reason) for o in report.outcomes  # type: ignore[attr-defined]
             if o.article == "rest" and o.locale == "de" and o.output == output]
    assert len(found) == 1
    return found[0]


def test_a_newly_forbidden_term_is_never_served_from_the_cache(tmp_path: Path) -> None:
    config = pages_only(make_project(tmp_path / "p"))
    build(config)
    assert "Schlafen Sie gut." in page(config)
    _glossary(config, '"sleep","schlummern","","",""\n"sleep","Schlafen","","","forbidden"\n')
    update(config, tm=False)
    report = build(config)
    # the translation with the forbidden term is not used: the page falls back to English for
    # that entry (a leaflet, which needs every entry, would be held back)
    assert "Schlafen Sie gut." not in page(config) and "Sleep well." in page(config)
    assert_like_fresh(config, report, tmp_path)
    # the term allowed again: the page comes back, exactly as a fresh build has it
    _glossary(config, '"sleep","Schlafen","","",""\n')
    update(config, tm=False)
    report = build(config)
    assert _outcome(report)[0] in ("built", "unchanged")
    assert "Schlafen Sie gut." in page(config)
    assert_like_fresh(config, report, tmp_path)


def test_a_glossary_removed_gives_what_a_fresh_build_gives(tmp_path: Path) -> None:
    config = pages_only(make_project(tmp_path / "p"))
    _glossary(config, '"sleep","Schlafen","","",""\n"sleep","Schlummern","","","forbidden"\n')
    update(config, tm=False)
    build(config)
    (config.locales_dir / "de" / "glossary.csv").unlink()
    update(config, tm=False)
    report = build(config)
    assert_like_fresh(config, report, tmp_path)


def test_a_newly_forbidden_term_holds_back_a_cached_leaflet(tmp_path: Path) -> None:
    config = make_project(tmp_path / "p")
    first = build(config)
    assert [o.status for o in first.outcomes if o.locale == "de" and o.output != "html"] \
        == ["built"]
    _glossary(config, '"sleep","schlummern","","",""\n"sleep","Schlafen","","","forbidden"\n')
    update(config, tm=False)
    report = build(config)
    (leaflet,) = [o for o in report.outcomes if o.locale == "de" and o.output != "html"]
    assert leaflet.status == "skipped", leaflet
    assert any("qa.terminology" in str(e) for e in leaflet.entries), leaflet
    assert not (config.build_dir / "leaflets" / "de" / "rest-a4.pdf").exists()
