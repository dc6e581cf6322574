"""Load and validate ``polyleaf.toml``: the project's languages, URLs, organisation and outputs.

The result is an immutable :class:`Config`. Every problem is a :class:`ConfigError` carrying
diagnostics that point at the config file, never a traceback.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from polyleaf.errors import ConfigError, Diagnostic, error, warning
from polyleaf.i18n import UnknownLocale, known_locale
from polyleaf.plurals import DEFAULT_RULES, RULES

CONFIG_NAME = "polyleaf.toml"
VARIANTS = ("a4", "letter", "a4-large", "bilingual")
PDF_STANDARDS = ("pdf/ua-1", "pdf/a-3u", "none")
REVIEW_KINDS = ("leaflets", "pages")  # output kinds that can require a recorded review


@dataclass(frozen=True, slots=True)
class Organisation:
    """Who publishes the leaflets: shown in every leaflet footer."""

    name: str
    contact: str


@dataclass(frozen=True, slots=True)
class Config:
    """A validated project configuration; paths are absolute."""

    root: Path
    name: str
    source_language: str
    locales: tuple[str, ...]
    base_url: str
    organisation: Organisation
    variants: tuple[str, ...] = ("a4",)
    html_threshold: float = 0.8
    pdf_threshold: float = 1.0
    pdf_standard: str = "pdf/ua-1"
    plural_rules: str = DEFAULT_RULES  # reference Plural-Forms: "weblate" or "cldr"
    require_review: tuple[str, ...] = ()  # of REVIEW_KINDS: print/publish only approved text
    directory_urls: bool = False  # links end in '/' (True) or name index.html (False)
    source_dir: Path = field(default=Path("source"))
    locales_dir: Path = field(default=Path("locales"))
    templates_dir: Path = field(default=Path("templates"))
    build_dir: Path = field(default=Path("build"))

    @property
    def all_locales(self) -> tuple[str, ...]:
        """The source language first, then every target locale."""
        return (self.source_language, *self.locales)

    @property
    def path(self) -> Path:
        """The config file itself."""
        return self.root / CONFIG_NAME


_KNOWN = {
    "project": {"name", "source_language", "locales", "base_url"},
    "organisation": {"name", "contact"},
    "leaflets": {"variants", "pdf_standard"},
    "publish": {"html_threshold", "pdf_threshold", "require_review"},
    "catalogs": {"plural_rules"},
    "site": {"directory_urls"},
    "paths": {"source", "locales", "templates", "build"},
}


def find_root(start: Path) -> Path:
    """The nearest directory at or above ``start`` holding a polyleaf.toml."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / CONFIG_NAME).is_file():
            return candidate
    raise ConfigError(error(str(start / CONFIG_NAME), 0, "config.missing",
                            "no polyleaf.toml here or in any parent directory",
                            "run 'polyleaf init' to create a project, or cd into one"))


def load_config(root: Path) -> Config:
    """Read and validate ``root/polyleaf.toml``."""
    path = root / CONFIG_NAME
    name = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(error(name, 0, "config.missing", "the config file does not exist",
                                "run 'polyleaf init' to create one")) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", 0) or 0
        raise ConfigError(error(name, line, "config.syntax", f"not valid TOML: {exc}",
                                "fix the TOML syntax")) from None
    problems = list(_unknown_keys(name, data))
    config = _build(root.resolve(), name, data, problems)
    problems = _with_lines(problems, path.read_text(encoding="utf-8"))
    errors = [p for p in problems if p.level.value == "error"]
    if errors or config is None:
        raise ConfigError(*problems)
    return config


_KEY_RE = re.compile(r"^\s*\[?\s*([A-Za-z_]+)\s*(?:=|\])")
_QUOTED_RE = re.compile(r"'([^']+)'")


def _with_lines(problems: list[Diagnostic], text: str) -> list[Diagnostic]:
    """Point each diagnostic at the line of the key (or value) it is about."""
    keys: dict[str, int] = {}
    for number, text_line in enumerate(text.splitlines(), 1):
        if match := _KEY_RE.match(text_line):
            keys.setdefault(match.group(1), number)
    located = []
    for problem in problems:
        line = 0
        for raw in [*_QUOTED_RE.findall(problem.message), *problem.message.split()]:
            word = raw.strip("[]'.,").split(".")[-1]
            if word in keys:
                line = keys[word]
                break
            if not line:
                line = next((n for n, t in enumerate(text.splitlines(), 1)
                             if f'"{word}"' in t), 0)
        located.append(replace(problem, line=line or problem.line))
    return located


def _unknown_keys(name: str, data: dict[str, Any]) -> list[Diagnostic]:
    found = []
    for section, body in data.items():
        if section not in _KNOWN:
            found.append(warning(name, 0, "config.unknown-key", f"unknown section [{section}]",
                                 _did_you_mean(section, _KNOWN)))
            continue
        for key in body if isinstance(body, dict) else ():
            if key not in _KNOWN[section]:
                found.append(warning(name, 0, "config.unknown-key",
                                     f"unknown key '{key}' in [{section}]",
                                     _did_you_mean(key, _KNOWN[section])))
    return found


def _did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1)
    return f"did you mean '{close[0]}'?" if close else "remove it"


def _build(root: Path, name: str, data: dict[str, Any], problems: list[Diagnostic]) -> Config | None:
    project = data.get("project", {})
    org = data.get("organisation", {})
    leaflets = data.get("leaflets", {})
    publish = data.get("publish", {})
    site = data.get("site", {})
    paths = data.get("paths", {})
    source_language = _check_locale(name, project.get("source_language", "en"), problems)
    locales = tuple(
        loc for code in _as_list(name, "project.locales", project.get("locales", []), problems)
        if (loc := _check_locale(name, code, problems))
    )
    for locale in sorted({loc for loc in locales if locales.count(loc) > 1}):
        problems.append(error(name, 0, "config.duplicate-locale",
                              f"locale '{locale}' is listed more than once in project.locales "
                              "(perhaps spelled two ways)", "list each locale once"))
    if source_language in locales:
        problems.append(error(name, 0, "config.locale", f"the source language '{source_language}' "
                              "is also listed as a target locale", "remove it from locales"))
    base_url = _check_base_url(name, project.get("base_url", ""), problems)
    variants = tuple(_as_list(name, "leaflets.variants", leaflets.get("variants", ["a4"]), problems))
    for variant in variants:
        if variant not in VARIANTS:
            problems.append(error(name, 0, "config.variant", f"unknown leaflet variant '{variant}'",
                                  f"choose from {', '.join(VARIANTS)}"))
    standard = str(leaflets.get("pdf_standard", "pdf/ua-1")).lower()
    if standard not in PDF_STANDARDS:
        problems.append(error(name, 0, "config.pdf-standard", f"unknown pdf_standard '{standard}'",
                              f"choose from {', '.join(PDF_STANDARDS)}"))
    rules = _check_plural_rules(name, data.get("catalogs", {}), problems)
    thresholds = [_check_threshold(name, key, publish.get(key, default), problems)
                  for key, default in (("html_threshold", 0.8), ("pdf_threshold", 1.0))]
    require_review = _check_review(name, publish.get("require_review", False), problems)
    directory_urls = site.get("directory_urls", False)
    if not isinstance(directory_urls, bool):
        problems.append(error(name, 0, "config.type", "site.directory_urls must be true or false",
                              "for example directory_urls = true"))
    dirs = {key: root / str(paths.get(key, key)) for key in ("source", "locales", "templates", "build")}
    if not dirs["templates"].is_dir():
        problems.append(error(name, 0, "config.templates", f"templates directory {dirs['templates']} "
                              "does not exist", "create it or set [paths] templates"))
    if problems and any(p.level.value == "error" for p in problems):
        return None
    return Config(
        root=root, name=str(project.get("name", root.name)), source_language=source_language,
        locales=locales, base_url=base_url,
        organisation=Organisation(str(org.get("name", "")), str(org.get("contact", ""))),
        variants=variants, html_threshold=thresholds[0], pdf_threshold=thresholds[1],
        pdf_standard=standard, plural_rules=rules, require_review=require_review,
        directory_urls=directory_urls is True,
        source_dir=dirs["source"], locales_dir=dirs["locales"],
        templates_dir=dirs["templates"], build_dir=dirs["build"],
    )


def _as_list(name: str, key: str, value: Any, problems: list[Diagnostic]) -> list[str]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    problems.append(error(name, 0, "config.type", f"{key} must be a list of strings",
                          f'for example {key.split(".")[-1]} = ["es", "fr"]'))
    return []


def _check_locale(name: str, code: Any, problems: list[Diagnostic]) -> str:
    try:
        known_locale(str(code))  # the code is canonical: it is what the config says
        return str(code)
    except UnknownLocale as exc:
        suggestions = _same_but_case(str(code)) or exc.suggestions
        hint = (f"did you mean {' or '.join(repr(s) for s in suggestions)}?"
                if suggestions else "use a gettext locale code such as 'es', 'pt_BR' or 'zh_Hans'")
        problems.append(error(name, 0, "config.locale", f"unknown locale code '{code}'", hint))
        return ""


def _same_but_case(code: str) -> list[str]:
    """Known codes equal to ``code`` but for case and '-' vs '_' ('pt-br' -> 'pt_BR')."""
    from babel.localedata import locale_identifiers

    wanted = code.replace("-", "_").lower()
    return [known for known in sorted(locale_identifiers()) if known.lower() == wanted]


def _check_base_url(name: str, value: Any, problems: list[Diagnostic]) -> str:
    url = str(value)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        problems.append(error(name, 0, "config.base-url", f"base_url '{url}' is not an absolute "
                              "http(s) URL", "for example base_url = \"https://example.org/health/\""))
        return url
    return url if url.endswith("/") else url + "/"


def _check_plural_rules(name: str, catalogs: Any, problems: list[Diagnostic]) -> str:
    value = catalogs.get("plural_rules", DEFAULT_RULES) if isinstance(catalogs, dict) \
        else DEFAULT_RULES
    if value in RULES:
        return str(value)
    problems.append(error(name, 0, "config.plural-rules", f"unknown plural_rules '{value}'",
                          f"choose from {', '.join(RULES)} (default: {DEFAULT_RULES})"))
    return DEFAULT_RULES


def _check_threshold(name: str, key: str, value: Any, problems: list[Diagnostic]) -> float:
    if isinstance(value, int | float) and 0.0 <= float(value) <= 1.0:
        return float(value)
    problems.append(error(name, 0, "config.threshold", f"{key} must be a number from 0 to 1",
                          f"for example {key} = 0.8"))
    return 1.0


def _check_review(name: str, value: Any, problems: list[Diagnostic]) -> tuple[str, ...]:
    """``require_review``: true (leaflets and pages), false, or a list of output kinds."""
    if isinstance(value, bool):
        return REVIEW_KINDS if value else ()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        unknown = [v for v in value if v not in REVIEW_KINDS]
        if not unknown:
            return tuple(k for k in REVIEW_KINDS if k in value)
        problems.append(error(name, 0, "config.review", f"require_review: unknown output kind "
                              f"'{unknown[0]}'", f"choose from {', '.join(REVIEW_KINDS)}"))
        return ()
    problems.append(error(name, 0, "config.type", "require_review must be true, false or a list "
                          "of output kinds", 'for example require_review = ["leaflets"]'))
    return ()
