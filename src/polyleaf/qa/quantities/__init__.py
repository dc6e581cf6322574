"""Quantity QA: doses, durations, ranges, times of day, codes and phone numbers.

``numparse`` reads numbers the way each locale writes them (CLDR symbols from Babel),
``units`` recognizes units from CLDR names and common symbols, ``numwords`` knows small numbers
written as words (CLDR spell-out rules), ``extract`` finds the quantities of one text and
``compare`` holds the checks (``qa.numbers``, ``qa.codes``).
"""

from polyleaf.qa.quantities.compare import check_codes, check_numbers

__all__ = ["check_codes", "check_numbers"]
