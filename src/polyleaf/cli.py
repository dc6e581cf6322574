"""The ``polyleaf`` command line: a thin click layer over the library.

Each command loads the config, calls one library function, prints diagnostics as
``path:line: level: code: message`` on stderr and a summary on stdout, and maps the outcome to
an exit code: 0 ok, 1 problems found, 2 usage or configuration error. Never a traceback for a
user-caused problem.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from polyleaf import __version__
from polyleaf.cli_common import LOCALES_OPTION, finish_write, format_option
from polyleaf.cli_common import emit as _emit
from polyleaf.cli_common import lock_project as _lock
from polyleaf.cli_common import project_config as _config
from polyleaf.cli_common import report as _report
from polyleaf.cli_review import review
from polyleaf.config import Config, find_root, load_config
from polyleaf.errors import ConfigError, Diagnostic, Level, PolyleafError, has_errors, to_json


class _Guarded(click.Group):
    """The last line of defence: a problem a user's files or disk can cause and that a command
    did not turn into a diagnostic still ends as one line and exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PolyleafError as exc:
            _emit(exc.diagnostics)
            ctx.exit(1)
        except OSError as exc:
            from polyleaf.errors import os_error

            _emit([os_error(exc.filename or ctx.info_name or "polyleaf", exc)])
            ctx.exit(1)
        except (UnicodeError, RecursionError, MemoryError) as exc:
            from polyleaf.errors import error

            _emit([error(ctx.info_name or "polyleaf", 0, "input.unsupported",
                         f"input polyleaf cannot handle ({type(exc).__name__})",
                         "run 'polyleaf check' and 'polyleaf lint' to find the file; please "
                         "report this as a bug")])
            ctx.exit(1)


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="polyleaf")
@click.option("-C", "--project", "root", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Project directory (default: nearest with polyleaf.toml).")
@click.option("--lock-timeout", type=click.FloatRange(min=0), default=120.0, show_default=True,
              envvar="POLYLEAF_LOCK_TIMEOUT", metavar="SECONDS",
              help="How long extract/update/build wait for another polyleaf process.")
@click.pass_context
def main(ctx: click.Context, root: Path | None, lock_timeout: float) -> None:
    """Polyleaf: patient leaflets written once, translated with gettext, printed in every
    language."""
    ctx.ensure_object(dict)
    ctx.obj["root"] = root
    ctx.obj["lock_timeout"] = lock_timeout


@main.command()
@click.pass_context
def extract(ctx: click.Context) -> None:
    """Write locales/<article>.pot and locales/site.pot from sources and templates."""
    from polyleaf.catalog.files import extract as run

    config = _config(ctx)
    _lock(ctx, config)
    report = run(config)
    summary = (f"extract: {len(report.written)} template(s) written, "
               f"{len(report.unchanged)} unchanged")
    finish_write(ctx, report.diagnostics, summary, report.written)


@main.command()
@LOCALES_OPTION
@click.option("--fix-plurals", is_flag=True,
              help="Replace a Plural-Forms header that differs from [catalogs] plural_rules and "
                   "carry the plural translations over to it.")
@click.option("--no-tm", "no_tm", is_flag=True,
              help="Do not pre-fill untranslated entries from the translation memory.")
@click.pass_context
def update(ctx: click.Context, locales: tuple[str, ...], fix_plurals: bool, no_tm: bool) -> None:
    """Extract, then create or merge every locale's .po files (fuzzy matching, nothing lost)."""
    from polyleaf.catalog.files import extract as run_extract
    from polyleaf.catalog.files import update as run

    config = _config(ctx)
    unknown = [lo for lo in locales if lo not in config.locales]
    if unknown:
        click.echo(f"polyleaf.toml: error: config.locale: {', '.join(unknown)} not configured "
                   f"(hint: configured locales: {', '.join(config.locales)})", err=True)
        ctx.exit(2)
    _lock(ctx, config)
    run_extract(config)
    report = run(config, locales, fix_plurals=fix_plurals, tm=not no_tm)
    summary = (f"update: {len(report.written)} catalog(s) written, "
               f"{len(report.unchanged)} unchanged")
    finish_write(ctx, report.diagnostics, summary, report.written)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="Summary format.")
@click.option("--strict", is_flag=True,
              help="Exit 1 when any output is skipped or a medical review is overdue.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: number of CPUs).")
@click.option("--executor", default=None, metavar="KIND",
              help="process (default), serial, or dask://host:port.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
@click.pass_context
def build(ctx: click.Context, fmt: str, strict: bool, jobs: int | None, executor: str | None,
          quiet: bool) -> None:
    """Render the website into build/site and the PDF leaflets into build/leaflets.

    Incremental: only outputs whose inputs changed are rebuilt."""
    from polyleaf.engine.build import build as run
    from polyleaf.engine.executors import make_executor
    from polyleaf.engine.progress import Reporter

    config = _config(ctx)
    _lock(ctx, config, sweep=False)  # 20,000 catalogs and page folders: swept when needed
    try:
        chosen = make_executor(executor, jobs)
        report = run(config, strict=strict, executor=chosen,
                     reporter=Reporter("quiet" if quiet or fmt == "json" else "auto"))
        if not report.noop:  # a killed build leaves no no-op behind: its leftovers go here
            from polyleaf.engine.lock import sweep_temp_files

            sweep_temp_files((config.locales_dir, config.build_dir), skip={  # the build swept
                str(config.build_dir / "site"), str(config.build_dir / "leaflets")})
    except ConfigError as exc:
        _emit(exc.diagnostics)
        ctx.exit(2)
    except PolyleafError as exc:
        _emit(exc.diagnostics)
        ctx.exit(1)
    _emit(report.diagnostics)
    if fmt == "json":
        click.echo(report.to_json())
    elif not quiet:
        _print_build_summary(report, config)
    failed = report.counts().get("failed", 0) > 0
    ctx.exit(1 if failed or has_errors(report.diagnostics) or (strict and report.skipped) else 0)


SHOWN_ENTRIES = 10  # entries listed under each held-back output in the text summary


def _print_build_summary(report: object, config: Config) -> None:
    from polyleaf.engine.build import BuildReport

    assert isinstance(report, BuildReport)
    counts = report.counts()
    groups: dict[tuple[Any, ...], list[str]] = {}  # one line per reason, not per variant
    for outcome in report.skipped:
        key = (outcome.status, outcome.article, outcome.locale, outcome.reason, outcome.entries)
        groups.setdefault(key, []).append(outcome.output)
    for (status, article, locale, reason, entries), outputs in groups.items():
        click.echo(f"  {status}: {article} [{locale}] {', '.join(outputs)}: {reason}")
        for entry in entries[:SHOWN_ENTRIES]:
            click.echo(f"      {entry.format()}")
        if len(entries) > SHOWN_ENTRIES:
            click.echo(f"      … and {len(entries) - SHOWN_ENTRIES} more "
                       "('polyleaf build --format json' lists them all)")
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    click.echo(f"build: {summary}{' (nothing changed)' if report.noop else ''}")
    click.echo(f"  site:     {config.build_dir / 'site' / 'index.html'}")
    click.echo(f"  leaflets: {config.build_dir / 'leaflets'}")
    warnings = sum(1 for d in report.diagnostics if d.level is Level.WARNING)
    if warnings:
        click.echo(f"  {warnings} warning(s) above")


@main.command()
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("template", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here (default: standard output).")
@click.option("-U", "--update", "in_place", is_flag=True, help="Update OLD in place.")
@click.option("--previous", is_flag=True, default=True, hidden=True,
              help="Accepted for msgmerge compatibility (always on).")
@click.option("--lang", default=None, help="Language code when OLD has no Language header.")
def merge(old: Path, template: Path, output: Path | None, in_place: bool, previous: bool,
          lang: str | None) -> None:
    """Merge TEMPLATE (.pot) into OLD (.po), like msgmerge --previous OLD TEMPLATE."""
    from polyleaf.catalog.mergefile import merged_files
    from polyleaf.catalog.pofile import serialize_stream
    from polyleaf.fsutil import build_time, po_date, write_atomic_chunks
    from polyleaf.i18n import UnknownLocale

    target = old if in_place else output
    try:
        with merged_files(old, template, po_date(build_time()), lang) as (head, entries):
            if target is None:
                for chunk in serialize_stream(head, entries):
                    click.echo(chunk, nl=False)  # bytes: to the binary stream, 1 MB at a time
            else:  # streamed: the file's bytes are never held whole
                write_atomic_chunks(target, serialize_stream(head, entries))
    except PolyleafError as exc:
        _emit(exc.diagnostics)
        sys.exit(1)
    except UnknownLocale as exc:
        click.echo(f"{old}: error: po.language: unknown Language '{exc.code}' "
                   "(hint: pass --lang)", err=True)
        sys.exit(2)


@main.command()
@LOCALES_OPTION
@format_option("Table for people, JSON for machines.")
@click.pass_context
def stats(ctx: click.Context, locales: tuple[str, ...], fmt: str) -> None:
    """Translated / fuzzy / untranslated / obsolete per locale and catalog, in messages and
    source words."""
    from polyleaf.qa.stats import project_stats, stats_json
    from polyleaf.qa.stats_table import print_table

    found, problems = project_stats(_config(ctx), locales)
    _emit(problems)
    if fmt == "json":
        click.echo(stats_json(found))
    else:
        print_table(found)
    ctx.exit(1 if has_errors(problems) else 0)


@main.command()
@LOCALES_OPTION
@format_option("One line per problem, or JSON.")
@click.pass_context
def check(ctx: click.Context, locales: tuple[str, ...], fmt: str) -> None:
    """Run translation QA on every .po file; exit 1 when an error is found."""
    from polyleaf.qa.check import check_project

    found = check_project(_config(ctx), locales)
    _report(found, fmt, "check: {errors} error(s), {others} warning(s)")
    ctx.exit(1 if has_errors(found) else 0)


@main.command()
@click.option("--locale", "locales", multiple=True,
              help="Preview only this locale (repeatable; pseudo-locales allowed). Default: all.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default is reachable from this machine only.")
@click.pass_context
def serve(ctx: click.Context, locales: tuple[str, ...], port: int, host: str) -> None:
    """Preview the website locally, rebuilt on every change; text shown in the source language
    (untranslated, fuzzy, failing QA) is highlighted with its msgid and .po file:line."""
    from polyleaf.tools.serve import PreviewServer, Rebuild, check_locales

    config = _config(ctx)
    if unknown := check_locales(config, locales):
        click.echo(f"{config.path.name}: error: config.locale: {', '.join(unknown)} not configured "
                   f"(hint: configured locales: {', '.join(config.locales)})", err=True)
        ctx.exit(2)

    def report(result: Rebuild) -> None:
        _emit(result.diagnostics)
        click.echo(f"serve: rebuilt {result.pages} page(s) in {result.seconds:.1f} s")

    try:
        server = PreviewServer(config.root, locales, host, port, on_rebuild=report)
    except OSError as exc:
        click.echo(f"{host}:{port}: error: serve.listen: {exc.strerror} (hint: try --port 0)",
                   err=True)
        ctx.exit(2)
    server.start()
    click.echo(f"serve: previewing at {server.url} (Ctrl-C to stop); output in {server.site_dir}")
    server.serve_forever()


@main.command()
@click.option("--build", "then_build", is_flag=True,
              help="Also render pages and leaflets of the pseudo-locales into build/pseudo/.")
@click.option("--no-leaflets", is_flag=True, help="With --build: pages only (faster).")
@click.pass_context
def pseudo(ctx: click.Context, then_build: bool, no_leaflets: bool) -> None:
    """Write pseudo-locale catalogs (qps_ploc: accented, longer; qps_plocm: right-to-left) into
    locales/qps_*/ to test templates and leaflets without translators."""
    from polyleaf.tools.pseudo import PSEUDO_CODES, build_pseudo, pseudo_config, write_pseudo

    config = _config(ctx)
    report = write_pseudo(config)
    _emit(report.diagnostics)
    click.echo(f"pseudo: {len(report.written)} catalog(s) written, {len(report.unchanged)} "
               f"unchanged ({', '.join(PSEUDO_CODES)}; git ignores locales/qps*/)")
    if not then_build:
        click.echo("  preview: polyleaf serve " + " ".join(f"--locale {c}" for c in PSEUDO_CODES))
        click.echo("  build:   polyleaf pseudo --build   (into build/pseudo/, never build/site)")
        ctx.exit(1 if has_errors(report.diagnostics) else 0)
    side = build_pseudo(config, leaflets=not no_leaflets)
    _emit(side.diagnostics)
    for item in side.skipped:
        click.echo(f"  skipped: {item.article} [{item.locale}] {item.output}: {item.reason}")
    click.echo(f"pseudo: built {len(side.written)} file(s) in {pseudo_config(config).build_dir}")
    ctx.exit(1 if has_errors(side.diagnostics) or side.skipped else 0)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--name", default=None, help="Project and organisation name (default: from DIRECTORY).")
@click.option("--templates-only", is_flag=True,
              help="In an existing project: restore missing templates, change nothing else.")
@click.pass_context
def init(ctx: click.Context, directory: Path, name: str | None, templates_only: bool) -> None:
    """Create a new project in DIRECTORY: polyleaf.toml, an example article, templates,
    locales/, .gitignore and an example CI workflow. Existing files are never overwritten."""
    from polyleaf.tools.scaffold import init_project, restore_templates

    try:
        report = restore_templates(_config(ctx).templates_dir) if templates_only \
            else init_project(directory, name)
    except ConfigError as exc:
        _emit(exc.diagnostics)
        ctx.exit(2)
    _emit(report.diagnostics)
    click.echo(f"init: {len(report.written)} file(s) created, {len(report.unchanged)} existing "
               "file(s) kept")
    if not templates_only and not has_errors(report.diagnostics):
        where = "" if directory == Path(".") else f"-C {directory} "
        click.echo(f"  next: polyleaf {where}build     (English pages and leaflet in build/)")
        click.echo("  then: add a language to 'locales' in polyleaf.toml, run 'polyleaf update'")
    ctx.exit(1 if has_errors(report.diagnostics) else 0)


@main.command()
@click.option("--max-grade", type=float, default=8.0, show_default=True,
              help="Highest reading grade allowed (grade formulas, e.g. Flesch-Kincaid).")
@click.option("--min-ease", type=float, default=None,
              help="Lowest reading-ease score allowed (ease formulas; default: the formula's).")
@click.option("--max-sentence-words", type=click.IntRange(min=5), default=25, show_default=True,
              help="Longest sentence allowed, in words.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="One line per finding, or JSON.")
@click.pass_context
def lint(ctx: click.Context, max_grade: float, min_ease: float | None, max_sentence_words: int,
         fmt: str) -> None:
    """Advice for authors on source/*.md: reading level, long sentences, images without alt
    text, review dates, missing sources. Exit 1 only on errors."""
    from polyleaf.qa.lint import LintOptions, lint_project

    found = lint_project(_config(ctx), LintOptions(max_grade, min_ease, max_sentence_words))
    _report(found, fmt, "lint: {errors} error(s), {others} warning(s) and note(s)")
    ctx.exit(1 if has_errors(found) else 0)


@main.command()
@click.pass_context
def doctor(ctx: click.Context) -> None:
    """Check this machine: WeasyPrint, Pango, HarfBuzz subsetting, fontconfig and a font for
    every configured language; print the apt-get command that fixes what is missing."""
    from polyleaf.tools.doctor import Status, install_hint, run_checks

    try:
        config: Config | None = load_config(Path(ctx.obj["root"] or find_root(Path.cwd())))
    except ConfigError:
        config = None
    checks = run_checks(config)
    for item in checks:
        click.echo(f"{item.status.value:<5} {item.what}: {item.detail}")
    if hint := install_hint(checks):
        click.echo(f"doctor: to fix, run:\n  {hint}")
    ctx.exit(1 if any(c.status is Status.FAIL for c in checks) else 0)


def json_diagnostics(diagnostics: Iterable[Diagnostic]) -> str:
    """Diagnostics as JSON (for --format json)."""
    return to_json(diagnostics)


main.add_command(review)
from polyleaf.cli_exchange import register  # noqa: E402  (commands for CAT tools and agencies)

register(main)
