"""Polyleaf: multilingual patient-education pipeline.

Markdown articles are extracted into gettext catalogs, translated with ordinary PO tools, and
rendered into a localized website and printable PDF leaflets.
"""

__version__ = "0.1.0"
