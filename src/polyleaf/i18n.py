"""Locale facts: codes, BCP 47 tags, text direction and endonyms from CLDR (via Babel), and
the reference plural rule (:mod:`polyleaf.plurals`: Weblate's language data by default, CLDR
on request).

Catalog directories use gettext codes (``pt_BR``, ``zh_Hans``); HTML uses BCP 47 (``pt-BR``,
``zh-Hans``). Nothing here hard-codes a language.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.localedata import locale_identifiers

from polyleaf.plurals import DEFAULT_RULES, PluralForms, reference_plurals

# Pseudo-locales (Microsoft's qps family) are not in CLDR; they borrow rules from a base.
PSEUDO_LOCALES = {"qps_ploc": ("en", "ltr"), "qps_plocm": ("ar", "rtl")}


@dataclass(frozen=True, slots=True)
class LocaleInfo:
    """Everything the pipeline needs to know about one target language."""

    code: str  # gettext form: es, pt_BR, zh_Hans
    bcp47: str  # BCP 47 form: es, pt-BR, zh-Hans
    direction: str  # "ltr" or "rtl"
    endonym: str  # the language's name in itself
    english_name: str
    plural_rules: str = DEFAULT_RULES  # where ``plurals`` comes from: "weblate" or "cldr"
    plural_base: str = ""  # the code whose rule applies (a pseudo-locale borrows one)
    source: str = "en"  # the language translations into this one are made from (QA reads it)

    @property
    def plurals(self) -> PluralForms:
        """The reference rule for new catalogs (a catalog's own valid header wins); looked up
        on first use, so loading a config does not load the plural data."""
        return reference_plurals(self.plural_base or self.code, self.plural_rules)

    @property
    def plural_forms(self) -> str:
        """The reference ``Plural-Forms`` header value."""
        return self.plurals.header

    @property
    def num_plurals(self) -> int:
        """The reference number of plural forms."""
        return self.plurals.nplurals


class UnknownLocale(ValueError):
    """A locale code CLDR does not know; ``suggestions`` lists close known codes."""

    def __init__(self, code: str, suggestions: list[str]) -> None:
        super().__init__(code)
        self.code = code
        self.suggestions = suggestions


def cldr_locale(code: str) -> str:
    """The CLDR locale whose data a locale uses (a pseudo-locale borrows its base's)."""
    return PSEUDO_LOCALES[code][0] if code in PSEUDO_LOCALES else code


def to_bcp47(code: str) -> str:
    """``zh_Hans`` -> ``zh-Hans``; ``pt_BR`` -> ``pt-BR``."""
    return code.replace("_", "-")


@cache
def known_locale(code: str) -> Locale | None:
    """Babel's locale for a canonical gettext code (None for a pseudo-locale), or raise
    :class:`UnknownLocale`; without loading the locale's CLDR data (a config with 20 locales
    is checked in a millisecond, not a tenth of a second)."""
    if code in PSEUDO_LOCALES:
        return None
    try:
        loc = Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        raise UnknownLocale(code, suggest_locales(code)) from None
    if str(loc) != code and code not in {str(loc), loc.language}:
        # Babel accepts some aliases silently; insist on a canonical code for directory names.
        raise UnknownLocale(code, [str(loc)])
    return loc


@cache
def locale_info(code: str, plural_rules: str = DEFAULT_RULES, source: str = "en") -> LocaleInfo:
    """Return the facts for a gettext locale code, or raise :class:`UnknownLocale`.

    ``plural_rules`` (``[catalogs] plural_rules``) chooses the reference plural rule;
    ``source`` is the project's source language: QA reads source texts its way."""
    if code in PSEUDO_LOCALES:
        base, direction = PSEUDO_LOCALES[code]
        return LocaleInfo(code, to_bcp47(code), direction, code, f"Pseudo-locale {code}",
                          plural_rules, base, source)
    loc = known_locale(code)
    assert loc is not None
    # A regional variant by CLDR's own name for it where it has one ("British English",
    # "español de México"), else "language (region)".
    endonym = (loc.languages.get(code) if loc.territory else None) or loc.get_display_name(loc) \
        or code
    return LocaleInfo(
        code=code,
        bcp47=to_bcp47(code),
        direction="rtl" if loc.text_direction == "rtl" else "ltr",
        endonym=endonym[:1].upper() + endonym[1:],
        english_name=loc.get_display_name("en") or code,
        plural_rules=plural_rules,
        source=source,
    )


def site_endonym(code: str, among: tuple[str, ...]) -> str:
    """The name a site shows for ``code`` among its locales ``among``: the language alone
    ("English" for ``en_GB``) unless another of them is the same language in another region,
    then CLDR's name for the variant ("British English"). Scripts are always named."""
    info = locale_info(code)
    if code in PSEUDO_LOCALES:
        return info.endonym
    loc = Locale.parse(code)
    same = [o for o in among if o != code and o not in PSEUDO_LOCALES
            and Locale.parse(o).language == loc.language]
    if not loc.territory or same:
        return info.endonym
    plain = Locale(loc.language, script=loc.script)
    name = plain.get_display_name(plain) or info.endonym
    return name[:1].upper() + name[1:]


def language_name(code: str, in_locale: str) -> str:
    """The name of ``code``'s language (territory left out) in ``in_locale``'s words:
    ``language_name("en_GB", "de") == "Englisch"``."""
    language = PSEUDO_LOCALES.get(code, (code,))[0]
    where = PSEUDO_LOCALES.get(in_locale, (in_locale,))[0]
    try:
        loc = Locale.parse(language)
        name = Locale.parse(loc.language).get_display_name(where) or loc.language
    except (UnknownLocaleError, ValueError):
        return code
    return name


def suggest_locales(code: str) -> list[str]:
    """Known locale codes that look like ``code`` (for 'did you mean' hints)."""
    known = set(locale_identifiers())
    aliases = get_global("language_aliases")
    lowered = code.replace("-", "_")
    if lowered in known:
        return [lowered]
    if lowered.lower() in aliases:
        return [aliases[lowered.lower()]]
    return difflib.get_close_matches(lowered, sorted(known), n=3, cutoff=0.6)
