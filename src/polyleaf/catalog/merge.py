"""Merge a new template into an existing translation, like ``msgmerge --previous``, but fast.

Guarantees: an exact (msgctxt, msgid) match keeps its translation, flags and translator comments;
an edited msgid gets the old translation back, marked fuzzy, with the old source as ``#| msgid``;
a vanished entry becomes obsolete and comes back if its source returns; a non-empty translation
is never dropped (a plural entry whose source became singular keeps its first form, fuzzy, as
msgmerge does: the singular has one slot, and an obsolete copy beside it would be a duplicate
msgfmt refuses), and no entry a translator did not review is made live unless ``msgfmt
--check`` would accept it (:mod:`polyleaf.catalog.formats`). Headers as msgmerge/msginit fill
them (:mod:`polyleaf.catalog.headers`); plural entries get as many forms as the catalog's own
``Plural-Forms`` says. Fuzzy matching compares only the unmatched new msgids with the vanished
old ones, one-to-one, best pairs first (:mod:`polyleaf.catalog.fuzzy`: rapidfuzz scores,
shingle blocking), so cost grows with the edit, not the file, on any vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import replace

from polyleaf.catalog.formats import format_kinds, sure_valid
from polyleaf.catalog.fuzzy import FUZZY_CUTOFF, fuzzy_pairs
from polyleaf.catalog.headers import merged_header, new_header
from polyleaf.catalog.pofile import Catalog, Entry
from polyleaf.i18n import LocaleInfo
from polyleaf.linear import FUZZY_LONGEST

FORMAT_FLAGS = frozenset({"python-format", "no-python-format", "python-brace-format",
                          "c-format", "no-c-format"})

# An entry's (msgctxt, msgid), or its msgid alone when it has no context (no tuple to allocate
# for each of 100,000 entries; a str never equals a tuple, so the two kinds never meet).
Key = str | tuple[str, str]
# the whole template entry and old entry of an exact match held as stand-ins (leanread)
Resolve = Callable[[Entry, Entry], tuple[Entry, Entry]]
__all__ = ["FUZZY_CUTOFF", "fuzzy_pairs", "merge", "merge_stream"]


def exact_key(entry: Entry) -> Key:
    """What an exact match matches by: the msgid, or (msgctxt, msgid)."""
    return entry.msgid if entry.msgctxt is None else (entry.msgctxt, entry.msgid)


def merge(old: Catalog | None, template: Catalog, locale: LocaleInfo, now: str,
          translator: str = "") -> Catalog:
    """Return ``old`` updated to ``template`` (``old`` None: a new catalog for ``locale``)."""
    head, entries = merge_stream(old, template, locale, now, translator)
    return replace(head, entries=tuple(entries))


def merge_stream(old: Catalog | None, template: Catalog, locale: LocaleInfo, now: str,
                 translator: str = "", resolve: Resolve | None = None,
                 key: Callable[[Entry], Hashable] | None = None,
                 ) -> tuple[Catalog, Iterator[Entry]]:
    """:func:`merge` as the merged catalog's header and its entries, made one at a time as
    they are consumed (a writer that streams them never holds the merged catalog whole).

    For catalogs read lean (:mod:`polyleaf.catalog.leanread`: entries carried over unchanged
    held as stand-ins, without their text), ``key`` is what entries are matched by and
    ``resolve`` gives the whole template entry and old entry of each exact match.
    """
    if (key is None) != (resolve is None):
        raise ValueError("key and resolve go together: stand-ins must be resolved")
    key = key or exact_key
    # A new catalog's header is msginit's (its own field order); a merged one is in the order
    # msgmerge writes, so running GNU tools over the file moves nothing.
    header = gnu_order(merged_header(old, template, locale, now)) if old is not None and old.header \
        else new_header(template, locale, now, translator)
    nplurals = Catalog(header=header).nplurals or locale.num_plurals
    olds = old.entries if old else ()
    old_keys = list(map(key, olds))  # (once each: a lean key is a digest of the text)
    live = {k: e for k, e in zip(old_keys, olds, strict=True) if not e.obsolete}
    obsolete = {k: e for k, e in zip(old_keys, olds, strict=True) if e.obsolete}
    keys = list(map(key, template.entries))
    template_keys = set(keys)
    # the old entry each template entry carries exactly (None: pending, fuzzy or fresh)
    previous = [live.get(k) or obsolete.get(k) for k in keys]
    vanished = [e for k, e in zip(old_keys, olds, strict=True)
                if k not in template_keys or _shadowed(e, k, live, obsolete)]
    del live, obsolete, template_keys, keys, old_keys
    edited = _edited(template, previous, vanished)
    head = Catalog(header=header,
                   header_comments=old.header_comments if old else _new_comments(template, locale),
                   header_flags=tuple(f for f in (old.header_flags if old else ()) if f != "fuzzy"))
    return head, _entries(template, previous, vanished, edited, nplurals, resolve)


def _entries(template: Catalog, previous: list[Entry | None], vanished: list[Entry],
             edited: dict[int, Entry], nplurals: int,
             resolve: Resolve | None) -> Iterator[Entry]:
    """The merged entries in template order, then the retired ones (built after the pairing:
    its index is gone before they exist, for peak memory)."""
    used = {id(e) for e in edited.values()}
    for number, (entry, before) in enumerate(zip(template.entries, previous, strict=True)):
        if before is not None:
            yield _carry(*((entry, before) if resolve is None else resolve(entry, before)),
                         nplurals)
        elif number in edited:
            yield _fuzzy(entry, edited[number], nplurals)
        else:
            yield _fresh(entry, nplurals)
    yield from (_retire(e) for e in vanished if id(e) not in used and _worth_keeping(e))


def _edited(template: Catalog, previous: list[Entry | None], vanished: list[Entry],
            ) -> dict[int, Entry]:
    """Template entry number -> the vanished entry it is an edit of (fuzzy pairing)."""
    # a text too long to score for similarity is matched exactly only (linear.FUZZY_LONGEST)
    pool = [e for e in vanished if e.has_translation and len(e.msgid) <= FUZZY_LONGEST]
    scored = [number for number, before in enumerate(previous) if before is None
              and len(template.entries[number].msgid) <= FUZZY_LONGEST]
    pairs = fuzzy_pairs([template.entries[i].msgid for i in scored], [e.msgid for e in pool])
    return {scored[query]: pool[choice] for query, choice in pairs}


def _shadowed(entry: Entry, key: Hashable, live: dict[Hashable, Entry],
              obsolete: dict[Hashable, Entry]) -> bool:
    """A duplicate whose translation lost to another entry with the same key: keep it obsolete."""
    chosen = live.get(key) or obsolete.get(key)
    return chosen is not entry and chosen is not None and entry.has_translation \
        and (chosen.msgstr, chosen.msgstr_plural) != (entry.msgstr, entry.msgstr_plural)


def _plural_slots(entry: Entry, strings: Iterable[str], nplurals: int) -> tuple[str, ...]:
    values = list(strings)
    while len(values) < nplurals:
        values.append("")
    return tuple(values) if entry.msgid_plural is not None else ()


def _translator_flags(entry: Entry) -> tuple[str, ...]:
    if not entry.flags:
        return ()
    return tuple(f for f in entry.flags if f not in FORMAT_FLAGS)


def _carry(new: Entry, old: Entry, nplurals: int) -> Entry:
    """Exact match: the template's source data, the translator's data."""
    if not old.flags and not new.flags and new.msgid_plural is None \
            and old.msgid_plural is None and not old.msgstr_plural:
        # the usual entry (no flags, no plural: nothing to unite, never fuzzy), built directly
        return Entry(new.msgid, old.msgstr, new.msgctxt, None, (), (), new.locations,
                     new.auto_comments, old.translator_comments)
    singular_to_plural = new.msgid_plural is not None and old.msgid_plural is None
    kept = _translator_flags(old)
    flags = _union(("fuzzy",) if "fuzzy" in kept else (), new.flags, kept)
    plural = (old.msgstr, *old.msgstr_plural[1:]) if singular_to_plural else old.msgstr_plural
    msgstr = _singular(old) if new.msgid_plural is None else ""
    entry = Entry(new.msgid, msgstr, new.msgctxt, new.msgid_plural,
                  _plural_slots(new, plural, nplurals) if plural or new.msgid_plural is not None
                  else (), flags, new.locations, new.auto_comments, old.translator_comments)
    if "fuzzy" in flags:
        entry = _restored(replace(entry, previous_msgctxt=old.previous_msgctxt,
                                  previous_msgid=old.previous_msgid,
                                  previous_msgid_plural=old.previous_msgid_plural))
    elif entry.has_translation and ((new.msgid_plural is None) != (old.msgid_plural is None) or (
            format_kinds(new.flags) - set(old.flags) and not sure_valid(entry))):
        # singular <-> plural, or a format flag the translation was never checked against
        # and may fail (msgmerge marks both fuzzy too): for review, the old source shown
        entry = replace(entry, flags=_union(("fuzzy",), flags), previous_msgctxt=old.msgctxt,
                        previous_msgid=old.msgid, previous_msgid_plural=old.msgid_plural)
    return entry


def _singular(old: Entry) -> str:
    """The old entry's translation for a singular slot: a plural entry's first form."""
    return old.msgstr_plural[0] if old.msgid_plural is not None and old.msgstr_plural \
        else old.msgstr


def _fuzzy(new: Entry, old: Entry, nplurals: int) -> Entry:
    """Edited source: old translation back, fuzzy, old source shown as #| msgid.

    An entry that is already fuzzy keeps its oldest ``#|`` (as ``msgmerge --previous`` does):
    that is the English the translation was made from, not some text in between.
    """
    plural = old.msgstr_plural or ((old.msgstr,) if new.msgid_plural is not None else ())
    source = old if not old.fuzzy or old.previous_msgid is None else None
    entry = replace(new, msgstr=_singular(old) if new.msgid_plural is None else "",
                    msgstr_plural=_plural_slots(new, plural, nplurals),
                    flags=_union(("fuzzy",), new.flags, _translator_flags(old)),
                    translator_comments=old.translator_comments,
                    previous_msgctxt=old.msgctxt if source else old.previous_msgctxt,
                    previous_msgid=old.msgid if source else old.previous_msgid,
                    previous_msgid_plural=old.msgid_plural if source
                    else old.previous_msgid_plural, obsolete=False, line=0)
    return _restored(entry)


def _restored(entry: Entry) -> Entry:
    """A fuzzy entry whose source is back to exactly the text its translation was made from
    (``#|`` equal to the current msgctxt, msgid and msgid_plural) is usable again.

    GNU msgmerge keeps such an entry fuzzy (it cannot tell why it was fuzzy); polyleaf made
    it fuzzy only because the source changed, and the change has been undone.
    """
    if entry.previous_msgid is None or (entry.previous_msgctxt, entry.previous_msgid,
                                        entry.previous_msgid_plural) != (
            entry.msgctxt, entry.msgid, entry.msgid_plural) or not sure_valid(entry):
        return entry  # (made live, it must pass msgfmt --check: a format or newline broken
        # by the translation, or by another tool's reason for the fuzzy, keeps it fuzzy)
    return replace(entry, flags=tuple(f for f in entry.flags if f != "fuzzy"),
                   previous_msgctxt=None, previous_msgid=None, previous_msgid_plural=None)


def _fresh(new: Entry, nplurals: int) -> Entry:
    return replace(new, msgstr="", msgstr_plural=_plural_slots(new, (), nplurals), line=0)


def _retire(entry: Entry) -> Entry:
    return replace(entry, obsolete=True, locations=(), auto_comments=(), line=0)


def _worth_keeping(entry: Entry) -> bool:
    return entry.has_translation or bool(entry.translator_comments)


def _union(*groups: tuple[str, ...]) -> tuple[str, ...]:
    present = [g for g in groups if g]
    if len(present) <= 1:
        return present[0] if present else ()
    return tuple(dict.fromkeys(f for group in present for f in group))


def _new_comments(template: Catalog, locale: LocaleInfo) -> tuple[str, ...]:
    domain = template.header_value("Project-Id-Version") or "messages"
    return (f"{locale.english_name} translation of {domain}.",)


# The fields msgmerge writes first, in its order; the others follow in the order they had.
GNU_HEADER_ORDER = ("Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date",
                    "PO-Revision-Date", "Last-Translator", "Language-Team", "Language",
                    "MIME-Version", "Content-Type", "Content-Transfer-Encoding")
_FROM_TEMPLATE = ("Report-Msgid-Bugs-To", "POT-Creation-Date")  # msgmerge takes these from the .pot


def gnu_order(header: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """Header fields in the order ``msgmerge`` writes them, so a GNU run moves nothing."""
    rank = {name.lower(): number for number, name in enumerate(GNU_HEADER_ORDER)}
    known = sorted((f for f in header if f[0].lower() in rank), key=lambda f: rank[f[0].lower()])
    return tuple(known) + tuple(f for f in header if f[0].lower() not in rank)

