"""The one Vietnamese date parser: day first, ISO, spreadsheet cells and serials; clear errors."""

import datetime as dt

import pytest

from dondoc.domain.vn_dates import optional_date, parse_date

D = dt.date


@pytest.mark.parametrize(("value", "day"), [
    ("05/10/2020", D(2020, 10, 5)),
    ("5/10/2020", D(2020, 10, 5)),
    ("5/1/2020", D(2020, 1, 5)),
    ("05-10-2020", D(2020, 10, 5)),
    ("05.10.2020", D(2020, 10, 5)),
    (" 05/10/2020 ", D(2020, 10, 5)),
    ("2020-10-05", D(2020, 10, 5)),
    ("2020-10-05 00:00:00", D(2020, 10, 5)),
    ("05/10/2020 08:30:00", D(2020, 10, 5)),
    ("29/02/2020", D(2020, 2, 29)),
    (dt.datetime(2020, 10, 5, 8, 30), D(2020, 10, 5)),
    (D(2020, 10, 5), D(2020, 10, 5)),
    (43900, D(2020, 3, 10)),  # an Excel serial number
    (43900.0, D(2020, 3, 10)),
])
def test_parse_date_reads(value, day):
    assert parse_date(value) == day


@pytest.mark.parametrize("value", [
    "31/02/2020",  # no such day
    "29/02/2021",
    "10/2020",
    "05/10/20",  # two-digit year: ambiguous
    "05/10-2020",  # mixed separators
    "2020/10/05",
    "hôm nay",
    "",
    None,
    True,
    12,  # a number outside the serial range is not a date
])
def test_parse_date_refuses_with_a_clear_message(value):
    with pytest.raises(ValueError, match="expected YYYY-MM-DD or dd/mm/yyyy"):
        parse_date(value)


@pytest.mark.parametrize(("value", "day"), [
    ("05/10/2020", D(2020, 10, 5)), ("", None), ("  ", None), (None, None), ("31/02/2020", None), ("x", None),
])
def test_optional_date(value, day):
    assert optional_date(value) == day
