"""Read a program document (.txt, .docx, .html, text .pdf, .doc through a converter) into clean lines.

``read_file`` returns Unicode text (legacy encodings converted); ``clean_lines`` normalises it (NFC,
new-style tone placement, spaces) and drops web boilerplate and page numbers. Pure Python; python-docx
and pypdf are imported only when such a file is read. Outside programs (LibreOffice for .doc, poppler's
pdftotext) are never started here: the adapter passes them in as ``Converters``
(``dondoc.documents.convert``); without them .doc files are refused and PDFs are read with pypdf.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .bounds import Budget, LimitExceeded, Limits, check_docx
from .legacy_encodings import decode_bytes, to_unicode
from .text import fold, fold_tone, nfc


class ParseError(ValueError):
    """The document cannot be read or holds no text. The message is one line; ``code`` names the common cases
    ("not_docx", "not_pdf", "not_doc", "empty") so that an adapter can say them in the user's language."""

    def __init__(self, message: str, code: str = ""):
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class Converters:
    """Conversions through outside programs. Each raises an exception with a one-line message on failure."""

    office_to_docx: Callable[[Path], bytes] | None = None  # .doc/.odt/.rtf -> .docx bytes
    pdf_pages: Callable[[Path], list[str] | None] | None = None  # a PDF's page texts; None: not available


NO_CONVERTERS = Converters()


# --- Text normalisation ------------------------------------------------------------------------------
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BOILERPLATE = {
    fold(s)
    for s in (
        "Hệ thống pháp luật",
        "Đang tải nội dung, vui lòng chờ giây lát...",
        "Đang tải văn bản...",
        "Văn bản pháp luật",
        "Tải văn bản",
        "Mục lục văn bản",
        "In văn bản",
        "Lưu trữ",
        "Ghi chú",
    )
}
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?\d{1,3}(?:\s*-)?$|^trang\s+\d+(?:\s*/\s*\d+)?$", re.IGNORECASE)


def normalise(text: str) -> str:
    """Unicode NFC, legacy encodings converted, new-style tones, one space, '\\n' line ends."""
    text = to_unicode(nfc(text.replace("\r\n", "\n").replace("\r", "\n")))
    text = _INVISIBLE.sub("", fold_tone(text))
    return _SPACES.sub(" ", text)


def clean_lines(text: str) -> list[str]:
    """Non-empty, stripped lines without web boilerplate or page numbers."""
    lines = []
    for raw in normalise(text).split("\n"):
        line = raw.strip()
        if not line or _PAGE_NUMBER.match(line) or (len(line) < 60 and fold(line) in _BOILERPLATE):
            continue
        lines.append(line)
    return lines


# --- Files -------------------------------------------------------------------------------------------
def read_file(path: str | Path, converters: Converters = NO_CONVERTERS, limits: Limits | None = None) -> str:
    """The text of a document file. Raises ParseError when it cannot be read or is empty, LimitExceeded beyond
    ``limits`` (inflated size and paragraphs of a .docx, text size, time)."""
    path = Path(path)
    limits = limits or Limits()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not data.strip():
        raise ParseError(f"empty document: {path.name}", "empty")
    kind = _kind(path, data[:2048])
    budget = Budget(limits.seconds)
    try:
        if kind == "pdf":
            text = _pdf_text(path, converters)
        elif kind == "docx":
            text = _docx_text(path, limits, budget)
        elif kind == "office":
            text = _office_text(path, converters, limits, budget)
        elif kind == "html":
            text = _html_text(data)
        else:
            text = decode_bytes(data)
    except (ParseError, LimitExceeded):
        raise
    except Exception as exc:  # a damaged file: report it on one line
        code = "not_docx" if kind == "docx" else "not_pdf" if kind == "pdf" else ""
        raise ParseError(f"cannot read {path.name}: {type(exc).__name__}: {exc}".splitlines()[0], code) from exc
    if len(text) > limits.text_bytes:
        raise LimitExceeded("text_bytes", limits.text_bytes, len(text))
    budget.check()
    if not text.strip():
        raise ParseError(f"empty document: {path.name}", "empty")
    return text


def read_lines(path: str | Path, converters: Converters = NO_CONVERTERS, limits: Limits | None = None) -> list[str]:
    """``clean_lines`` of ``read_file``, at most ``limits.paragraphs`` of them (LimitExceeded beyond)."""
    limits = limits or Limits()
    lines = clean_lines(read_file(path, converters, limits))
    if len(lines) > limits.paragraphs:
        raise LimitExceeded("paragraphs", limits.paragraphs, len(lines))
    return lines


_OLE = b"\xd0\xcf\x11\xe0"


def _kind(path: Path, head: bytes) -> str:
    """What the file is by its first bytes; a name that promises another format than the bytes hold is refused
    (random bytes named .docx or .pdf would otherwise be read as text and give nothing)."""
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF"):
        return "pdf"
    if suffix == ".pdf":
        raise ParseError(f"{path.name} is not a PDF file", "not_pdf")
    if head.startswith(b"PK"):
        return "docx" if suffix != ".odt" else "office"
    if suffix == ".docx":
        raise ParseError(f"{path.name} is not a .docx document", "not_docx")
    if head.startswith(_OLE) or head.startswith(b"{\\rtf"):
        return "office"
    if suffix in (".doc", ".rtf", ".odt"):
        if suffix == ".doc" and re.search(rb"<(?:!doctype html|html)\b", head, re.IGNORECASE):
            return "html"  # Word's "web page" saved as .doc
        raise ParseError(f"{path.name} is not a {suffix} document", "not_doc")
    if suffix in (".html", ".htm") or re.search(rb"<(?:!doctype html|html|body|div|p)\b", head, re.IGNORECASE):
        return "html"
    return "txt"


# --- .docx -------------------------------------------------------------------------------------------
def _docx_text(source: Path | bytes, limits: Limits | None = None, budget: Budget | None = None) -> str:
    import docx  # python-docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    limits = limits or Limits()
    budget = budget or Budget(limits.seconds)
    check_docx(io.BytesIO(source) if isinstance(source, bytes) else str(source), limits)  # before lxml loads it
    document = docx.Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    numbering = _Numbering(document)
    lines: list[str] = []

    def paragraph(p) -> None:
        if not len(lines) % 256:
            budget.check()
        text = Paragraph(p, document).text
        lines.append(numbering.prefix(p) + text)

    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph(child)
        elif child.tag == qn("w:tbl"):
            # Each cell in reading order; a merged cell is one w:tc, so nothing is repeated.
            for p in child.iter(qn("w:p")):
                paragraph(p)
    return "\n".join(lines)


_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


class _Numbering:
    """Renders Word's automatic list numbers ("1.", "a)", bullets) that python-docx leaves out."""

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> (fmt, text, start)
        self.counters: dict[str, dict[int, int]] = {}
        self.styles: dict[str, tuple[str | None, str | None]] = {}  # styleId -> (numId, ilvl) of list styles
        try:
            for style in document.styles.element.findall(qn("w:style")):
                num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
                if num_pr is not None:
                    self.styles[style.get(qn("w:styleId"))] = self._ids(num_pr)
        except (KeyError, NotImplementedError, AttributeError):
            pass  # no list styles (python-docx raises these for a missing part): paragraphs' own numbering only
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return  # a document without automatic numbering: items carry their numbers in the text
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in an.findall(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                levels[int(lvl.get(qn("w:ilvl")))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "",
                    int(start.get(qn("w:val"))) if start is not None else 1,
                )
            abstract[an.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self.levels[num.get(qn("w:numId"))] = abstract.get(ref.get(qn("w:val")), {})

    def _ids(self, num_pr) -> tuple[str | None, str | None]:
        qn = self.qn
        num_id, ilvl = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
        return (num_id.get(qn("w:val")) if num_id is not None else None,
                ilvl.get(qn("w:val")) if ilvl is not None else None)

    def prefix(self, p) -> str:
        """The rendered list label of paragraph ``p`` ("1. ", "a) ", "- "), or ""."""
        qn = self.qn
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        num_id, ilvl_s = self.styles.get(style.get(qn("w:val")) if style is not None else "", (None, None))
        num_pr = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is not None:
            own_id, own_ilvl = self._ids(num_pr)
            num_id, ilvl_s = own_id or num_id, own_ilvl or ilvl_s
        if num_id is None or num_id == "0":
            return ""
        ilvl = int(ilvl_s or 0)
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        fmt, text, _ = levels[ilvl]
        if fmt == "bullet":
            return "- "
        if fmt == "none":
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def render(m: re.Match[str]) -> str:
            level = int(m.group(1)) - 1
            lfmt = levels.get(level, ("decimal", "", 1))[0]
            n = counters.get(level, levels.get(level, ("", "", 1))[2])
            if lfmt == "lowerLetter":
                return chr(ord("a") + (n - 1) % 26)
            if lfmt == "upperLetter":
                return chr(ord("A") + (n - 1) % 26)
            if lfmt in ("upperRoman", "lowerRoman"):
                return _roman(n) if lfmt == "upperRoman" else _roman(n).lower()
            return str(n)

        return re.sub(r"%(\d)", render, text) + " "


# --- converters (outside programs, passed in) ---------------------------------------------------------
def _convert(convert: Callable, path: Path):
    """``convert(path)``; its failure becomes a ParseError naming the file (a limit stays LimitExceeded)."""
    try:
        return convert(path)
    except LimitExceeded:
        raise
    except Exception as exc:  # a missing or failing program: one line
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ParseError(f"cannot read {path.name}: {reason}") from exc


# --- .doc / .odt / .rtf through a converter to .docx --------------------------------------------------
def _office_text(path: Path, converters: Converters, limits: Limits, budget: Budget) -> str:
    if converters.office_to_docx is None:
        raise ParseError(f"cannot read {path.name}: no converter for {path.suffix or 'this'} files here; "
                         "save the file as .docx")
    return _docx_text(_convert(converters.office_to_docx, path), limits, budget)


# --- .html -------------------------------------------------------------------------------------------
_BLOCK_TAGS = {"p", "div", "br", "tr", "td", "th", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
               "section", "article", "header", "footer", "blockquote", "pre", "hr", "title"}
_SKIP_TAGS = {"script", "style", "noscript", "head", "template", "svg"}


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def _html_text(data: bytes) -> str:
    charset = re.search(rb"charset=[\"']?([\w-]+)", data[:4096], re.IGNORECASE)
    text = None
    if charset:
        try:
            text = data.decode(charset.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text = decode_bytes(data)
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    return to_unicode("".join(parser.parts))


# --- .pdf --------------------------------------------------------------------------------------------
_SCANNED = "no text layer: scanned PDF, OCR needed"


def _pdf_pages(path: Path, converters: Converters) -> list[str]:
    """The converter's pages (pdftotext) when it has them, else pypdf's."""
    pages = _convert(converters.pdf_pages, path) if converters.pdf_pages else None
    if pages is not None:
        return pages
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def _pdf_text(path: Path, converters: Converters = NO_CONVERTERS) -> str:
    pages = _pdf_pages(path, converters)
    if sum(len(p.strip()) for p in pages) < 20:
        raise ParseError(_SCANNED)
    return join_pdf_lines(pages)


_MARKER = re.compile(
    r"^(?:[IVX]{1,5}\.|\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\)|[-–—+•*]|Số\s*:|Nơi nhận|Căn cứ|Kính gửi|TM\.|KT\.)"
)


def _upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def join_pdf_lines(pages: list[str]) -> str:
    """Drop running headers and page numbers, and re-join paragraphs that the PDF wrapped into lines.

    A line continues the previous one unless it starts with a structure marker ("1.", "a)", "-", …) or
    changes case (an upper-case heading). The previous line must look wrapped: nearly full, or fairly
    long without a closing punctuation mark.
    """
    page_lines = [[ln.strip() for ln in normalise(p).split("\n")] for p in pages]
    # A line that starts or ends two or more pages (digits ignored) is a running header or footer.
    edges: dict[str, int] = {}
    for lines in page_lines:
        body = [ln for ln in lines if ln and not _PAGE_NUMBER.match(ln)]
        for ln in {body[0], body[-1]} if body else ():
            key = re.sub(r"\d+", "#", ln)
            edges[key] = edges.get(key, 0) + 1
    running = {k for k, n in edges.items() if n >= 2}
    lines: list[str] = []
    for page in page_lines:
        kept = [ln for ln in page if not (ln and (re.sub(r"\d+", "#", ln) in running or _PAGE_NUMBER.match(ln)))]
        while kept and not kept[-1]:
            kept.pop()
        lines += kept[next((i for i, ln in enumerate(kept) if ln), len(kept)):]  # no blank at page edges
    lengths = sorted(len(ln) for ln in lines if ln)
    if not lengths:
        return ""
    full = lengths[int(len(lengths) * 0.9)]  # a full line's length
    out: list[str] = []
    for ln in lines:
        prev = out[-1] if out else ""
        wrapped = len(prev) >= 0.9 * full or (
            len(prev) >= 0.6 * full and not prev.endswith((".", ":", ";", "!", "?")))
        if ln and prev and wrapped and not _MARKER.match(ln) and _upper(ln) == _upper(prev):
            out[-1] = prev + ln if prev.endswith("-") and prev[-2:-1].isalnum() else prev + " " + ln
        elif ln or (out and out[-1]):
            out.append(ln)
    return "\n".join(out)
