"""What PDF/UA needs of the structure tree that WeasyPrint leaves out, added while it writes.

WeasyPrint 70 tags a PDF (``pdf_tags``) but gives no structure element a ``/Lang`` (so a
screen reader reads the English blocks of a bilingual leaflet, and English fallbacks, with the
page language's voice), no table header a ``/Scope``, and no text an ``/ActualText``, so
poppler-based viewers copy an Arabic lam-alef or lam-yeh ligature reversed (``على`` -> ``عىل``).
:func:`accessible_tags` adds them during ``write_pdf``:

- it wraps WeasyPrint's structure builder (``weasyprint.pdf.tags._build_box_tree``), which sees
  each layout box with its HTML element and computed style, and records for each structure
  element the language of an element that has a ``lang`` attribute, the scope of a ``th``, and
  the logical text of every text run that holds a ligature;
- its ``finisher`` (WeasyPrint's documented post-processing hook, run on the PDF objects before
  they are serialized) writes ``/Lang`` where the language differs from the inherited one, the
  logical ``/ActualText`` on the text elements of those runs (for screen readers and other
  readers of the structure tree), and wraps each ligature glyph of the page content in a
  marked-content ``/ActualText`` span for poppler-based viewers (see :func:`_mark_ligatures`).

Nothing is re-parsed and nothing re-rendered. The wrapper is installed once and records only
inside :func:`accessible_tags` (a context variable, so concurrent threads never mix notes); any
other WeasyPrint use in the process is untouched. If a WeasyPrint release renames the builder,
:func:`accessible_tags` leaves the PDF as WeasyPrint made it and ``tests/test_pdf_ua.py`` -- the
PDF/UA checker -- fails, naming the missing entries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import pydyf
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import tags as weasy_tags

# Arabic letter pairs that Arabic fonts draw as one ligature glyph: lam with an alef (mandatory
# lam-alef forms) or with alef maksura / yeh (the lam-yeh ligatures of Noto Sans Arabic).
_LIGATURE = re.compile("\u0644[\u0622\u0623\u0625\u0627\u0649\u064a]")


@dataclass
class _Notes:
    """What the wrapped builder saw, for the finisher."""

    langs: dict[int, str] = field(default_factory=dict)  # element object number -> lang
    actual_text: dict[tuple[int, int], str] = field(default_factory=dict)  # (page, mcid) -> text
    artifacts: dict[tuple[int, int], str] = field(default_factory=dict)  # (page, mcid) -> kind


def _text_children(box: Any) -> Iterator[Any]:
    """The text boxes WeasyPrint's builder turns into marked content under ``box``."""
    for child in getattr(box, "children", ()):
        for kid in child.children if isinstance(child, boxes.LineBox) else (child,):
            if isinstance(kid, boxes.TextBox):
                yield kid


def _descendants(box: Any) -> Iterator[Any]:
    stack = [box]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(getattr(current, "children", ()))


def _record(original: Callable[..., Iterator[Any]], notes: _Notes, box: Any, parent: Any,
            pdf: Any, page_number: int, nums: Any, annotations: Any,
            tags: Any) -> Iterator[Any]:
    """WeasyPrint's builder for ``box``, noting what the finisher needs on the way."""
    if isinstance(box, boxes.MarginBox):  # running header or footer: a pagination artifact
        kind = "/Header" if box.at_keyword.startswith("@top") else "/Footer"
        for inner in _descendants(box):
            if (mark := tags.get(inner)) is not None:
                notes.artifacts[(page_number, mark["mcid"])] = kind
    for text_box in _text_children(box):
        mark = tags.get(text_box)
        if mark is not None and _LIGATURE.search(text_box.text):
            notes.actual_text[(page_number, mark["mcid"])] = text_box.text
    element_tag = None if box.element is None else box.element_tag
    own = element_tag not in ("html", "body") and not isinstance(box, boxes.PageBox)
    for element in original(box, parent, pdf, page_number, nums, annotations, tags):
        if own and box.element is not None:
            _annotate(element, box, notes)
        yield element


def _annotate(element: Any, box: Any, notes: _Notes) -> None:
    if box.element.get("lang"):
        notes.langs.setdefault(element.number, str(box.style["lang"]))
    if element["S"] == "/TH" and "A" in element:
        scope = "/Row" if box.element.get("scope") == "row" else "/Column"
        element["A"]["Scope"] = scope


def _finish(notes: _Notes) -> Callable[[Any, Any], None]:
    def finisher(document: Any, pdf: Any) -> None:
        objects = pdf.objects
        root = pdf.catalog.get("StructTreeRoot")
        if root is not None:
            lang = pdf.catalog.get("Lang")
            pages = {ref: index for index, ref in enumerate(pdf.page_references)}
            _write_tree(objects, _resolve(objects, root), str(getattr(lang, "string", "")),
                        notes, pages)
        ligatures = _ligature_glyphs(document) if notes.actual_text else {}
        # pydyf keeps the page tree's kids flat: number, 0, "R", number, ...
        for page_number, number in enumerate(pdf.pages["Kids"][::3]):
            stream = _resolve(objects, objects[number]["Contents"])
            if notes.artifacts:
                _mark_artifacts(stream, page_number, notes.artifacts)
            if ligatures:
                _mark_ligatures(stream, ligatures)
    return finisher


def _mark_artifacts(stream: Any, page_number: int, artifacts: dict[tuple[int, int], str]) -> None:
    """The running footer's marked content becomes ``/Artifact <</Type /Pagination ...>>``:
    WeasyPrint marks it with an MCID but links it to no structure element (PDF/UA 01-005:
    content is either tagged or an artifact)."""
    items = stream.stream
    for index, item in enumerate(items):
        if isinstance(item, pydyf.Dictionary) and "MCID" in item and index \
                and (kind := artifacts.get((page_number, item["MCID"]))) is not None:
            items[index - 1] = "/Artifact"
            items[index] = pydyf.Dictionary({"Type": "/Pagination", "Subtype": kind})


def _resolve(objects: list[Any], reference: Any) -> Any:
    """The object an indirect reference (``b"12 0 R"``, as pydyf writes them) points to."""
    if isinstance(reference, bytes) and reference.endswith(b" R"):
        return objects[int(reference.split()[0])]
    return reference


def _write_tree(objects: list[Any], node: Any, inherited: str, notes: _Notes,
                pages: dict[bytes, int]) -> None:
    """``/Lang`` on each element whose language differs from its parent's, and the logical
    ``/ActualText`` on each text element whose run holds a ligature (iteratively)."""
    stack = [(node, inherited)]
    while stack:
        current, parent_lang = stack.pop()
        lang = notes.langs.get(getattr(current, "number", -1), parent_lang)
        if lang != parent_lang:
            current["Lang"] = pydyf.String(lang)
        kids = current.get("K", ())
        kids = kids if isinstance(kids, list) else [kids]
        if len(kids) == 1 and isinstance(kids[0], int) and "Pg" in current:
            text = notes.actual_text.get((pages.get(current["Pg"], -1), kids[0]))
            if text is not None:
                current["ActualText"] = pydyf.String(text)
        for kid in kids:
            child = _resolve(objects, kid)
            if isinstance(child, pydyf.Dictionary) and child.get("Type") == "/StructElem":
                stack.append((child, lang))


def _ligature_glyphs(document: Any) -> dict[bytes, dict[str, str]]:
    """Font resource name -> {glyph hex: its characters} for the Arabic ligature glyphs."""
    found: dict[bytes, dict[str, str]] = {}
    for font in getattr(document, "fonts", {}).values():
        glyphs = {f"{glyph:04x}": text for glyph, text in getattr(font, "to_unicode", {}).items()
                  if len(text) > 1 and _LIGATURE.search(text)}
        if glyphs and not getattr(font, "bitmap", False):
            found[str(font.hash).encode()] = glyphs
    return found


_SHOW = re.compile(rb"^\[(.*)\] TJ$", re.S)
_GROUP = re.compile(rb"<([0-9a-f]*)>")


def _mark_ligatures(stream: Any, ligatures: dict[bytes, dict[str, str]]) -> None:
    """Put each ligature glyph of a page in its own ``/Span <</ActualText ...>> BDC ... EMC``.

    Poppler (Evince, Okular, pdftotext) lays a glyph's characters out left to right and then
    reorders right-to-left lines, so a lam-alef glyph mapped to "لا" copies as "ال"; the
    marked-content ActualText it reads is given in that display order, which it turns back into
    reading order. Readers that use the structure tree get the logical text from the text
    element's own ``/ActualText`` (:func:`_write_tree`)."""
    glyphs: dict[str, str] = {}
    items: list[Any] = []
    for item in stream.stream:
        if isinstance(item, bytes) and item.endswith(b" Tf"):
            glyphs = ligatures.get(item[1:].split(b" ")[0], {})
        match = _SHOW.match(item) if glyphs and isinstance(item, bytes) else None
        items.extend(_split_show(match.group(1), glyphs) if match else [item])
    stream.stream = items


def _split_show(array: bytes, glyphs: dict[str, str]) -> list[Any]:
    """One ``TJ`` array as several, each ligature glyph alone inside its ActualText span."""
    out: list[Any] = []
    current = b""
    position = 0
    for group in _GROUP.finditer(array):
        current += array[position:group.start()]
        position = group.end()
        hexes = group.group(1).decode()
        run = ""
        for index in range(0, len(hexes), 4):
            glyph = hexes[index:index + 4]
            if glyph not in glyphs:
                run += glyph
                continue
            if run or current:
                out.append(b"[" + current + f"<{run}>".encode() + b"] TJ")
            current, run = b"", ""
            out += [b"/Span", pydyf.Dictionary({"ActualText": pydyf.String(glyphs[glyph][::-1])}),
                    b"BDC", f"[<{glyph}>] TJ".encode(), b"EMC"]
        current += f"<{run}>".encode()
    current += array[position:]
    if current and current != b"<>":
        out.append(b"[" + current + b"] TJ")
    return out


_ACTIVE: ContextVar[_Notes | None] = ContextVar("polyleaf_pdf_tag_notes", default=None)


def _install() -> bool:
    """Wrap WeasyPrint's structure builder once per process; the wrapper only records for the
    ``write_pdf`` calls made inside :func:`accessible_tags` (per thread: a context variable), so
    threads rendering at once (a Dask worker with several threads) never mix their notes."""
    original = getattr(weasy_tags, "_build_box_tree", None)
    if original is None:
        return False
    if not getattr(original, "polyleaf_wrapped", False):
        def build(*args: Any) -> Iterator[Any]:
            notes = _ACTIVE.get()
            return original(*args) if notes is None else _record(original, notes, *args)
        build.polyleaf_wrapped = True  # type: ignore[attr-defined]
        weasy_tags._build_box_tree = build
    return True


@contextmanager
def accessible_tags() -> Iterator[Callable[[Any, Any], None]]:
    """While active, WeasyPrint's tagging records languages, scopes, ligature runs and running
    footers; yields the ``finisher`` to pass to ``write_pdf``."""
    if not _install():  # a WeasyPrint without this builder: its own tags, unchanged
        yield lambda document, pdf: None
        return
    notes = _Notes()
    token = _ACTIVE.set(notes)
    try:
        yield _finish(notes)
    finally:
        _ACTIVE.reset(token)
