"""How dates, numbers, money and rates are shown: the one place for templates, documents and the CLI. Pure Python.

Vietnamese conventions in every UI language: ``format_date`` → "05/10/2020" (``format_date_long`` → "ngày 05
tháng 10 năm 2020"), ``format_number(1234567.5, 1)`` → "1.234.567,5", ``format_money(1_234_500_000)`` → "1.234,5"
(triệu đồng by default), ``format_percent(47.125)`` → "47,13%" (None → "—").
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

DONG, THOUSAND, MILLION, BILLION = 1, 1_000, 1_000_000, 1_000_000_000
NONE = "—"


def format_date(day: dt.date | None, empty: str = "") -> str:
    """dd/mm/yyyy; ``empty`` for None."""
    if day is None:
        return empty
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def format_date_long(day: dt.date) -> str:
    """The date line of an official document (Decree 30/2020/NĐ-CP): "ngày 05 tháng 10 năm 2020"; leading zeros
    for days under 10 and months 1–2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def format_number(value, decimals: int = 0) -> str:
    """1234567.5 → "1.234.567,5" (Vietnamese separators), rounded half up."""
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, frac = f"{abs(number):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = sign + ".".join(groups)
    return f"{out},{frac}" if frac else out


def format_money(dong: int, unit: int = MILLION, decimals: int | None = None) -> str:
    """Whole đồng shown in a unit: format_money(1_234_500_000) → "1.234,5" (triệu đồng)."""
    if decimals is None:
        decimals = {DONG: 0, THOUSAND: 0, MILLION: 1, BILLION: 2}.get(unit, 0)
    return format_number(Decimal(dong) / unit, decimals)


def format_percent(value, decimals: int | None = 2) -> str:
    """47.12 → "47,12%"; None → "—". ``decimals=None`` keeps the digits the value has (66.7 → "66,7%")."""
    if value is None:
        return NONE
    if decimals is None:
        decimals = max(0, -Decimal(str(value)).as_tuple().exponent)
    return format_number(value, decimals) + "%"
