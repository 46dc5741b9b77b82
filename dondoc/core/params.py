"""Query parameters read by views, through one parser: an integer beyond what the database stores, a year out
of 1900..2100 or a date out of those years is refused with a 400 page ("Bad request"), never a 500 from deep in
SQL or the calendar. Dates that are not dates stay a message on the screen (``clock.optional_date``)."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

from dondoc.domain import vn_dates

SQL_INT_MAX = 2**63 - 1  # SQLite's and PostgreSQL's bigint
FIRST_YEAR, LAST_YEAR = 1900, 2100
_INTEGER = re.compile(r"-?[0-9]{1,19}")


def integer(params, name: str, *, default: int | None = None, low: int = 0, high: int = SQL_INT_MAX) -> int | None:
    """``params[name]`` as an integer in ``low..high``; ``default`` when absent or empty; 400 otherwise."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    if not _INTEGER.fullmatch(raw) or not low <= int(raw) <= high:
        raise BadRequest(_("The parameter “%(name)s” must be a whole number from %(low)s to %(high)s.")
                         % {"name": name, "low": low, "high": high})
    return int(raw)


def pk(params, name: str) -> int | None:
    """An object id: a positive integer the database can hold."""
    return integer(params, name, low=1)


def year(params, name: str = "year", default: int | None = None) -> int | None:
    return integer(params, name, default=default, low=FIRST_YEAR, high=LAST_YEAR)


def parse_date(value) -> dt.date:
    """A date typed in a filter (dd/mm/yyyy or ISO) within the years the product knows; ValueError otherwise."""
    day = vn_dates.parse_date(value)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"year out of {FIRST_YEAR}..{LAST_YEAR}: {value!r}")
    return day


def optional_date(value) -> dt.date | None:
    """None when empty, not a date, or out of range (the screen says the date was not understood)."""
    try:
        return parse_date(value) if value is not None and str(value).strip() else None
    except ValueError:
        return None
