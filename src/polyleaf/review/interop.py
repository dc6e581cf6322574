"""Importing approvals made elsewhere: Weblate's review workflow and XLIFF review states.

Weblate keeps "Approved" in its database, not in gettext PO files, so its approvals reach
polyleaf through one of Weblate's own exports (docs/clinics.md says how to fetch them):

- the JSON of the REST API's unit list, ``GET /api/translations/<project>/<component>/<lang>/units/``
  (a list of units, or one or more saved pages ``{"results": [...]}``): a unit is approved when
  ``"approved": true`` or ``"state": 30``; its ``translation`` URL names the component (the
  article: one Weblate component per catalog) and the language;
- XLIFF, as Weblate downloads it: 1.2 with ``approved="yes"`` on a ``trans-unit`` (or a target
  ``state`` of ``final`` / ``signed-off``), or 2.0 with ``state="reviewed"`` or ``"final"`` on a
  ``segment``.

Only an approved unit whose source *and* translation equal the catalog's current text is
recorded (the approval binds exactly that text); every other approved unit is reported, never
dropped silently. XML is parsed with defusedxml (no entities, no network).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from polyleaf.catalog.project import Project
from polyleaf.errors import Diagnostic, error, warning
from polyleaf.i18n import locale_info
from polyleaf.qa.usable import usable
from polyleaf.review.approve import ApproveReport, Signoff, approve_one
from polyleaf.review.state import Status, load_reviews

APPROVED_STATE = 30  # Weblate's STATE_APPROVED
XLIFF_APPROVED_STATES = {"final", "signed-off", "reviewed"}
_TRANSLATION_URL = re.compile(r"/translations/[^/]+/([^/]+)/([^/]+)/?$")
MAX_BYTES = 50_000_000


@dataclass(frozen=True, slots=True)
class ApprovedUnit:
    """One string approved in the other tool: its source and translation as approved there."""

    source: str
    target: str
    context: str | None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Export:
    """What one exported file says: where it belongs (when it says) and its approved units."""

    article: str
    locale: str
    units: tuple[ApprovedUnit, ...]
    skipped: int  # units not approved there
    method: str  # "weblate" or "xliff"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(element: Element | None) -> str:
    return "" if element is None else "".join(element.itertext())


def _child(element: Element, name: str) -> Element | None:
    return next((c for c in element if _local(c.tag) == name), None)


def _units_json(data: Any) -> Iterator[dict[str, Any]]:
    pages = data if isinstance(data, list) and data and isinstance(data[0], dict) \
        and "results" in data[0] else [data]
    for page in pages:
        rows = page.get("results", []) if isinstance(page, dict) else page
        for row in rows if isinstance(rows, list) else ():
            if isinstance(row, dict):
                yield row


def parse_weblate_json(text: str) -> Export:
    """Units of Weblate's REST API JSON; raises ValueError when it is not that."""
    data = json.loads(text)
    units, skipped, article, locale = [], 0, "", ""
    for row in _units_json(data):
        source, target = row.get("source"), row.get("target")
        if not isinstance(source, list) or not isinstance(target, list):
            raise ValueError("a unit without 'source' and 'target' lists")
        if match := _TRANSLATION_URL.search(str(row.get("translation", ""))):
            article, locale = match.group(1), match.group(2)
        if row.get("approved") is True or row.get("state") == APPROVED_STATE:
            units.append(ApprovedUnit(str(source[0]) if source else "", "\n".join(map(str, target)),
                                      str(row["context"]) if row.get("context") else None))
        else:
            skipped += 1
    return Export(article, locale, tuple(units), skipped, "weblate")


def parse_xliff(text: str) -> Export:
    """Approved units of an XLIFF 1.2 or 2.0 file; raises ValueError when it is not XLIFF."""
    root = ElementTree.fromstring(text.encode("utf-8"))
    if _local(root.tag) != "xliff":
        raise ValueError("the root element is not <xliff>")
    locale = root.get("trgLang", "")
    units, skipped = [], 0
    for element in root.iter():
        name = _local(element.tag)
        if name == "file" and element.get("target-language"):
            locale = str(element.get("target-language"))
        if name == "trans-unit":  # XLIFF 1.2
            target = _child(element, "target")
            state = target.get("state", "") if target is not None else ""
            ok = element.get("approved") == "yes" or state in XLIFF_APPROVED_STATES
            found = (ok, _text(_child(element, "source")), _text(target), element.get("resname"))
        elif name == "segment":  # XLIFF 2.0
            ok = element.get("state", "") in XLIFF_APPROVED_STATES
            found = (ok, _text(_child(element, "source")), _text(_child(element, "target")), None)
        else:
            continue
        if found[0] and found[2]:
            units.append(ApprovedUnit(found[1], found[2], found[3]))
        else:
            skipped += 1
    return Export("", locale, tuple(units), skipped, "xliff")


def read_export(path: Path) -> Export:
    """Parse a Weblate JSON or XLIFF export; raises ValueError with the reason."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValueError(f"larger than {MAX_BYTES // 1_000_000} MB")
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot be read: {exc}") from None
    try:
        if text.lstrip().startswith(("{", "[")):
            return parse_weblate_json(text)
        return parse_xliff(text)
    except (json.JSONDecodeError, ElementTree.ParseError, DefusedXmlException) as exc:
        raise ValueError(f"neither Weblate JSON nor XLIFF: {exc}") from None


def _place(project: Project, export: Export, article: str, locale: str) -> tuple[str, str]:
    """(article, locale) from the options, else from the export; locale codes matched loosely."""
    wanted = (locale or export.locale).replace("-", "_").lower()
    found = next((lo for lo in project.config.locales if lo.lower() == wanted), "")
    return article or export.article, found


def import_approvals(project: Project, path: Path, signoff: Signoff, article: str = "",
                     locale: str = "") -> ApproveReport:
    """Record the approvals of one exported file as one approval per article and locale."""
    name = str(path)
    try:
        export = read_export(path)
    except ValueError as exc:
        return ApproveReport((), 0, (error(name, 0, "review.import-format", str(exc),
                                           "export the units JSON from Weblate's API, or "
                                           "download the translation as XLIFF"),))
    article, locale = _place(project, export, article, locale)
    found = next((a for a in project.sources.articles if a.id == article), None)
    if found is None or not locale:
        return ApproveReport((), 0, (error(name, 0, "review.import-target",
                                           f"cannot tell the article ({article!r}) or the "
                                           f"locale ({locale or export.locale!r}) of this file",
                                           "pass --article ID and --locale CODE"),))
    reviews = load_reviews(project)
    review = reviews.article_review(project, found, locale)
    by_text = {(s.segment.msgid, s.translation): s for s in review.segments}
    by_source = {s.segment.msgid: s for s in review.segments}
    numbers, problems = [], []
    for unit in export.units:
        match = by_text.get((unit.source, unit.target))
        if match is not None:
            numbers.append(match.number)
        else:
            problems.append(_unmatched(name, unit, by_source.get(unit.source)))
    done = {s.number for s in review.segments if s.status is Status.APPROVED}
    catalog = project.catalog(locale, article)
    info = locale_info(locale)
    unusable = {s.number for s in review.segments
                if not usable(s.entry, info, catalog.nplurals if catalog else None).ok}
    problems += [error(name, 0, "review.not-usable", f"segment {n} was approved in the export but "
                       "is not usable now (fuzzy or failing QA): not imported",
                       "run 'polyleaf check' and fix it first") for n in sorted(set(numbers) & unusable)]
    todo = sorted(set(numbers) - done - unusable)
    if not todo:
        return ApproveReport((), 0, tuple(problems))
    signoff = Signoff(signoff.reviewer, signoff.role, signoff.on, export.method, signoff.note)
    written, count, found_problems = approve_one(project, reviews, article, locale, signoff,
                                                 ",".join(map(str, todo)))
    return ApproveReport((written,) if written else (), count, (*problems, *found_problems))


def _unmatched(name: str, unit: ApprovedUnit, same_source: Any) -> Diagnostic:
    if same_source is None:
        return warning(name, unit.line, "review.import-unknown",
                       f"an approved unit is no segment of the article: {unit.source[:60]!r}",
                       "the source changed since; review it again in polyleaf")
    return warning(name, unit.line, "review.import-mismatch",
                   f"segment {same_source.number} was approved with another translation than "
                   "the catalog holds now; not imported",
                   "sync Weblate with the repository, export again, or review it with a packet")
