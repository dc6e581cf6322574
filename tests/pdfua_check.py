"""A PDF/UA-1 checker for the tests: the machine-checkable Matterhorn Protocol checkpoints that
apply to polyleaf's leaflets, read with pikepdf (structure) and pypdf (text and positions).

No full PDF/UA validator is installable here (veraPDF is in neither Debian nor PyPI; the
``pdfua`` package covers 16 of 106 rules and is run beside this one as a second judge). Each
problem is ``"<checkpoint>: <what>"``; :func:`problems` returns them all, [] for a clean file.

Checkpoints (Matterhorn Protocol 1.1 numbering):

- 01-005 / 06-001  the structure tree and ``/MarkInfo /Marked true``; every marked-content
  sequence with an MCID is reachable from the structure tree (otherwise it is neither tagged
  nor an artifact: WeasyPrint's running footers were);
- 06-002           PDF/UA identification (``pdfuaid:part``) in the XMP metadata;
- 07-001 / 07-002  a ``dc:title``, and ``/DisplayDocTitle true`` so viewers show it;
- 11-001..006      a valid ``/Lang`` on the catalog and on every element that has one; the
                   language of given text (:func:`leaves` gives every text run's language);
- 13-004           every ``/Figure`` has ``/Alt`` or ``/ActualText``;
- 15-003           every table header cell (``/TH``) has a ``/Scope``;
- 28-009 / 28-011  every link annotation has ``/Contents`` and is in the structure tree;
- 31-009..012      every font is embedded;
- 09-004 (order)   the tagged reading order is the visual order: text runs, in structure-tree
                   order, go down each page (runs on one line may come in any order).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
from babel import Locale, UnknownLocaleError
from pypdf import PdfReader

# One line's worth of tolerance when comparing the tops of consecutive text runs (pt).
LINE_TOLERANCE = 3.0


@dataclass(frozen=True, slots=True)
class Leaf:
    """One tagged text run (a marked-content sequence) in structure-tree order."""

    page: int
    mcid: int
    tag: str  # the structure type of the element holding it
    lang: str  # its language, inherited down the tree from the catalog
    text: str
    y: float  # the top of its first line, from the top of the page (pt); -1 when it has no text
    row: tuple[int, int] | None = None  # the table row (TR) holding it: cells read across
    path: tuple[tuple[str, tuple[int, int]], ...] = ()  # (type, object id) of its ancestors


def _open(path: Path | bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(path) if isinstance(path, bytes) else path)


def valid_lang(tag: str) -> bool:
    """A BCP 47 tag CLDR knows (``en``, ``zh-Hans``, ``ar``; pseudo-locales ``qps-ploc``)."""
    if tag.startswith("qps-"):
        return True
    try:
        Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def _kids(element: Any) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


Walked = tuple[Any, str, list[Any], Any, tuple[Any, ...]]  # element, lang, (page, mcid)s, row, path


def _walk(pdf: pikepdf.Pdf) -> list[Walked]:
    """(element, inherited lang, its MCIDs as (page, mcid), the TR it is in) in tree order."""
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    catalog_lang = str(pdf.Root.get("/Lang", ""))
    out: list[Walked] = []
    stack: list[tuple[Any, str, Any, Any, tuple[Any, ...]]] = [
        (kid, catalog_lang, None, None, ()) for kid in reversed(_kids(pdf.Root.StructTreeRoot))]
    while stack:
        element, lang, page, row, path = stack.pop()
        if not isinstance(element, pikepdf.Dictionary):
            continue
        lang = str(element.get("/Lang", lang))
        if element.get("/S") == "/TR":
            row = element.objgen
        if "/Pg" in element:
            page = pages.get(element.Pg.objgen, page)
        mcids: list[Any] = []
        children = []
        for kid in _kids(element):
            if isinstance(kid, int):
                mcids.append((page, int(kid)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                mcids.append((pages.get(kid.Pg.objgen, page) if "/Pg" in kid else page,
                              int(kid.MCID)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/OBJR":
                children.append(kid)
        path = (*path, (str(element.S), element.objgen))
        out.append((element, lang, mcids, row, path))
        stack.extend((child, lang, page, row, path) for child in reversed(children))
    return out


class _PageRuns:
    """pypdf visitors collecting, per MCID of one page, its text and the top of its first line."""

    def __init__(self, index: int, height: float) -> None:
        self.index, self.height = index, height
        self.stack: list[int | None] = []
        self.texts: dict[tuple[int, int], str] = {}
        self.tops: dict[tuple[int, int], float] = {}

    def current(self) -> int | None:
        return next((m for m in reversed(self.stack) if m is not None), None)

    def before(self, op: bytes, args: Any, cm: Any, tm: Any) -> None:
        if op == b"BDC":
            props = args[1] if len(args) > 1 else {}
            mcid = props.get("/MCID") if hasattr(props, "get") else None
            self.stack.append(int(mcid) if mcid is not None else None)
        elif op == b"BMC":
            self.stack.append(None)
        elif op == b"EMC" and self.stack:
            self.stack.pop()
        elif op == b"Tm" and (mcid := self.current()) is not None \
                and (self.index, mcid) not in self.tops:
            x, y = float(args[4]), float(args[5])
            self.tops[(self.index, mcid)] = self.height - (cm[1] * x + cm[3] * y + cm[5])

    def text(self, chunk: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if (mcid := self.current()) is not None and chunk:
            key = (self.index, mcid)
            self.texts[key] = self.texts.get(key, "") + chunk


def _runs(data: bytes) -> dict[tuple[int, int], tuple[str, float]]:
    """(page, mcid) -> (text, top y from the page's top) of every marked sequence, via pypdf."""
    runs: dict[tuple[int, int], tuple[str, float]] = {}
    for index, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        visitor = _PageRuns(index, float(page.mediabox.height))
        page.extract_text(visitor_operand_before=visitor.before, visitor_text=visitor.text)
        runs |= {key: (text, visitor.tops.get(key, -1.0)) for key, text in visitor.texts.items()}
    return runs


def leaves(path: Path | bytes) -> list[Leaf]:
    """Every tagged text run, in structure-tree (reading) order."""
    data = path if isinstance(path, bytes) else Path(path).read_bytes()
    runs = _runs(data)
    with _open(data) as pdf:
        return [Leaf(page, mcid, str(element.S), lang, *runs.get((page, mcid), ("", -1.0)), row,
                     path) for element, lang, mcids, row, path in _walk(pdf)
                for page, mcid in mcids]


def _marked_mcids(pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    for index, page in enumerate(pdf.pages):
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "BDC" and len(operands) > 1 \
                    and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                found.add((index, int(operands[1].MCID)))
    return found


def _structure_problems(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    root = pdf.Root
    if "/StructTreeRoot" not in root:
        return ["01-005: no structure tree"]
    if not root.get("/MarkInfo", {}).get("/Marked", False):
        problems.append("06-001: /MarkInfo /Marked is not true")
    if not valid_lang(str(root.get("/Lang", ""))):
        problems.append(f"11-006: the catalog /Lang {str(root.get('/Lang', ''))!r} is not valid")
    tree = _walk(pdf)
    tagged = {mcid for _, _, mcids, _, _ in tree for mcid in mcids}
    for page, mcid in sorted(_marked_mcids(pdf) - tagged):
        problems.append(f"01-005: page {page + 1} MCID {mcid} is marked but neither tagged "
                        "(not in the structure tree) nor an artifact")
    for element, *_ in tree:
        kind = str(element.S)
        if "/Lang" in element and not valid_lang(str(element.Lang)):
            problems.append(f"11-004: {kind} has the invalid /Lang {str(element.Lang)!r}")
        if kind == "/Figure" and not str(element.get("/Alt", "")).strip() \
                and not str(element.get("/ActualText", "")).strip():
            problems.append("13-004: a /Figure has neither /Alt nor /ActualText")
        if kind == "/TH" and "/Scope" not in element.get("/A", {}):
            problems.append("15-003: a /TH has no /Scope")
    return problems


def _document_problems(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    with pdf.open_metadata() as xmp:
        if str(xmp.get("pdfuaid:part", "")) != "1":
            problems.append("06-002: no PDF/UA-1 identification (pdfuaid:part) in the XMP")
        if not str(xmp.get("dc:title", "")).strip():
            problems.append("07-001: no dc:title in the XMP metadata")
    if not pdf.Root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False):
        problems.append("07-002: /DisplayDocTitle is not true")
    for index, page in enumerate(pdf.pages):
        for annotation in page.get("/Annots", []):
            if annotation.get("/Subtype") == "/Link":
                if not str(annotation.get("/Contents", "")).strip():
                    problems.append(f"28-009: a link on page {index + 1} has no /Contents")
                if "/StructParent" not in annotation:
                    problems.append(f"28-011: a link on page {index + 1} is not tagged")
        for name, font in page.Resources.get("/Font", {}).items():
            fonts = [font, *font.get("/DescendantFonts", [])]
            if not any(f.get("/FontDescriptor", {}).get(key) is not None for f in fonts
                       for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(f"31-009: font {name} ({font.get('/BaseFont')}) on page "
                                f"{index + 1} is not embedded")
    return problems


def order_problems(runs: list[Leaf]) -> list[str]:
    """09-004: the structure-tree order of text runs goes down each page, page by page (the
    cells of a table row read across: each starts at the row's top)."""
    problems = []
    previous: Leaf | None = None
    row_top = 0.0
    for leaf in (r for r in runs if r.y >= 0 and r.text.strip()):
        same_row = previous is not None and leaf.row is not None and leaf.row == previous.row \
            and leaf.page == previous.page
        if not same_row:
            row_top = leaf.y
        floor = row_top if same_row else (previous.y if previous else 0.0)
        if previous is not None and (leaf.page < previous.page or (
                leaf.page == previous.page and leaf.y < floor - LINE_TOLERANCE)):
            problems.append(f"09-004: {leaf.text.strip()[:30]!r} (page {leaf.page + 1}, "
                            f"y {leaf.y:.0f}) comes after {previous.text.strip()[:30]!r} "
                            f"(page {previous.page + 1}, y {previous.y:.0f}) in the tags")
        previous = leaf
    return problems


def problems(path: Path | bytes) -> list[str]:
    """Every failed checkpoint of the file (see the module docstring)."""
    data = path if isinstance(path, bytes) else Path(path).read_bytes()
    with _open(data) as pdf:
        found = _structure_problems(pdf) + _document_problems(pdf)
    return found + order_problems(leaves(data))


def squash(text: str) -> str:
    """Text without whitespace (line breaks split runs anywhere)."""
    return re.sub(r"\s+", "", text)
