"""The build engine: incremental rebuilds, executors, failures that do not stop the rest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from polyleaf.config import Config, load_config
from polyleaf.engine.build import build
from polyleaf.engine.executors import DaskExecutor, PoolExecutor, SerialExecutor, make_executor
from polyleaf.errors import ConfigError

from .test_gates import GERMAN, make_project

TWO = """---
id: other
title: "Other"
summary: "Other summary."
version: "1"
reviewed: 2026-03-01
review_due: 2099-01-01
---

Another paragraph.
"""


@pytest.fixture
def small(tmp_path: Path) -> Config:
    config = make_project(tmp_path / "p")
    (config.source_dir / "other.md").write_text(TWO, encoding="utf-8")
    from polyleaf.catalog.files import update

    update(config)
    build(config)
    return config


def _outputs_mtimes(config: Config) -> dict[Path, int]:
    """Every file of build/ but the cache (which may learn that a file has settled)."""
    return {p: p.stat().st_mtime_ns for p in config.build_dir.rglob("*")
            if p.is_file() and ".polyleaf-cache" not in p.parts}


def test_noop_rebuild_parses_nothing_and_writes_nothing(small: Config) -> None:
    before = _outputs_mtimes(small)
    report = build(small)
    assert report.noop and report.ran == ()
    assert _outputs_mtimes(small) == before


def test_editing_one_po_reruns_only_that_locales_outputs(small: Config) -> None:
    po = small.locales_dir / "de" / "LC_MESSAGES" / "rest.po"
    po.write_text(po.read_text(encoding="utf-8").replace(GERMAN["Sleep well."],
                                                         "Schlafen Sie tief."), encoding="utf-8")
    report = build(small)
    assert report.ran == ("leaflets/de/rest-a4.pdf", "site/de/rest/index.html")
    assert "Schlafen Sie tief." in (small.build_dir / "site/de/rest/index.html").read_text("utf-8")


def test_touching_a_file_without_changing_it_reruns_nothing(small: Config) -> None:
    (small.locales_dir / "de" / "LC_MESSAGES" / "rest.po").touch()
    report = build(small)  # the stamp is of contents: a touch changes nothing
    assert report.noop and report.ran == ()


def test_editing_a_template_reruns_what_uses_it(small: Config) -> None:
    css = small.templates_dir / "assets" / "leaflet.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    report = build(small)
    leaflets = {p.relative_to(small.build_dir).as_posix()
                for p in (small.build_dir / "leaflets").rglob("*.pdf")}
    assert {p for p in report.ran if p.startswith("leaflets/")} == leaflets
    for page in (p for p in report.ran if p.startswith("site/")):
        _, lang, article_id, _ = page.split("/")  # a page reruns only when its PDF's size changed
        assert f"leaflets/{lang}/{article_id}-a4.pdf" in report.ran
    article = small.templates_dir / "article.html"
    article.write_text(article.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    report = build(small)
    assert report.ran and all(path.startswith("site/") for path in report.ran)


def test_deleting_a_source_removes_its_outputs(small: Config) -> None:
    assert (small.build_dir / "site/en/other/index.html").exists()
    (small.source_dir / "other.md").unlink()
    build(small)
    assert not (small.build_dir / "site/en/other").exists()
    assert not (small.build_dir / "leaflets/en/other-a4.pdf").exists()
    assert (small.build_dir / "site/en/rest/index.html").exists()


def test_a_failing_job_is_reported_and_the_rest_finish(small: Config) -> None:
    leaflet = small.templates_dir / "leaflet.html"
    leaflet.write_text(leaflet.read_text(encoding="utf-8").replace(
        "<body", '{% if article.id == "other" %}{{ no_such_variable }}{% endif %}\n<body', 1),
        encoding="utf-8")
    shutil.rmtree(small.build_dir)
    report = build(small)
    failed = [o for o in report.outcomes if o.status == "failed"]
    assert {(o.article, o.output) for o in failed} == {("other", "a4")}
    assert any(d.code == "template.undefined" for d in report.diagnostics)
    assert (small.build_dir / "leaflets/en/rest-a4.pdf").exists()
    assert (small.build_dir / "site/en/other/index.html").exists()


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != ".polyleaf-manifest.json"
            and ".polyleaf-cache" not in p.parts}


def test_process_pool_and_dask_build_the_same_files_as_serial(small: Config,
                                                              tmp_path: Path) -> None:
    serial = _tree(small.build_dir)
    for name, executor in (("pool", PoolExecutor(2)), ("dask", None)):
        copy = tmp_path / name
        shutil.copytree(small.root, copy, ignore=shutil.ignore_patterns("build"))
        config = load_config(copy)
        if executor is None:
            from distributed import LocalCluster

            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster:
                report = build(config, executor=DaskExecutor(cluster.scheduler_address))
        else:
            report = build(config, executor=executor)
        assert not [o for o in report.outcomes if o.status == "failed"]
        assert _tree(config.build_dir) == serial, name


def test_executor_specs() -> None:
    assert isinstance(make_executor("serial", None), SerialExecutor)
    assert isinstance(make_executor(None, 3), PoolExecutor)
    assert isinstance(make_executor("dask://127.0.0.1:8786", None), DaskExecutor)
    with pytest.raises(ConfigError):
        make_executor("threads", None)
