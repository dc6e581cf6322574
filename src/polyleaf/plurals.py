"""Plural rules: the reference definitions, and reading, checking and comparing ``Plural-Forms``.

Two sources of reference definitions (``[catalogs] plural_rules`` in ``polyleaf.toml``):

- ``"weblate"`` (the default): Weblate's language data (the ``weblate-language-data``
  package), the definitions translators' tools share: GNU ``msginit``, Poedit and Weblate give
  Spanish, French, Italian and Brazilian Portuguese two forms. Written the way ``msginit``
  writes them (``nplurals=2; plural=(n != 1);``). A code the data does not know falls back to
  its language (``pt_MZ`` -> ``pt``), then to CLDR.
- ``"cldr"``: CLDR through Babel, which adds a "many" form for exact millions in es/fr/it/pt.

A catalog's own header is what QA and the build apply (:func:`parse_plural_forms`); an invalid
one raises :class:`InvalidPluralForms` with a reason, never a crash. Formulas are compared by
their values (:func:`same_rule`), so ``n%100>=11 ? 4`` and ``n % 100 >= 11 && n % 100 <= 99 ? 4``
agree.
"""

from __future__ import annotations

import gettext as stdlib_gettext
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

RULES = ("weblate", "cldr")
DEFAULT_RULES = "weblate"
RULE_NAMES = {"weblate": "Weblate's language data", "cldr": "CLDR"}
MAX_PLURALS = 10  # no language has more than 6; more is a typo or an attack on memory
MAX_LENGTH = 2000  # the longest real rule (Breton) has about 300 characters; c2py takes 1000
# Every n up to 2000, then the magnitudes where rules by 100, 1000 and 10**6 differ.
SAMPLES = (*range(2001), *(m * 10**k + d for k in range(3, 13) for m in (1, 2, 5, 11, 21)
                           for d in (0, 1, 2, 5, 11)))


class InvalidPluralForms(ValueError):
    """A ``Plural-Forms`` value that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class PluralForms:
    """One plural rule: how many forms, and the C expression choosing one for ``n``."""

    nplurals: int
    expression: str  # as written in the header, without the final ';'

    @property
    def header(self) -> str:
        """The ``Plural-Forms`` header value."""
        return f"nplurals={self.nplurals}; plural={self.expression};"

    def index(self, n: int) -> int:
        """The form used for ``n`` (always within range for a checked rule)."""
        return _compiled(self.expression)(n)

    def samples(self) -> tuple[int, ...]:
        """The form chosen for every number of :data:`SAMPLES`, in order."""
        return _values(self.expression)


def same_rule(a: PluralForms, b: PluralForms) -> bool:
    """Same number of forms, and the same form for every sampled number."""
    return a.nplurals == b.nplurals and (a.expression == b.expression
                                         or a.samples() == b.samples())


@lru_cache(maxsize=256)
def parse_plural_forms(value: str) -> PluralForms:
    """The rule a ``Plural-Forms`` value declares, checked like ``msgfmt --check-header``.

    Raises :class:`InvalidPluralForms` when it is missing, malformed, longer than
    :data:`MAX_LENGTH`, declares fewer than one or more than :data:`MAX_PLURALS` forms, its
    expression does not parse, or it picks a form outside ``0 .. nplurals-1`` (or divides by
    zero) for some number. Linear in the length of ``value``."""
    if len(value) > MAX_LENGTH:
        raise InvalidPluralForms(f"{len(value)} characters long: no real rule needs more than "
                                 f"{MAX_LENGTH}")
    fields: dict[str, str] = {}
    for part in value.split(";"):
        if not part.strip():
            continue
        key, equals, rest = part.partition("=")
        key = key.strip()
        if not equals or key not in ("nplurals", "plural") or key in fields:
            raise InvalidPluralForms(f"unexpected text {part.strip()[:40]!r}")
        fields[key] = rest.strip()
    if "nplurals" not in fields or "plural" not in fields:
        raise InvalidPluralForms("it needs both nplurals=N and plural=EXPRESSION")
    count = fields["nplurals"]
    if not count.isascii() or not count.isdigit():
        raise InvalidPluralForms(f"nplurals={count[:20]} is not a number")
    nplurals = int(count)  # at most MAX_LENGTH digits: well within int()'s limit
    if not 1 <= nplurals <= MAX_PLURALS:
        raise InvalidPluralForms(f"nplurals={count[:20]}: a language has from 1 to "
                                 f"{MAX_PLURALS} plural forms")
    rule = PluralForms(nplurals, fields["plural"])
    values = _checked_values(rule.expression)
    if max(values) >= nplurals:
        n = next(n for n, form in zip(SAMPLES, values, strict=True) if form >= nplurals)
        raise InvalidPluralForms(f"plural={rule.expression[:60]} gives form {rule.index(n)} "
                                 f"for n={n}, but nplurals={nplurals}")
    return rule


def _checked_values(expression: str) -> tuple[int, ...]:
    try:
        values = _values(expression)
    except ValueError as exc:  # c2py: bad token, too long, too complex
        raise InvalidPluralForms(f"plural={expression[:60]} is not a C expression of n: "
                                 f"{exc}") from None
    except ArithmeticError:
        raise InvalidPluralForms(f"plural={expression[:60]} divides by zero") from None
    if (lowest := min(values)) < 0:
        raise InvalidPluralForms(f"plural={expression[:60]} gives form {lowest}")
    return values


@lru_cache(maxsize=256)
def _values(expression: str) -> tuple[int, ...]:
    function = _compiled(expression)
    return tuple(function(n) for n in SAMPLES)


@lru_cache(maxsize=256)
def _compiled(expression: str) -> Callable[[int], int]:
    compiled: Callable[[int], int] = stdlib_gettext.c2py(expression)
    return compiled


def msginit_expression(formula: str) -> str:
    """``n != 1`` -> ``(n != 1)``: the expression as GNU ``msginit``'s table writes it; a bare
    number, or a formula that already opens with a parenthesis (``(n==1) ? 0 : ...``, Czech),
    stays as it is."""
    formula = formula.strip()
    return formula if formula.isdigit() or formula.startswith("(") else f"({formula})"


@cache
def reference_plurals(code: str, rules: str = DEFAULT_RULES) -> PluralForms:
    """The reference rule for a gettext locale code under ``rules`` (:data:`RULES`)."""
    if rules == "weblate" and (found := _weblate(code)) is not None:
        return found
    from babel.messages.plurals import get_plural  # babel.messages: not needed to load a config

    plural = get_plural(code)
    return PluralForms(plural.num_plurals, plural.plural_expr.strip())


def _weblate(code: str) -> PluralForms | None:
    table = _weblate_table()
    from weblate_language_data.aliases import ALIASES

    for candidate in (code, ALIASES.get(code.lower(), ""), code.split("_")[0]):
        if candidate in table:
            nplurals, formula = table[candidate]
            return PluralForms(nplurals, msginit_expression(formula))
    return None


@cache
def _weblate_table() -> dict[str, tuple[int, str]]:
    from weblate_language_data.languages import LANGUAGES

    return {code: (nplurals, formula) for code, _name, nplurals, formula in LANGUAGES}
