"""The one set of formatters: dates dd/mm/yyyy, numbers 1.234.567,8, money in a unit, percentages."""

import datetime as dt
from decimal import Decimal

import pytest

from dondoc.domain import formats, vn_numbers
from dondoc.domain.disbursement import pct_vi


@pytest.mark.parametrize(("day", "text"), [
    (dt.date(2020, 10, 5), "05/10/2020"), (dt.date(2020, 1, 31), "31/01/2020"),
    (dt.datetime(2020, 3, 9, 23, 59), "09/03/2020"), (None, ""),
])
def test_format_date(day, text):
    assert formats.format_date(day) == text


def test_format_date_empty_marker():
    assert formats.format_date(None, empty="—") == "—"


@pytest.mark.parametrize(("value", "decimals", "text"), [
    (0, 0, "0"), (999, 0, "999"), (1000, 0, "1.000"), (1234567, 0, "1.234.567"), (-1234567, 0, "-1.234.567"),
    (1234567.5, 1, "1.234.567,5"), (Decimal("2.5"), 0, "3"), (Decimal("0.125"), 2, "0,13"),
])
def test_format_number(value, decimals, text):
    assert formats.format_number(value, decimals) == text


@pytest.mark.parametrize(("dong", "unit", "text"), [
    (1_234_500_000, vn_numbers.MILLION, "1.234,5"), (1_234_500_000, vn_numbers.DONG, "1.234.500.000"),
    (1_234_500_000, vn_numbers.BILLION, "1,23"), (0, vn_numbers.MILLION, "0,0"), (-50_000_000, vn_numbers.MILLION, "-50,0"),
])
def test_format_money(dong, unit, text):
    assert formats.format_money(dong, unit) == text


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("47.12"), "47,12%"), (Decimal("47.125"), "47,13%"), (100, "100,00%"), (None, "—"),
])
def test_format_percent(value, text):
    assert formats.format_percent(value) == text
    assert pct_vi(value) == text  # the disbursement rules show rates the same way


def test_vn_numbers_keeps_its_formatting_names():
    assert vn_numbers.format_money is formats.format_money and vn_numbers.format_number is formats.format_number


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("66.7"), "66,7%"), (Decimal("100"), "100%"), (Decimal("33.33"), "33,33%"), (50, "50%"), (None, "—"),
])
def test_format_percent_as_written(value, text):
    assert formats.format_percent(value, None) == text


@pytest.mark.parametrize(("day", "text"), [
    (dt.date(2020, 10, 5), "ngày 05 tháng 10 năm 2020"), (dt.date(2020, 2, 15), "ngày 15 tháng 02 năm 2020"),
    (dt.date(2020, 3, 1), "ngày 01 tháng 3 năm 2020"), (dt.date(2021, 12, 31), "ngày 31 tháng 12 năm 2021"),
])
def test_format_date_long_as_decree_30_writes_it(day, text):
    assert formats.format_date_long(day) == text
