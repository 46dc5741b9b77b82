from decimal import Decimal

import pytest

from dondoc.domain import vn_numbers
from dondoc.domain.vn_numbers import (
    BILLION,
    DONG,
    MILLION,
    format_money,
    format_number,
    parse_amount,
    parse_number,
    unit_note,
    unit_of_header,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("1.234.567", Decimal(1234567)),
    ("1.234,5", Decimal("1234.5")),
    ("1234,5", Decimal("1234.5")),
    ("1,234", Decimal("1.234")),  # the Vietnamese decimal comma
    ("12.500", Decimal(12500)),  # a dot before three digits groups thousands
    ("1.5", Decimal("1.5")),
    ("7810657.0", Decimal("7810657.0")),
    ("1,234,567.5", Decimal("1234567.5")),  # English, when both marks occur
    ("1 234 567", Decimal(1234567)),
    ("1\u00a0234", Decimal(1234)),
    ("-", Decimal(0)), ("–", Decimal(0)),
    ("", None), ("   ", None), (None, None),
    ("(1.234)", Decimal(-1234)), ("-2.000", Decimal(-2000)), ("−2.000", Decimal(-2000)),
    (1500, Decimal(1500)), (1234.5, Decimal("1234.5")),
])
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["abc", "1.2.3,4,5", "12 ab", "1..2", True])
def test_parse_number_rejects(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(("text", "unit", "expected"), [
    ("1.234.567", DONG, 1234567),
    ("1.234,5", MILLION, 1_234_500_000),
    ("0,0000005", MILLION, 1),  # half a đồng rounds up
    ("0,0000004", MILLION, 0),
    ("1,5 tỷ", DONG, 1_500_000_000),  # a unit written with the number wins
    ("500 tr.đ", DONG, 500_000_000),
    ("1.234.567 đ", MILLION, 1_234_567),
    ("2 triệu đồng", None, 2_000_000),
    ("-", MILLION, 0),
    ("", MILLION, None),
    (7810657.0, DONG, 7810657),
    (12, BILLION, 12_000_000_000),
])
def test_parse_amount(text, unit, expected):
    assert parse_amount(text, unit) == expected


def test_parse_amount_without_unit_is_refused():
    with pytest.raises(ValueError):
        parse_amount("1.234", None)
    with pytest.raises(ValueError):
        parse_amount("3 quả táo", DONG)


@pytest.mark.parametrize(("text", "expected"), [
    ("Đơn vị: triệu đồng", MILLION), ("Đơn vị tính: đồng", DONG), ("ĐVT: tr.đ", MILLION),
    ("Đơn vị: Tỷ đồng", BILLION), ("ĐƠN VỊ TÍNH: TRIỆU ĐỒNG", MILLION), ("Báo cáo giải ngân", None),
])
def test_unit_note(text, expected):
    assert unit_note(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Số tiền (đồng)", DONG), ("Kế hoạch vốn (triệu đồng)", MILLION), ("Lũy kế (Tỷ đồng)", BILLION),
    ("Giải ngân đến ngày 30/9/2020", None), ("Kế hoạch vốn năm 2020 (Tổng số)", None),
])
def test_unit_of_header(text, expected):
    assert unit_of_header(text) == expected


def test_format():
    assert format_number(1234567.5, 1) == "1.234.567,5"
    assert format_number(-1234) == "-1.234"
    assert format_money(1_234_500_000) == "1.234,5"
    assert format_money(1_234_560_000_000, BILLION) == "1.234,56"


@pytest.mark.parametrize(("text", "unit", "dong"), [
    ("1.234.567", vn_numbers.DONG, 1_234_567), ("150.000.000", vn_numbers.DONG, 150_000_000),
    ("1.500", vn_numbers.MILLION, 1_500_000_000), ("1.234,5", vn_numbers.MILLION, 1_234_500_000),
    ("1.5", vn_numbers.MILLION, 1_500_000), ("12.3456", vn_numbers.DONG, 12),
])
def test_parse_amount_fast_path_agrees_with_the_full_parser(text, unit, dong):
    assert vn_numbers.parse_amount(text, unit) == dong == vn_numbers.to_dong(vn_numbers.parse_number(text), unit)


def test_parse_amount_fast_path_still_needs_a_unit():
    with pytest.raises(ValueError, match="no unit"):
        vn_numbers.parse_amount("1.234.567", None)


# Doubtful amounts (issue 12: "1,234" → 1,234 but "1,234,567" → 1.234.567 in one "triệu đồng" file) -------------
@pytest.mark.parametrize(("text", "unit", "style", "expected"), [
    ("1,234", MILLION, "", ("ambiguous", (Decimal(1234), Decimal("1.234")))),
    ("1,234", MILLION, "en", ("ambiguous", (Decimal(1234), Decimal("1.234")))),
    ("1,234", MILLION, "vi", None),  # the file writes Vietnamese numbers: a decimal comma
    ("1,234", DONG, "vi", ("ambiguous", (Decimal(1234), Decimal("1.234")))),  # đồng are whole
    ("-1,234 tỷ", DONG, "", ("ambiguous", (Decimal(1234), Decimal("1.234")))),
    ("1.234", MILLION, "", None),  # a dot before three digits groups thousands (official documents)
    ("1.234", MILLION, "en", ("ambiguous", (Decimal(1234), Decimal("1.234")))),
    ("1.234", DONG, "", None),
    ("1,5", DONG, "", ("fraction", (Decimal("1.5"),))),
    ("1.234,5", DONG, "vi", ("fraction", (Decimal("1234.5"),))),
    ("1,2345678", MILLION, "vi", ("fraction", (Decimal("1.2345678"),))),
    ("1,234567", MILLION, "vi", None),  # six decimals of a million: whole đồng
    ("1.234.567", MILLION, "", None), ("1234", MILLION, "", None), ("", MILLION, "", None),
    (1.5, DONG, "", None), (1234.5, MILLION, "", None),  # numbers stored as numbers are never doubtful
    ("abc", DONG, "", None),  # not a number: parse_amount says so
])
def test_amount_doubt(text, unit, style, expected):
    doubt = vn_numbers.amount_doubt(text, unit, style)
    assert (doubt and (doubt.code, doubt.readings)) == expected


@pytest.mark.parametrize(("text", "style"), [
    ("1.234.567", "vi"), ("1.234,5", "vi"), ("1,5", "vi"), ("(2.000.000)", "vi"),
    ("1,234,567", "en"), ("1,234.5", "en"), ("1.2345", "en"), ("12.5 triệu", "en"),
    ("1,234", ""), ("1.234", ""), ("1234", ""), ("7810657.0", ""), (1234.5, ""),
])
def test_separator_style(text, style):
    assert vn_numbers.separator_style(text) == style


def test_separator_styles_name_the_first_amount_of_the_other_convention():
    styles = vn_numbers.SeparatorStyles()
    assert styles.see(5, "1,234") is None and styles.style == ""
    assert styles.see(6, "1,234,567") is None and styles.style == "en"
    assert styles.see(7, "1.2345") is None
    assert styles.see(8, "1.234.567") == (6, "1,234,567")
