"""Vietnamese dates as people type them and spreadsheets store them. Pure Python, the one date parser.

- ``parse_date("05/10/2020")`` → 2020-10-05. Day first: dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy; also
  ISO yyyy-mm-dd; a time after the date ("05/10/2020 08:30:00") is ignored. A ``date``/``datetime`` cell passes
  through; a spreadsheet serial number (43900 → 2020-03-10) is read as Excel counts. Raises ValueError.
- ``optional_date(value)`` → the date, or None when empty or not a date (filters in a query string).
- Formatting is in ``formats.py`` (``format_date``).
"""

from __future__ import annotations

import datetime as dt
import re

EXPECTED = "expected YYYY-MM-DD or dd/mm/yyyy"
EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIALS = range(20001, 80000)  # 1954–2118: a number in a date column in this range is a spreadsheet date
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})" + _TIME)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)


def parse_date(value) -> dt.date:
    """A date from text (day first, or ISO), a date/datetime cell or an Excel serial; ValueError otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if int(value) in SERIALS:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError(f"not a date: {value!r} ({EXPECTED})")
    text = str(value if value is not None else "").strip()
    if not text:
        raise ValueError(f"empty date ({EXPECTED})")
    if m := _DAY_FIRST.fullmatch(text):
        day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
    elif m := _ISO.fullmatch(text):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        raise ValueError(f"not a date: {text!r} ({EXPECTED})")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"not a date: {text!r} ({EXPECTED})") from None


def optional_date(value) -> dt.date | None:
    """``parse_date`` for filters and optional cells: None when the value is empty or not a date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_date(value)
    except ValueError:
        return None
