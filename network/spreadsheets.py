"""CSV files people open in spreadsheets: UTF-8 with a byte order mark, so every partner
language's script reads right, and cells that a spreadsheet would run as formulas neutralised.
Every CSV export of the site (participants, gradebook, Capture, participation) writes through
here."""

import csv

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise(value):
    """``value`` as text a spreadsheet shows as written, never evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value):
        return value


def csv_writer():
    """A CSV writer whose ``writerow`` returns the line, for streaming responses."""
    return csv.writer(_Echo())
