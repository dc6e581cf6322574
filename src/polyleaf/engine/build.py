"""The build: plan, skip what is unchanged, run the rest on an executor, report.

Order: publishing decisions (cheap coverage counts), then leaflet jobs, then page jobs (pages
list leaflet sizes), then the site-wide files. Outputs that are no longer allowed (a leaflet
whose translation went fuzzy, an article that was deleted) are removed, so a stale leaflet can
never be printed from ``build/``: those the last complete build left, from its record
(:mod:`polyleaf.engine.noop`), or, after a killed build, every such file found under ``site/``
and ``leaflets/``. A build whose inputs and outputs are as that record says ends at once.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any, overload

from polyleaf.config import Config
from polyleaf.engine.digests import DigestStore
from polyleaf.engine.noop import (
    InputState,
    LastBuild,
    OutputCheck,
    forget_last_build,
    input_state,
    read_last_build,
    rows_of,
    save_last_build,
    state_of,
    unchanged,
)
from polyleaf.engine.noop import write as write_last_build
from polyleaf.engine.plan import (
    Job,
    Manifest,
    leaflet_files,
    leaflet_variants,
    make_jobs,
    outcome_dicts,
    read_manifest,
    stamp,
    with_leaflets,
    write_manifest,
)
from polyleaf.engine.progress import Reporter
from polyleaf.errors import Diagnostic, PolyleafError
from polyleaf.fsutil import build_time, write_atomic
from polyleaf.paths import IMAGE_SUFFIXES

# What the build writes under site/ and leaflets/: other files there (a publisher's) are kept.
OUTPUT_SUFFIXES = (".html", ".pdf", ".css", ".xml", ".txt", *IMAGE_SUFFIXES)

if TYPE_CHECKING:  # heavy modules (WeasyPrint, Babel) load only when there is work to do
    from polyleaf.catalog.project import Project
    from polyleaf.content.model import Blocker
    from polyleaf.engine.cache import BuildCache
    from polyleaf.engine.executors import Executor
    from polyleaf.engine.incremental import Keys
    from polyleaf.engine.jobs import BuildContext
    from polyleaf.render.localize import Decision
    from polyleaf.render.publication import Publication
    from polyleaf.review.state import Reviews


@dataclass(frozen=True, slots=True)
class Outcome:
    """One output of the build: built, unchanged, skipped or failed, and why."""

    article: str
    locale: str
    output: str  # "html" or a leaflet variant
    status: str  # built | unchanged | skipped | failed
    reason: str = ""
    path: str = ""
    entries: tuple[Blocker, ...] = ()  # what holds a skipped output back (.po path:line, code)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Outcome:
        """An outcome as the manifest stores it (entries as plain dicts)."""
        from polyleaf.content.model import Blocker

        entries = tuple(Blocker(**e) for e in data.get("entries") or ())
        return cls(**{**data, "entries": entries})


class StoredOutcomes(Sequence[Outcome]):
    """The outcomes of a no-op build: the last build's, unpickled only when looked at (the
    counts per status and the skipped or failed outcomes are at hand without that)."""

    def __init__(self, last: LastBuild) -> None:
        self._last = last
        self.counts: dict[str, int] = {}
        for status, count in last.counts:  # built last time, unchanged now
            status = "unchanged" if status == "built" else status
            self.counts[status] = self.counts.get(status, 0) + count
        self._all: tuple[Outcome, ...] | None = None

    def _outcomes(self) -> tuple[Outcome, ...]:
        if self._all is None:
            self._all = tuple(_unchanged(row) for row in rows_of(self._last.rows))
        return self._all

    def flagged(self) -> tuple[Outcome, ...]:
        """The outcomes that are skipped or failed."""
        return tuple(_unchanged(row) for row in rows_of(self._last.flagged))

    def __len__(self) -> int:
        return sum(self.counts.values())

    @overload
    def __getitem__(self, index: int) -> Outcome: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Outcome]: ...

    def __getitem__(self, index: int | slice) -> Outcome | Sequence[Outcome]:
        return self._outcomes()[index]

    def __iter__(self) -> Iterator[Outcome]:
        return iter(self._outcomes())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return self._outcomes() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._outcomes())

    def __repr__(self) -> str:
        return repr(self._outcomes())


def _unchanged(row: tuple[object, ...]) -> Outcome:
    """An outcome of the last build as a no-op build reports it (built is now unchanged)."""
    outcome = Outcome(*row)  # type: ignore[arg-type]
    return replace(outcome, status="unchanged") if outcome.status == "built" else outcome


def _row(outcome: Outcome) -> tuple[object, ...]:
    return (outcome.article, outcome.locale, outcome.output, outcome.status, outcome.reason,
            outcome.path, outcome.entries)


@dataclass(frozen=True, slots=True)
class BuildReport:
    """Everything the build did and found."""

    outcomes: Sequence[Outcome]
    diagnostics: tuple[Diagnostic, ...]
    noop: bool = False  # nothing changed since the last build: nothing was even parsed
    ran: tuple[str, ...] = ()  # outputs whose job was executed (their inputs changed)

    @property
    def skipped(self) -> tuple[Outcome, ...]:
        """Outputs not produced."""
        if isinstance(self.outcomes, StoredOutcomes):
            return self.outcomes.flagged()
        return tuple(o for o in self.outcomes if o.status in ("skipped", "failed"))

    def counts(self) -> dict[str, int]:
        """How many outcomes have each status."""
        if isinstance(self.outcomes, StoredOutcomes):
            return dict(self.outcomes.counts)
        counts: dict[str, int] = {}
        for outcome in self.outcomes:
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
        return counts

    def to_json(self) -> str:
        """Machine-readable summary."""
        return json.dumps({"outcomes": [asdict(o) for o in self.outcomes],
                           "diagnostics": [d.to_dict() for d in self.diagnostics]},
                          ensure_ascii=False, indent=2)


def plan_decisions(project: Project, reviews: Reviews | None = None
                   ) -> dict[tuple[str, str], tuple[Decision, Decision]]:
    """(article, locale) -> (html decision, pdf decision); ``reviews``: apply require_review."""
    from polyleaf.render.publication import decide

    return dict(decide(project, reviews).decisions)


def build(config: Config, strict: bool = False, executor: Executor | None = None,
          reporter: Reporter | None = None) -> BuildReport:
    """Build the site and leaflets into ``config.build_dir``, incrementally."""
    reporter = reporter or Reporter("quiet")
    last = read_last_build(config.build_dir)
    outputs = OutputCheck(last, config.build_dir)
    state = input_state(config)
    if unchanged(last, state) and last is not None and outputs.result():
        return BuildReport(StoredOutcomes(last), (), noop=True)
    digests = DigestStore(config.build_dir, seen=state.seen())
    current = stamp(config, digests)
    if last is not None and last.stamp == current and last.outputs_exist(config.build_dir):
        digests.save()
        if state.trusted:  # touched, not changed: the next build needs no stamp
            write_last_build(config.build_dir,
                             replace(last, state=state_of(state, digests.file)))
        return BuildReport(StoredOutcomes(last), (), noop=True)
    forget_last_build(config.build_dir)  # whatever happens next, it no longer vouches for build/
    previous = read_manifest(config.build_dir)
    folder = f"{config.build_dir}/"
    if previous.stamp == current and all(os.path.exists(folder + o) for o in previous.outputs):
        digests.save()
        outcomes = tuple(Outcome.from_dict({**o, "status": "unchanged" if o["status"] == "built"
                                            else o["status"]}) for o in previous.outcomes)
        _remember(config, current, state_of(state, digests.file), previous.outputs,
                  [Outcome.from_dict(o) for o in previous.outcomes], None)
        return BuildReport(outcomes, (), noop=True)
    from polyleaf.engine.cache import BuildCache
    from polyleaf.engine.jobs import LOCAL

    cache = BuildCache(config.build_dir)
    LOCAL.clear()
    try:
        return _build(config, strict, executor or _serial(), reporter, (current, state, last),
                      previous, cache, digests)
    finally:
        LOCAL.clear()
        cache.save()
        digests.save()


def _remember(config: Config, current: str, state: str, outputs: Iterable[str],
              outcomes: Sequence[Outcome], left: Iterable[str] | None) -> None:
    """Leave the record of a complete build for the fast path of the next one."""
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    save_last_build(config.build_dir, current, state, outputs, [_row(o) for o in outcomes],
                    [_row(o) for o in outcomes if o.status in ("skipped", "failed")], counts,
                    left)


def _serial() -> Executor:
    from polyleaf.engine.executors import SerialExecutor

    return SerialExecutor()


def _build(config: Config, strict: bool, run: Executor, reporter: Reporter,
           stamps: tuple[str, InputState, LastBuild | None], previous: Manifest,
           cache: BuildCache, digests: DigestStore) -> BuildReport:
    current, state, last = stamps
    from polyleaf.content.source import check_review_dates
    from polyleaf.engine.images import write_images
    from polyleaf.engine.incremental import (
        Keys,
        cached_project,
        cached_publication,
        cached_reviews,
    )
    from polyleaf.engine.jobs import LOCAL, BuildContext

    keys = Keys(config, digests)
    project = cached_project(config, cache, keys)
    reviews = cached_reviews(project, cache, keys)
    publication = cached_publication(project, reviews, cache, keys)
    LOCAL[current] = project
    leaflet_jobs, page_jobs = make_jobs(project, publication, digests)
    context = partial(BuildContext, str(config.root), current, sources=project.sources,
                      catalogs=tuple(project.catalogs))
    with reporter:
        results = _run(config, run, context(publication), leaflet_jobs, previous, reporter)
        leaflets = [j for j, status, *_ in results if status != "failed"]
        mirrored = _mirror_leaflets(config, leaflets)
        publication = publication.with_leaflets(leaflet_files(config, leaflets))
        page_jobs = [with_leaflets(job, publication) for job in page_jobs]
        results += _run(config, run, context(publication), page_jobs, previous, reporter)
    publication = publication.with_pages(  # indexes and sitemap list the pages that exist
        (j.article, j.locale) for j, status, *_ in results if status != "failed")
    outputs = {job.output: job.digest for job, status, *_ in results if status != "failed"}
    site, site_outputs, site_problems = _site_files(project, publication, previous, keys,
                                                    outputs)
    images, image_problems = write_images(config, publication)
    expected = set(outputs) | set(site) | set(mirrored) | set(images)
    _remove_stale(config, expected, last.left if last is not None else None)
    outputs |= site_outputs
    outcomes = _outcomes(project, publication.decisions, results)
    problems = [*project.diagnostics, *reviews.diagnostics,
                *check_review_dates(project.sources.articles, build_time().date(), strict),
                *(d for *_, diagnostics in results for d in diagnostics), *site_problems,
                *image_problems]
    write_manifest(config.build_dir, Manifest(current if not problems else "", outputs,
                                              outcome_dicts(outcomes)))
    if not problems:
        _remember(config, current, state_of(state, digests.file), outputs, outcomes, expected)
    ran = tuple(sorted(job.output for job, status, *_ in results if status != "up-to-date"))
    return BuildReport(outcomes, tuple(problems), ran=ran)


Result = tuple[Job, str, str, tuple[Diagnostic, ...]]


def _run(config: Config, executor: Executor, context: BuildContext, jobs: list[Job],
         previous: Manifest, reporter: Reporter) -> list[Result]:
    folder = f"{config.build_dir}/"
    exists = os.path.exists  # strings, not 20,000 Path objects
    todo = [j for j in jobs if previous.outputs.get(j.output) != j.digest
            or not exists(folder + j.output)]
    running = {j.output for j in todo}
    results: list[Result] = [(j, "up-to-date", "", ()) for j in jobs if j.output not in running]
    if todo:  # a killed build must not leave outputs that the manifest vouches for
        write_manifest(config.build_dir, Manifest("", {k: v for k, v in previous.outputs.items()
                                                       if k not in running}, ()))
    reporter.add(len(todo))
    for result in executor.run(context, todo):
        reporter.finished(result.status, result.job.output)
        results.append((result.job, result.status, result.reason, result.diagnostics))
    return results


def _mirror_leaflets(config: Config, jobs: list[Job]) -> list[str]:
    """Hard-link each leaflet into ``site/leaflets/`` so ``build/site`` deploys on its own."""
    mirrored = []
    for job in jobs:
        source = config.build_dir / job.output
        target = config.build_dir / "site" / job.output
        mirrored.append(f"site/{job.output}")
        if target.exists() and os.path.samefile(source, target):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
    return mirrored


def _site_files(project: Project, publication: Publication, previous: Manifest, keys: Keys,
                outputs: Mapping[str, str]) -> tuple[list[str], dict[str, str], list[Diagnostic]]:
    """The site-wide files, group by group (:func:`~polyleaf.render.pages.site_groups`): a group
    the last build wrote from the same inputs (:func:`~polyleaf.engine.sitekeys.site_keys`),
    all of its files still there, is kept; the others are written again. Returns (every site
    file, those the manifest may vouch for with their keys, the problems met)."""
    from polyleaf.engine.sitekeys import site_keys
    from polyleaf.render.pages import site_groups

    folder = f"{project.config.build_dir}/"
    groups = {g: tuple(f"site/{n}" for n in names)
              for g, names in site_groups(project, publication).items()}
    found = site_keys(project, publication, keys.found, groups)
    vouched: dict[str, str] = {}
    todo = []
    for group, names in groups.items():
        if all(previous.outputs.get(n) == found[group] and os.path.isfile(folder + n)
               for n in names):
            vouched |= dict.fromkeys(names, found[group])
        else:
            todo.append(group)
    if not todo:
        return list(vouched), vouched, []
    # a build killed while writing them must not leave them vouched for
    write_manifest(project.config.build_dir, Manifest("", {**outputs, **vouched}, ()))
    written, problems, failed = _write_site(project, publication, todo)
    made = site_keys(project, publication, keys.got,  # what they were made from
                     [g for g in todo if g not in failed])
    done = set(written)
    for group, value in made.items():  # a file listed but not written (gone): not vouched for
        vouched |= {name: value for name in groups[group] if name in done}
    return sorted({*vouched, *written}), vouched, problems


def _write_site(project: Project, publication: Publication, groups: list[str],
                ) -> tuple[list[str], list[Diagnostic], set[str]]:
    """Write these groups of indexes, 404s, sitemap and CSS: (their files' names, the problems
    met, the groups that could not be rendered or written in full).

    A file that could not be rendered or written keeps its old copy (its name is still returned,
    so the stale-file sweep leaves it alone)."""
    from polyleaf.engine.incremental import VerdictFile
    from polyleaf.qa.usable import remembered
    from polyleaf.render.pages import render_site_group, site_languages

    build_dir = project.config.build_dir
    languages = site_languages(project, publication.pages)
    names: list[str] = []
    problems: list[Diagnostic] = []
    failed: set[str] = set()
    for group in groups:  # each group's UI-string QA verdicts, once per entry ("_": no locale)
        verdicts = VerdictFile(build_dir, "_site", group.replace(":", "-"))
        try:
            with remembered(verdicts.known) as used:
                files = render_site_group(project, publication, group, languages)
            verdicts.save(used)
        except PolyleafError as exc:
            failed.add(group)
            problems.extend(exc.diagnostics)
            site = build_dir / "site"
            names += [f"site/{p.relative_to(site).as_posix()}" for p in site.rglob("*")
                      if p.is_file()] if site.is_dir() else []
            continue
        for name, text in files.items():
            names.append(f"site/{name}")
            try:
                write_atomic(build_dir / "site" / name, text.encode("utf-8"), f"build/site/{name}")
            except PolyleafError as exc:
                failed.add(group)
                problems.extend(exc.diagnostics)
    return names, problems, failed


def _outcomes(project: Project, decisions: Mapping[tuple[str, str], tuple[Decision, Decision]],
              results: list[Result]) -> tuple[Outcome, ...]:
    done = {(j.article, j.locale, j.variant or "html"): (status, reason, j.output)
            for j, status, reason, _ in results}
    outcomes = []
    for locale in project.config.all_locales:
        for article in project.sources.articles:
            html, pdf = decisions[(article.id, locale)]
            for output, decision in [*((v, pdf) for v in leaflet_variants(project.config, locale)),
                                     ("html", html)]:
                if not decision.publish:
                    outcomes.append(Outcome(article.id, locale, output, "skipped",
                                            decision.reason, entries=decision.blockers))
                    continue
                status, reason, path = done[(article.id, locale, output)]
                status = "unchanged" if status == "up-to-date" else status
                outcomes.append(Outcome(article.id, locale, output, status, reason,
                                        f"build/{path}"))
    return tuple(outcomes)


def _remove_stale(config: Config, expected: set[str], left: str | None) -> None:
    """Delete outputs under site/ and leaflets/ that this build does not vouch for: of those the
    last build ``left`` (the complete build's record), or, not known, of all there are."""
    if left is None:
        _sweep_outputs(config, expected)
        return
    for name in sorted(set(left.split("\n")) - expected - {""}):
        path = config.build_dir / name
        if path.suffix.lower() in OUTPUT_SUFFIXES and path.is_file():
            path.unlink()
        top = config.build_dir / name.split("/", 1)[0]
        folder = path.parent
        while folder != top and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()  # the folders that leaves empty
            folder = folder.parent


def _sweep_outputs(config: Config, expected: set[str]) -> None:
    """Delete outputs under site/ and leaflets/ that this build does not vouch for, temporary
    files a killed writer left there (:func:`~polyleaf.engine.lock.stale_temp`), and the
    folders that leaves empty (one walk: os.walk, not Path.rglob, at 20,000 pages)."""
    from polyleaf.engine.lock import stale_temp

    build_dir = str(config.build_dir)
    now = time.time()
    for sub in ("site", "leaflets"):
        top = os.path.join(build_dir, sub)
        emptied: set[str] = set()
        for directory, dirs, names in os.walk(top, topdown=False):
            prefix = os.path.relpath(directory, build_dir).replace(os.sep, "/")
            left = len(names) + sum(1 for d in dirs if os.path.join(directory, d) not in emptied)
            for name in names:
                path = os.path.join(directory, name)
                if os.path.splitext(name)[1].lower() not in OUTPUT_SUFFIXES:
                    left -= stale_temp(directory, name, now)  # removed: one fewer
                elif f"{prefix}/{name}" not in expected and os.path.isfile(path):
                    os.unlink(path)
                    left -= 1
            if directory != top and left == 0:
                os.rmdir(directory)
                emptied.add(directory)
