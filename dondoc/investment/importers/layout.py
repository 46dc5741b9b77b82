"""The layout of plan and disbursement tables as people make them, found in the first rows of a ``Table``.

- ``find_layout(rows)``: the title block (unit note "Đơn vị: triệu đồng", year "năm 2020", date "đến ngày
  30/9/2020"), the header on any row, a second header row under merged cells ("Tổng số", "NSTW", "NSĐP",
  "Trong đó: vốn kéo dài"), an optional column-numbering row; columns matched by Vietnamese synonyms, case- and
  accent-insensitively; the unit of each amount column (its header, else the note, else ``--unit``).
- ``skip_row``: Roman-numeral group rows, subtotal and "Tổng cộng" rows, empty rows.
The file itself is read by ``dondoc.importers.tables`` (streaming: 1M-row files).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from dondoc.domain import vn_dates, vn_numbers
from dondoc.domain.text import search_key
from dondoc.importers.tables import TableError
from dondoc.importers.tables import cell_text as _text

HEADER_SCAN = 40


# Header synonyms ---------------------------------------------------------------------------------------------
# Folded (search_key) prefixes; the first field whose prefix a header starts with wins, so order matters.
FIELD_PREFIXES: list[tuple[str, tuple[str, ...]]] = [
    ("code", ("ma du an", "ma da", "ma so du an", "ma so da", "ma so", "ma dt", "ma cong trinh")),
    ("stt", ("stt", "tt", "so tt", "so thu tu")),
    ("name", ("ten du an", "danh muc du an", "danh muc cong trinh", "ten cong trinh", "danh muc", "ten da")),
    ("investor", ("chu dau tu", "don vi chu dau tu", "ten chu dau tu")),
    ("source", ("nguon von",)),
    ("capital", ("loai von",)),
    ("docno", ("so chung tu", "so ct", "so hieu chung tu", "chung tu so", "so lenh chi")),
    ("date", ("ngay thanh toan", "ngay chung tu", "ngay giai ngan", "ngay hach toan", "ngay chi", "ngay")),
    ("group", ("nhom du an", "nhom da", "nhom")),
    ("district", ("dia diem xay dung", "dia diem", "dia ban", "huyen")),
    ("total_investment", ("tong muc dau tu", "tmdt")),
    ("leader", ("lanh dao phu trach", "lanh dao theo doi", "lanh dao chiu trach nhiem", "lanh dao")),
    ("rate", ("ty le",)),
    ("note", ("ghi chu",)),
    ("disbursed", ("luy ke giai ngan", "luy ke thanh toan", "giai ngan", "so von da thanh toan", "gia tri giai ngan",
                   "gia tri thanh toan", "da giai ngan", "so tien", "so von giai ngan", "thanh toan", "so da giai ngan",
                   "luy ke")),
    ("extended", ("von keo dai", "ke hoach von keo dai", "kh von keo dai", "von cac nam truoc keo dai")),
    ("plan", ("ke hoach von", "kh von", "ke hoach nam", "kh nam", "ke hoach dau tu", "ke hoach", "kh ")),
]
EXACT_ONLY = {"stt", "date"}  # "Ngày" alone; "STT"/"TT" alone (not "TT Sa Pa")
AMOUNT_ROLES = ("plan", "extended", "disbursed")
SOURCE_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("CTMTQG", ("ctmtqg", "chuong trinh muc tieu quoc gia", "ct mtqg", "mtqg")),
    ("ODA", ("oda", "von nuoc ngoai", "von vay nuoc ngoai")),
    ("NSTW", ("nstw", "ngan sach trung uong", "ns trung uong", "von trung uong", "ngan sach tw", "ns tw")),
    ("NSDP", ("nsdp", "ngan sach dia phuong", "ngan sach tinh", "ns dia phuong", "nst", "ngan sach huyen",
              "ns tinh", "von dia phuong", "can doi ngan sach dia phuong")),
    ("KHAC", ("von khac", "nguon khac", "khac")),
]
TOTAL_WORDS = ("tong so", "tong cong", "tong", "cong", "tong von")
_YEAR = re.compile(r"\bnam\s+(20\d\d)\b")
_YEARS = re.compile(r"\b(20\d\d)\b")
_AS_OF_TEXT = re.compile(r"(?:den\s+(?:het\s+)?ngay|tinh\s+den|luy\s+ke\s+den|den)\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})"
                         r"\s*[/.-]\s*(\d{4})")
_ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_NUMBERING = re.compile(r"^\(?\s*(\d{1,2}|[a-z])\s*\)?$|^\(?\s*\d{1,2}\s*[=+\-x*/].*$")
_TOTAL_ROW = re.compile(r"^(tong cong|tong so|tong|cong|trong do|cong \S+|tong \S+)\b")


def classify_header(text: str) -> str | None:
    key = search_key(str(text)).replace("\n", " ").strip(" :*")
    if not key:
        return None
    for name, prefixes in FIELD_PREFIXES:
        for p in prefixes:
            exact = name == "stt" or (name == "date" and p == "ngay")
            if key == p if exact else key.startswith(p):
                return name
    return None


def source_in(text: str) -> str | None:
    """NSTW/NSDP/ODA/CTMTQG/KHAC named in a header or a "Nguồn vốn" cell, or None."""
    key = " " + re.sub(r"[^a-z0-9]+", " ", search_key(str(text))) + " "
    for code, words in SOURCE_WORDS:
        if any(f" {w} " in key for w in words):
            return code
    return None


@dataclass
class AmountColumn:
    index: int
    role: str  # plan | extended | disbursed
    part: str  # total | source | of_extended
    label: str
    unit: int | None = None
    source: str | None = None
    includes_extended: bool = False  # "Kế hoạch năm 2020 (bao gồm vốn kéo dài)"
    years: tuple[int, ...] = ()


@dataclass
class Layout:
    header_row: int  # row number of the (first) header row
    data_after: int  # data starts after this row number
    fields: dict[str, int] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)  # column index -> header as written
    amounts: list[AmountColumn] = field(default_factory=list)
    note_unit: int | None = None
    year: int | None = None
    date: dt.date | None = None

    def label(self, key: str | int) -> str:
        index = self.fields.get(key) if isinstance(key, str) else key
        return self.labels.get(index, str(key)) if index is not None else str(key)

    def columns(self, role: str) -> list[AmountColumn]:
        return [c for c in self.amounts if c.role == role]


def _date_in(key: str) -> dt.date | None:
    """The date of "đến ngày 30/9/2020", "tính đến 30/09/2020" (not of "Quyết định … ngày 15/01/2020")."""
    m = _AS_OF_TEXT.search(key)
    return vn_dates.optional_date(f"{m.group(1)}/{m.group(2)}/{m.group(3)}") if m else None


def _part_of(sub: str) -> tuple[str, str | None]:
    key = search_key(sub)
    if "keo dai" in key:
        return "of_extended", None
    src = source_in(sub)
    if src and not key.startswith(TOTAL_WORDS[:2]):
        return "source", src
    if key.startswith(TOTAL_WORDS) or not key:
        return "total", None
    return "other", None


def _is_subheader(cells: list[str]) -> bool:
    keys = [search_key(c) for c in cells if c]
    if not keys:
        return False
    hits = sum(1 for k in keys if k.startswith(TOTAL_WORDS) or "keo dai" in k or "trong do" in k or source_in(k))
    return hits >= 1 and hits >= len(keys) / 2


def _is_numbering(cells: list[str]) -> bool:
    values = [search_key(c) for c in cells if c]
    return len(values) >= 3 and all(len(v) <= 12 and _NUMBERING.match(v) for v in values)


def find_layout(rows: Iterator[tuple[int, list]], required: set[str], unit_option: int | None = None
                ) -> tuple[Layout, list[tuple[int, list]]]:
    """Read rows until the header is found; return the layout and the rows read past it (to be processed)."""
    seen: list[tuple[int, list[str]]] = []
    note_unit = None
    year = None
    date = None
    header_at = None
    for number, cells in rows:
        texts = [_text(c) for c in cells]
        seen.append((number, texts))
        if header_at is None:
            found = {classify_header(t) for t in texts if t}
            if "code" in found and len(found & (required | {"name", "disbursed", "plan"})) >= 2:
                header_at = len(seen) - 1
                continue
            for t in texts:
                if not t:
                    continue
                key = search_key(t)
                note_unit = note_unit or vn_numbers.unit_note(t)
                m = _YEAR.search(key)
                if m and (year is None or "ke hoach" in key or "giai ngan" in key) and "quyet dinh" not in key:
                    year = int(m.group(1))
                date = date or _date_in(key)
            if len(seen) > HEADER_SCAN:
                break
        elif len(seen) - header_at > 3:
            break
    if header_at is None:
        raise TableError("no header row with a project code column (\"Mã dự án\")")
    header_number, top = seen[header_at]
    after = seen[header_at + 1:]
    sub: list[str] = []
    consumed = 0
    if after and _is_subheader(after[0][1]):
        sub = after[0][1]
        consumed = 1
    if len(after) > consumed and _is_numbering(after[consumed][1]):
        consumed += 1
    for _n, texts in after[consumed:]:  # a unit note right under the header, before the data
        for t in texts:
            if t and not note_unit and search_key(t).startswith(("don vi", "dvt")):
                note_unit = vn_numbers.unit_note(t)
    data_after = after[consumed - 1][0] if consumed else header_number
    layout = Layout(header_number, data_after, note_unit=note_unit, year=year, date=date)
    width = max(len(top), len(sub))
    top = top + [""] * (width - len(top))
    sub = sub + [""] * (width - len(sub))
    parent = ""
    for j in range(width):
        if top[j]:
            parent = top[j]
        elif not sub[j]:
            parent = ""
        head = top[j] or (parent if sub[j] else "")
        if not head:
            continue
        label = f"{head} — {sub[j]}" if sub[j] else head
        layout.labels[j] = label
        name = classify_header(head)
        key = search_key(head)
        if name is None and key.startswith("trong do") and "keo dai" in key and layout.amounts:
            prev = layout.amounts[-1]  # "Kế hoạch vốn | Trong đó: vốn kéo dài" side by side, one header row
            layout.amounts.append(AmountColumn(j, prev.role, "of_extended", label,
                                               vn_numbers.unit_of_header(head) or prev.unit))
            continue
        if name is None:
            continue
        if name in ("plan", "disbursed") and "keo dai" in key and "bao gom" not in key and "trong do" not in key:
            name = "extended" if name == "plan" else name
        if name in AMOUNT_ROLES:
            part, src = _part_of(sub[j]) if sub[j] else ("total", None)
            if not sub[j] and (s := source_in(head)) and not key.startswith("tong"):
                part, src = "source", s
            if name == "disbursed" and "keo dai" in key and part == "total":
                part = "of_extended"  # "Giải ngân vốn kéo dài"
            if part == "other":
                continue
            unit = vn_numbers.unit_of_header(head) or vn_numbers.unit_of_header(sub[j]) or note_unit or unit_option
            years = tuple(int(y) for y in _YEARS.findall(key))
            layout.amounts.append(AmountColumn(j, name, part, label, unit, src,
                                               "bao gom" in key and "keo dai" in key, years))
            if name == "disbursed" and layout.date is None:
                layout.date = _date_in(key)
            if name == "plan" and part != "of_extended" and (m := _YEAR.search(key)) and "keo dai" not in key:
                layout.year = int(m.group(1))
        elif name not in layout.fields:
            layout.fields[name] = j
    rest = [(n, t) for n, t in after[consumed:]]
    return layout, rest


def is_roman(text: str) -> bool:
    key = search_key(text).rstrip(".").strip()
    return bool(key) and bool(_ROMAN.match(key))


def skip_row(cells: list, layout: Layout) -> str | None:
    """Why a row is not a data row ("empty", "group", "total"), or None for a data row candidate."""
    stt_i = layout.fields.get("stt")
    code_i = layout.fields.get("code")
    code = _text(cells[code_i]) if code_i is not None and code_i < len(cells) else ""
    if not any(_text(c) for c in cells):
        return "empty"
    stt = _text(cells[stt_i]) if stt_i is not None and stt_i < len(cells) else ""
    name_i = layout.fields.get("name")
    name = _text(cells[name_i]) if name_i is not None and name_i < len(cells) else ""
    first_text = next((_text(c) for c in cells if isinstance(c, str) and _text(c)), "")
    label = search_key(name or first_text)
    if _TOTAL_ROW.match(label) and not code:
        return "total"
    if stt and (is_roman(stt) or (len(stt.rstrip(".")) == 1 and stt.rstrip(".").isalpha())):
        return "group"
    if not code:
        head = label.split(" ", 1)[0].rstrip(".") if label else ""
        if head and is_roman(head) and label.split(" ", 1)[0].endswith("."):
            return "group"
        if not (stt and stt.replace(".", "").isdigit()) and "date" not in layout.fields:
            return "group"  # an untitled group row: no number, no code
    return None
