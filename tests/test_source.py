"""Source articles: the segment traversal, and clear diagnostics for bad input."""

from __future__ import annotations

import pytest

from polyleaf.content.model import SegmentKind
from polyleaf.content.source import parse_article
from polyleaf.errors import PolyleafError

FRONT = """---
id: sample
title: "A title"
summary: "A summary"
version: "1.0"
reviewed: 2026-01-01
review_due: 2027-01-01
---
"""

BODY = """
Intro *para*
reflowed.

## Heading one

- item **one**
- item [two](other)

> [!WARNING]
> Call 999 now.

> A quote.

| Head A | Head B |
|--------|--------|
| cell 1 | cell 2 |

![An alt text](pic.png)

Intro *para* reflowed.
"""


def test_every_block_kind_becomes_a_segment_in_source_order() -> None:
    article, problems = parse_article((FRONT + BODY).encode(), "source/sample.md")
    assert problems == []
    kinds = [(s.kind, s.msgid, s.location.line) for s in article.segments]
    assert kinds == [
        (SegmentKind.TITLE, "A title", 3),
        (SegmentKind.SUMMARY, "A summary", 4),
        (SegmentKind.PARAGRAPH, "Intro *para* reflowed.", 10),
        (SegmentKind.HEADING, "Heading one", 13),
        (SegmentKind.LIST_ITEM, "item **one**", 15),
        (SegmentKind.LIST_ITEM, "item [two](other)", 16),
        (SegmentKind.CALLOUT, "Call 999 now.", 19),
        (SegmentKind.QUOTE, "A quote.", 21),
        (SegmentKind.TABLE_HEADER, "Head A", 23),
        (SegmentKind.TABLE_HEADER, "Head B", 23),
        (SegmentKind.TABLE_CELL, "cell 1", 25),
        (SegmentKind.TABLE_CELL, "cell 2", 25),
        (SegmentKind.IMAGE_ALT, "An alt text", 27),
        (SegmentKind.PARAGRAPH, "Intro *para* reflowed.", 29),
    ]
    critical = [s.msgid for s in article.segments if s.critical]
    assert critical == ["Call 999 now."]
    assert article.segments[4].heading == "Heading one"
    assert article.segments[0].context == "title"


@pytest.mark.parametrize(("text", "code", "line"), [
    ("no front matter\n", "source.front-matter", 1),
    ("---\nid: x\n", "source.front-matter", 1),
    ("---\nid: [unclosed\n---\nbody\n", "source.front-matter", 2),
    (FRONT.replace('title: "A title"\n', ""), "source.missing-field", 1),
    (FRONT.replace("2026-01-01", "first of may"), "source.bad-date", 6),
    (FRONT.replace("id: sample", "id: Not A Slug"), "source.bad-id", 2),
    (FRONT + "\nHello <b>bold</b> world.\n", "source.raw-html", 10),
    (FRONT + "\n<div>\nblock\n</div>\n", "source.raw-html", 10),
    (FRONT, "source.empty-body", 9),
])
def test_bad_sources_are_refused_with_code_and_line(text: str, code: str, line: int) -> None:
    with pytest.raises(PolyleafError) as info:
        parse_article(text.encode(), "source/sample.md")
    diagnostic = info.value.diagnostics[0]
    assert (diagnostic.code, diagnostic.line) == (code, line)
    assert diagnostic.hint


def test_unknown_front_matter_field_is_a_warning() -> None:
    article, problems = parse_article((FRONT.replace("---\n", "---\ncolour: red\n", 1)
                                       + BODY).encode(), "source/sample.md")
    assert article.id == "sample"
    assert [(p.code, p.level.value, p.line) for p in problems] == [
        ("source.unknown-field", "warning", 2)]


def test_non_utf8_source_is_refused() -> None:
    with pytest.raises(PolyleafError) as info:
        parse_article((FRONT + "caf\xe9\n").encode("latin-1"), "source/sample.md")
    assert info.value.diagnostics[0].code == "source.encoding"
