"""Rendering: localize an article, UI strings, pages, sitemap, leaflets, HTML and PDF.

Pure functions from the loaded project to texts and bytes; writes nothing.
"""
