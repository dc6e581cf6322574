"""``polyleaf review``: the clinical review workflow on the command line (a thin click layer).

``status`` (approved / changed since approval / never reviewed per article and locale),
``packet`` (printable HTML and PDF for a reviewer), ``approve`` (record a sign-off),
``back-translation export|import`` and ``import-weblate``. Each calls one library function of
:mod:`polyleaf.review` or :mod:`polyleaf.render.packet` and prints its diagnostics.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from polyleaf.cli_common import emit, finish_write, format_option, lock_project, project_config
from polyleaf.errors import has_errors

if TYPE_CHECKING:
    from polyleaf.catalog.project import Project
    from polyleaf.review.state import Reviews

ARTICLES = click.argument("articles", nargs=-1, metavar="[ARTICLE]...")
REVIEW_LOCALES = click.option("--locale", "locales", multiple=True,
                              help="Only this locale (repeatable; default: every target locale).")


def _load(ctx: click.Context) -> tuple[Project, Reviews]:
    from polyleaf.catalog.project import load_project
    from polyleaf.review.state import load_reviews

    project = load_project(project_config(ctx))
    emit(project.diagnostics)
    reviews = load_reviews(project)
    return project, reviews


@click.group()
def review() -> None:
    """Clinical review and sign-off: review packets, back-translations and approvals bound to
    the exact text approved. See docs/clinics.md."""


@review.command()
@ARTICLES
@REVIEW_LOCALES
@click.option("--segments", "show_segments", is_flag=True,
              help="Also list every segment that is not approved as it is now.")
@format_option("A table for people, JSON for machines.")
@click.pass_context
def status(ctx: click.Context, articles: tuple[str, ...], locales: tuple[str, ...],
           show_segments: bool, fmt: str) -> None:
    """Per article and locale: segments approved, changed since approval, never reviewed."""
    from polyleaf.review.state import Status, project_review, status_json

    project, reviews = _load(ctx)
    emit(reviews.diagnostics)
    items = project_review(project, reviews, locales, articles)
    if fmt == "json":
        click.echo(status_json(items))
    for item in items if fmt == "text" else ():
        last = item.signoffs()
        who = f"  last: {last[0][0]}, {last[0][1].isoformat()}" if last else ""
        click.echo(f"{item.article} [{item.locale}]: {item.count(Status.APPROVED)}/"
                   f"{len(item.segments)} approved, {item.count(Status.CHANGED)} changed since "
                   f"approval, {item.count(Status.NEVER)} never reviewed{who}")
        for seg in item.segments if show_segments else ():
            if seg.status is not Status.APPROVED:
                click.echo(f"  #{seg.number} {seg.status.value}: {seg.segment.msgid[:70]}")
    ctx.exit(1 if has_errors(reviews.diagnostics) else 0)


@review.command()
@click.argument("articles", nargs=-1, required=True, metavar="ARTICLE...")
@click.option("--locale", "locales", multiple=True, required=True,
              help="The locale approved (repeatable).")
@click.option("--reviewer", required=True, help="Who approves: a name.")
@click.option("--role", required=True,
              help="In which capacity: clinician, doctor, nurse, pharmacist, linguist or any "
                   "other word (printed on the leaflet).")
@click.option("--segments", default="all", show_default=True,
              help="Which segments: all, unreviewed, changed, or numbers such as 1-4,9.")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The day of the sign-off (default: today, or SOURCE_DATE_EPOCH).")
@click.option("--note", default="", help="A remark kept with the approval.")
@click.pass_context
def approve(ctx: click.Context, articles: tuple[str, ...], locales: tuple[str, ...],
            reviewer: str, role: str, segments: str, on: datetime | None, note: str) -> None:
    """Record that REVIEWER approved the current text of each ARTICLE in each locale; refused
    for segments that are untranslated, fuzzy or fail QA."""
    from polyleaf.review.approve import Signoff, record_approvals

    lock_project(ctx, project_config(ctx))
    project, _ = _load(ctx)
    report = record_approvals(project, articles, locales,
                              Signoff(reviewer, role, on.date() if on else None, note=note),
                              segments)
    summary = (f"approve: {report.approved} segment(s) approved in {len(report.written)} "
               "record(s)")
    finish_write(ctx, report.diagnostics, summary, report.written)


@review.command()
@ARTICLES
@REVIEW_LOCALES
@click.option("--segments", default="all", show_default=True,
              help="Which segments: all, unreviewed, changed, or numbers such as 1-4,9.")
@click.option("--no-pdf", is_flag=True, help="HTML only (faster).")
@click.pass_context
def packet(ctx: click.Context, articles: tuple[str, ...], locales: tuple[str, ...],
           segments: str, no_pdf: bool) -> None:
    """Write a printable review packet (HTML and PDF) per article and locale into
    build/review/: source, translation, back-translation, QA findings, changes since the last
    approval, and a sign-off block."""
    from polyleaf.render.packet import write_packets

    project, reviews = _load(ctx)
    report = write_packets(project, reviews, articles, locales, segments, pdf=not no_pdf)
    summary = f"packet: {len(report.written)} file(s) written"
    finish_write(ctx, report.diagnostics, summary, report.written)


@review.group("back-translation")
def back_translation() -> None:
    """Back-translation catalogs: the translation as msgid, for a translator who never sees the
    source; the packet shows source and back-translation side by side."""


@back_translation.command("export")
@ARTICLES
@REVIEW_LOCALES
@click.pass_context
def back_export(ctx: click.Context, articles: tuple[str, ...], locales: tuple[str, ...]) -> None:
    """Write or update locales/<lang>/review/<article>.back.po (nothing written there is lost)."""
    from polyleaf.review.backtranslation import export_back_translations

    lock_project(ctx, project_config(ctx))
    project, _ = _load(ctx)
    report = export_back_translations(project, articles, locales)
    summary = (f"back-translation: {len(report.written)} catalog(s) written, "
               f"{len(report.unchanged)} unchanged")
    finish_write(ctx, report.diagnostics, summary, report.written)


@back_translation.command("import")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def back_import(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Copy the back-translations of returned .back.po FILES into the project's catalogs."""
    from polyleaf.review.backtranslation import import_back_translations

    lock_project(ctx, project_config(ctx))
    project, _ = _load(ctx)
    report = import_back_translations(project, files)
    emit(report.diagnostics)
    click.echo(f"back-translation: {len(report.written)} catalog(s) updated, "
               f"{len(report.unchanged)} unchanged")
    ctx.exit(1 if has_errors(report.diagnostics) else 0)


@review.command("import-weblate")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reviewer", required=True, help="Who approved the strings in Weblate.")
@click.option("--role", required=True, help="Their role (clinician, linguist...).")
@click.option("--article", default="", help="The article, when the file does not say.")
@click.option("--locale", default="", help="The locale, when the file does not say.")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The day of the approvals (default: today, or SOURCE_DATE_EPOCH).")
@click.pass_context
def import_weblate(ctx: click.Context, files: tuple[Path, ...], reviewer: str, role: str,
                   article: str, locale: str, on: datetime | None) -> None:
    """Record the strings approved in Weblate (units JSON from its API, or XLIFF with
    approved / reviewed / final states) whose text equals the catalog's; report the rest."""
    from polyleaf.review.approve import Signoff
    from polyleaf.review.interop import import_approvals

    lock_project(ctx, project_config(ctx))
    project, _ = _load(ctx)
    signoff = Signoff(reviewer, role, on.date() if on else None)
    failed = False
    for path in files:
        report = import_approvals(project, path, signoff, article, locale)
        emit(report.diagnostics)
        failed = failed or has_errors(report.diagnostics)
        click.echo(f"import-weblate: {path.name}: {report.approved} segment(s) approved"
                   + "".join(f"\n  wrote {name}" for name in report.written))
        project, _ = _load(ctx)  # the next file sees this file's approvals
    ctx.exit(1 if failed else 0)
