"""QA: the checks that decide whether a translation is usable, ``polyleaf check`` and ``lint``.

Builds on content and catalogs; knows nothing of rendering or the build.
"""
