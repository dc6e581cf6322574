#!/usr/bin/env bash
# Polyleaf developer entry point. Two commands (see README):
#   bash dev.sh example   set everything up, build the example into build/
#   bash dev.sh test      set everything up, run linters and the whole test suite
# Set-up is idempotent: Debian packages are installed only when missing, the virtualenv (.venv)
# only re-installed when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages. WeasyPrint: Pango + HarfBuzz subsetting (without libharfbuzz-subset0
# WeasyPrint is 6-60x slower) + fonts for every script we print. QA: enchant + Hunspell
# dictionaries (and the medical word lists) to find English words left in urgent-care text. gettext and poppler-utils are
# the external judges the tests use (msgfmt, pdftoppm, pdffonts); chromium + chromium-driver,
# a Java runtime (vnu.jar) and Node.js (npm) run the website tests in a real browser.
RUNTIME_DEBS=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig
              fonts-noto-core fonts-noto-cjk fonts-dejavu-core
              libenchant-2-2 hunspell-en-us hunspell-es hunspell-fr hunspell-de-de hunspell-ar
              hunspell-en-med hunspell-de-med)
TEST_DEBS=(gettext poppler-utils chromium chromium-driver default-jre-headless nodejs)
PYTHON=${PYTHON:-python3}

missing_debs() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

install_debs() {
  local missing
  missing=$(missing_debs "$@")
  if ! "$PYTHON" -c 'import sys, venv, ensurepip; assert sys.version_info >= (3, 11)' 2>/dev/null; then
    missing="$missing python3 python3-venv python3-pip"
  fi
  [ -z "${missing// /}" ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "dev.sh: installing Debian packages:" $missing
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "dev.sh: these Debian packages are missing; run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends" $missing >&2
    exit 1
  fi
}

setup_venv() {
  local stamp=.venv/.polyleaf-installed want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".[test]"
    echo "$want" > "$stamp"
  fi
}

# The browser tests' judges from npm (axe-core, vnu-jar), pinned by tests/browser/package-lock.json,
# installed into tests/browser/node_modules (install scripts off: vnu.jar runs on Debian's Java).
setup_npm() {
  local stamp=tests/browser/node_modules/.polyleaf-installed want
  command -v npm >/dev/null || install_debs npm  # Debian's nodejs comes without npm
  want=$(sha256sum tests/browser/package-lock.json | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    npm ci --prefix tests/browser --ignore-scripts --no-audit --no-fund --loglevel=error
    echo "$want" > "$stamp"
  fi
}

cmd=${1:-}
case "$cmd" in
  example)
    install_debs "${RUNTIME_DEBS[@]}"
    setup_venv
    .venv/bin/polyleaf build
    echo
    echo "Website:  $(pwd)/build/site/index.html"
    echo "Leaflets: $(pwd)/build/leaflets/"
    ;;
  test)
    install_debs "${RUNTIME_DEBS[@]}" "${TEST_DEBS[@]}"
    setup_venv
    setup_npm
    .venv/bin/ruff check src tests bench
    .venv/bin/mypy
    .venv/bin/python -m pytest "${@:2}"
    ;;
  *)
    echo "usage: bash dev.sh example | test [pytest args]" >&2
    exit 2
    ;;
esac
