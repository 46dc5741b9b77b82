"""Program documents -> task register data. Pure Python (no Django).

``parse_file(path, registry)`` / ``parse_text(text, registry)`` return the JSON-ready structure of the
``dondoc program parse FILE --json`` contract::

    {"document": {"number", "type", "issuer", "place", "date", "title", "signer"},
     "reporting": [{"every", "before_day", "to", "literal"}],
     "tasks": [{"part", "section", "item", "lead", "partners", "text", "due", "recurrence",
                "time_limit", "targets"}]}

Structure: Roman parts ("II. NHIỆM VỤ, GIẢI PHÁP"), numbered headings ("1.", "1.5."), lettered items
("a)", "đ)"), bullets ("-", "+"). Tasks come from the parts about tasks ("nhiệm vụ", "giải pháp",
"nội dung"); the parts about aims and principles are skipped, and reporting rules are read from the
others ("TỔ CHỨC THỰC HIỆN"). A document without Roman parts is read as prose directives: each paragraph
that names a lead ("Giao Sở X chủ trì …") is a task. A task's ``text`` is its source clause.

``document.issuer`` is the registry code of the issuing body when the registry knows it ("UBND"), else
its name as written; ``title`` is the type line and the summary as written ("CHƯƠNG TRÌNH HÀNH ĐỘNG …");
``signer`` is the signer's name. Dates are ISO strings.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .agencies import Registry
from .bounds import Limits
from .program_actors import ActorScanner
from .program_dates import clauses, extract_schedule, find_recurrence
from .program_reader import NO_CONVERTERS, Converters, ParseError, clean_lines, read_lines
from .text import fold

__all__ = ["Converters", "ParseError", "parse_file", "parse_text", "scanner_for"]

_F = re.IGNORECASE
_PART = re.compile(r"^(?:(?:PHẦN|Phần)\s+)?(?P<n>[IVX]{1,5})\.\s+(?P<t>\S.*)$")
_NUMBERED = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2})+)\.?\s+(?P<t>\S.*)$|^(?P<n1>\d{1,2})[.)]\s+(?P<t1>\S.*)$")
_LETTER = re.compile(r"^(?P<l>[a-zđ])\)\s*(?P<t>\S.*)$")
_BULLET = re.compile(r"^(?P<b>[-–—+•*▪●])\s*(?P<t>\S.*)$")
_END = re.compile(r"^(?:nơi\s+nhận\b|(?:TM|KT|TL|TUQ|Q)\.\s)", _F)
_DOC_END = re.compile(r"\s*\./\.\s*$")
_TASK_PART = ("nhiệm vụ", "giải pháp", "nội dung")
_AIMS_PART = ("mục tiêu", "mục đích", "yêu cầu", "quan điểm", "nguyên tắc", "căn cứ", "kinh phí")
_REPORTING_PART = "tổ chức thực hiện"

# --- header ----------------------------------------------------------------------------------------
_NUMBER = re.compile(r"^số\s*[:.]?\s*(?P<n>\d[\w/\-.]*)", _F)
_PLACE_DATE = re.compile(
    r"^(?P<place>[^\d,]{2,40}),\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})", _F
)
_MOTTO = re.compile(r"^(?:cộng\s+hòa|cộng\s+hoà|độc\s+lập)", _F)
_RULE = re.compile(r"^[-_=–—.*\s]{3,}$")
_TYPES = {
    "chương trình": "CTr", "kế hoạch": "KH", "báo cáo": "BC", "tờ trình": "TTr", "quyết định": "QĐ",
    "chỉ thị": "CT", "thông báo": "TB", "nghị quyết": "NQ", "hướng dẫn": "HD", "công văn": "CV",
}
_TYPE_CODES = {v.lower(): v for v in _TYPES.values()} | {"qd": "QĐ"}
_TITLE_START = re.compile(rf"^(?P<w>{'|'.join(_TYPES)})\b", _F)
_VV = re.compile(r"^(?:v/v|về\s+việc)\b", _F)
_BODY_START = re.compile(r"^(?:căn\s+cứ|thực\s+hiện|kính\s+gửi)\b", _F)


def _is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _is_name(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= 6 and all(w.isalpha() and w[0].isupper() and w[1:].islower() for w in words)


def _parse_header(lines: list[str], registry: Registry) -> tuple[dict, int]:
    """The document header and the index of the first body line (0 when there is no header)."""
    doc: dict = dict.fromkeys(("number", "type", "issuer", "place", "date", "title", "signer"))
    issuer_lines: list[str] = []
    title_lines: list[str] = []
    body = 0
    for i, line in enumerate(lines[:40]):
        if _PART.match(line) or _NUMBERED.match(line) or _BODY_START.match(line):
            break
        if number := _NUMBER.match(line):
            doc["number"] = number.group("n").rstrip(".")
        elif place := _PLACE_DATE.match(line):
            doc["place"] = place.group("place").strip()
            with contextlib.suppress(ValueError):  # an impossible date stays None
                doc["date"] = date(int(place["y"]), int(place["m"]), int(place["d"])).isoformat()
        elif _MOTTO.match(line) or _RULE.match(line):
            pass
        elif not title_lines and (_is_upper(line) and _TITLE_START.match(line) or _VV.match(line)):
            title_lines.append(line)  # "CHƯƠNG TRÌNH", "KẾ HOẠCH …", "V/v …"
        elif title_lines and (_is_upper(line) or _VV.match(line) or title_lines == [lines[i - 1]]
                              and fold(title_lines[0]) in _TYPES):
            title_lines.append(line)  # the summary: upper case, or any one line under a bare type word
        elif not title_lines and _is_upper(line) and body == len(issuer_lines):
            issuer_lines.append(line)  # the leading upper-case lines: parent body, issuing body
        else:
            break
        body = i + 1
    if title_lines:
        doc["title"] = " ".join(title_lines)
        word = _TITLE_START.match(title_lines[0])
        doc["type"] = _TYPES[fold(word.group("w"))] if word else None
    if doc["number"]:  # "07/CTr-UBND" -> CTr; a công văn number ("12/UBND-TH") has no type code
        codes = [_TYPE_CODES[p.lower()] for p in re.split(r"[/\-]", doc["number"])[1:] if p.lower() in _TYPE_CODES]
        doc["type"] = codes[0] if codes else (doc["type"] or "CV")
    # The issuer is the last body of the block ("UBND TỈNH LÀO CAI / SỞ KẾ HOẠCH VÀ ĐẦU TƯ" -> SKHDT).
    for k in reversed(range(len(issuer_lines))):
        code = registry.resolve(" ".join(issuer_lines[k:]))
        if code:
            doc["issuer"] = code
            break
    else:
        doc["issuer"] = " ".join(issuer_lines) or None
    if doc["number"] is None and doc["date"] is None and not title_lines:
        return doc, 0
    return doc, body


# --- structure -------------------------------------------------------------------------------------
@dataclass
class _Item:
    part: str | None
    section: str | None
    item: str
    heading_lead: list[str]
    lettered: bool
    task_part: bool
    reporting_part: bool
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return _DOC_END.sub(".", "\n".join(self.lines)).strip()


def _structure(lines: list[str], scanner: ActorScanner) -> tuple[list[_Item], bool]:
    """Split the body into items. Returns (items, structured) where structured means Roman parts."""
    structured = any(_PART.match(ln) for ln in lines)
    part_titles = [fold(m.group("t")) for ln in lines if (m := _PART.match(ln))]
    has_task_part = any(any(w in t for w in _TASK_PART) for t in part_titles)
    items: list[_Item] = []
    part: str | None = None
    task_part = not structured
    reporting_part = False
    section: str | None = None
    headings: dict[int, list[str]] = {}  # depth -> lead named by the heading
    intro_lead: list[str] = []
    counter = 0
    current: _Item | None = None

    def lead() -> list[str]:
        if intro_lead:
            return intro_lead
        for depth in sorted(headings, reverse=True):
            if headings[depth]:
                return headings[depth]
        return []

    def start(item_id: str, lettered: bool, text: str) -> _Item:
        nonlocal current
        current = _Item(part, section, item_id, lead(), lettered, task_part, reporting_part, [text])
        items.append(current)
        return current

    for line in lines:
        if (m := _PART.match(line)) and structured:
            part, section, current, counter, intro_lead = m.group("n").upper(), None, None, 0, []
            headings.clear()
            title = fold(m.group("t"))
            reporting_part = _REPORTING_PART in title
            if has_task_part:
                task_part = any(w in title for w in _TASK_PART)
            else:  # no part is about tasks: read every part but the aims ("TỔ CHỨC THỰC HIỆN" included)
                task_part = not any(w in title for w in _AIMS_PART)
            continue
        if m := _NUMBERED.match(line):
            number, text = (m.group("n"), m.group("t")) if m.group("n") else (m.group("n1"), m.group("t1"))
            depth = number.count(".") + 1
            if not text.rstrip().endswith((".", ";")):  # a heading ("1.5. Sở Công Thương")
                section, current, counter, intro_lead = number, None, 0, []
                for d in [d for d in headings if d >= depth]:
                    del headings[d]
                headings[depth] = scanner.heading(text) or (scanner.leads(text) if text.endswith(":") else [])
                continue
            section, counter, intro_lead = number, 1, []  # a numbered paragraph is an item of its own
            start("1", False, text)
            continue
        if m := _LETTER.match(line):
            start(m.group("l"), True, m.group("t"))
            continue
        bullet = _BULLET.match(line)
        if current is not None and (current.lettered or (bullet and bullet.group("b") == "+")):
            current.lines.append(line)  # sub-bullets and continuations fold into their item
            continue
        if bullet:
            counter += 1
            start(str(counter), False, bullet.group("t"))
            continue
        if line.endswith(":"):  # an introduction to the bullets below: it may name their lead
            intro_lead = scanner.heading(line) or scanner.leads(line)
            current = None
            continue
        counter += 1
        start(str(counter), False, line)
    return items, structured


# --- assembly --------------------------------------------------------------------------------------
_SCANNERS: dict[int, tuple[Registry, ActorScanner]] = {}


def scanner_for(registry: Registry) -> ActorScanner:
    """The (cached) actor scanner of a registry."""
    cached = _SCANNERS.get(id(registry))
    if cached is None or cached[0] is not registry:
        cached = (registry, ActorScanner(registry))
        _SCANNERS[id(registry)] = cached
    return cached[1]


_GIAO_SPLIT = re.compile(r"(?<=[.;])\s+(?=giao\s)", _F)


def _task(item: _Item, text: str, scanner: ActorScanner) -> dict:
    due, recurrence, time_limit, targets = extract_schedule(text)
    return {
        "part": item.part,
        "section": item.section,
        "item": item.item,
        "lead": scanner.leads(text) or item.heading_lead,
        "partners": scanner.partners(text),
        "text": text,
        "due": due,
        "recurrence": recurrence,
        "time_limit": time_limit,
        "targets": targets,
    }


def _reporting(text: str, scanner: ActorScanner) -> list[dict]:
    out = []
    for clause in clauses(text):
        if "báo cáo" not in clause.text.lower():
            continue
        rec = find_recurrence(clause.text)
        if not rec:
            continue
        to: list[str] = []
        for m in re.finditer(r"\b(?:gửi|báo\s+cáo)\s+(?:về\s+|cho\s+|đến\s+)?", clause.text, _F):
            items, _ = scanner.scan(clause.text, m.end())
            to = [a.value for a in items if a.kind in ("agency", "group")]
            if to:
                break
        days = rec["days"]
        before_day = days[0] if len(days) == 1 else (days or None)
        out.append({"every": rec["every"], "before_day": before_day, "to": to, "literal": rec["literal"]})
    return out


def parse_lines(lines: list[str], registry: Registry) -> dict:
    if not lines:
        raise ParseError("empty document: no text found")
    scanner = scanner_for(registry)
    document, body_start = _parse_header(lines, registry)
    body_end = next((i for i in range(body_start, len(lines)) if _END.match(lines[i])), len(lines))
    document["signer"] = next((ln for ln in reversed(lines[body_end:]) if _is_name(ln)), None)
    items, structured = _structure(lines[body_start:body_end], scanner)
    tasks: list[dict] = []
    reporting: list[dict] = []
    counts: dict[str | None, int] = {}  # prose tasks numbered within their section
    for item in items:
        if not item.task_part or item.reporting_part:
            reporting += _reporting(item.text, scanner)
        if not item.task_part:
            continue
        if structured:
            tasks.append(_task(item, item.text, scanner))
            continue
        # Prose: each "Giao …" directive of a paragraph is a task; paragraphs that name no lead are not.
        for piece in _GIAO_SPLIT.split(item.text):
            task = _task(item, piece, scanner)
            if not task["lead"]:
                reporting += _reporting(piece, scanner)
                continue
            counts[item.section] = counts.get(item.section, 0) + 1
            task["item"] = str(counts[item.section])
            tasks.append(task)
    return {"document": document, "reporting": reporting, "tasks": tasks}


def parse_text(text: str, registry: Registry) -> dict:
    """Parse document text (any Unicode normalisation, or legacy TCVN3/VNI characters)."""
    return parse_lines(clean_lines(text), registry)


def parse_file(path: str | Path, registry: Registry, converters: Converters = NO_CONVERTERS,
               limits: Limits | None = None) -> dict:
    """Parse a .txt, .docx, .html, text .pdf or (with an office converter) .doc file. Raises ParseError, or
    LimitExceeded beyond ``limits``."""
    return parse_lines(read_lines(path, converters, limits), registry)
