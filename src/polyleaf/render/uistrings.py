"""Template (UI) translations for Jinja: gettext callables built from a locale's ``site.po``.

Translations are untrusted text: the callables return plain ``str`` and Jinja's autoescape
escapes them (Jinja's own ``install_gettext_translations`` would mark them safe). Only entries that
:func:`polyleaf.qa.usable.usable` accepts are used; the rest show the source text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from polyleaf.catalog.pofile import Entry
from polyleaf.i18n import LocaleInfo
from polyleaf.plurals import PluralForms
from polyleaf.qa.usable import usable


@dataclass(frozen=True, slots=True)
class UiStrings:
    """gettext/ngettext/pgettext/npgettext over one locale's usable site entries."""

    entries: Mapping[tuple[str | None, str], Entry]
    locale: LocaleInfo
    plurals: PluralForms | None = None  # the catalog's rule (qa.usable.catalog_plurals)

    @property
    def rule(self) -> PluralForms:
        """The plural rule applied: the catalog's, else the locale's reference."""
        return self.plurals if self.plurals is not None else self.locale.plurals

    def _usable(self, context: str | None, msgid: str) -> Entry | None:
        entry = self.entries.get((context, msgid))
        return entry if usable(entry, self.locale, self.rule.nplurals).ok else None

    def pgettext(self, context: str | None, message: str, **variables: Any) -> str:
        """Singular lookup with optional context; ``%(name)s`` variables substituted."""
        entry = self._usable(context, message)
        text = entry.msgstr if entry else message
        return text % variables if variables else text

    def gettext(self, message: str, **variables: Any) -> str:
        """Singular lookup without context."""
        return self.pgettext(None, message, **variables)

    def gettext_html(self, message: str, **variables: Any) -> Markup:
        """Singular lookup for a message whose variables may hold markup (``Markup`` values
        such as ``<bdi>`` are inserted as they are; the translation itself and every other
        value are escaped, so a translation still cannot add HTML)."""
        entry = self._usable(None, message)
        return escape(entry.msgstr if entry else message) % variables

    def npgettext(self, context: str | None, singular: str, plural: str, num: int,
                  **variables: Any) -> str:
        """Plural lookup by the catalog's own plural rule (the one QA checked the forms by)."""
        variables.setdefault("num", num)
        entry = self._usable(context, singular)
        if entry is None:
            text = singular if num == 1 else plural
        else:
            text = entry.msgstr_plural[self.rule.index(num)]  # usable: one form per index
        return text % variables

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> str:
        """Plural lookup without context."""
        return self.npgettext(None, singular, plural, num, **variables)

    def as_context(self) -> dict[str, Callable[..., str]]:
        """The names Jinja's i18n extension and templates call."""
        return {"gettext": self.gettext, "_": self.gettext, "ngettext": self.ngettext,
                "pgettext": self.pgettext, "npgettext": self.npgettext,
                "gettext_html": self.gettext_html}
