"""Content: source articles (front matter, the one Markdown traversal) into the frozen model.

Knows nothing of catalogs, QA, rendering or the build.
"""
