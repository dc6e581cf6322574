"""Helpers for the website tests (tests/test_site.py, tests/test_browser.py).

This folder also holds package.json / package-lock.json for the JavaScript judges (axe-core,
vnu-jar), installed into node_modules/ here by ``bash dev.sh test``.
"""
