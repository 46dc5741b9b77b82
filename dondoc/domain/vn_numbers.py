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
from dataclasses import dataclass
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
_DOT_GROUPS = DOT_GROUPS = re.compile(r"^\d{1,3}(\.\d{3})+$")  # 1.234.567: Vietnamese thousands
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


# --- Doubtful amounts ------------------------------------------------------------------------------------------
# A text amount can mean two things: "1,234" is 1,234 (Vietnamese decimal comma) or 1234 (English thousands);
# "1.234" is 1234 (Vietnamese thousands) or 1.234 (English decimal dot). In a file of đồng only the whole reading
# is possible for "1.234"; in triệu/tỷ both are. Numbers a spreadsheet stores as numbers are never doubtful.
DECIMALS = {DONG: 0, THOUSAND: 3, MILLION: 6, BILLION: 9}  # decimals a unit allows before fractions of a đồng
_SINGLE_GROUP = re.compile(r"^\d{1,3}([.,])\d{3}$")
_FLOAT_INTEGER = re.compile(r"^\d+\.0+$")  # 7810657.0: a spreadsheet's float written out


@dataclass(frozen=True)
class AmountDoubt:
    """Why a text amount is refused: ``code`` "ambiguous" (``readings``: as thousands, as decimals) or "fraction"
    (it comes to a fraction of a đồng: ``readings`` holds the number read); ``unit`` the multiplier it is in."""

    code: str
    readings: tuple[Decimal, ...]
    unit: int


def _bare(text: str) -> str:
    """The digits and separators of a number written as text (sign, parentheses and spaces dropped)."""
    text = _SPACES.sub("", text)
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    return text.lstrip("-−–+")


def amount_doubt(value, unit: int | None, style: str = "") -> AmountDoubt | None:
    """Why the text amount ``value`` in ``unit`` cannot be read safely, or None. ``style`` is the separator
    convention the file has shown so far ("vi", "en" or "": see ``separator_style``).

    - "1,234" (one comma, three digits): ambiguous — Vietnamese decimal comma or English thousands — unless the
      file writes Vietnamese numbers and the unit allows decimals (nghìn, triệu, tỷ); always in đồng (whole);
    - "1.234" (one dot, three digits): Vietnamese thousands, the rule of official documents; ambiguous only in a
      file that writes English numbers (where it would be a decimal dot);
    - more decimals than whole đồng allow ("1,5" đồng, "1,2345678" triệu): a fraction of a đồng.
    Numbers (int, float, Decimal) and unparseable text (``parse_amount`` reports it) give None.
    """
    if not isinstance(value, str) or unit is None:
        return None
    text = value.strip()
    if not text or text.isdigit():
        return None
    m = _TRAILING_UNIT.match(text)
    if m:
        unit = unit_in(m.group(2)) or unit
        text = m.group(1).strip()
    bare = _bare(text)
    single = _SINGLE_GROUP.match(bare)
    if single:
        comma = single.group(1) == ","
        if (comma and (unit == DONG or style != "vi")) or (not comma and style == "en"):
            return AmountDoubt("ambiguous", (Decimal(bare.replace(single.group(1), "")),
                                             Decimal(bare.replace(single.group(1), "."))), unit)
    try:
        number = parse_number(text)
    except ValueError:
        return None
    if number is None:
        return None
    if number.as_tuple().exponent < -DECIMALS.get(unit, 0) and number * unit != (number * unit).to_integral_value():
        return AmountDoubt("fraction", (number,), unit)
    return None


def separator_style(value) -> str:
    """"vi" (dot thousands, comma decimals), "en" (comma thousands, dot decimals) or "" (no evidence) of a text
    number. "1,234"/"1.234" (one separator, three digits) and "7810657.0" say nothing."""
    if not isinstance(value, str):
        return ""
    text = value.strip()
    m = _TRAILING_UNIT.match(text)
    text = _bare(m.group(1) if m else text)
    dot, comma = "." in text, "," in text
    if not (dot or comma) or _SINGLE_GROUP.match(text) or _FLOAT_INTEGER.match(text):
        return ""
    if dot and comma:
        return "vi" if text.rfind(",") > text.rfind(".") else "en"
    if dot:
        return "vi" if _DOT_GROUPS.match(text) else "en"
    return "en" if _COMMA_GROUPS.match(text) else "vi"


class SeparatorStyles:
    """The separator convention of a file, from its first text amount that shows one: ``see(row, value)``
    returns (row, value) of that first amount when ``value`` follows the other convention, else None."""

    def __init__(self) -> None:
        self.first: tuple[str, int, str] | None = None

    def see(self, row: int, value) -> tuple[int, str] | None:
        style = separator_style(value)
        if not style:
            return None
        if self.first is None:
            self.first = (style, row, value)
            return None
        return None if style == self.first[0] else (self.first[1], self.first[2])

    @property
    def style(self) -> str:
        return self.first[0] if self.first else ""
