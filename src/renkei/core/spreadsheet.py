"""Text written into files people open in a spreadsheet (CSV, Excel): shown as typed, never run."""

from __future__ import annotations

# A cell starting with one of these is read as a formula (or a DDE command) by Excel and
# LibreOffice; a tab or carriage return in front does not stop them.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value):
    """Text that a spreadsheet shows as typed: a leading =, +, - or @ would otherwise make a
    free-text name, reason or summary a formula when the file is opened. Non-text values pass as
    they are."""
    if isinstance(value, str) and value[:1] in _FORMULA_STARTS:
        return "'" + value
    return value
