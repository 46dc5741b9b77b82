"""Vietnamese numbers and money amounts as people type them. Pure Python.

- ``parse_number("1.234.567")`` → 1234567; ``"1.234,5"`` → 1234.5; ``"-"`` → 0; ``""`` → None; ``"(1.234)"`` → -1234.
  A dot followed by groups of three digits is a thousands separator ("1.234" is one thousand two hundred and
  thirty-four, as in Vietnamese); the comma is the decimal mark. "1,234,567.5" (English) is read too when both
  marks occur. Numbers that a spreadsheet stored as numbers (int, float, Decimal) pass through.
- ``unit_of("Kế hoạch vốn (triệu đồng)")`` → 1_000_000: the multiplier to đồng a text states, None if none.
- ``parse_amount("1,5 tỷ")`` → 1_500_000_000: a number with an optional unit, in whole đồng (half up).
- Formatting (``format_number``, ``format_money``) lives in ``formats.py``.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .formats import format_money, format_number  # noqa: F401 - re-exported: callers may import them here
from .text import search_key

DONG = 1
THOUSAND = 1_000
MILLION = 1_000_000
BILLION = 1_000_000_000
UNIT_OPTIONS = {"dong": DONG, "nghin": THOUSAND, "trieu": MILLION, "ty": BILLION}
UNIT_NAMES = {DONG: "đồng", THOUSAND: "nghìn đồng", MILLION: "triệu đồng", BILLION: "tỷ đồng"}

_DASHES = {"-", "–", "—", "−", "--", "x", "…", "..."}
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_DOT_GROUPS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_COMMA_GROUPS = re.compile(r"^\d{1,3}(,\d{3}){2,}$")
_SPACE_GROUPS = re.compile(r"^\d{1,3}( \d{3})+([.,]\d+)?$")
# Units written after a number or in a header, folded (no accents, lower case). Longest first.
_UNIT_WORDS = [
    (r"ty\s*dong|ty\s*vnd|ty\b|ti\s*dong|\bty\.?\s*d\b", BILLION),
    (r"trieu\s*dong|trieu\s*vnd|trieu\b|tr\.?\s*d(ong)?\b|\btrd\b|\btr\b", MILLION),
    (r"nghin\s*dong|ngan\s*dong|nghin\b|ngan\b|1\.?000\s*d(ong)?\b", THOUSAND),
    (r"\bdong\b|\bvnd\b|\bvnđ\b|\bd\b", DONG),
]
_UNIT_RE = [(re.compile(p), m) for p, m in _UNIT_WORDS]
_NOTE = re.compile(r"(don\s*vi(\s*tinh)?|dvt)\s*[:.]?\s*(.+)$")
_HEADER_UNIT = re.compile(r"\(([^()]*)\)\s*$|\(([^()]*)\)")
_TRAILING_UNIT = re.compile(r"^([-+(]?[\d.,\s\u00a0]+\)?)\s*([^\W\d_].*)$")


def parse_number(value) -> Decimal | None:
    """A number as a Decimal; None when empty; 0 for a dash. Raises ValueError for anything else."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"not a number: {value!r}")
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    text = _SPACES.sub(" ", str(value)).strip()
    if not text:
        return None
    if text in _DASHES:
        return Decimal(0)
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    if text[:1] in "-−–":
        negative, text = not negative, text[1:].strip()
    elif text[:1] == "+":
        text = text[1:].strip()
    if _SPACE_GROUPS.match(text):
        text = text.replace(" ", "")
    if " " in text or not text:
        raise ValueError(f"not a number: {value!r}")
    if "." in text and "," in text:
        if text.rfind(",") > text.rfind("."):  # 1.234.567,5 (Vietnamese)
            text = text.replace(".", "").replace(",", ".")
        else:  # 1,234,567.5 (English)
            text = text.replace(",", "")
    elif "." in text:
        if _DOT_GROUPS.match(text):
            text = text.replace(".", "")
    elif "," in text:
        text = text.replace(",", "") if _COMMA_GROUPS.match(text) else text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"not a number: {value!r}")
    return -number if negative else number


def unit_in(text: str) -> int | None:
    """The multiplier a unit phrase stands for ("triệu đồng" → 10^6), or None."""
    key = search_key(str(text)).replace("đ", "d")
    for pattern, multiplier in _UNIT_RE:
        if pattern.search(key):
            return multiplier
    return None


def unit_note(text: str) -> int | None:
    """A title-block note such as "Đơn vị: triệu đồng", "Đơn vị tính: đồng", "ĐVT: tr.đ"."""
    key = search_key(str(text))
    m = _NOTE.search(key)
    return unit_in(m.group(3)) if m else None


def unit_of_header(text: str) -> int | None:
    """The unit stated in a column header: "Số tiền (đồng)", "Kế hoạch vốn (triệu đồng)", "... - tỷ đồng"."""
    text = str(text)
    for m in _HEADER_UNIT.finditer(text):
        found = unit_in(m.group(1) or m.group(2) or "")
        if found:
            return found
    key = search_key(text)
    m = _NOTE.search(key)
    if m:
        return unit_in(m.group(3))
    for tail in (" trieu dong", " ty dong", " nghin dong", " tr.d", " (d)", " vnd"):
        if key.endswith(tail):
            return unit_in(tail)
    return None


def to_dong(number: Decimal | int, multiplier: int = DONG) -> int:
    """A number in a unit to whole đồng, rounded half up (1,5 đồng → 2)."""
    if isinstance(number, int):
        return number * multiplier
    return int((number * multiplier).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_amount(value, unit: int | None = DONG) -> int | None:
    """An amount in whole đồng. A unit written with the number ("1,5 tỷ", "500 tr.đ") wins over ``unit``.

    Raises ValueError when there is no number, or no unit at all (``unit=None`` and none written).
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if unit is None:
            raise ValueError("no unit")
        return value * unit
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit() or (text[:1].isdigit() and _DOT_GROUPS.match(text)):  # 1234567, 1.234.567: fast
            if unit is None:
                raise ValueError("no unit")
            return int(text.replace(".", "")) * unit
        m = _TRAILING_UNIT.match(text)
        if m:
            written = unit_in(m.group(2))
            if written is None:
                raise ValueError(f"not an amount: {value!r}")
            number = parse_number(m.group(1))
            return None if number is None else to_dong(number, written)
    number = parse_number(value)
    if number is None:
        return None
    if unit is None:
        raise ValueError("no unit")
    return to_dong(number, unit)
