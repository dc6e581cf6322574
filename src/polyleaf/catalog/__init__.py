"""Catalogs: PO reading and writing, extraction, merging, statistics, the loaded project.

Builds on :mod:`polyleaf.content`; knows nothing of QA, rendering or the build.
"""
