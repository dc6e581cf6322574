"""The terminal table of ``polyleaf stats``: one row per locale x catalog, with a bar (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from polyleaf.qa.stats import Stats

BAR_WIDTH = 20


def bar(stats: Stats) -> Text:
    """A bar of translated (green), fuzzy (yellow) and untranslated (red) source words."""
    total = stats.total_words or 1
    done = round(BAR_WIDTH * stats.translated_words / total)
    fuzzy = round(BAR_WIDTH * stats.fuzzy_words / total)
    text = Text()
    text.append("█" * done, style="green")
    text.append("▒" * fuzzy, style="yellow")
    text.append("░" * max(0, BAR_WIDTH - done - fuzzy), style="red")
    return text


def print_table(rows: list[Stats], console: Console | None = None) -> None:
    """Print the statistics table."""
    console = console or Console()
    table = Table(title="Translation status (messages / source words)")
    for name, justify in (("locale", "left"), ("catalog", "left"), ("translated", "right"),
                          ("fuzzy", "right"), ("untranslated", "right"), ("obsolete", "right"),
                          ("", "left"), ("%", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(row.locale, row.domain, f"{row.translated} / {row.translated_words}",
                      f"{row.fuzzy} / {row.fuzzy_words}",
                      f"{row.untranslated} / {row.untranslated_words}", str(row.obsolete),
                      bar(row), f"{row.percent:.0f}")
    console.print(table)
