"""The ``polyleaf xliff`` and ``polyleaf tm`` commands: exchange with CAT tools and agencies.

A thin click layer like :mod:`polyleaf.cli`: parse, call one library function, print, exit code.
"""

from __future__ import annotations

from pathlib import Path

import click

from polyleaf.config import Config
from polyleaf.errors import Diagnostic, has_errors


def _config(ctx: click.Context) -> Config:
    from polyleaf.cli_common import project_config as load

    return load(ctx)


def _finish(ctx: click.Context, command: str, report: object) -> None:
    from polyleaf.catalog.files import WriteReport
    from polyleaf.cli_common import emit as _emit

    assert isinstance(report, WriteReport)
    _emit(report.diagnostics)
    click.echo(f"{command}: {len(report.written)} file(s) written, "
               f"{len(report.unchanged)} unchanged")
    for name in report.written:
        click.echo(f"  wrote {name}")
    ctx.exit(1 if has_errors(report.diagnostics) else 0)


@click.group()
def xliff() -> None:
    """Exchange catalogs with CAT tools (Trados, memoQ, Phrase, OmegaT) as XLIFF 2.0."""


@xliff.command("export")
@click.option("--locale", required=True, help="The locale to export (all its catalogs).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write (default: build/xliff/<locale>.xlf).")
@click.pass_context
def xliff_export(ctx: click.Context, locale: str, output: Path | None) -> None:
    """Write one XLIFF 2.0 document with every catalog of LOCALE."""
    from polyleaf.cli_common import emit as _emit
    from polyleaf.tools.xliff import write_export

    config = _config(ctx)
    if locale not in config.locales:
        _emit([_not_configured(locale, config.locales)])
        ctx.exit(2)
    target = output or config.build_dir / "xliff" / f"{locale}.xlf"
    _finish(ctx, "xliff export", write_export(config, locale, target.absolute()))


@xliff.command("import")
@click.argument("document", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def xliff_import(ctx: click.Context, document: Path) -> None:
    """Merge the translations of an XLIFF 2.0 DOCUMENT back into the .po files; a unit whose
    catalog entry changed since the export is reported as a conflict, never overwritten."""
    from polyleaf.cli_common import lock_project as _lock
    from polyleaf.tools.xliff import import_xliff

    config = _config(ctx)
    _lock(ctx, config)
    _finish(ctx, "xliff import", import_xliff(config, document.absolute()))


def _not_configured(locale: str, configured: tuple[str, ...]) -> Diagnostic:
    from polyleaf.errors import error

    return error("polyleaf.toml", 0, "config.locale", f"{locale} is not configured",
                 f"configured locales: {', '.join(configured)}")


@click.group()
def tm() -> None:
    """Exchange the translation memory with agencies as TMX 1.4b."""


@tm.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write (default: build/memory.tmx).")
@click.pass_context
def tm_export(ctx: click.Context, output: Path | None) -> None:
    """Write every finished translation of every locale as one TMX file."""
    from polyleaf.tools.memory import export_tmx

    config = _config(ctx)
    target = output or config.build_dir / "memory.tmx"
    _finish(ctx, "tm export", export_tmx(config, target.absolute()))


@tm.command("import")
@click.argument("document", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def tm_import(ctx: click.Context, document: Path) -> None:
    """Keep a TMX file as locales/<lang>/memory.tmx, which 'polyleaf update' pre-fills from."""
    from polyleaf.cli_common import lock_project as _lock
    from polyleaf.tools.memory import import_tmx

    config = _config(ctx)
    _lock(ctx, config)
    _finish(ctx, "tm import", import_tmx(config, document.absolute()))


def register(main: click.Group) -> None:
    """Add the exchange commands to the ``polyleaf`` group."""
    main.add_command(xliff)
    main.add_command(tm)
