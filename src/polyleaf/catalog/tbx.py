"""TBX glossaries (ISO 30042): TBX-Basic 2008 (``<martif>``) and TBX v3 (``<tbx>``, DCA style).

One concept (``termEntry`` / ``conceptEntry``) holds a language section (``langSet`` /
``langSec``) per language, each with terms (``tig``, ``ntig`` or ``termSec``). The section of
the project's source language gives the source terms; the section of the locale gives the
target terms (for ``pt_BR``, the sections tagged ``pt-BR`` when the file has them; else any
section of its language). A target term's ``<termNote type="administrativeStatus">`` (TBX-Basic) or
``normativeAuthorization`` (TBX 2008) says what it is:

- ``preferredTerm-admn-sts``, ``admittedTerm-admn-sts`` (or no status): approved, preferred
  first;
- ``deprecatedTerm-admn-sts``, ``supersededTerm-admn-sts``, and Weblate's ``forbidden`` and
  ``obsolete``: forbidden (Weblate imports these as forbidden translations).

Deprecated source terms are not looked for. A concept's first ``descrip`` or ``note`` is its
note. XML is parsed without a DTD, entities or network access; an internal DTD subset or an
entity reference refuses the file (``glossary.syntax``), so does a file over 16 MB.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from lxml import etree

from polyleaf.catalog.glossary import Term, check_term
from polyleaf.catalog.terms import language_of
from polyleaf.errors import Diagnostic, PolyleafError, error, warning

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TBX3 = "urn:iso:std:iso:30042:ed-2"
APPROVED = {"preferredterm-admn-sts", "admittedterm-admn-sts", "preferredterm", "admittedterm",
            "preferred", "admitted", "standardizedterm", "legalterm", "regulatedterm"}
FORBIDDEN = {"deprecatedterm-admn-sts", "supersededterm-admn-sts", "deprecatedterm",
             "supersededterm", "deprecated", "superseded", "forbidden", "obsolete"}
STATUS_TYPES = ("administrativeStatus", "normativeAuthorization")


def _local(tag: object) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def _root(data: bytes, name: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise PolyleafError(error(name, exc.lineno or 0, "glossary.syntax", str(exc.msg),
                                  "export the glossary again as TBX")) from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and (list(dtd.iterelements()) or list(dtd.iterentities())):
        raise PolyleafError(error(name, 1, "glossary.syntax", "the file declares a DTD "
                                  "subset (entities are never resolved); not read",
                                  "remove the [ ... ] part of the <!DOCTYPE> line"))
    for node in root.iter():
        if isinstance(node, etree._Entity):
            raise PolyleafError(error(name, node.sourceline or 0, "glossary.syntax",
                                      "entity references are not allowed; not read",
                                      "write the character itself"))
    if _local(root.tag) not in ("martif", "tbx"):
        raise PolyleafError(error(name, root.sourceline or 1, "glossary.syntax",
                                  "not a TBX document (the root is neither <martif> nor <tbx>)",
                                  "export TBX-Basic or TBX v3 from your terminology tool"))
    return root


def _tag(section: etree._Element) -> str:
    return (section.get(XML_LANG) or section.get("lang") or "").replace("_", "-").lower()


def parse_tbx(data: bytes, name: str, source_language: str, locale: str
              ) -> tuple[list[Term], list[Diagnostic]]:
    """The terms of a TBX file for ``locale``, read from ``source_language``.

    When the locale names a region or script (``pt_BR``) and the file has sections tagged
    exactly so (``pt-BR``), only those are its target terms; otherwise every section of the
    locale's language (``pt``, ``pt-PT``)."""
    root = _root(data, name)
    source, target = language_of(source_language), language_of(locale)
    exact = locale.replace("_", "-").lower()
    sections = [s for s in root.iter() if _local(s.tag) in ("langSet", "langSec")]
    regional = "-" in exact and any(_tag(s) == exact for s in sections)
    wanted = (lambda tag: tag == exact) if regional \
        else (lambda tag: language_of(tag) == target)
    terms: list[Term] = []
    found: list[Diagnostic] = []
    for concept in root.iter():
        if _local(concept.tag) in ("termEntry", "conceptEntry"):
            terms.extend(_concept(concept, name, source, wanted, found))
    return terms, found


def _concept(concept: etree._Element, name: str, source: str, wanted: Callable[[str], bool],
             found: list[Diagnostic]) -> Iterator[Term]:
    sources: list[tuple[str, int]] = []
    approved: list[tuple[str, int, bool]] = []
    forbidden: list[str] = []
    for section in _children(concept, "langSet", "langSec"):
        tag = _tag(section)
        is_target = wanted(tag)
        if not is_target and language_of(tag) != source:
            continue
        for text, status, line in _terms(section, name, found):
            if not is_target:
                if status not in FORBIDDEN:
                    sources.append((text, line))
            elif status in FORBIDDEN:
                forbidden.append(text)
            else:
                approved.append((text, line, status.startswith("preferred")))
    ordered = tuple(t for t, _, _ in sorted(approved, key=lambda a: not a[2]))
    if ordered or forbidden:
        note = _note(concept)
        yield from (Term(text, ordered, tuple(forbidden), note, line, name)
                    for text, line in sources)


def _children(element: etree._Element, *names: str) -> Iterator[etree._Element]:
    return (child for child in element if _local(child.tag) in names)


def _terms(section: etree._Element, name: str, found: list[Diagnostic]
           ) -> Iterator[tuple[str, str, int]]:
    """(term, status lowercased, line) of every term of a language section."""
    for holder in _children(section, "tig", "ntig", "termSec"):
        term = next((e for e in holder.iter() if _local(e.tag) == "term"), None)
        if term is None:
            continue
        text = " ".join("".join(term.itertext()).split())
        line = term.sourceline or 0
        problem = check_term(text, name, line)
        if problem is not None:
            found.append(problem)
            continue
        status, where = "", line
        for note in holder.iter():
            if _local(note.tag) == "termNote" and note.get("type") in STATUS_TYPES:
                status = "".join(note.itertext()).strip().lower()
                where = note.sourceline or line
        if status and status not in APPROVED | FORBIDDEN:
            found.append(warning(name, where, "glossary.status",
                                 f"unknown status {status!r} of {text!r}; the term counts as "
                                 "approved", "use preferredTerm-admn-sts, admittedTerm-admn-sts"
                                 " or deprecatedTerm-admn-sts"))
        yield text, status, line


def _note(concept: etree._Element) -> str:
    for element in concept.iter():
        if _local(element.tag) in ("descrip", "note", "definition"):
            text = " ".join("".join(element.itertext()).split())
            if text:
                return text
    return ""
