"""Units of measure a leaflet uses, recognized in a locale from CLDR names and common symbols.

Dimensions: mass, volume, concentration (``mg/ml``, ``mmol/l``, ``mg/dl``), temperature,
percent, durations (seconds to weeks are one dimension; months and years are their own) and
counts of times ("3 times", "3 veces", "3-mal", "3次"). Unit names come from CLDR through
Babel's :func:`babel.units.format_unit` (long and short forms, every plural form, e.g.
``miligramos``, ``毫克``, ``مليغرام``); the symbols everyone writes (``mg``, ``mcg``, ``µg``,
``ml``, ``°C``, ``%``, ``h``) are added for every locale. CLDR has no unit for "times", so its
words are listed here for the project's languages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel.units import format_unit

from polyleaf.i18n import cldr_locale


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit: its dimension, its size in the dimension's base unit, and a display label."""

    dim: str
    factor: Decimal
    label: str

    @property
    def dose(self) -> bool:
        """Mass, volume, concentration, temperature, percent: never implied, always compared."""
        return not self.dim.startswith(("duration", "times"))


def _u(dim: str, factor: str, label: str) -> Unit:
    return Unit(dim, Decimal(factor), label)


MICROGRAM, MILLIGRAM, GRAM = _u("mass", "0.000001", "µg"), _u("mass", "0.001", "mg"), _u("mass", "1", "g")
MILLILITER, LITER = _u("volume", "0.001", "ml"), _u("volume", "1", "l")
CELSIUS, FAHRENHEIT = _u("temperature", "1", "°C"), _u("temperature-f", "1", "°F")
PERCENT = _u("percent", "1", "%")
SECOND, MINUTE, HOUR = _u("duration", "1", "s"), _u("duration", "60", "min"), _u("duration", "3600", "h")
DAY, WEEK = _u("duration", "86400", "days"), _u("duration", "604800", "weeks")
MONTH, YEAR = _u("duration-month", "1", "months"), _u("duration-year", "1", "years")
TIMES = _u("times", "1", "times")
CLOCK = _u("clock", "1", "o'clock")  # a time of day; its value is in hours (8.5 is 08:30)

# CLDR unit id -> our unit
CLDR_UNITS: dict[str, Unit] = {
    "mass-microgram": MICROGRAM, "mass-milligram": MILLIGRAM, "mass-gram": GRAM,
    "mass-kilogram": _u("mass", "1000", "kg"),
    "volume-milliliter": MILLILITER, "volume-centiliter": _u("volume", "0.01", "cl"),
    "volume-deciliter": _u("volume", "0.1", "dl"), "volume-liter": LITER,
    "volume-teaspoon": _u("teaspoon", "1", "tsp"), "volume-tablespoon": _u("tablespoon", "1", "tbsp"),
    "volume-drop": _u("drop", "1", "drops"),
    "concentr-percent": PERCENT,
    "concentr-milligram-ofglucose-per-deciliter": _u("mg/dl", "1", "mg/dl"),
    "concentr-millimole-per-liter": _u("mmol/l", "1", "mmol/l"),
    "temperature-celsius": CELSIUS, "temperature-generic": CELSIUS, "angle-degree": CELSIUS,
    "temperature-fahrenheit": FAHRENHEIT,
    "duration-second": SECOND, "duration-minute": MINUTE, "duration-hour": HOUR,
    "duration-day": DAY, "duration-week": WEEK, "duration-month": MONTH, "duration-year": YEAR,
}

SYMBOLS: dict[str, Unit] = {
    "µg": MICROGRAM, "μg": MICROGRAM, "mcg": MICROGRAM, "ug": MICROGRAM, "mg": MILLIGRAM,
    "g": GRAM, "kg": CLDR_UNITS["mass-kilogram"], "ml": MILLILITER, "l": LITER,
    "dl": CLDR_UNITS["volume-deciliter"], "cl": CLDR_UNITS["volume-centiliter"],
    "°c": CELSIUS, "º c": CELSIUS, "°": CELSIUS, "ºc": CELSIUS, "° c": CELSIUS, "℃": CELSIUS,
    "°f": FAHRENHEIT, "℉": FAHRENHEIT, "%": PERCENT, "٪": PERCENT,
    "mg/dl": CLDR_UNITS["concentr-milligram-ofglucose-per-deciliter"],
    "mmol/l": CLDR_UNITS["concentr-millimole-per-liter"],
    "h": HOUR, "hr": HOUR, "hrs": HOUR, "min": MINUTE, "mins": MINUTE, "sec": SECOND,
    "x": TIMES, "×": TIMES, "uhr": CLOCK, "点": CLOCK, "點": CLOCK,
    # Arabic pharmacy abbreviations beside CLDR's مغم / ملتر
    "ملغ": MILLIGRAM, "مغ": MILLIGRAM, "ملغم": MILLIGRAM, "مل": MILLILITER, "غ": GRAM,
    "مكغ": MICROGRAM, "°م": CELSIUS,
}

# CLDR has no "times" unit: the words for "N times" in the project's languages.
TIMES_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("time", "times"), "es": ("vez", "veces"), "fr": ("fois",), "de": ("mal",),
    "ar": ("مرة", "مرات", "مرّة", "مرّات"), "zh": ("次", "倍"), "pt": ("vez", "vezes"),
    "it": ("volta", "volte"), "nl": ("keer", "maal"),
}

_SAMPLES = (0, 1, 2, 3, 5, 11, 21, 100, 101, 102, Decimal("1.5"))
MAX_GAP = 1  # one space (any kind) or hyphen between a number and its unit


@dataclass(frozen=True, slots=True)
class Lexicon:
    """A locale's unit names (lower case) and words that imply a number (Arabic ``يومان``)."""

    names: dict[str, tuple[tuple[str, Unit], ...]]  # first character -> (name, unit), longest first
    implied: dict[str, tuple[Decimal, Unit]]  # word -> (value, unit)


def _cldr_names(locale: str) -> Iterator[tuple[str, Unit, Decimal | None]]:
    """(name, unit, implied value or None) from CLDR unit patterns, all lengths and plurals."""
    for cldr_id, unit in CLDR_UNITS.items():
        for length in ("long", "short"):
            for sample in _SAMPLES:
                try:
                    text = format_unit(sample, cldr_id, length, locale=locale, format="0.###")
                except (KeyError, ValueError, LookupError, AttributeError):
                    continue
                number = str(sample)
                if number in text:
                    name = text.replace(number, "").strip(" \u00a0\u202f")
                    yield name, unit, None
                elif sample in (1, 2):
                    yield text.strip(), unit, Decimal(sample)


@cache
def lexicon(locale: str) -> Lexicon:
    """Every unit name of ``locale`` (its CLDR names, the common symbols, the 'times' words)."""
    locale = cldr_locale(locale)
    found: dict[str, Unit] = {k: v for k, v in SYMBOLS.items()}
    implied: dict[str, tuple[Decimal, Unit]] = {}
    for name, unit, value in _cldr_names(locale):
        if not name or any(c.isdigit() for c in name) or (len(name) == 1 and name.isalpha()
                                                                and not _cjk(name)):
            continue  # one-letter abbreviations (Spanish "a" for años) are words too
        if value is None:
            found.setdefault(name.lower(), unit)
        else:
            implied.setdefault(name.lower(), (value, unit))
    for word in TIMES_WORDS.get(locale.split("_")[0], ()):
        found.setdefault(word, TIMES)
    by_first: dict[str, list[tuple[str, Unit]]] = {}
    for name, unit in found.items():
        by_first.setdefault(name[0], []).append((name, unit))
    names = {k: tuple(sorted(v, key=lambda nu: -len(nu[0]))) for k, v in by_first.items()}
    return Lexicon(names, {k: v for k, v in implied.items() if k not in found})


def _boundary(text: str, end: int, name: str) -> bool:
    """The unit name ends a word (CJK names need no boundary)."""
    if end >= len(text) or not name[-1].isalpha() or _cjk(name[-1]):
        return True
    after = text[end]
    return not (after.isalpha() or after.isdigit())


def _cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def match_unit(text: str, pos: int, lex: Lexicon) -> tuple[Unit, int] | None:
    """The unit written at ``text[pos:]`` (after at most one space or hyphen): (unit, end)."""
    for gap in range(MAX_GAP + 1):
        at = pos + gap
        if at >= len(text):
            return None
        if gap and not (text[pos].isspace() or text[pos] == "-"):
            return None
        for name, unit in lex.names.get(text[at].lower(), ()):
            end = at + len(name)
            if text[at:end].lower() == name and _boundary(text, end, name):
                return unit, end
    return None
