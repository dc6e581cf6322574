"""The preview server, without a browser: highlighted fallbacks, live rebuild on a .po change,
the long poll, and no preview markup in the real build."""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from polyleaf.cli import main
from polyleaf.config import Config
from polyleaf.engine.build import BuildReport
from polyleaf.paths import po_path
from polyleaf.tools.serve import PreviewServer, check_locales, preview_config

ARTICLE = "back-pain-and-headaches"
MISSING = "an infection"  # untranslated in the example's German catalog


def _get(url: str, timeout: float = 30) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return str(response.read().decode("utf-8"))


def _block(page: str, msgid: str) -> str:
    match = re.search(rf'<[a-z0-9]+ [^>]*data-pl-msgid="{re.escape(msgid)}"[^>]*>', page)
    assert match is not None, f"{msgid!r} is not highlighted"
    return match.group(0)


def _translate(config: Config, msgid: str, msgstr: str) -> int:
    """Translate one entry of the German catalog in place, as an editor would; its line."""
    path = po_path(config, "de", ARTICLE)
    text = path.read_text(encoding="utf-8")
    entry = f'msgid "{msgid}"\nmsgstr ""\n'
    assert entry in text
    line = text[: text.index(entry)].count("\n") + 1
    path.write_text(text.replace(entry, f'msgid "{msgid}"\nmsgstr "{msgstr}"\n'), encoding="utf-8")
    return line


def test_preview_highlights_fallbacks_and_rebuilds_on_change(example: Config) -> None:
    with PreviewServer(example.root, ("de",), port=0) as server:
        url = f"{server.url}de/{ARTICLE}/"
        page = _get(url)
        line = po_path(example, "de", ARTICLE).read_text(encoding="utf-8") \
            .split(f'msgid "{MISSING}"')[0].count("\n") + 1
        block = _block(page, MISSING)
        assert 'data-pl-reason="untranslated"' in block
        assert f'data-pl-po="locales/de/LC_MESSAGES/{ARTICLE}.po:{line}"' in block
        assert f"locales/de/LC_MESSAGES/{ARTICLE}.po:{line}" in re.search(
            r'title="([^"]*)"', block).group(1)  # type: ignore[union-attr]
        assert 'data-pl-reason="fuzzy"' in page
        assert "data-pl-panel" in page and "does not print the leaflet" in page
        assert "/__polyleaf/wait?v=" in page  # the reload script
        version = server.version

        _translate(example, MISSING, "eine Infektion")
        waited = json.loads(_get(f"{server.url}__polyleaf/wait?v={version}"))
        assert waited["version"] > version
        page = _get(url)
        assert "eine Infektion" in page
        assert f'data-pl-msgid="{MISSING}"' not in page
        assert 'data-pl-reason="fuzzy"' in page  # the others are still marked
    assert not (example.build_dir / "site").exists()  # the preview never writes build/site
    on_disk = (preview_config(example, ("de",)).build_dir / "site" / "de" / ARTICLE /
               "index.html").read_text(encoding="utf-8")
    assert "data-pl-reason" in on_disk and "/__polyleaf/wait" not in on_disk


def test_a_broken_catalog_is_reported_on_the_page(example: Config) -> None:
    with PreviewServer(example.root, ("de",), port=0, watch=False) as server:
        po = po_path(example, "de", ARTICLE)
        po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "x"\nmsgstr "y\n',
                      encoding="utf-8")
        result = server.rebuild()
        assert any(d.code.startswith("po.") for d in result.diagnostics)
        page = _get(f"{server.url}de/{ARTICLE}/")
        assert 'role="alert"' in page and "po." in page


def test_long_poll_waits_then_answers(example: Config) -> None:
    with PreviewServer(example.root, ("es",), port=0, watch=False) as server:
        start = time.perf_counter()
        assert server.wait(server.version, timeout=0.3) == server.version
        assert time.perf_counter() - start >= 0.25
        assert server.wait(server.version - 1, timeout=5) == server.version  # no wait
        later = threading.Timer(0.2, server.rebuild)
        later.start()
        assert server.wait(server.version, timeout=30) == server.version
        later.join()


def test_static_files_and_root_page_are_served(example: Config) -> None:
    with PreviewServer(example.root, (), port=0, watch=False) as server:
        assert "text/css" in urllib.request.urlopen(f"{server.url}assets/site.css").headers[
            "Content-Type"]
        assert "/__polyleaf/wait" in _get(server.url)
        with pytest.raises(urllib.error.HTTPError) as missing:
            _get(f"{server.url}no/such/page/")
        assert missing.value.code == 404


def test_unknown_locale_is_a_usage_error(example: Config) -> None:
    assert check_locales(example, ("de", "qps_ploc", "xx")) == ["xx"]
    result = CliRunner().invoke(main, ["-C", str(example.root), "serve", "--locale", "xx"])
    assert result.exit_code == 2 and "xx not configured" in result.output


def test_the_real_build_has_no_preview_markup(built_example: tuple[Config, BuildReport]) -> None:
    config, _ = built_example
    pages = list((config.build_dir / "site").rglob("*.html"))
    assert pages and not [p for p in pages if "data-pl-" in p.read_text(encoding="utf-8")]
    assert any("pl-fallback" in p.read_text(encoding="utf-8") for p in pages)


def test_serve_cli_listens_and_stops(example: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[str] = []

    def fake_forever(self: PreviewServer) -> None:
        started.append(_get(f"{self.url}de/{ARTICLE}/"))
        self.stop()

    monkeypatch.setattr(PreviewServer, "serve_forever", fake_forever)
    result = CliRunner().invoke(main, ["-C", str(example.root), "serve", "--port", "0",
                                       "--locale", "de"])
    assert result.exit_code == 0, result.output
    assert "previewing at http://127.0.0.1:" in result.output
    assert started and "data-pl-reason" in started[0]


def test_a_busy_port_is_a_usage_error(example: Config) -> None:
    with PreviewServer(example.root, ("es",), port=0, watch=False) as server:
        port = server.url.rsplit(":", 1)[1].strip("/")
        result = CliRunner().invoke(main, ["-C", str(example.root), "serve", "--port", port])
        assert result.exit_code == 2 and "serve.listen" in result.output


def test_preview_config_is_a_separate_folder(example: Config) -> None:
    preview = preview_config(example, ())
    assert preview.locales == example.locales
    assert preview.build_dir == example.build_dir / "preview"
    assert Path(preview.build_dir).parent == example.build_dir
