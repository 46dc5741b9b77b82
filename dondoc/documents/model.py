"""What an official document says, independent of its file format (Decree 30/2020/NĐ-CP, Annex I)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dondoc.domain.formats import format_date_long


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    widths_cm: list[float] | None = None  # None: equal widths
    numeric: set[int] = field(default_factory=set)  # column indexes aligned right
    bold_rows: set[int] = field(default_factory=set)  # e.g. totals


@dataclass
class Section:
    """A numbered section of the body: a heading, paragraphs, tables and sub-sections."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    tables_first: bool = False  # a summary table before the paragraphs that comment it


@dataclass
class OfficialDocument:
    parent_body: str  # "ỦY BAN NHÂN DÂN TỈNH LÀO CAI"
    issuing_body: str  # "SỞ KẾ HOẠCH VÀ ĐẦU TƯ"
    type_code: str  # "BC", "TTr", "KH" … ("" for a công văn)
    issuer_abbreviation: str  # "SKHĐT"
    number: int | None  # None: a draft, the clerk fills it in
    place: str  # "Lào Cai"
    date: dt.date
    type_title: str  # "BÁO CÁO", "TỜ TRÌNH"
    summary: str  # the trích yếu line
    sections: list[Section]
    recipients: list[str]  # "Nơi nhận" items, the last one "Lưu: VT, …"
    signer_authority: str = ""  # "KT. GIÁM ĐỐC"
    signer_title: str = ""  # "PHÓ GIÁM ĐỐC"
    signer_name: str = ""
    opening: list[str] = field(default_factory=list)  # paragraphs before the first section
    addressee: str = ""  # "Kính gửi: Ủy ban nhân dân tỉnh Lào Cai" (Tờ trình)

    @property
    def number_line(self) -> str:
        """ "Số: 15/BC-SKHĐT" (leading zero under 10); a draft leaves room for the number."""
        num = f"{self.number:02d}" if self.number is not None else "      "
        if self.type_code:
            return f"Số: {num}/{self.type_code}-{self.issuer_abbreviation}"
        return f"Số: {num}/{self.issuer_abbreviation}"

    @property
    def date_line(self) -> str:
        """ "Lào Cai, ngày 05 tháng 10 năm 2020": leading zeros for days under 10 and months 1–2."""
        return f"{self.place}, {format_date_long(self.date)}"
