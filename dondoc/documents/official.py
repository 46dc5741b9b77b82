"""Word (.docx) official documents in the Decree 30/2020/NĐ-CP format. Takes a dataclass, returns bytes.

A4 portrait; margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman; the two-column header
(parent and issuing body | national title and motto), number and place-date lines, the document type and its
summary, a justified 14 pt body with a 1.27 cm first-line indent, "Nơi nhận" and the signer block; page
numbers centred in the top margin from page 2. The result is an ordinary Word file a clerk can edit.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .model import OfficialDocument, Section, Table

FONT = "Times New Roman"
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
BODY_PT = 14


def _font(run, size: float, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para(container, text: str = "", size: float = BODY_PT, *, bold=False, italic=False,
          align=WD_ALIGN_PARAGRAPH.CENTER, after: float = 0, before: float = 0, indent: float | None = None):
    p = container.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after, fmt.space_before = Pt(after), Pt(before)
    if indent is not None:
        fmt.first_line_indent = Cm(indent)
    if text:
        _font(p.add_run(text), size, bold, italic)
    return p


def _rule_below(container, inset_cm: float) -> None:
    """A short horizontal rule under a header line (the bottom border of an indented, tiny empty paragraph)."""
    paragraph = _para(container, "", 2)
    fmt = paragraph.paragraph_format
    fmt.left_indent, fmt.right_indent = Cm(inset_cm), Cm(inset_cm)
    ppr = paragraph._element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _no_borders(table) -> None:
    tbl_pr = table._element.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _set_widths(table, widths_cm) -> None:
    """Fixed column widths that both Word and LibreOffice honour (grid columns and every cell)."""
    table.autofit = False
    tbl_pr = table._element.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for col, w in zip(table._element.tblGrid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(int(Cm(w).twips)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(w)


def _cell(table, row: int, col: int):
    cell = table.cell(row, col)
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    return cell


def _page_number_header(section) -> None:
    section.different_first_page_header_footer = True  # no number on page 1
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    _font(run, 13)
    for tag, attr in (("w:fldChar", {"w:fldCharType": "begin"}), ("w:instrText", None),
                      ("w:fldChar", {"w:fldCharType": "end"})):
        el = OxmlElement(tag)
        if attr:
            for k, v in attr.items():
                el.set(qn(k), v)
        else:
            el.set(qn("xml:space"), "preserve")
            el.text = "PAGE"
        run._element.append(el)


def _header(doc, d: OfficialDocument) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _set_widths(table, (7.0, 9.5))
    left, right = _cell(table, 0, 0), _cell(table, 0, 1)
    _para(left, d.parent_body.upper(), 12)
    _para(left, d.issuing_body.upper(), 13, bold=True)
    _rule_below(left, 2.0)
    _para(left, d.number_line, 13, before=6)
    _para(right, NATIONAL_TITLE, 12, bold=True)
    _para(right, MOTTO, 14, bold=True)
    _rule_below(right, 2.3)
    _para(right, d.date_line, 14, italic=True, before=6)


def _table(doc, t: Table) -> None:
    table = doc.add_table(rows=1 + len(t.rows), cols=len(t.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if t.widths_cm:
        _set_widths(table, t.widths_cm)
    rows = table.rows  # table.cell(r, c) rebuilds the grid on every call: walk the rows once instead
    for cell, text in zip(rows[0].cells, t.headers, strict=True):
        _font(cell.paragraphs[0].add_run(text), 12, bold=True)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for r, (row, values) in enumerate(zip(rows[1:], t.rows, strict=True)):
        for c, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if c in t.numeric else WD_ALIGN_PARAGRAPH.LEFT
            _font(p.add_run(str(text)), 12, bold=r in t.bold_rows)
    _para(doc, "", 6)


def _body_para(doc, text: str, *, bold=False):
    p = _para(doc, text, BODY_PT, bold=bold, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6, indent=1.27)
    p.paragraph_format.line_spacing = 1.15
    return p


def _section(doc, s: Section, label: str) -> None:
    _body_para(doc, f"{label}. {s.title}", bold=True)
    if s.tables_first:
        for t in s.tables:
            _table(doc, t)
    for text in s.paragraphs:
        _body_para(doc, text)
    if not s.tables_first:
        for t in s.tables:
            _table(doc, t)
    for i, child in enumerate(s.children, start=1):
        _section(doc, child, str(i))


def _closing(doc, d: OfficialDocument) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _set_widths(table, (8.0, 8.5))
    left, right = _cell(table, 0, 0), _cell(table, 0, 1)
    _para(left, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    items = d.recipients or ["Lưu: VT."]
    for i, item in enumerate(items):
        text = item.rstrip(";.")
        end = "." if i == len(items) - 1 else ";"
        _para(left, f"- {text}{end}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    if d.signer_authority:
        _para(right, d.signer_authority.upper(), 14, bold=True)
    if d.signer_title:
        _para(right, d.signer_title.upper(), 14, bold=True)
    for _ in range(4):
        _para(right, "", 14)
    _para(right, d.signer_name, 14, bold=True)


def build_docx(d: OfficialDocument) -> bytes:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    normal.element.get_or_add_rPr()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(2.0), Cm(2.0)
    sec.left_margin, sec.right_margin = Cm(3.0), Cm(1.5)
    sec.header_distance = Cm(1.0)
    _page_number_header(sec)
    _header(doc, d)
    _para(doc, d.type_title.upper(), 14, bold=True, before=12)
    _para(doc, d.summary, 14, bold=True, after=12)
    if d.addressee:
        _para(doc, d.addressee, 14, after=12)
    for text in d.opening:
        _body_para(doc, text)
    for i, s in enumerate(d.sections):
        top = Section(s.title.upper(), s.paragraphs, s.tables, s.children, s.tables_first)  # Roman headings upper
        _section(doc, top, ROMAN[i] if i < len(ROMAN) else str(i + 1))
    _closing(doc, d)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
