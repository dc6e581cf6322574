"""The whole-build fast path (:mod:`polyleaf.engine.noop`) never hides a change.

A build whose inputs and outputs are exactly as the last complete build left them ends early
(``report.noop``) with that build's outcomes. Any change of an input's content (a source, a
catalog, the config, a template, a review record, an image), a file added or deleted, or an
output deleted must defeat it, and the build must then write what a fresh build writes. A build
that does not end early deletes the record before it writes anything, so a killed build leaves
none behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from polyleaf.config import Config, load_config
from polyleaf.engine import build as build_module
from polyleaf.engine import digests as digests_module
from polyleaf.engine import noop as noop_module
from polyleaf.engine.build import build
from polyleaf.engine.noop import LAST_BUILD, read_last_build
from polyleaf.paths import po_path, review_path

from .test_build_cache import assert_like_fresh, edit_po, pages_only, summary
from .test_gates import make_project


@pytest.fixture
def project(tmp_path: Path) -> Config:
    config = pages_only(make_project(tmp_path / "p"))
    build(config)
    return config


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _source(config: Config) -> None:
    _replace(config.source_dir / "rest.md", "Sleep well.", "Sleep very well.")


def _catalog(config: Config) -> None:
    edit_po(config, "Schlafen Sie gut.", "Schlafen Sie sehr gut.")


def _config(config: Config) -> None:
    _replace(config.path, 'name = "Clinic"', 'name = "Other clinic"')


def _template(config: Config) -> None:
    _replace(config.templates_dir / "base.html", "</body>", "<!-- changed --></body>")


def _review_record(config: Config) -> None:
    path = review_path(config, "de", "rest")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("not = [a review record\n", encoding="utf-8")


def _deleted_output(config: Config) -> None:
    (config.build_dir / "site/de/rest/index.html").unlink()


def _deleted_catalog(config: Config) -> None:
    po_path(config, "de", "rest").unlink()


def _added_source(config: Config) -> None:
    (config.source_dir / "sleep.md").write_text(
        (config.source_dir / "rest.md").read_text(encoding="utf-8")
        .replace("id: rest", "id: sleep"), encoding="utf-8")


def _added_image(config: Config) -> None:
    (config.source_dir / "new.png").write_bytes(b"\x89PNG\r\n\x1a\n")


CHANGES: dict[str, Callable[[Config], None]] = {
    "source": _source, "catalog": _catalog, "config": _config, "template": _template,
    "review record": _review_record, "deleted output": _deleted_output,
    "deleted catalog": _deleted_catalog, "added source": _added_source,
    "added image": _added_image,
}


def test_nothing_changed_ends_early_with_the_last_outcomes(project: Config) -> None:
    before = build(project)
    again = build(project)
    assert again.noop and read_last_build(project.build_dir) is not None
    assert summary(again) == summary(before)
    assert list(again.outcomes) == [o for o in again.outcomes]  # iterable more than once
    assert {o.status for o in again.outcomes} <= {"unchanged", "skipped"}
    assert again.counts() == {s: sum(1 for o in again.outcomes if o.status == s)
                              for s in {o.status for o in again.outcomes}}
    assert again.skipped == tuple(o for o in again.outcomes if o.status in ("skipped", "failed"))


def test_a_touch_keeps_the_fast_path(project: Config) -> None:
    path = po_path(project, "de", "rest")
    os.utime(path, (1_000_000_000, 1_000_000_000))
    assert build(project).noop


@pytest.fixture
def settled(project: Config, monkeypatch: pytest.MonkeyPatch) -> Config:
    """The project with every file counted as settled, its record made under that rule, and
    the stamp path (the stat records, the digests) out of reach while the record holds."""
    monkeypatch.setattr(digests_module, "RACY", 0.0)
    edit_po(project, "Wie man sich ausruht.", "Wie man ruht.")  # a build under this rule
    build(project)
    assert read_last_build(project.build_dir).state  # type: ignore[union-attr]
    return project


def test_settled_inputs_skip_even_the_stamp(settled: Config,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    def no_stamp(*args: object) -> object:
        raise AssertionError("the stamp was taken")

    monkeypatch.setattr(build_module, "DigestStore", no_stamp)
    assert build(settled).noop


def test_a_touch_costs_the_stamp_once(settled: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    path = po_path(settled, "de", "rest")
    os.utime(path, (1_000_000_000, 1_000_000_000))
    assert build(settled).noop  # through the stamp: same contents
    monkeypatch.setattr(build_module, "DigestStore", None)
    assert build(settled).noop  # the record now holds the new stat state


def test_files_changed_just_before_the_record_are_compared_by_content(
        project: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files changed within the racy window when the record was made are hashed, not trusted
    by their stat records: a same-size edit with the old dates put back is seen."""
    monkeypatch.setattr(digests_module, "RACY", 3600.0)  # every file is racy
    monkeypatch.setattr(noop_module, "code_files", list)  # (a racy source of polyleaf: no record)
    _catalog(project)
    build(project)
    record = read_last_build(project.build_dir)
    assert record is not None and record.state.count("\n") > 3  # racy files listed
    monkeypatch.setattr(build_module, "DigestStore", None)
    assert build(project).noop  # their bytes are as the stamp saw them
    monkeypatch.setattr(build_module, "DigestStore", digests_module.DigestStore)
    path = po_path(project, "de", "rest")
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("sehr gut", "sehr gur"),
                    encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    report = build(project)
    assert not report.noop
    assert_like_fresh(project, report, tmp_path)


def test_same_size_and_date_with_other_content_is_seen(settled: Config, tmp_path: Path) -> None:
    path = po_path(settled, "de", "rest")
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Schlafen Sie", "Schlafen Sir"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    report = build(settled)
    assert not report.noop
    assert_like_fresh(settled, report, tmp_path)


def test_a_clock_earlier_than_the_record_takes_the_stamp(settled: Config,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    record = read_last_build(settled.build_dir)
    assert record is not None
    state = noop_module.input_state(settled)
    assert noop_module.unchanged(record, state)
    assert not noop_module.unchanged(record, replace(state, taken=state.taken - 3600))
    assert not noop_module.unchanged(record, replace(state, trusted=False))
    monkeypatch.setenv("POLYLEAF_REHASH", "1")
    assert not noop_module.input_state(settled).trusted


@pytest.mark.parametrize("rule", ["racy", "settled"])
@pytest.mark.parametrize("change", sorted(CHANGES))
def test_every_change_defeats_the_fast_path(project: Config, tmp_path: Path, change: str,
                                            rule: str, request: pytest.FixtureRequest) -> None:
    if rule == "settled":
        project = request.getfixturevalue("settled")
    CHANGES[change](project)
    project = load_config(project.root)
    report = build(project)
    assert not report.noop
    assert_like_fresh(project, report, tmp_path)
    assert build(project).noop or report.diagnostics  # a clean build leaves a record


def test_a_build_forgets_the_record_before_it_writes(project: Config,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    assert (project.build_dir / LAST_BUILD).is_file()
    _catalog(project)

    def killed(*args: object) -> object:
        assert not (project.build_dir / LAST_BUILD).exists()
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "_build", killed)
    with pytest.raises(KeyboardInterrupt):
        build(project)
    assert not (project.build_dir / LAST_BUILD).exists()


def test_a_build_with_problems_leaves_no_record(project: Config, tmp_path: Path) -> None:
    _review_record(project)
    report = build(project)
    assert report.diagnostics and not (project.build_dir / LAST_BUILD).exists()
    again = build(project)
    assert not again.noop
    assert_like_fresh(project, again, tmp_path)


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_a_damaged_record_is_no_record(project: Config, tmp_path: Path, damage: str) -> None:
    path = project.build_dir / LAST_BUILD
    data = path.read_bytes()
    path.write_bytes({"truncate": data[:len(data) // 2],
                      "flip": data[:-1] + bytes([data[-1] ^ 1]),
                      "garbage": b"\0" * 64}[damage])
    assert read_last_build(project.build_dir) is None
    _deleted_output(project)  # and the manifest's no-op does not hide this either
    report = build(project)
    assert not report.noop
    assert_like_fresh(project, report, tmp_path)


def test_a_glossary_is_no_build_input(project: Config, tmp_path: Path) -> None:
    """The glossary reaches outputs only through ``polyleaf update`` (the catalogs' comments):
    editing it alone changes nothing a build writes, so the fast path may stay."""
    (project.locales_dir / "de" / "glossary.tbx").write_text("<tbx/>", encoding="utf-8")
    report = build(project)
    assert_like_fresh(project, report, tmp_path)


def test_what_the_last_build_left_and_no_longer_vouches_for_is_removed(
        project: Config, tmp_path: Path) -> None:
    """With a record, the build deletes the outputs the last one left that it no longer
    vouches for (and their emptied folders) without walking site/."""
    _replace(project.path, 'locales = ["de"]', "locales = []")
    project = load_config(project.root)
    report = build(project)
    assert not (project.build_dir / "site/de").exists()
    assert_like_fresh(project, report, tmp_path)


def test_without_a_record_the_build_walks_site_and_removes_strays(project: Config,
                                                                  tmp_path: Path) -> None:
    stray = project.build_dir / "site/de/stray/index.html"
    stray.parent.mkdir(parents=True)
    stray.write_text("<html>a killed build's page</html>", encoding="utf-8")
    temp = project.build_dir / "site/de/.index.html.abcd1234.tmp"
    temp.write_text("half", encoding="utf-8")
    os.utime(temp, (1_000_000_000, 1_000_000_000))
    (project.build_dir / LAST_BUILD).unlink()  # as a killed build leaves it
    _catalog(project)
    report = build(project)
    assert not stray.exists() and not stray.parent.exists() and not temp.exists()
    assert_like_fresh(project, report, tmp_path)


def test_stat_results_taken_before_an_edit_never_vouch_for_later_bytes(
        project: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stamp reuses the fast path's stat results: a file edited between that stat and its
    hashing gets a record with the older metadata, which no later content can match."""
    monkeypatch.setattr(digests_module, "RACY", 0.0)
    path = po_path(project, "de", "rest")
    state = noop_module.input_state(project)
    _catalog(project)  # edited after the stat, before the hash
    store = digests_module.DigestStore(project.build_dir, seen=state.seen())
    assert store.file(path) == digests_module.sha256_file(path)
    store.save()
    edit_po(project, "Schlafen Sie sehr gut.", "Schlafen Sie sehr gut!")
    assert digests_module.DigestStore(project.build_dir).file(path) == \
        digests_module.sha256_file(path)


def test_a_polyleaf_source_changed_just_before_leaves_no_stat_state(
        project: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    """The code is stamped by its own fingerprint, not by the digests: a racy source file of
    polyleaf makes the record keep no stat state (the stamp decides next time)."""
    monkeypatch.setattr(digests_module, "RACY", 1e12)
    monkeypatch.setattr(noop_module, "MAX_RACY", 10**6)  # only the code can refuse it
    _catalog(project)
    build(project)
    record = read_last_build(project.build_dir)
    assert record is not None and record.state == ""
