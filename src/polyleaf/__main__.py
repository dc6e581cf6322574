"""Entry point for ``python -m polyleaf``."""

from polyleaf.cli import main

main()
