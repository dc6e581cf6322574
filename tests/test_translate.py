"""Re-injection: translations replace the extracted segments, and renders never leak into
each other (parsed tokens are shared between renders)."""

from __future__ import annotations

from polyleaf.catalog.pofile import Entry
from polyleaf.content.source import parse_article
from polyleaf.i18n import locale_info
from polyleaf.render.translate import Resolver, render_body

SOURCE = b"""---
id: pic
title: "T"
summary: "S"
version: "1"
reviewed: 2026-01-01
review_due: 2099-01-01
---

![A spine](spine.png)

See [the other leaflet](pic) today.
"""


def _resolver(locale: str, table: dict[str, str]) -> Resolver:
    entries = {(None, k): Entry(msgid=k, msgstr=v) for k, v in table.items()}
    return Resolver(entries, locale_info(locale))


def test_image_alt_and_links_are_localized_without_leaking_between_renders() -> None:
    article, _ = parse_article(SOURCE, "source/pic.md")
    french = render_body(article, _resolver("fr", {
        "A spine": "Une colonne", "See [the other leaflet](pic) today.":
        "Voir [l'autre brochure](pic) aujourd'hui."}), "en", str, lambda h: f"/fr/{h}/")
    german = render_body(article, _resolver("de", {}), "en", str, lambda h: f"/de/{h}/")
    english = render_body(article, None, "en", str, lambda h: f"/en/{h}/")
    assert 'alt="Une colonne"' in french and 'href="/fr/pic/"' in french
    assert 'alt="A spine"' in german and 'href="/de/pic/"' in german
    assert 'lang="en" class="pl-fallback"' in german
    assert 'alt="A spine"' in english and 'href="/en/pic/"' in english
    assert "Une colonne" not in german + english and "/fr/" not in german + english


TABLE = b"""---
id: tab
title: "T"
summary: "S"
version: "1"
reviewed: 2026-01-01
review_due: 2099-01-01
---

| Problem | What to do |
| --- | --- |
| Sitting still for hours | Take a short break every 30 to 60 minutes |
"""


def test_a_table_cell_that_falls_back_is_marked_as_the_source_language() -> None:
    """Numbers in fallback text are written the source's way: the cell must say it is English."""
    article, _ = parse_article(TABLE, "source/tab.md")
    spanish = render_body(article, _resolver("es", {
        "Problem": "Problema", "What to do": "Qué hacer",
        "Sitting still for hours": "Estar sentado durante horas",
        # 30 to 60 minutes became 3 to 60: not usable, the English cell is shown
        "Take a short break every 30 to 60 minutes": "Haga una pausa cada 3 a 60 minutos"}),
        "en", str, lambda h: h)
    assert '<th>Problema</th>' in spanish and "<td>Estar sentado durante horas</td>" in spanish
    assert '<td lang="en" class="pl-fallback">Take a short break every 30 to 60 minutes</td>' \
        in spanish
