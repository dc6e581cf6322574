"""Catalog headers: filled the way GNU ``msginit`` and ``msgmerge`` fill them, and Plural-Forms.

A new catalog gets the header ``msginit --no-translator`` writes (the template's fields, then
``Language`` and ``Plural-Forms`` from the reference; ``Last-Translator: Automatically
generated``, ``Language-Team: none``, ``PO-Revision-Date`` = the template's date). An existing
catalog keeps its header as ``msgmerge`` does: only ``POT-Creation-Date`` follows the template
(kept when the template has none, so it is never empty), and a missing ``Language`` or
``Plural-Forms`` is added. Its ``Plural-Forms`` is never changed except by
:func:`fix_plurals` (``polyleaf update --fix-plurals``), which carries every translation over
form by form and marks fuzzy an entry that needs a translator: a text dropped (kept in a
comment), or a form the old rule did not have.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from functools import lru_cache

from polyleaf.catalog.pofile import Catalog, Entry
from polyleaf.errors import Diagnostic, error, warning
from polyleaf.i18n import LocaleInfo
from polyleaf.plurals import RULE_NAMES, InvalidPluralForms, PluralForms, parse_plural_forms, same_rule

Header = tuple[tuple[str, str], ...]
AUTOMATIC = "Automatically generated"
DROPPED_NOTE = "plural form {index} before 'polyleaf update --fix-plurals': {text}"


def new_header(template: Catalog, locale: LocaleInfo, now: str, translator: str = "") -> Header:
    """The header ``msginit`` gives a new catalog made from ``template``."""
    created = template.header_value("POT-Creation-Date") or now
    filled = template.with_header(
        POT_Creation_Date=created,
        PO_Revision_Date=now if translator else created,
        Last_Translator=translator or AUTOMATIC,
        Language_Team=locale.english_name if translator else "none",
        Content_Type="text/plain; charset=UTF-8")
    return _add_missing(filled, locale, after_team=False).header


def merged_header(old: Catalog, template: Catalog, locale: LocaleInfo, now: str) -> Header:
    """The header ``msgmerge`` keeps for ``old`` updated to ``template``."""
    created = (template.header_value("POT-Creation-Date") or old.header_value("POT-Creation-Date")
               or now)
    updated = old.with_header(POT_Creation_Date=created)
    if "charset=utf-8" not in updated.header_value("Content-Type").lower().replace(" ", ""):
        updated = updated.with_header(Content_Type="text/plain; charset=UTF-8")  # written as UTF-8
    return _add_missing(updated, locale).header


def _add_missing(catalog: Catalog, locale: LocaleInfo, after_team: bool = True) -> Catalog:
    """``Language`` (msgmerge puts a missing one after ``Language-Team``, msginit at the end) and
    ``Plural-Forms`` (at the end)."""
    if not catalog.header_value("Language").strip():
        header = list(catalog.header)
        names = [name.lower() for name, _ in header]
        if "language" in names:
            header[names.index("language")] = ("Language", locale.code)
        elif after_team and "language-team" in names:
            header.insert(names.index("language-team") + 1, ("Language", locale.code))
        else:
            header.append(("Language", locale.code))
        catalog = replace(catalog, header=tuple(header))
    if not catalog.header_value("Plural-Forms").strip():
        catalog = catalog.with_header(Plural_Forms=locale.plural_forms)
    return catalog


def plural_diagnostics(catalog: Catalog, locale: LocaleInfo, name: str) -> list[Diagnostic]:
    """A missing or invalid ``Plural-Forms`` (error), or one that differs from the reference
    (warning, naming both formulas)."""
    value = catalog.header_value("Plural-Forms")
    reference = locale.plurals
    source = RULE_NAMES.get(locale.plural_rules, locale.plural_rules)
    meanwhile = (f"until then QA and the build use the {locale.code} rule of {source}, "
                 f"'{reference.header}'")
    if not value.strip():
        return [error(name, 1, "po.plural-forms", "missing Plural-Forms header",
                      f"run 'polyleaf update' to add it; {meanwhile}")]
    try:
        own = parse_plural_forms(value)
    except InvalidPluralForms as exc:
        return [error(name, 1, "po.plural-forms", f"invalid Plural-Forms '{value[:80]}': {exc}",
                      f"run 'polyleaf update --fix-plurals' to replace it; {meanwhile}")]
    if same_rule(own, reference):
        return []
    return [warning(name, 1, "po.plural-forms",
                    f"Plural-Forms '{own.header}' differs from {source} for {locale.code}: "
                    f"'{reference.header}'",
                    "Poedit, Weblate and msginit expect the reference: 'polyleaf update "
                    "--fix-plurals' switches (translations are carried over), or set [catalogs] "
                    "plural_rules; until then QA and the build use the catalog's own rule")]


def fix_plurals(catalog: Catalog, reference: PluralForms) -> Catalog:
    """``catalog`` with the reference ``Plural-Forms`` and every plural entry refitted to it;
    unchanged when its own rule already is the reference (whatever the spelling)."""
    old = catalog.plurals
    if old is not None and same_rule(old, reference):
        return catalog
    mapping = _mapping(old, reference) if old is not None else None
    entries = tuple(_refit(e, mapping, reference.nplurals) if e.msgid_plural is not None else e
                    for e in catalog.entries)
    return replace(catalog.with_header(Plural_Forms=reference.header), entries=entries)


@lru_cache(maxsize=64)
def _mapping(old: PluralForms, new: PluralForms) -> tuple[int, ...]:
    """For each new form, the old form most numbers using it had (the smaller on a tie)."""
    votes = Counter(zip(new.samples(), old.samples(), strict=True))
    best: dict[int, tuple[int, int]] = {}
    for (new_index, old_index), count in votes.items():
        if (-count, old_index) < best.get(new_index, (1, 0)):
            best[new_index] = (-count, old_index)
    return tuple(best[index][1] if index in best else index for index in range(new.nplurals))


def _refit(entry: Entry, mapping: tuple[int, ...] | None, nplurals: int) -> Entry:
    """The entry with ``nplurals`` forms (by position when the old rule is unknown).

    Fuzzy when a translated text is dropped (it is kept in a translator comment), when the new
    rule splits one old form into several (the translator writes the new one), or when a form
    is left empty."""
    forms = entry.msgstr_plural
    chosen = mapping if mapping is not None else tuple(range(nplurals))
    refitted = tuple(forms[index] if index < len(forms) else "" for index in chosen)
    if refitted == forms:
        return entry
    dropped = tuple(DROPPED_NOTE.format(index=i, text=_one_line(text))
                    for i, text in enumerate(forms) if text and text not in refitted)
    split = len(set(chosen)) < len(chosen)
    result = replace(entry, msgstr_plural=refitted,
                     translator_comments=(*entry.translator_comments, *dropped))
    review = bool(dropped) or split or not all(refitted)
    return result.with_flag("fuzzy") if entry.has_translation and review else result


def _one_line(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")
