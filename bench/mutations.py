"""Mutation corpus for quantity QA: harmful mutations and legitimate rewrites of translations.

Mutations work on the translation text alone and know nothing of polyleaf's parser: they find
digit runs with ``\\d+`` (any script) and units from small per-language lists, so what is
measured is the checker, not a copy of it. Every function returns the new text, or None where
it does not apply. Number words for the rewrites come from CLDR (unicode-rbnf).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from unicode_rbnf import RbnfEngine

DIGITS = re.compile(r"\d+")
PROTECTED = re.compile(r"`[^`]*`|\]\([^)]*\)|https?://\S+|%\(\w+\)s")
CODE = re.compile(r"`([^`]+)`")

# Units as translators write them, per language: (unit, a different unit of the same kind).
UNIT_SWAPS: dict[str, tuple[tuple[str, str], ...]] = {
    "es": (("mg", "g"), ("ml", "l"), ("minutos", "horas"), ("segundos", "minutos"), ("días", "semanas"),
           ("semanas", "meses"), ("horas", "días"), ("°C", "°F"), ("veces", "horas")),
    "fr": (("mg", "g"), ("ml", "l"), ("minutes", "heures"), ("secondes", "minutes"), ("jours", "semaines"),
           ("semaines", "mois"), ("heures", "jours"), ("°C", "°F"), ("fois", "heures")),
    "de": (("mg", "g"), ("ml", "l"), ("Minuten", "Stunden"), ("Sekunden", "Minuten"), ("Tage", "Wochen"),
           ("Wochen", "Monate"), ("Stunden", "Tage"), ("°C", "°F"), ("Mal", "Stunden")),
    "ar": (("ملغ", "غرام"), ("مل", "لتر"), ("دقيقة", "ساعة"), ("دقائق", "ساعات"), ("ثوانٍ", "دقائق"),
           ("أيام", "أسابيع"), ("أسابيع", "أشهر"), ("ساعة", "يوم"), ("°C", "°F"), ("مرات", "ساعات")),
    "zh_Hans": (("毫克", "克"), ("毫升", "升"), ("分钟", "小时"), ("秒", "分钟"), ("天", "周"),
                ("周", "个月"), ("小时", "天"), ("°C", "°F"), ("次", "小时")),
}
ADDED = {"es": "o 5000 mg", "fr": "ou 5000 mg", "de": "oder 5000 mg", "ar": "أو ٥٠٠٠ ملغ",
         "zh_Hans": "或5000毫克"}
WRONG_GROUP = {"es": ",", "fr": ",", "de": ",", "ar": "٫", "zh_Hans": "."}
HOUR_WORDS = {"es": ("horas", "hora"), "fr": ("heures", "heure"), "de": ("Stunden", "Stunde"),
              "ar": ("ساعات", "ساعة"), "zh_Hans": ("小时",)}
RANGE_WORDS = {"es": (" a ",), "fr": (" à ",), "de": (" bis ",), "ar": (" إلى ",), "zh_Hans": ("至", "到")}

Mutation = Callable[[str, str], str | None]


NUMBER = re.compile(r"\d+(?:[.,:٫٬\u00a0\u202f]\d+)*")


def _runs(text: str) -> list[re.Match[str]]:
    """Whole numbers (digit runs and their marks: 1,200, 08:00, 2,5) outside code spans, link
    targets, URLs and placeholders, that are plain digit runs (the mutations change digits)."""
    blocked = [m.span() for m in PROTECTED.finditer(text)]
    return [m for m in NUMBER.finditer(text) if not any(a <= m.start() < b for a, b in blocked)
            and m.group().isdigit()]


def _numbers(text: str) -> list[re.Match[str]]:
    """Every whole number, marks included (for dropping one)."""
    blocked = [m.span() for m in PROTECTED.finditer(text)]
    return [m for m in NUMBER.finditer(text) if not any(a <= m.start() < b for a, b in blocked)]


def _value(run: str) -> int:
    return int("".join(str(unicodedata.decimal(c)) for c in run))


def _digit(sample: str, value: int) -> str:
    """``value`` (0-9) in the script of the digit ``sample``."""
    return chr(ord(sample) - int(unicodedata.decimal(sample)) + value)


def _in_script(sample: str, number: str) -> str:
    return "".join(_digit(sample[0], int(c)) if c.isdigit() else c for c in number)


# --- harmful -------------------------------------------------------------------------------


def scale(text: str, locale: str) -> str | None:
    """One value x10 (or /10 when it ends in 0)."""
    runs = [r for r in _runs(text) if _value(r.group()) != 0]
    if not runs:
        return None
    run = runs[0]
    digits = run.group()
    new = digits[:-1] if len(digits) > 1 and _value(digits[-1]) == 0 else digits + _digit(digits[0], 0)
    return text[:run.start()] + new + text[run.end():]


def swap_unit(text: str, locale: str) -> str | None:
    """A unit after a number replaced by another of the same kind."""
    for run in _runs(text):
        tail = text[run.end():run.end() + 2]
        for old, new in UNIT_SWAPS[locale]:
            for gap in ("", " ", "\u00a0", "\u202f"):
                if (tail.startswith(gap) and text.startswith(old, run.end() + len(gap))
                        and not text[run.end() + len(gap) + len(old):][:1].isalpha()):
                    at = run.end() + len(gap)
                    return text[:at] + new + text[at + len(old):]
    return None


def drop(text: str, locale: str) -> str | None:
    """A number removed (all of it: 1,200 or 08:00)."""
    runs = _numbers(text)
    if not runs:
        return None
    run = runs[-1]
    end = run.end() + (1 if text[run.end():run.end() + 1] == " " else 0)
    return text[:run.start()] + text[end:]


def add(text: str, locale: str) -> str | None:
    """A dose added at the end."""
    stripped = text.rstrip(".。!?")
    return f"{stripped} {ADDED[locale]}{text[len(stripped):]}"


def swap_numbers(text: str, locale: str) -> str | None:
    """Two different numbers exchanged."""
    runs = _runs(text)
    for first in runs:
        for second in runs:
            if second.start() > first.start() and _value(first.group()) != _value(second.group()):
                a, b = first, second
                return (text[:a.start()] + b.group() + text[a.end():b.start()] + a.group()
                        + text[b.end():])
    return None


def regroup(text: str, locale: str) -> str | None:
    """A number of 4+ digits grouped with a mark that reads as a decimal (1,200 in Spanish)."""
    for run in _runs(text):
        if len(run.group()) >= 4 and _value(run.group()[0]) != 0:
            digits = run.group()
            return text[:run.start()] + digits[:-3] + WRONG_GROUP[locale] + digits[-3:] + text[run.end():]
    return None


def regroup_space(text: str, locale: str) -> str | None:
    """An extra digit group joined with a plain space (500 mg -> 1 500 mg)."""
    runs = _runs(text)
    if not runs or locale == "fr":  # French groups with spaces: 1 500 is one number there
        return None
    run = runs[0]
    if len(run.group()) > 3:
        return None
    return text[:run.start()] + _digit(run.group()[0], 1) + " " + run.group().rjust(3, _digit(
        run.group()[0], 0)) + text[run.end():]


def phone_digit(text: str, locale: str) -> str | None:
    """One digit of a phone or emergency number changed."""
    for run in _runs(text):
        digits = run.group()
        emergency = _value(digits) in (999, 112, 911)
        if emergency or text[max(0, run.start() - 1):run.start()] == "+" or (len(digits) >= 4 and \
                text[run.end():run.end() + 1] == " " and text[run.end() + 1:run.end() + 2].isdigit()):
            last = digits[-1]
            new = digits[:-1] + _digit(last, (int(unicodedata.decimal(last)) + 1) % 10)
            return text[:run.start()] + new + text[run.end():]
    return None


def alter_code(text: str, locale: str) -> str | None:
    """A code span's content changed (two characters swapped)."""
    match = CODE.search(text)
    if match is None or len(match.group(1)) < 2 or match.group(1)[0] == match.group(1)[1]:
        return None
    body = match.group(1)
    return text[:match.start(1)] + body[1] + body[0] + body[2:] + text[match.end(1):]


HARMFUL: dict[str, Mutation] = {
    "scale x10": scale, "swap unit": swap_unit, "drop quantity": drop, "add quantity": add,
    "swap numbers": swap_numbers, "wrong group mark": regroup, "space-joined digits": regroup_space,
    "phone digit": phone_digit, "code span": alter_code,
}

# --- legitimate ----------------------------------------------------------------------------


def group_nbsp(text: str, locale: str) -> str | None:
    """Digits of a number of 5+ digits grouped with U+202F (4-digit numbers: NBSP)."""
    for run in _runs(text):
        digits = run.group()
        before = text[max(0, run.start() - 1):run.start()]
        if len(digits) >= 4 and _value(digits[0]) != 0 and before != "+" and not (
                1900 <= _value(digits) <= 2100):
            mark = "\u202f" if len(digits) >= 5 else "\u00a0"
            return text[:run.start()] + digits[:-3] + mark + digits[-3:] + text[run.end():]
    return None


def _spellout(locale: str, value: int) -> str | None:
    try:
        engine = RbnfEngine.for_language(locale.split("_")[0])
        return str(engine.format_number(value).text)
    except Exception:
        return None


def number_word(text: str, locale: str) -> str | None:
    """A small number (2-20) before a word written as a word (CLDR spell-out)."""
    for run in _runs(text):
        value = _value(run.group())
        after = text[run.end():run.end() + 2]
        if 2 <= value <= 20 and ((after[:1] == " " and after[1:].isalpha()) or
                                 "\u3000" <= after[:1] <= "\u9fff"):
            word = _spellout(locale, value)
            if word:
                return text[:run.start()] + word + text[run.end():]
    return None


def dash(text: str, locale: str) -> str | None:
    """A range written with an en dash instead of a hyphen or a word (and back)."""
    for run in _runs(text):
        rest = text[run.end():]
        for joiner in ("-", "–", *RANGE_WORDS[locale]):
            if rest.startswith(joiner) and rest[len(joiner):][:1].isdigit():
                new = "–" if joiner != "–" else "-"
                return text[:run.end()] + new + rest[len(joiner):]
    return None


def hour_symbol(text: str, locale: str) -> str | None:
    """``24 horas`` -> ``24 h``."""
    for run in _runs(text):
        for word in HOUR_WORDS[locale]:
            for gap in (" ", ""):
                at = run.end() + len(gap)
                if text.startswith(gap + word, run.end()) and not text[at + len(word):][:1].isalpha():
                    return text[:run.end()] + " h" + text[at + len(word):]
    return None


CLOCK = re.compile(r"(\d{1,2}):(\d\d)")


def clock_zero(text: str, locale: str) -> str | None:
    """``08:00`` <-> ``8:00``."""
    match = CLOCK.search(text)
    if match is None:
        return None
    hours = match.group(1)
    if len(hours) == 2 and _value(hours[0]) == 0:
        new = hours[1:]
    elif len(hours) == 1:
        new = _digit(hours, 0) + hours
    else:
        return None
    return text[:match.start(1)] + new + text[match.end(1):]


LEGITIMATE: dict[str, Mutation] = {
    "NBSP/U+202F grouping": group_nbsp, "number word": number_word, "dash range": dash,
    "h for hours": hour_symbol, "08:00 vs 8:00": clock_zero,
}

__all__ = ["HARMFUL", "LEGITIMATE", "Mutation"]
