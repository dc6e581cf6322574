"""``polyleaf doctor``: is this machine able to build the leaflets, and if not, what to install.

Checks WeasyPrint (imports, so Pango and its friends load), the Pango version WeasyPrint needs,
HarfBuzz subsetting (without ``libharfbuzz-subset0`` WeasyPrint subsets fonts with fontTools,
6-60x slower), fontconfig, a font for the script of every configured locale (``fc-list``),
and the Hunspell dictionaries QA uses to find source-language words left in urgent-care text.
Each failure names the Debian/Ubuntu package to install; the summary gives one ``apt-get``
command for all of them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from polyleaf.config import Config
from polyleaf.i18n import PSEUDO_LOCALES
from polyleaf.qa.sourcewords import dictionary

MIN_PANGO = (1, 44)
PANGO_DEBS = ("libpango-1.0-0", "libpangoft2-1.0-0")
CJK_SCRIPTS = frozenset({"Hans", "Hant", "Jpan", "Kore", "Hani"})
# fontconfig knows languages by its own codes; Chinese by region.
_FC_CHINESE = {"Hans": "zh-cn", "Hant": "zh-tw"}
# One language per script, for languages fontconfig has no orthography for.
_SCRIPT_SAMPLE = {"Latn": "en", "Cyrl": "ru", "Grek": "el", "Arab": "ar", "Hebr": "he",
                  "Deva": "hi", "Beng": "bn", "Thai": "th", "Ethi": "am", "Geor": "ka",
                  "Armn": "hy", "Taml": "ta", "Hans": "zh-cn", "Hant": "zh-tw", "Jpan": "ja",
                  "Kore": "ko"}


class Status(StrEnum):
    """The verdict of one check."""

    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class Check:
    """One thing checked, what was found, and the Debian packages that fix it."""

    status: Status
    what: str
    detail: str
    packages: tuple[str, ...] = ()


def fc_families(pattern: str) -> list[str] | None:
    """Font families matching a fontconfig pattern (``:lang=ar``); None without fc-list."""
    if shutil.which("fc-list") is None:
        return None
    try:
        done = subprocess.run(["fc-list", pattern, "family"], capture_output=True, text=True,
                              timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    names = {line.split(",")[0].strip() for line in done.stdout.splitlines() if line.strip()}
    return sorted(names, key=lambda name: (not name.startswith("Noto"), name))


def check_weasyprint() -> list[Check]:
    """WeasyPrint imports; Pango is recent enough; HarfBuzz subsetting is there."""
    try:
        import weasyprint
        from weasyprint.text.ffi import harfbuzz, harfbuzz_subset, pango
    except (ImportError, OSError) as exc:
        return [Check(Status.FAIL, "WeasyPrint", f"does not import: {exc}", PANGO_DEBS)]
    raw = int(pango.pango_version())
    version = (raw // 10000, raw // 100 % 100, raw % 100)
    found = [Check(Status.OK, "WeasyPrint", str(weasyprint.__version__))]
    text = ".".join(map(str, version))
    found.append(Check(Status.OK, "Pango", f"{text} ({'.'.join(map(str, MIN_PANGO))} or newer "
                       "needed)") if version[:2] >= MIN_PANGO else
                 Check(Status.FAIL, "Pango", f"{text} is too old: WeasyPrint needs "
                       f"{'.'.join(map(str, MIN_PANGO))} or newer", PANGO_DEBS))
    subset_ok = harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))
    found.append(Check(Status.OK, "HarfBuzz subsetting", "libharfbuzz-subset found")
                 if subset_ok else
                 Check(Status.FAIL, "HarfBuzz subsetting", "libharfbuzz-subset (HarfBuzz 4.1 or "
                       "newer) is missing: leaflets build 6-60x slower", ("libharfbuzz-subset0",)))
    return found


def script_of(code: str) -> str:
    """The ISO 15924 script a locale is written in (``zh_Hans`` -> Hans, ``ar`` -> Arab)."""
    base = PSEUDO_LOCALES.get(code, (code,))[0]
    try:
        locale = Locale.parse(base)
    except (UnknownLocaleError, ValueError):
        return "Latn"
    if locale.script:
        return str(locale.script)
    likely = get_global("likely_subtags").get(locale.language, "")
    parts = str(likely).split("_")
    return parts[1] if len(parts) > 2 else "Latn"


def fc_patterns(code: str) -> list[str]:
    """fontconfig patterns to try, most specific first."""
    if code in PSEUDO_LOCALES:
        from polyleaf.tools.pseudo import pseudo_text

        chars = sorted(set(pseudo_text("abcdefghijklmnopqrstuvwxyz", code)) - set("[] "))
        return [":charset=" + " ".join(f"{ord(c):x}" for c in chars)]
    script = script_of(code)
    language = code.split("_")[0].lower()
    first = _FC_CHINESE.get(script, language) if language == "zh" else language
    sample = _SCRIPT_SAMPLE.get(script)
    return [f":lang={first}", *([f":lang={sample}"] if sample and sample != first else [])]


def check_fonts(code: str) -> Check:
    """Some installed font covers the locale's script."""
    script = script_of(code)
    package = ("fonts-noto-cjk",) if script in CJK_SCRIPTS else ("fonts-noto-core",)
    what = f"fonts for {code} ({script})"
    for pattern in fc_patterns(code):
        families = fc_families(pattern)
        if families is None:
            return Check(Status.FAIL, what, "fc-list not found", ("fontconfig",))
        if families:
            shown = ", ".join(families[:3]) + (f", +{len(families) - 3} more"
                                               if len(families) > 3 else "")
            return Check(Status.OK, what, shown)
    return Check(Status.FAIL, what, "no installed font covers this script", package)


def run_checks(config: Config | None) -> list[Check]:
    """Every check, in the order they are printed."""
    found = [Check(Status.OK if sys.version_info >= (3, 11) else Status.FAIL, "Python",
                   ".".join(map(str, sys.version_info[:3])))]
    found += check_weasyprint()
    if config is None:
        found.append(Check(Status.WARN, "fonts", "no polyleaf.toml here: fonts for the "
                           "project's languages not checked"))
    else:
        found += [check_fonts(code) for code in dict.fromkeys(config.all_locales)]
        found += [check_dictionary(code) for code in dict.fromkeys(config.all_locales)]
    return found


# Debian's Hunspell dictionary package per language (Chinese has none: a change of script tells).
HUNSPELL_DEBS = {"en": "hunspell-en-us", "es": "hunspell-es", "fr": "hunspell-fr",
                 "de": "hunspell-de-de", "ar": "hunspell-ar", "it": "hunspell-it",
                 "pt": "hunspell-pt-br", "nl": "hunspell-nl", "ru": "hunspell-ru",
                 "pl": "hunspell-pl", "tr": "hunspell-tr"}


def check_dictionary(code: str) -> Check:
    """A spelling dictionary for ``code`` (QA: source-language words in critical entries)."""
    what = f"dictionary {code}"
    lang = code.split("_")[0]
    if code in PSEUDO_LOCALES or lang not in HUNSPELL_DEBS:
        return Check(Status.OK, what, "none needed: a change of script tells")
    if dictionary(code) is not None:
        return Check(Status.OK, what, "Hunspell dictionary found")
    return Check(Status.WARN, what, "no Hunspell dictionary (or no enchant library): English "
                 "words left in urgent-care text are not found", ("libenchant-2-2", HUNSPELL_DEBS[lang]))


@cache
def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def install_hint(checks: list[Check]) -> str:
    """One apt-get command installing every package a failed check names ('' when none)."""
    packages = sorted({p for c in checks if c.status is not Status.OK for p in c.packages})
    if not packages:
        return ""
    sudo = "" if _is_root() else "sudo "
    return (f"{sudo}apt-get update && {sudo}apt-get install -y --no-install-recommends "
            + " ".join(packages))
