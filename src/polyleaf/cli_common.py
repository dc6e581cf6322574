"""Helpers every ``polyleaf`` command module shares: the project's config, printing
diagnostics, the --locale and --format options. No command lives here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from polyleaf.config import Config, find_root, load_config
from polyleaf.errors import ConfigError, Diagnostic, Level, PolyleafError, to_json


def emit(diagnostics: Iterable[Diagnostic]) -> None:
    """Print diagnostics on stderr, each once."""
    for diagnostic in dict.fromkeys(diagnostics):  # one broken template fails many jobs: say it once
        click.echo(diagnostic.format(), err=True)


def project_config(ctx: click.Context) -> Config:
    """The config of the project the command runs on (exit 2 when unusable)."""
    try:
        root = ctx.obj["root"] or find_root(Path.cwd())
        return load_config(Path(root))
    except ConfigError as exc:
        emit(exc.diagnostics)
        ctx.exit(2)
        raise AssertionError from None  # unreachable: ctx.exit raises


LOCALES_OPTION = click.option("--locale", "locales", multiple=True,
                              help="Only this locale (repeatable).")


def format_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The --format text|json option shared by reporting commands."""
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                        help=help_text)


def report(found: list[Diagnostic], fmt: str, summary: str) -> None:
    """Print diagnostics on stdout (one per line, or JSON) and a count summary on stderr."""
    if fmt == "json":
        click.echo(to_json(found))
        return
    for diagnostic in found:
        click.echo(diagnostic.format())
    errors = sum(1 for d in found if d.level is Level.ERROR)
    click.echo(summary.format(errors=errors, others=len(found) - errors), err=True)


def lock_project(ctx: click.Context, config: Config, sweep_build: bool = True,
                 sweep: bool = True) -> None:
    """Take the project lock until the command ends; remove temp files a crash left behind
    (``sweep_build=False``: not under ``build/`` yet; ``sweep=False``: none yet: ``build``
    sweeps both unless nothing changed, which a build killed mid-way never leaves)."""
    from polyleaf.engine.lock import acquire, sweep_temp_files

    try:
        held = acquire(config.root, f"polyleaf {ctx.info_name}", ctx.obj["lock_timeout"],
                       on_wait=lambda message: click.echo(message, err=True))
    except PolyleafError as exc:
        emit(exc.diagnostics)
        ctx.exit(2)
    ctx.call_on_close(held.release)
    if not sweep:
        return
    sweep_temp_files((config.locales_dir, config.build_dir) if sweep_build
                     else (config.locales_dir,))


def finish_write(ctx: click.Context, diagnostics: Iterable[Diagnostic], summary: str,
                 written: Iterable[str]) -> None:
    """Print a writing command's diagnostics, its summary and each file written; exit 1 on
    errors, else 0."""
    diagnostics = tuple(diagnostics)
    emit(diagnostics)
    click.echo(summary)
    for name in written:
        click.echo(f"  wrote {name}")
    ctx.exit(1 if any(d.level is Level.ERROR for d in diagnostics) else 0)
