"""``polyleaf serve``: a local preview of the website that rebuilds when a file changes.

- Renders the pages of the chosen locales with a side build (:mod:`polyleaf.engine.sidebuild`) into
  ``build/preview/`` (never ``build/site``): every page is shown, even one the real build would
  hold back, and every segment that falls back to the source text is highlighted, with its
  reason (untranslated, fuzzy, failing QA), its msgid and the ``.po`` file and line on hover.
  A panel on each page lists them all and says what the real build would publish.
- A watcher thread (watchfiles) rebuilds when polyleaf.toml, a source, a template or a catalog
  changes; pages reload themselves through a long poll on ``/__polyleaf/wait`` (a small script
  added to HTML responses as they are served).
- Serves ``127.0.0.1`` by default: the preview is for the person at this machine.
"""

from __future__ import annotations

import html
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from polyleaf.catalog.files import rel
from polyleaf.catalog.project import Project
from polyleaf.config import Config, load_config
from polyleaf.content.model import Article
from polyleaf.errors import Diagnostic, PolyleafError
from polyleaf.i18n import PSEUDO_LOCALES, LocaleInfo, locale_info
from polyleaf.paths import po_path

if TYPE_CHECKING:
    from polyleaf.render.publication import Publication

PREVIEW_DIR = "preview"
WAIT_PATH = "/__polyleaf/wait"
WAIT_SECONDS = 25.0


@dataclass(frozen=True, slots=True)
class Fallback:
    """One segment of a page shown in the source language, and where to fix it."""

    what: str  # segment kind: title, paragraph, ... or "template string"
    msgid: str
    reason: str  # untranslated | fuzzy | qa: <codes>
    where: str  # locales/<lang>/LC_MESSAGES/<domain>.po:<line>


@dataclass(frozen=True, slots=True)
class Rebuild:
    """The outcome of one preview rebuild."""

    version: int
    seconds: float
    pages: int
    diagnostics: tuple[Diagnostic, ...]


def preview_config(config: Config, locales: tuple[str, ...]) -> Config:
    """The project as the preview sees it: the chosen locales, output in build/preview."""
    return replace(config, locales=locales or config.locales,
                   build_dir=config.build_dir / PREVIEW_DIR)


def check_locales(config: Config, locales: tuple[str, ...]) -> list[str]:
    """The requested locales that are neither configured nor pseudo-locales."""
    return [lo for lo in locales if lo not in config.locales and lo not in PSEUDO_LOCALES]


# --- preview markup -------------------------------------------------------------------------

Entries = dict[tuple[str | None, str], Any]


def _reason(entry: Any, info: LocaleInfo, nplurals: int) -> str:
    """untranslated, fuzzy, the error-level QA codes that make it unusable, or '' (usable)."""
    from polyleaf.qa.usable import usable

    return usable(entry, info, nplurals).reason


def _catalog(project: Project, locale: str, domain: str) -> tuple[str, Entries, int]:
    from polyleaf.qa.usable import catalog_plurals

    path = rel(project.config, po_path(project.config, locale, domain))
    catalog = project.catalog(locale, domain)
    nplurals = catalog_plurals(catalog, _info(project, locale)).nplurals
    return path, {e.key: e for e in catalog.entries} if catalog else {}, nplurals


def _info(project: Project, locale: str) -> LocaleInfo:
    return locale_info(locale, project.config.plural_rules, project.config.source_language)


def _where(path: str, entry: Any) -> str:
    return f"{path}:{entry.line}" if entry is not None and entry.line else path


def fallbacks(project: Project, article: Article, locale: str) -> list[Fallback]:
    """Every segment of ``article``, and every site string, not usable in ``locale``."""
    if locale == project.config.source_language:
        return []
    found = []
    path, entries, nplurals = _catalog(project, locale, article.id)
    for segment in article.segments:
        entry = entries.get(segment.key)
        if reason := _reason(entry, _info(project, locale), nplurals):
            found.append(Fallback(segment.kind.value, segment.msgid, reason, _where(path, entry)))
    path, entries, nplurals = _catalog(project, locale, "site")
    if not entries:
        return [*found, Fallback("template strings", "(all of them)", "untranslated", path)]
    for entry in entries.values():
        if not entry.obsolete and (reason := _reason(entry, _info(project, locale), nplurals)):
            found.append(Fallback("template string", entry.msgid, reason, _where(path, entry)))
    return found


_CSS = """
[data-pl-reason]{outline:2px dashed #b45309;outline-offset:2px;background:#fff4d6;cursor:help}
[data-pl-reason="fuzzy"]{outline-color:#6d28d9;background:#efe7ff}
[data-pl-reason="qa"]{outline-color:#b91c1c;background:#fde4e4}
.pl-preview{position:fixed;inset-block-end:0;inset-inline-end:0;max-width:34rem;max-height:60vh;
 overflow:auto;z-index:99;background:#fff;color:#111;border:2px solid #111;padding:.5rem .8rem;
 font:14px/1.4 system-ui,sans-serif}
.pl-preview summary{font-weight:700;cursor:pointer}
.pl-preview code{font-size:12px}
.pl-preview li{margin:.3rem 0}
.pl-preview .pl-error{color:#b91c1c}
"""


# Clicking an entry of the panel scrolls to its highlighted block.
_JUMP = """<script data-pl-preview>document.querySelectorAll("[data-pl-target]").forEach(function(li){
var el=document.querySelector('[data-pl-msgid="'+CSS.escape(li.dataset.plTarget)+'"]');
if(el){li.style.cursor="pointer";li.addEventListener("click",function(){
el.scrollIntoView({behavior:"smooth",block:"center"})})}});</script>"""


def _panel(fallback_list: list[Fallback], verdict: str, marked: bool) -> str:
    """The preview panel: what is shown in the source language and where to fix it."""
    counts: dict[str, int] = {}
    for item in fallback_list:
        key = item.reason.split(":")[0]
        counts[key] = counts.get(key, 0) + 1
    summary = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items())) or "all translated"
    items = "".join(
        f'<li data-pl-target="{html.escape(f.msgid)}"><strong>{html.escape(f.reason)}</strong> · '
        f"{html.escape(f.what)} · <code>{html.escape(f.where)}</code><br>"
        f"<q>{html.escape(_excerpt(f.msgid))}</q></li>"
        for f in fallback_list)
    note = "" if marked else ("<p class=\"pl-error\">The body could not be marked (the template "
                              "changes it); the list below is complete.</p>")
    return (f'<details class="pl-preview" lang="en" dir="ltr" data-pl-panel>'
            f"<summary>Preview: {html.escape(summary)}</summary>"
            f"<p>{html.escape(verdict)}</p>{note}<ol>{items}</ol></details>{_JUMP}")


def _excerpt(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _verdict(project: Project, article: Article, locale: str) -> str:
    from polyleaf.render.localize import decisions_for, resolver_for
    from polyleaf.render.translate import coverage
    from polyleaf.review.state import load_reviews

    cov = coverage(article, resolver_for(project, locale, article.id))
    reviews = load_reviews(project) if project.config.require_review else None
    page, leaflet = decisions_for(project, reviews, article, locale)
    parts = [f"{cov.usable} of {cov.total} segments usable ({cov.ratio:.0%}).",
             "The build publishes this page." if page.publish
             else f"The build does not publish this page: {page.reason}.",
             "It prints the leaflet." if leaflet.publish
             else f"It does not print the leaflet: {leaflet.reason}."]
    return " ".join(parts)


def _marked_body(project: Project, article: Article, locale: str,
                 publication: Publication) -> tuple[str, str]:
    """(body HTML as the page has it, the same body with preview attributes)."""
    from polyleaf.render.images import page_images
    from polyleaf.render.localize import resolver_for, ui_strings
    from polyleaf.render.pages import page_links
    from polyleaf.render.translate import render_body
    from polyleaf.render.typography import typeset

    config = project.config
    links = page_links(project, publication.pages)(locale)
    images = page_images(publication.images, article.id, "../../")(locale)
    resolver = resolver_for(project, locale, article.id)
    gettext = ui_strings(project, locale).gettext
    po = rel(config, po_path(config, locale, article.id))
    rtl = locale_info(locale).direction == "rtl"  # typeset as the page is (render.localize)

    def body(preview: str | None) -> str:
        return typeset(render_body(article, resolver, config.source_language, gettext, links,
                                   preview, images), locale, config.source_language, rtl)
    return body(None), body(po)


def decorate(project: Project, article: Article, locale: str, publication: Publication,
             page: str) -> str:
    """Add preview highlighting and the panel to one rendered article page."""
    if locale == project.config.source_language:
        return page
    plain, marked = _marked_body(project, article, locale, publication)
    swapped = plain in page
    if swapped:
        page = page.replace(plain, marked, 1)
    panel = _panel(fallbacks(project, article, locale), _verdict(project, article, locale),
                   swapped)
    page = _insert_before(page, "</head>", f"<style data-pl-preview>{_CSS}</style>\n")
    return _insert_before(page, "</body>", panel + "\n")


def _insert_before(page: str, marker: str, text: str) -> str:
    index = page.rfind(marker)
    return page + text if index < 0 else page[:index] + text + page[index:]


# --- server ---------------------------------------------------------------------------------

_RELOAD = """<script data-pl-preview>(function(){var v=%d;function poll(){
fetch("%s?v="+v,{cache:"no-store"}).then(function(r){return r.json()}).then(function(d){
if(d.version>v){location.reload()}else{poll()}}).catch(function(){setTimeout(poll,2000)})}poll()})();
</script>"""


class PreviewServer:
    """The preview: a side build, an HTTP server and a file watcher, each in its own thread.

    ``start()`` builds once, then serves; ``stop()`` ends both threads. Use as a context
    manager in tests; the CLI calls :meth:`serve_forever`.
    """

    def __init__(self, root: Path, locales: tuple[str, ...] = (), host: str = "127.0.0.1",
                 port: int = 8000, watch: bool = True,
                 on_rebuild: Callable[[Rebuild], None] | None = None) -> None:
        self.root = root
        self.locales = locales
        self.site_dir = preview_config(load_config(root), locales).build_dir / "site"
        self._watch = watch
        self._on_rebuild = on_rebuild
        self._stop = threading.Event()
        self._changed = threading.Condition()
        self._building = threading.Lock()
        self._version = 0
        self._diagnostics: tuple[Diagnostic, ...] = ()
        self._threads: list[threading.Thread] = []
        self._ready: list[threading.Event] = []  # one per watcher, set once it watches
        self._httpd = ThreadingHTTPServer((host, port), self._handler)
        self._httpd.daemon_threads = True

    @property
    def url(self) -> str:
        """The address to open in a browser."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    @property
    def version(self) -> int:
        """How many rebuilds have finished."""
        return self._version

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """The problems found by the last rebuild."""
        return self._diagnostics

    def _handler(self, *args: Any) -> _Handler:
        return _Handler(*args, preview=self)

    def rebuild(self) -> Rebuild:
        """Render the preview again (one rebuild at a time) and wake the waiting pages."""
        with self._building:
            start = time.perf_counter()
            pages, diagnostics = self._render()
            with self._changed:
                self._version += 1
                self._diagnostics = diagnostics
                self._changed.notify_all()
            result = Rebuild(self._version, time.perf_counter() - start, pages, diagnostics)
        if self._on_rebuild is not None:
            self._on_rebuild(result)
        return result

    def _render(self) -> tuple[int, tuple[Diagnostic, ...]]:
        from polyleaf.engine.sidebuild import side_build
        from polyleaf.errors import error

        try:
            config = preview_config(load_config(self.root), self.locales)
            report = side_build(config, leaflets=False, publish_all=True, decorate=decorate)
        except PolyleafError as exc:
            return 0, exc.diagnostics
        except Exception as exc:  # a bug must not kill the watcher thread
            return 0, (error(str(self.root), 0, "serve.internal", f"{type(exc).__name__}: {exc}",
                             "this is a polyleaf bug; please report it with this message"),)
        self.site_dir = config.build_dir / "site"
        pages = sum(1 for w in report.written if w.endswith("index.html"))
        return pages, report.diagnostics

    def wait(self, after: int, timeout: float = WAIT_SECONDS) -> int:
        """Block until a rebuild newer than ``after`` finished (or ``timeout``); the version."""
        with self._changed:
            self._changed.wait_for(lambda: self._version > after or self._stop.is_set(), timeout)
            return self._version

    def start(self) -> None:
        """Build once, then serve and (unless disabled) watch in background threads; return
        when the watchers are in place, so no change after ``start()`` is missed."""
        self.rebuild()
        self._spawn(self._httpd.serve_forever)
        if self._watch:
            self._spawn(self._watch_inputs)
            self._spawn(self._watch_config)
            deadline = time.monotonic() + 10
            while len(self._ready) < 2 and time.monotonic() < deadline:
                time.sleep(0.02)
            for ready in self._ready:
                ready.wait(max(0.0, deadline - time.monotonic()))

    def _spawn(self, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, daemon=True, name=f"polyleaf-{target.__name__}")
        thread.start()
        self._threads.append(thread)

    def _watch_inputs(self) -> None:
        """Sources, templates and catalogs, recursively (the config: see _watch_config)."""
        config = load_config(self.root)
        folders = [p for p in (config.source_dir, config.templates_dir, config.locales_dir)
                   if p.is_dir()]
        build = config.build_dir.resolve()
        self._watch_loop(folders, True, lambda path: not path.resolve().is_relative_to(build))

    def _watch_config(self) -> None:
        """The project folder itself, not recursively (editors replace polyleaf.toml)."""
        self._watch_loop([self.root], False, lambda path: path.name == "polyleaf.toml")

    def _watch_loop(self, paths: list[Path], recursive: bool,
                    accept: Callable[[Path], bool]) -> None:
        import watchfiles

        def wanted(change: watchfiles.Change, name: str) -> bool:
            path = Path(name)
            return not (path.name.startswith(".") and path.name.endswith(".tmp")) and accept(path)

        ready = threading.Event()
        self._ready.append(ready)
        # yield_on_timeout: the first (empty) yield says the watches are in place.
        for changes in watchfiles.watch(*paths, watch_filter=wanted, debounce=300, step=50,
                                        rust_timeout=300, yield_on_timeout=True,
                                        stop_event=self._stop, raise_interrupt=False,
                                        recursive=recursive):
            ready.set()
            if changes:
                self.rebuild()

    def serve_forever(self) -> None:
        """Run until interrupted (Ctrl-C), then stop cleanly."""
        try:
            while not self._stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop watching and serving."""
        self._stop.set()
        with self._changed:
            self._changed.notify_all()
        self._httpd.shutdown()
        self._httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> PreviewServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Handler(SimpleHTTPRequestHandler):
    """Static files from build/preview/site; HTML gets the reload script; /__polyleaf/wait."""

    def __init__(self, *args: Any, preview: PreviewServer) -> None:
        self.preview = preview
        super().__init__(*args, directory=str(preview.site_dir))

    def do_GET(self) -> None:
        """Serve the long poll, an HTML page with the reload script, or a static file."""
        parts = urlsplit(self.path)
        if parts.path == WAIT_PATH:
            after = parse_qs(parts.query).get("v", ["0"])[0]
            version = self.preview.wait(int(after) if after.isdigit() else 0)
            self._send(json.dumps({"version": version}).encode(), "application/json")
            return
        page = self._html_file(parts.path)
        if page is None:
            super().do_GET()
            return
        text = page.read_text(encoding="utf-8")
        text = _insert_before(text, "</body>", self._extras())
        self._send(text.encode("utf-8"), "text/html; charset=utf-8")

    def _html_file(self, url_path: str) -> Path | None:
        path = Path(self.translate_path(unquote(url_path)))
        if path.is_dir():
            path = path / "index.html"
        return path if path.suffix == ".html" and path.is_file() else None

    def _extras(self) -> str:
        problems = "".join(f"<li><code>{html.escape(d.format())}</code></li>"
                           for d in self.preview.diagnostics)
        banner = (f'<div class="pl-preview" role="alert" lang="en" dir="ltr" '
                  f'style="inset-block-start:0;inset-block-end:auto">'
                  f"<strong>The last rebuild found problems:</strong><ul>{problems}</ul></div>"
                  if problems else "")
        return banner + _RELOAD % (self.preview.version, WAIT_PATH)

    def _send(self, data: bytes, content_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def end_headers(self) -> None:
        """No caching: the preview changes under the browser's feet."""
        if not any(h.startswith(b"Cache-Control") for h in getattr(self, "_headers_buffer", [])):
            self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the CLI reports rebuilds, not every request."""
