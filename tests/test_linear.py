"""The linear-time patterns mean what the backtracking ones meant (differential), and huge
translations are refused before any check reads them. Timings live in bench/bench_patterns.py."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from polyleaf.catalog.pofile import Entry, PoSyntaxError, parse
from polyleaf.i18n import locale_info
from polyleaf.qa import links, markup, safety, style
from polyleaf.qa.checks import check_entry

OLD_LINK_TARGET = re.compile(r"\]\(([^)\s]*)(?:\s[^)]*)?\)")
OLD_URL = re.compile(r"https?://[^\s)>\]]+")
OLD_PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sdif]|%[sdif%]|\{\{.*?\}\}|\{[A-Za-z_]\w*\}")
OLD_DOUBLED = re.compile(r"\b(\w{2,})\s+\1\b")
# RE2's \b is ASCII: "<scriptß" and "ßonclick=" are flagged (a false alarm, never a miss), so
# the reference's word boundaries are ASCII ones too.
OLD_UNSAFE = re.compile(r"<\s*/?\s*(script|iframe|object|embed|style|link|meta|svg|math)"
                        r"(?![A-Za-z0-9_])|(?<![A-Za-z0-9_])on[a-z]+\s*=|(?:javascript|vbscript|data)"
                        r"\s*:", re.I)

# Text built from the characters these patterns care about, Unicode spaces and letters included.
PIECES = [*"[]()%{}<>/:.sdx _-aAé\u00a0\u2003\n\tß1", "https://", "HTTP://", "%(n)s",
          "{{ v }}", "script", "on", "=", "javascript", "the the "]
TEXT = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_link_and_url_patterns_agree_with_their_backtracking_originals(text: str) -> None:
    assert links.LINK_TARGET.findall(text) == OLD_LINK_TARGET.findall(text)
    lowered = OLD_URL.findall(text)
    upper = [m.group(0) for m in re.finditer(r"(?i:https?://)[^\s)>\]]+", text)]
    assert links.URL.findall(text) == upper
    assert all(any(old in new for new in upper) for old in lowered)  # case-insensitive: a superset


@settings(max_examples=400, deadline=None)
@given(TEXT)
@example("<scriptß")
@example("ßonclick=")
def test_placeholder_unsafe_and_doubled_word_agree_with_their_originals(text: str) -> None:
    assert markup.PLACEHOLDER.findall(text) == OLD_PLACEHOLDER.findall(text)
    assert [m.group(0).lower() for m in safety._UNSAFE.finditer(text)] == \
        [m.group(0).lower() for m in OLD_UNSAFE.finditer(text)]
    assert list(style._doubled_words(text)) == [m.group(0) for m in OLD_DOUBLED.finditer(text)]


def test_uppercase_schemes_and_autolinks_are_compared() -> None:
    info = locale_info("es")
    source = "Ver [la guía](https://example.org/guide)."
    for bad in ("Ver <HTTPS://evil.example/x](https://example.org/guide)>.",
                "Ver [la guía](https://example.org/guide) HTTPS://evil.example.",
                "Ver [la guía](https://example.org/guide) <mailto:x@evil.example>."):
        codes = {f.code for f in check_entry(Entry(source, bad), info)}
        assert "qa.links" in codes, bad
    assert not check_entry(Entry(source, "Vea [la guía](https://example.org/guide)."), info)


def test_a_megabyte_of_hostile_text_is_refused_before_any_check_reads_it() -> None:
    info = locale_info("es")
    for unit in ("](", "{{", "[", "<", "a a "):
        findings = check_entry(Entry("Take 2 tablets.", unit * (1_000_000 // len(unit))), info)
        assert [(f.code, f.level.value) for f in findings] == [("qa.length", "error")]
    ok = "x" * 500
    assert not [f for f in check_entry(Entry("y" * 400, ok), info) if f.code == "qa.length"]


def test_the_po_reader_handles_long_escaped_lines() -> None:
    hex_run = parse('msgid "a"\nmsgstr "\\x' + "4" * 1_000_000 + '"\n')  # GNU: every digit
    assert hex_run.entries[0].msgstr == "D"  # ... and the byte is the last two: 0x44
    for unit, expected in (("\\\\", "\\"), ('\\"', '"'), ("](", "](")):
        text = f'msgid "a"\nmsgstr "{unit * 200_000}"\n'
        assert parse(text).entries[0].msgstr == expected * 200_000
    try:
        parse('msgid "a"\nmsgstr "' + "\\\\" * 1000 + '"x"\n')
    except PoSyntaxError as exc:
        assert exc.line == 2
    else:
        raise AssertionError("an unescaped quote after escaped backslashes was accepted")
